"""Renders the core's ``Reply`` as plain terminal text."""

from __future__ import annotations

import re

from adapters.console.texts import translator
from bot.chat import Lang
from bot.reply import Actions, Copyable, Fields, Links, Reply, Text, Title, Tone, Visibility

# Control characters (ANSI escapes included) in user text could repaint the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def render(reply: Reply, lang: Lang) -> str:
    """``lang``: the chat's, for the console's own words."""
    lines: list[str] = []
    if reply.visibility is Visibility.PRIVATE:
        lines.append(translator(lang)("console.private"))
    for block in reply.blocks:
        match block:
            case Title(text):
                lines.append(f"== {clean(text)} ==")
            case Text(text, tone):
                prefix = "! " if tone is Tone.ERROR else ""
                lines.append(prefix + clean(text))
            case Fields(items):
                lines.extend(f"  {clean(f.label)}: {clean(f.value)}" for f in items)
            case Links(items):
                lines.extend(f"  {clean(link.label)}: {clean(link.url)}" for link in items)
            case Copyable(label, values):
                if label:
                    lines.append(f"  {clean(label)}:")
                lines.extend(f"    {clean(v)}" for v in values)
            case Actions(items) if items:
                lines.append("  " + "  ".join(f"[{clean(a.label)}]" for a in items))
    # The console is the operator's own terminal: what is for the admins shows.
    lines.extend(render(note, lang) for note in (*reply.private_notes, *reply.admin_notes))
    return "\n".join(lines)
