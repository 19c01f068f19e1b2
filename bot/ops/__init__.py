"""Running Pandu for real: setup, doctor, backups, health and metrics, the webhook server.

Each command of the CLI (``python -m bot setup|doctor|db backup|db restore``) has its own
module here; :mod:`bot.cli` only dispatches. Nothing here is needed to use the bot in a
test: these are the pieces an office's IT person runs on the server.
"""
