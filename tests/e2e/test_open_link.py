"""The signed ``/open`` page that opens the TrueConf app from an https link."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from adapters.http.open_link import OpenLinks
from tests.support.serve import ServeProcess

pytestmark = pytest.mark.timeout(60)

SECRET = "open-link-test-secret"
PUBLIC = "https://bridge.example.com"


def _local(url: str, served: ServeProcess) -> str:
    return served.url(url.removeprefix(PUBLIC))


def test_open_page_escapes_targets_and_refuses_unsigned_or_foreign_links(tmp_path: Path) -> None:
    links = OpenLinks(PUBLIC, SECRET.encode())
    target = 'trueconf:c/0042@video.example.com#vcs?x="><script>alert(1)</script>'
    fallback = "https://video.example.com/c/0042?a=1&b=<2>"
    env = {"PUBLIC_URL": PUBLIC, "LINK_SECRET": SECRET}
    with ServeProcess(env=env, cwd=tmp_path) as served:
        page = httpx.get(_local(links.url_for(target, fallback), served), timeout=5)
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        body = page.text
        assert "<script>alert(1)</script>" not in body
        assert "&quot;&gt;&lt;script&gt;" in body  # the attribute copy, escaped
        assert "\\u003cscript>" in body  # the script copy cannot close the tag
        assert 'href="https://video.example.com/c/0042?a=1&amp;b=&lt;2&gt;"' in body

        forged = links.url_for(target, fallback).replace("0042", "0043", 1)
        assert httpx.get(_local(forged, served), timeout=5).status_code == 404
        other_key = OpenLinks(PUBLIC, b"another key").url_for(target, fallback)
        assert httpx.get(_local(other_key, served), timeout=5).status_code == 404
        # A correctly signed http(s) target is still refused: only app schemes open.
        web = links.url_for("https://evil.example.com/", "")
        assert httpx.get(_local(web, served), timeout=5).status_code == 404
        assert httpx.get(served.url("/open"), timeout=5).status_code == 404


def test_open_route_is_absent_without_a_public_url(tmp_path: Path) -> None:
    links = OpenLinks(PUBLIC, SECRET.encode())
    with ServeProcess(env={"LINK_SECRET": SECRET}, cwd=tmp_path) as served:
        url = _local(links.url_for("trueconf:c/1@h#vcs", ""), served)
        assert httpx.get(url, timeout=5).status_code == 404
