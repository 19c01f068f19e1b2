"""Talking to the Bot API: pacing under Telegram's limits, per-chat update order, instrumentation."""
