"""Building the HTTP client the TrueConf adapter talks through."""

from __future__ import annotations

import ssl

import httpx


def tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """Certificate verification for the server: the system trust store by default,
    or an on-premise CA bundle. There is deliberately no way to turn it off."""
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return True


def build_http_client(
    server_url: str, *, ca_bundle: str | None = None, timeout: float = 10.0
) -> httpx.AsyncClient:
    """An ``AsyncClient`` rooted at the server, with a timeout on every call.

    The caller owns it and must close it (``await client.aclose()``)."""
    return httpx.AsyncClient(
        base_url=server_url.rstrip("/"),
        timeout=httpx.Timeout(timeout),
        verify=tls_verification(ca_bundle),
        follow_redirects=False,
        headers={"Accept": "application/json"},
    )
