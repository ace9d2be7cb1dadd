"""TLS failures against a TrueConf server are named as such, with the setting
that fixes them: a self-signed certificate, one issued for another host, an
expired one; and TRUECONF_CA_BUNDLE makes the first one trusted."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from pathlib import Path

import pytest

from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf.setup import build_trueconf
from bot.clock import SystemClock
from tests.support.certs import Issued, make_ca, server_cert
from tests.support.serve import free_port


class _Unavailable(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "maintenance"}')

    do_GET = do_POST

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def tls_server(issued: Issued) -> Iterator[int]:
    """An https server on loopback presenting ``issued``; answers 503 to all."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(issued.cert, issued.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def problem_with(port: int, ca_bundle: Path | None = None) -> str:
    settings = TrueConfSettings(
        _env_file=None,
        server_url=f"https://127.0.0.1:{port}",
        client_id="bridge",
        client_secret="secret-value-1",
        ca_bundle=ca_bundle,
        timeout_seconds=5,
    )
    async with AsyncExitStack() as stack:
        backend, _ = await build_trueconf(settings, SystemClock(), stack)
        with pytest.raises(Exception) as raised:
            await backend.check_credentials()
    return str(raised.value)


async def test_a_self_signed_certificate_names_the_ca_bundle_setting(tmp_path: Path) -> None:
    with tls_server(server_cert(tmp_path)) as port:
        problem = await problem_with(port)
    assert "TLS: the server's certificate is self-signed" in problem
    assert "set TRUECONF_CA_BUNDLE to the CA certificate (PEM)" in problem


async def test_a_certificate_from_an_unknown_ca_names_the_setting_and_the_bundle_fixes_it(
    tmp_path: Path,
) -> None:
    ca, ca_cert, ca_key = make_ca(tmp_path)
    with tls_server(server_cert(tmp_path, issuer=(ca_cert, ca_key))) as port:
        untrusted = await problem_with(port)
        trusted = await problem_with(port, ca_bundle=ca.cert)
    assert "signed by an unknown CA: set TRUECONF_CA_BUNDLE" in untrusted
    assert "TLS" not in trusted  # the handshake passed; the server's own 503 is the finding
    assert "maintenance" in trusted


async def test_a_certificate_for_another_host_is_named(tmp_path: Path) -> None:
    ca, ca_cert, ca_key = make_ca(tmp_path)
    issued = server_cert(tmp_path, host="video.example.com", issuer=(ca_cert, ca_key))
    with tls_server(issued) as port:
        problem = await problem_with(port, ca_bundle=ca.cert)
    assert "not valid for this host name" in problem


async def test_an_expired_certificate_is_named(tmp_path: Path) -> None:
    ca, ca_cert, ca_key = make_ca(tmp_path)
    with tls_server(server_cert(tmp_path, issuer=(ca_cert, ca_key), expired=True)) as port:
        problem = await problem_with(port, ca_bundle=ca.cert)
    assert "TLS: the server's certificate has expired" in problem


async def test_a_closed_port_is_not_called_a_tls_problem() -> None:
    problem = await problem_with(free_port())
    assert problem == "unreachable: connection refused: nothing listens at that host and port"
