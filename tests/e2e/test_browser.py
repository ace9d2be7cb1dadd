"""The ``/open`` page and the ``.ics`` link as a person meets them: in a real
headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
Selenium; nothing is downloaded). Outside CI the tests skip when Chromium is
not installed; under CI (.ci/run installs it) they fail instead.

A screenshot of the page is kept in the test's temporary directory.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from adapters.http.calendar_feed import CalendarFeedLinks
from adapters.http.open_link import OpenLinks
from adapters.loopback import LoopbackServer
from bot.meeting import JoinInfo, Meeting
from bot.reply import LinkContext
from bot.schedule import Weekday, Weekly
from tests.support.ci import under_ci
from tests.support.ics import only_event
from tests.support.serve import ServeProcess
from tests.support.stored import a_meeting, store

pytestmark = pytest.mark.timeout(120)

SECRET = "browser-test-secret"
PUBLIC = "https://bridge.example.com"
APP = "trueconf:\\c\\0042@video.example.com%23vcs"
INSTALL = "apt-get install chromium chromium-driver"


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = f"headless Chromium from Debian is needed for the browser tests: {INSTALL}"
    if under_ci():
        pytest.fail(message)
    pytest.skip(message)


# One browser per test: after a page has tried the trueconf: scheme, Chromium
# holds the window's input for its external-protocol prompt, and a later
# press in the same session would never reach the page.
@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver_path = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=412,915",  # a phone's viewport
        "--lang=ru-RU",  # the page's language comes from the link, not the browser
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=driver_path)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _conference_page(_request: Request) -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>Browser join</title><p>joined in the browser")


@dataclass
class Site:
    served: ServeProcess
    join: LoopbackServer
    open_links: OpenLinks
    feeds: CalendarFeedLinks
    weekly: Meeting
    once: Meeting

    def local(self, url: str) -> str:
        return self.served.url(url.removeprefix(PUBLIC))

    def fallback(self) -> str:
        return f"{self.join.base_url}/webrtc/0042"

    def open_url(self, meeting: Meeting, lang: str) -> str:
        assert meeting.id is not None
        about = LinkContext(meeting.id, datetime.now(UTC) + timedelta(days=1), lang)  # type: ignore[arg-type]
        return self.local(self.open_links.url_for(APP, self.fallback(), about))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _binaries()  # skip (or fail under CI) before starting anything
    root = tmp_path_factory.mktemp("browser")
    database = f"sqlite+aiosqlite:///{root / 'serve.db'}"
    join = JoinInfo(page_url="https://video.example.com/c/0042")
    weekly = a_meeting(
        "Планёрка",
        schedule=Weekly(
            frozenset({Weekday.MONDAY, Weekday.THURSDAY}), time(9, 30), "Europe/Moscow"
        ),
        join=join,
    )
    weekly, once = asyncio.run(store(database, weekly, a_meeting("Design review", join=join)))
    env = {"PUBLIC_URL": PUBLIC, "LINK_SECRET": SECRET, "DATABASE_URL": database}
    with (
        LoopbackServer(
            lambda: Starlette(routes=[Route("/webrtc/{id}", _conference_page)]),
            name="conference page",
        ) as conference,
        ServeProcess(env=env, cwd=root) as served,
    ):
        yield Site(
            served,
            conference,
            OpenLinks(PUBLIC, SECRET.encode()),
            CalendarFeedLinks(PUBLIC, SECRET.encode()),
            weekly,
            once,
        )


def _csp_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_the_page_speaks_the_chats_language_then_falls_back_to_the_browser(
    browser: webdriver.Chrome, site: Site, tmp_path: Path
) -> None:
    browser.get(site.open_url(site.weekly, "ru"))
    assert browser.execute_script("return document.documentElement.lang") == "ru"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Планёрка"
    assert browser.find_element(By.ID, "open").text == "Открыть в TrueConf"
    assert browser.find_element(By.ID, "browser").text == "Войти из браузера"
    assert "(Europe/Moscow)" in browser.find_element(By.CLASS_NAME, "when").text
    screenshot = tmp_path / "open-page-ru.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    # The app is not installed here: within about two seconds the page goes
    # on to the browser link by itself.
    WebDriverWait(browser, 15).until(lambda d: d.current_url == site.fallback())
    assert browser.title == "Browser join"
    assert _csp_violations(browser) == []  # its own script and style ran under the CSP


def test_a_person_who_stays_is_not_taken_away(browser: webdriver.Chrome, site: Site) -> None:
    url = site.open_url(site.once, "en")
    browser.get(url)
    assert browser.execute_script("return document.documentElement.lang") == "en"
    stay = browser.find_element(By.ID, "stay")
    stay.click()
    # Past the switch's two seconds, by the page's own clock.
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return performance.now()") > 3500)
    assert browser.current_url == url
    status = browser.find_element(By.ID, "status").text
    assert status == "Staying here: choose how to join."
    assert browser.switch_to.active_element.get_attribute("id") == "browser"
    assert _csp_violations(browser) == []


def test_the_ics_link_downloads_a_calendar_with_a_readable_name(
    browser: webdriver.Chrome, site: Site, tmp_path: Path
) -> None:
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.get(site.local(site.feeds.ics_url(site.weekly)))
    WebDriverWait(browser, 15).until(lambda _: (tmp_path / "Планёрка.ics").exists())
    event = only_event((tmp_path / "Планёрка.ics").read_bytes())
    assert event.summary == "Планёрка"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,TH"
    assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
