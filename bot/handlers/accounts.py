"""``/meet link <login>``, ``/meet link @person [<login>]``, ``/meet unlink [@person]``.

The linking policy: nobody gets someone else's TrueConf account without an
admin's consent, because a link makes the person the owner of the meetings
they create and invites that account wherever they are mentioned. A link is
bot-wide, so the consent is a bridge admin's (``bot.policy``):

- A bridge admin (or, in Slack, an admin of the workspace) links anyone,
  themselves included, at once: ``/meet link @person <login>``.
- Anyone else who asks for a login, a chat's admin included, gets a
  *pending* link: it invites nobody and owns nothing until a bridge admin
  approves it, with the button under the request or with ``/meet link
  @person`` (no login: "what they asked for"). The person is answered
  privately; the request, with its button, goes to the bridge admins alone.
- A person can withdraw their request or link at any time: ``/meet unlink``.

Every request, approval, link and removal is written to the audit log, with
who did it, in the transaction that makes the change: that line is the
command's one (``link.request``, ``link.approve``, ``link.set``,
``link.remove``); a command that changes nothing keeps its plain ``link`` or
``unlink`` line, with its outcome.
"""

from __future__ import annotations

from bot.chat import Mention, UserRef
from bot.commands import LinkAccount, UnlinkAccount
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.grammar.manage import parse_link, parse_unlink
from bot.handlers.spec import Button, CommandSpec
from bot.people import mention_user
from bot.policy import may_link_others
from bot.ports import LinkRecord
from bot.reply import Action, ActionKind, Actions, Reply, Text, Tone, Visibility


async def _stored(
    request: Request, deps: Deps, mention: Mention
) -> tuple[UserRef, LinkRecord | None]:
    """The person a mention names (as stored, when a link or request exists)."""
    if not may_link_others(request.role):
        raise UserError("error.link_others_admin_only")
    named = mention_user(mention, request.input.user)
    async with deps.uow() as uow:
        record = await uow.links.find(named)
    return (record.user if record else named), record


def _name(user: UserRef) -> str:
    return user.display_name or user.handle or user.user_id


async def _known_login(login: str, deps: Deps) -> str:
    if deps.directory is None:
        raise UserError("link.no_directory")
    found = await deps.directory.find_by_login(login)
    if found is None:
        raise UserError("link.unknown_login", login=login)
    return found.login


async def _save(
    request: Request, deps: Deps, user: UserRef, login: str, *, pending: bool, event: str
) -> None:
    by = request.input.user
    async with deps.uow() as uow:
        await uow.links.set(user, login, linked_by=by, pending=pending)
        # This line is the command's own, named for what it did (a request, an
        # approval, a link): the service writes no second, bare ``link`` line.
        request.audit.take()
        await uow.audit.record(
            chat=request.input.chat, user=by, command=event, outcome="ok", detail=_whom(user, login)
        )
        await uow.commit()


def _whom(user: UserRef, login: str = "") -> str:
    """The audit's detail: whose link, to which login."""
    return f"{user.key} -> {login}" if login else user.key


async def handle_link(command: LinkAccount, request: Request, deps: Deps) -> Reply:
    t = request.t
    speaker = request.input.user
    if command.target is not None:
        user, record = await _stored(request, deps, command.target)
        if command.login:
            login, event = await _known_login(command.login, deps), "link.set"
        elif record is not None and record.pending:
            # The admin approves what the person asked for.
            login, event = record.login, "link.approve"
        else:
            raise UserError("link.nothing_pending", who=_name(user))
        await _save(request, deps, user, login, pending=False, event=event)
        return Reply((Text(t("link.done_other", who=_name(user), login=login)),))
    login = await _known_login(command.login, deps)
    if may_link_others(request.role):
        await _save(request, deps, speaker, login, pending=False, event="link.set")
        return Reply((Text(t("link.done_self", login=login)),))
    await _save(request, deps, speaker, login, pending=True, event="link.request")
    # The login asked for is the requester's business and the admins': the
    # requester is answered privately, the request goes to the admins alone.
    person = Mention(speaker.user_id, speaker.user_id)
    approve = Action(
        ActionKind.APPROVE_LINK,
        t("link.approve"),
        0,
        subject=speaker.user_id,
        command=LinkAccount("", person),
    )
    text = t("link.pending", who=_name(speaker), login=login)
    return Reply(
        (Text(t("link.pending_private", login=login), Tone.MUTED),),
        Visibility.PRIVATE,
        admin_notes=(Reply((Text(text), Actions((approve,)))),),
    )


async def handle_unlink(command: UnlinkAccount, request: Request, deps: Deps) -> Reply:
    t = request.t
    if command.target is not None:
        user, _ = await _stored(request, deps, command.target)
        key, who = "unlink.{}_other", _name(user)
    else:
        user, key, who = request.input.user, "unlink.{}_self", ""
    async with deps.uow() as uow:
        removed = await uow.links.remove(user)
        if removed:
            request.audit.take()  # the command's own line, as a link's (``_save``)
            await uow.audit.record(
                chat=request.input.chat,
                user=request.input.user,
                command="link.remove",
                outcome="ok",
                detail=_whom(user),
            )
        await uow.commit()
    return Reply((Text(t(key.format("done" if removed else "none"), who=who)),))


def _approval_args(command: LinkAccount) -> tuple[str, ...]:
    if command.login or command.target is None or not command.target.user_id:
        raise ValueError("only approving a person's own request is a button")
    return (command.target.user_id,)


def _approval(args: tuple[str, ...]) -> LinkAccount | None:
    # The person as a resolved mention: the same the grammar reads from <@id|id>.
    return LinkAccount("", Mention(args[0], args[0])) if len(args) == 1 else None


# The button under a link request: an admin approves what the person asked for.
APPROVE = Button("ok", _approval_args, _approval)

LINK = CommandSpec(
    LinkAccount,
    "link",
    handle_link,
    keys.EX_LINK,
    en=("link",),
    ru=("связать", "привязать"),
    parse=parse_link,
    button=APPROVE,
)
UNLINK = CommandSpec(
    UnlinkAccount,
    "unlink",
    handle_unlink,
    keys.EX_UNLINK,
    en=("unlink",),
    ru=("отвязать",),
    parse=parse_unlink,
)
