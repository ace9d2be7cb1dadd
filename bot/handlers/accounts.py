"""``/meet link <login>``, ``/meet link @person <login>``, ``/meet unlink [@person]``."""

from __future__ import annotations

from bot.chat import Mention, UserRef
from bot.commands import LinkAccount, UnlinkAccount
from bot.context import Deps, Request
from bot.errors import UserError
from bot.people import mention_user
from bot.reply import Reply, Text


def _target(request: Request, mention_target: Mention | None) -> tuple[UserRef, str | None]:
    """Who is being linked, and their name for the reply (``None``: the speaker)."""
    if mention_target is not None:
        if not request.input.is_admin:
            raise UserError("error.link_others_admin_only")
        return mention_user(mention_target, request.input.user), mention_target.handle
    return request.input.user, None


def _said(request: Request, key: str, who: str | None, **params: object) -> Reply:
    if who is None:
        return Reply((Text(request.t(f"{key}_self", **params)),))
    return Reply((Text(request.t(f"{key}_other", who=who, **params)),))


async def handle_link(command: LinkAccount, request: Request, deps: Deps) -> Reply:
    user, who = _target(request, command.target)
    found = await deps.directory.find_by_login(command.login)
    if found is None:
        raise UserError("link.unknown_login", login=command.login)
    async with deps.uow() as uow:
        await uow.links.set(user, found.login, linked_by=request.input.user)
        await uow.commit()
    return _said(request, "link.done", who, login=found.login)


async def handle_unlink(command: UnlinkAccount, request: Request, deps: Deps) -> Reply:
    user, who = _target(request, command.target)
    async with deps.uow() as uow:
        removed = await uow.links.remove(user)
        await uow.commit()
    return _said(request, "unlink.done" if removed else "unlink.none", who)
