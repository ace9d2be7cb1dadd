"""The bot scopes the app asks for, each for one reason (``deploy/slack/manifest.yaml``
lists the same)."""

from __future__ import annotations

BOT_SCOPES: tuple[str, ...] = (
    "commands",  # the /meet slash command
    "chat:write",  # cards, results and reminders in conversations the app is in
    "chat:write.public",  # reminders into public channels without joining them
    "users:read",  # the speaker's time zone, locale and admin flag (users.info)
    "users:read.email",  # e-mails, to match mentioned people to TrueConf users
    # The .ics as a file in the asker's own DM with the bot (uploads cannot be
    # ephemeral, so never into the channel); without both, only the link.
    "files:write",  # files.getUploadURLExternal / completeUploadExternal
    "im:write",  # conversations.open: the DM the file goes to
)
