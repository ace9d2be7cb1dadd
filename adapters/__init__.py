"""The edges: messengers and conference backends, each depending on ``bot``."""
