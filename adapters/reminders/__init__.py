"""The reminder dispatcher: claims due ledger rows and carries them out."""

from adapters.reminders.dispatcher import Dispatcher, DispatcherConfig

__all__ = ["Dispatcher", "DispatcherConfig"]
