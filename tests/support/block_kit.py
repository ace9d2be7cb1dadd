"""Slack's Block Kit rules, as Slack applies them before it accepts a message
or a view (https://api.slack.com/reference/block-kit). The fake Slack refuses
what breaks them, as Slack does (``invalid_blocks``), and a test runs every
reply the bridge renders through them.

Only the block and element types the bridge uses are known; anything else is
refused too, so a new kind of block gets its rules written here first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

BLOCKS_MAX = {"message": 50, "home": 100, "modal": 100}
ACTION_ID_MAX = 255
BLOCK_ID_MAX = 255
URL_MAX = 3000
VALUE_MAX = 2000
MESSAGE_TEXT_MAX = 40_000


class BlockChecker:
    """Collects every rule a list of blocks breaks, each with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def _fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def text(
        self, where: str, obj: Any, limit: int, *, plain_only: bool = False, min_len: int = 1
    ) -> None:
        if not isinstance(obj, dict):
            self._fail(where, "text object is not an object")
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn") or (plain_only and kind != "plain_text"):
            self._fail(where, f"text type {kind!r} not allowed here")
        text = obj.get("text")
        if not isinstance(text, str):
            self._fail(where, "text is not a string")
            return
        if len(text) < min_len:
            self._fail(where, "text is empty")
        if len(text) > limit:
            self._fail(where, f"text is {len(text)} characters, more than {limit}")
        if "emoji" in obj and kind != "plain_text":
            self._fail(where, "emoji is only for plain_text")

    def url(self, where: str, url: Any) -> None:
        if not isinstance(url, str) or not url:
            self._fail(where, "url is empty")
        elif len(url) > URL_MAX:
            self._fail(where, f"url is {len(url)} characters, more than {URL_MAX}")

    def confirm(self, where: str, obj: Any) -> None:
        if not isinstance(obj, dict):
            self._fail(where, "confirm is not an object")
            return
        self.text(f"{where}.title", obj.get("title"), 100, plain_only=True)
        self.text(f"{where}.text", obj.get("text"), 300)
        self.text(f"{where}.confirm", obj.get("confirm"), 30, plain_only=True)
        self.text(f"{where}.deny", obj.get("deny"), 30, plain_only=True)

    def element(self, where: str, element: Any) -> None:
        if not isinstance(element, dict):
            self._fail(where, "element is not an object")
            return
        action_id = element.get("action_id")
        if action_id is not None and (
            not isinstance(action_id, str) or not 0 < len(action_id) <= ACTION_ID_MAX
        ):
            self._fail(where, f"action_id must be 1-{ACTION_ID_MAX} characters")
        match element.get("type"):
            case "button":
                self.text(f"{where}.text", element.get("text"), 75, plain_only=True)
                if "url" in element:
                    self.url(f"{where}.url", element["url"])
                value = element.get("value")
                if value is not None and (not isinstance(value, str) or len(value) > VALUE_MAX):
                    self._fail(where, f"value must be a string of at most {VALUE_MAX}")
                if element.get("style") not in (None, "primary", "danger"):
                    self._fail(where, f"style {element.get('style')!r} is not a button style")
                if "confirm" in element:
                    self.confirm(f"{where}.confirm", element["confirm"])
            case (
                "plain_text_input"
                | "datepicker"
                | "timepicker"
                | "static_select"
                | "multi_users_select"
                | "multi_static_select"
                | "conversations_select"
                | "checkboxes"
                | "radio_buttons"
            ):
                pass  # input elements: the modal's; Slack checks their options too
            case other:
                self._fail(where, f"element type {other!r} unknown here")

    def actions_block(self, where: str, block: dict[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
            self._fail(where, "an actions block takes 1-25 elements")
            return
        seen: set[str] = set()
        for j, element in enumerate(elements):
            self.element(f"{where}.elements[{j}]", element)
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if isinstance(action_id, str):
                if action_id in seen:
                    self._fail(where, f"action_id {action_id!r} is not unique in its block")
                seen.add(action_id)

    def block(self, where: str, block: Any) -> None:
        if not isinstance(block, dict):
            self._fail(where, "block is not an object")
            return
        match block.get("type"):
            case "header":
                self.text(f"{where}.text", block.get("text"), 150, plain_only=True)
            case "section":
                text, fields = block.get("text"), block.get("fields")
                if text is None and fields is None:
                    self._fail(where, "a section needs text or fields")
                if text is not None:
                    self.text(f"{where}.text", text, 3000)
                if fields is not None:
                    if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
                        self._fail(where, "a section takes 1-10 fields")
                    else:
                        for j, field in enumerate(fields):
                            self.text(f"{where}.fields[{j}]", field, 2000)
                if "accessory" in block:
                    self.element(f"{where}.accessory", block["accessory"])
            case "context":
                elements = block.get("elements")
                if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
                    self._fail(where, "a context block takes 1-10 elements")
                else:
                    for j, element in enumerate(elements):
                        self.text(f"{where}.elements[{j}]", element, 3000)
            case "actions":
                self.actions_block(where, block)
            case "divider":
                pass
            case "input":
                self.text(f"{where}.label", block.get("label"), 2000, plain_only=True)
                self.element(f"{where}.element", block.get("element"))
                if "hint" in block:
                    self.text(f"{where}.hint", block["hint"], 2000, plain_only=True)
            case other:
                self._fail(where, f"block type {other!r} unknown here")

    def blocks(self, blocks: Any, surface: str) -> None:
        if not isinstance(blocks, list):
            self._fail("blocks", "not a list")
            return
        limit = BLOCKS_MAX[surface]
        if len(blocks) > limit:
            self._fail("blocks", f"{len(blocks)} blocks, more than {limit}")
        block_ids: set[str] = set()
        for i, block in enumerate(blocks):
            self.block(f"blocks[{i}]", block)
            block_id = block.get("block_id") if isinstance(block, dict) else None
            if block_id is None:
                continue
            if not isinstance(block_id, str) or not 0 < len(block_id) <= BLOCK_ID_MAX:
                self._fail(f"blocks[{i}]", f"block_id must be 1-{BLOCK_ID_MAX} characters")
            elif block_id in block_ids:
                self._fail(f"blocks[{i}]", f"block_id {block_id!r} repeated")
            else:
                block_ids.add(block_id)


def message_problems(params: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a ``chat.postMessage``-like payload."""
    checker = BlockChecker()
    if params.get("delete_original"):
        return []
    text = params.get("text")
    blocks = params.get("blocks")
    if blocks is None and not text:
        checker.problems.append("text: a message needs text or blocks")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        checker.problems.append(f"text: more than {MESSAGE_TEXT_MAX} characters")
    if blocks is not None:
        checker.blocks(blocks, "message")
    return checker.problems


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in a ``views.publish``/``views.open`` view."""
    checker = BlockChecker()
    if not isinstance(view, dict) or view.get("type") not in ("home", "modal"):
        return ["view: type must be home or modal"]
    checker.blocks(view.get("blocks"), view["type"])
    if view["type"] == "modal":
        checker.text("view.title", view.get("title"), 24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                checker.text(f"view.{key}", view[key], 24, plain_only=True)
    return checker.problems


def _objects(node: object) -> Iterator[dict[str, Any]]:
    """Every object in ``node``, each before what it holds, in order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


def texts_of(blocks: object) -> list[str]:
    """Every text string in the blocks, wherever it sits."""
    return [o["text"] for o in _objects(blocks) if isinstance(o.get("text"), str)]


def mrkdwn_of(blocks: object) -> list[str]:
    """The text of every mrkdwn text object in the blocks."""
    return [o["text"] for o in _objects(blocks) if o.get("type") == "mrkdwn"]
