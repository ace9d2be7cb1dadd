"""Slack: the ``/meet`` slash command, Block Kit replies, buttons, the modal and
App Home, over HTTP (``/slack/events``) or Socket Mode."""
