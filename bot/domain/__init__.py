"""Pandu's domain, pure: SOPs and their durations, the working calendar, office hours,
the nag policy, delegations (Plh./Plt.) and what counts as text.

Nothing here imports Telegram, SQLAlchemy, SQLModel or :mod:`storage` (import-linter
checks it; see ``pyproject.toml``), so it is tested without a database or a bot."""
