"""Stored records as the API's JSON shows them: users, conferences, invitations, links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from adapters.trueconf.sandbox.records import Conference, SandboxUser
from bot.clock import Clock
from bot.schedule import Weekday, Weekly
from bot.timerules import next_weekly_occurrence, offset_minutes


def user_json(user: SandboxUser, host: str) -> dict[str, Any]:
    first, _, last = user.display_name.partition(" ")
    return {
        "id": user.login,
        "uid": f"{user.login}@{host}",
        "avatar": None,
        "login_name": user.login,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": first,
        "last_name": last,
        "company": "",
        "groups": [],
        "mobile_phone": "",
        "work_phone": "",
        "home_phone": "",
        "is_active": 1,
        "status": 1 if user.online else 0,
    }


@dataclass(frozen=True, slots=True)
class Renderer:
    """The server settings rendering depends on. ``SandboxState`` builds one per
    use, so settings tests change on the state show in the very next answer."""

    users: Mapping[str, SandboxUser]
    clock: Clock
    server_zone: str
    server_ip: str
    max_participants_limit: int

    def schedule(self, schedule: dict[str, Any]) -> dict[str, Any]:
        if schedule["type"] == -1:
            return {"type": -1}
        if schedule["type"] == 1:
            return dict(schedule)
        # A weekly schedule is shown with its next start, as the server computes it.
        now = self.clock.now()
        hour, minute = (int(p) for p in schedule["time"].split(":"))
        rule = Weekly(
            days=frozenset(Weekday[d.upper()] for d in schedule["days"]),
            at=time(hour, minute),
            zone=self.server_zone,
        )
        return {
            "type": 0,
            "start_time": int(next_weekly_occurrence(rule, now).timestamp()),
            "duration": schedule["duration"],
            "time": schedule["time"],
            "time_offset": offset_minutes(self.server_zone, now),
            "days": list(schedule["days"]),
        }

    def conference(self, conf: Conference, host: str, hostname: str) -> dict[str, Any]:
        cid, ip = conf.id, self.server_ip
        invitations = [
            {
                "id": login,
                "display_name": self.users[login].display_name if login in self.users else login,
            }
            for login in conf.invitations
        ]
        return {
            "id": cid,
            "type": conf.type,
            "topic": conf.topic,
            "owner": f"{conf.owner}@{hostname}",
            "description": conf.description,
            "max_podiums": conf.max_participants or self.max_participants_limit,
            "max_participants": conf.max_participants or self.max_participants_limit,
            "schedule": self.schedule(conf.schedule),
            "invitations": invitations,
            "created_at": conf.created_at,
            "url": f"https://{host}/c/{cid}",
            "webclient_url": f"https://{host}/webrtc/{cid}",
            "allow_guests": conf.allow_guests,
            "auto_invite": conf.auto_invite,
            "state": conf.state,
            "tags": [],
            "recording": 0,
            "stream_recording_state": 0,
            "stream_id": f"{cid}@{hostname}#vcs" if conf.state == "running" else None,
            "deeplinks": {
                "default": f"trueconf:\\c\\{cid}@{hostname}%23vcs&h={ip}",
                "android": (
                    f"intent:\\c\\{cid}%40{hostname}%23vcs%26h%3d{ip}"
                    "#Intent;scheme=trueconf;package=com.trueconf.videochat;end"
                ),
            },
            "connect_urls": {
                "sip_external": None,
                "sip": [f"00{cid}@{ip}"],
                "h323": [f"{ip}##00{cid}"],
            },
            "pin_enabled": conf.pin is not None,
            # The API client acts as the server administrator, so it sees the PIN.
            "pin": conf.pin,
            "participants_lock_enabled": None if conf.state != "running" else False,
            "origin_type": "restfulapi",
        }

    def invitation(self, conf: Conference, login: str, hostname: str) -> dict[str, Any]:
        return {
            **user_json(self.users[login], hostname),
            "is_owner": login == conf.owner,
            "type": "user",
            "translator": None,
        }

    def window(self, conf: Conference) -> tuple[datetime, datetime, list[str] | None]:
        """Start, end and weekly days for calendars; an unscheduled one starts when created."""
        schedule = self.schedule(conf.schedule)
        start_ts = schedule.get("start_time") or conf.created_at
        start = datetime.fromtimestamp(start_ts, UTC)
        end = start + timedelta(seconds=schedule.get("duration") or 3600)
        return start, end, schedule.get("days")

    def software_clients(
        self,
        *,
        conf: Conference | None,
        call_id: str | None,
        case: str | None,
        login: str,
        credential: str,
        host: str,
        hostname: str,
    ) -> dict[str, Any]:
        """``GET /software/clients``. With a login, the web link and deeplinks carry
        ``credential`` (the server uses one guest token as both token and password)."""
        web_url = f"https://{host}/webrtc/{call_id or ''}"
        if login:
            web_url += (
                f"#login={quote(login, safe='')}&token={quote(credential, safe='')}&lang=auto"
            )
        clients: list[dict[str, Any]] = [
            {
                "name": "TrueConf Windows",
                "type": "standalone",
                "platform": "windows",
                "download_url": f"https://{host}/downloads/trueconf_windows_client.exe",
                "download_urls": None,
                "market_url": "",
                "web_url": "https://trueconf.com/downloads/windows.html?lang=auto",
            },
            {
                "name": "TrueConf Android",
                "type": "standalone",
                "platform": "android",
                "download_url": f"https://{host}/downloads/trueconf_android_client.apk",
                "download_urls": None,
                "market_url": "https://play.google.com/store/apps/details?id=com.trueconf.videochat",
                "web_url": "https://trueconf.com/downloads/android.html?lang=auto",
            },
            {
                "name": "TrueConf Web",
                "type": "web",
                "platform": "webrtc",
                "download_url": "",
                "download_urls": None,
                "market_url": "",
                "web_url": web_url,
                "iframe": f'<iframe src="{web_url}" allowfullscreen="allowfullscreen" '
                'allow="microphone; camera; autoplay; display-capture"></iframe>',
            },
        ]
        answer: dict[str, Any] = {"clients": clients}
        if conf is not None and case == "join_conference_button":
            ip = self.server_ip
            # As in the guest-access article: values are percent-encoded once
            # ("*guest*" and "$" stay literal); the intent form also encodes & and =.
            pairs = (
                ("force", "1"),
                ("templogin", "1"),
                ("login", quote(login, safe="*$")),
                ("password", quote(credential, safe="*$")),
            )
            auth = "".join(f"&{name}={value}" for name, value in pairs)
            intent_auth = "".join(f"%26{name}%3d{value}" for name, value in pairs)
            answer["deeplinks"] = {
                "default": f"trueconf:\\c\\{conf.id}@{hostname}%23vcs&h={ip}{auth}"
                "&encrypt=0&autoclose=1",
                "android": f"intent:\\c\\{conf.id}%40{hostname}%23vcs%26h%3d{ip}"
                f"{intent_auth}%26encrypt%3d0%26autoclose%3d1"
                "#Intent;scheme=trueconf;package=com.trueconf.videochat;end",
            }
        return answer


def guest_token(web_url: str) -> str:
    """The credential a guest ``web_url`` carries in its fragment, or ``""``."""
    fragment = parse_qs(urlsplit(web_url).fragment)
    return (fragment.get("token") or [""])[0]
