"""What Pandu's Telegram messages look like: texts, cards, keyboards, callback data, HTML, paging.

Used by the handlers and by the outbox sender alike."""
