"""TrueConf JSON <-> core types: conference bodies, join links, users."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from bot.deeplinks import with_browser_fallback
from bot.errors import BackendError, Refusal
from bot.meeting import Conference, ConferenceSpec, DirectoryUser, EditField, JoinInfo
from bot.schedule import Instant, Once, Schedule, Weekday, Weekly
from bot.timerules import weekly_in_server_zone

DEFAULT_DURATION = timedelta(hours=1)
ANDROID_PACKAGE = "com.trueconf.videochat"


def invitation_list(owner: str, invitees: Sequence[str]) -> list[str]:
    """The owner first (the server requires it), then everyone else once, in order."""
    seen: set[str] = set()
    logins: list[str] = []
    for login in (owner, *invitees):
        if login and login not in seen:
            seen.add(login)
            logins.append(login)
    return logins


def schedule_body(
    schedule: Schedule, duration: timedelta | None, server_zone: str, now: datetime
) -> dict[str, Any]:
    """The server's Schedule object. Weekly rules are translated into the server's
    zone at their next occurrence, which may move the days across midnight."""
    seconds = int((duration or DEFAULT_DURATION).total_seconds())
    match schedule:
        case Instant():
            return {"type": -1}
        case Once(start=start):
            return {"type": 1, "start_time": int(start.timestamp()), "duration": seconds}
        case Weekly():
            server = weekly_in_server_zone(schedule, server_zone, now)
            return {
                "type": 0,
                "days": [day.api_name for day in server.days],
                "time": server.hhmm,
                "duration": seconds,
            }


def conference_body(spec: ConferenceSpec, server_zone: str, now: datetime) -> dict[str, Any]:
    """The POST/PUT body for a conference (mode 0, "all on screen")."""
    logins = invitation_list(spec.owner_login, spec.invitee_logins)
    body: dict[str, Any] = {
        "topic": spec.topic,
        "type": 0,
        "owner": spec.owner_login,
        "invitations": [{"id": login} for login in logins],
        "auto_invite": 1 if spec.auto_invite else 0,
        "schedule": schedule_body(spec.schedule, spec.duration, server_zone, now),
    }
    if isinstance(spec.schedule, Instant):
        # "Start at once" in the same request that creates it: one call, not two.
        body["state"] = "running"
    if spec.max_participants is not None:
        body["max_participants"] = spec.max_participants
    if spec.pin is not None:
        body["pin"] = spec.pin
    return body


def edit_body(
    spec: ConferenceSpec, fields: frozenset[EditField], server_zone: str, now: datetime
) -> dict[str, Any]:
    """The PUT body that changes ``fields``, and only them: the owner and the
    invitation list are left as the server holds them."""
    body: dict[str, Any] = {}
    if EditField.TOPIC in fields:
        body["topic"] = spec.topic
    if fields & {EditField.SCHEDULE, EditField.DURATION}:
        body["schedule"] = schedule_body(spec.schedule, spec.duration, server_zone, now)
    return body


def default_deeplinks(conference_id: str, host: str) -> tuple[str, str]:
    """App and Android links built from the id and server, per the ``trueconf:`` scheme."""
    app = f"trueconf:\\c\\{conference_id}@{host}%23vcs"
    android = (
        f"intent:\\c\\{quote(conference_id, safe='')}%40{host}%23vcs"
        f"#Intent;scheme=trueconf;package={ANDROID_PACKAGE};end"
    )
    return app, android


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


def deeplinks_of(payload: Mapping[str, Any]) -> tuple[str, str]:
    """The server's own ``deeplinks`` (``default``, ``android``) when it sent an object."""
    links = payload.get("deeplinks")
    if not isinstance(links, dict):
        return "", ""
    return _str(links.get("default")), _str(links.get("android"))


def join_info(data: Mapping[str, Any], conference_id: str, host: str) -> JoinInfo:
    app, android = deeplinks_of(data)
    if not app or not android:
        built_app, built_android = default_deeplinks(conference_id, host)
        app, android = app or built_app, android or built_android
    urls = data.get("connect_urls")
    urls = urls if isinstance(urls, dict) else {}
    browser = _str(data.get("webclient_url"))
    return JoinInfo(
        page_url=_str(data.get("url")),
        browser_url=browser,
        app_deeplink=app,
        # Without the app, Android opens the browser link instead of nothing.
        android_intent=with_browser_fallback(android, browser),
        sip=_strings(urls.get("sip")),
        sip_external=_str(urls.get("sip_external")),
        h323=_strings(urls.get("h323")),
    )


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def weekly_of(schedule: Mapping[str, Any]) -> tuple[frozenset[Weekday], time | None]:
    """The days and time of a weekly Schedule object (``type`` 0) as the
    server holds them; nothing for other schedules or a shape not understood."""
    days, at = schedule.get("days"), schedule.get("time")
    if schedule.get("type") != 0 or not isinstance(days, list) or not isinstance(at, str):
        return frozenset(), None
    names = {day.api_name: day for day in Weekday}
    held = frozenset(names[d] for d in days if isinstance(d, str) and d in names)
    try:
        clock = time.fromisoformat(at)
    except ValueError:
        return frozenset(), None
    return held, clock.replace(second=0, microsecond=0)


def conference_from_json(data: Mapping[str, Any], host: str) -> Conference:
    """Map the server's Conference object to the core's ``Conference``."""
    conference_id = data.get("id")
    if isinstance(conference_id, int) and not isinstance(conference_id, bool):
        conference_id = str(conference_id)
    if not isinstance(conference_id, str) or not conference_id:
        raise BackendError(
            "invalidResponse", "conference has no id", refusal=Refusal.INVALID_RESPONSE
        )
    schedule = data.get("schedule")
    schedule = schedule if isinstance(schedule, dict) else {}
    offset = schedule.get("time_offset")
    invitations = data.get("invitations")
    invited = tuple(
        item["id"]
        for item in (invitations if isinstance(invitations, list) else [])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    )
    pin = data.get("pin")
    weekly_days, weekly_time = weekly_of(schedule)
    return Conference(
        conference_id=conference_id,
        topic=_str(data.get("topic")),
        state=_str(data.get("state")) or "stopped",
        join=join_info(data, conference_id, host),
        pin=pin if isinstance(pin, str) and pin else None,
        next_start=_timestamp(schedule.get("start_time")),
        server_time_offset_minutes=offset if isinstance(offset, int) else None,
        invited_logins=invited,
        weekly_days=weekly_days,
        weekly_time=weekly_time,
    )


def user_from_json(data: Mapping[str, Any]) -> DirectoryUser:
    login = _str(data.get("login_name")) or _str(data.get("id"))
    return DirectoryUser(
        login=login, display_name=_str(data.get("display_name")), email=_str(data.get("email"))
    )


def web_client_url(payload: Mapping[str, Any]) -> str:
    """The guest browser link: the "TrueConf Web" client's ``web_url``."""
    clients = payload.get("clients")
    if not isinstance(clients, list):
        return ""
    candidates = [c for c in clients if isinstance(c, dict)]
    for client in candidates:
        if client.get("name") == "TrueConf Web" and _str(client.get("web_url")):
            return _str(client.get("web_url"))
    for client in candidates:
        if client.get("type") == "web" or client.get("platform") == "webrtc":
            return _str(client.get("web_url"))
    return ""
