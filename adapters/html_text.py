"""What the messengers that take HTML (Telegram, TrueConf chat) show alike: a
``Text`` block's lines, escaped, muted in italics, an error with its sign."""

from __future__ import annotations

from html import escape

from bot.reply import Tone


def text_lines(text: str, tone: Tone) -> list[str]:
    lines = text.split("\n")
    if tone is Tone.MUTED:
        return [f"<i>{escape(line)}</i>" if line else "" for line in lines]
    if tone is Tone.ERROR:
        lines[0] = "⚠️ " + lines[0]
    return [escape(line) for line in lines]
