"""The HTML of the ``/open`` page, in the reader's language (en, ru).

A small page a person can trust: which meeting it is and when, a large "Open
in TrueConf" button, "Join in the browser" as the second choice, and a switch
to the browser link when the app has not taken over within about two seconds
(the page still visible), unless the person chose to stay. Everything is on
the page itself (no external assets), and its one style and one script carry
the response's CSP nonce. Every value is escaped for HTML; the script reads
the links from the page's own attributes, so no value is written into script.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.chat import Lang

FALLBACK_MS = 2000

TEXTS: dict[str, dict[Lang, str]] = {
    "title": {"en": "Join the meeting", "ru": "Присоединиться к встрече"},
    "open": {"en": "Open in TrueConf", "ru": "Открыть в TrueConf"},
    "browser": {"en": "Join in the browser", "ru": "Войти из браузера"},
    "switching": {
        "en": "If the TrueConf app does not open, the browser link opens in 2 seconds.",
        "ru": "Если приложение TrueConf не откроется, через 2 секунды откроется вход из браузера.",
    },
    "stay": {"en": "Stay on this page", "ru": "Остаться на этой странице"},
    "stayed": {
        "en": "Staying here: choose how to join.",
        "ru": "Вы остались здесь: выберите, как войти.",
    },
    "invalid_title": {"en": "This link is not valid", "ru": "Ссылка недействительна"},
    "invalid": {
        "en": "This link is not one the bridge made, or it was changed on the way. "
        "Ask for the meeting again in the chat.",
        "ru": "Эту ссылку мост не выдавал, или она изменилась по дороге. "
        "Запросите встречу в чате ещё раз.",
    },
    "expired_title": {"en": "This link has expired", "ru": "Срок действия ссылки истёк"},
    "expired": {
        "en": "The meeting this link was made for is over. For a fresh link, send "
        "/meet info {id} in the chat.",
        "ru": "Встреча, для которой выдана ссылка, уже прошла. Свежая ссылка: "
        "/meet info {id} в чате.",
    },
    "cancelled_title": {"en": "This meeting was cancelled", "ru": "Встреча отменена"},
    "cancelled": {
        "en": "“{topic}” was cancelled: there is nothing to join.",
        "ru": "Встреча «{topic}» отменена: присоединяться не к чему.",
    },
    "gone": {
        "en": "The meeting this link was made for no longer exists.",
        "ru": "Встречи, для которой выдана ссылка, больше нет.",
    },
}


def text(key: str, lang: Lang, **params: object) -> str:
    template = TEXTS[key][lang]
    return template.format(**params) if params else template


# Contrast of every pair is at least 7:1 (WCAG AAA for body text); the focus
# ring is 3 px and never removed.
_STYLE = """
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#4a5260;
--accent:#0b57b8;--on-accent:#fff;--ring:#f5a700}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1c2127;--fg:#f1f3f5;
--muted:#c3c9d1;--accent:#8cbcff;--on-accent:#0b1a2e}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,sans-serif;padding:16px}
main{background:var(--card);border-radius:16px;padding:28px 24px;max-width:30rem;
width:100%;box-shadow:0 2px 12px rgba(0,0,0,.12)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 4px;overflow-wrap:anywhere}
.when{color:var(--muted);margin:0 0 24px}
.button{display:block;text-align:center;text-decoration:none;font-weight:600;
border-radius:12px;padding:14px 16px;min-height:48px;margin:0 0 12px;font-size:1.125rem}
.primary{background:var(--accent);color:var(--on-accent)}
.secondary{border:2px solid var(--accent);color:var(--fg)}
a:focus-visible,button:focus-visible{outline:3px solid var(--ring);outline-offset:3px}
.status{color:var(--muted);font-size:.95rem;margin:16px 0 0}
button.stay{background:none;border:0;color:var(--fg);text-decoration:underline;
font:inherit;padding:8px 0;cursor:pointer;min-height:44px}
"""

_SCRIPT = """
(function(){
var app=document.getElementById("open"),web=document.getElementById("browser"),
stay=document.getElementById("stay"),status=document.getElementById("status"),timer=null;
function cancel(){if(timer!==null){clearTimeout(timer);timer=null;}}
document.addEventListener("visibilitychange",function(){if(document.hidden){cancel();}});
window.addEventListener("pagehide",cancel);
if(web){timer=setTimeout(function(){timer=null;
if(!document.hidden){window.location.href=web.getAttribute("href");}},FALLBACK_MS);}
if(stay){stay.addEventListener("click",function(){cancel();
status.textContent=status.getAttribute("data-stayed");stay.hidden=true;web.focus();});}
window.location.href=app.getAttribute("href");
})();
""".replace("FALLBACK_MS", str(FALLBACK_MS))


@dataclass(frozen=True, slots=True)
class PageContent:
    lang: Lang
    title: str
    lines: tuple[str, ...] = ()
    app_url: str = ""
    browser_url: str = ""


def _page(content: PageContent, nonce: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{content.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(content.title)}</title>"
        f'<style nonce="{nonce}">{_STYLE}</style></head>'
        f"<body><main>{body}</main></body></html>"
    )


def message_page(content: PageContent, nonce: str) -> str:
    """A page that only says something (invalid, expired, cancelled)."""
    lines = "".join(f"<p>{escape(line)}</p>" for line in content.lines)
    return _page(content, nonce, f"<h1>{escape(content.title)}</h1>{lines}")


def open_page(content: PageContent, nonce: str) -> str:
    lang = content.lang
    when = "".join(f'<p class="when">{escape(line)}</p>' for line in content.lines)
    parts = [
        f"<h1>{escape(content.title)}</h1>{when}",
        f'<a id="open" class="button primary" href="{escape(content.app_url, quote=True)}">'
        f"{escape(text('open', lang))}</a>",
    ]
    if content.browser_url:
        parts.append(
            f'<a id="browser" class="button secondary" '
            f'href="{escape(content.browser_url, quote=True)}">'
            f"{escape(text('browser', lang))}</a>"
            f'<p id="status" class="status" role="status" aria-live="polite" '
            f'data-stayed="{escape(text("stayed", lang), quote=True)}">'
            f"{escape(text('switching', lang))}</p>"
            f'<button id="stay" class="stay" type="button">{escape(text("stay", lang))}</button>'
        )
    parts.append(f'<script nonce="{nonce}">{_SCRIPT}</script>')
    return _page(content, nonce, "".join(parts))


def content_security_policy(nonce: str) -> str:
    """Nothing but the page's own style and script; no frames, forms or plugins."""
    return (
        "default-src 'none'; "
        f"style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
        "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
