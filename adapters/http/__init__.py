"""The one HTTP service that hosts the messenger webhooks and the health endpoints."""

from adapters.http.service import Component, build_web_app

__all__ = ["Component", "build_web_app"]
