"""The Telegram messenger: python-telegram-bot embedded in ``meetbridge serve``."""
