"""``/meet invite <id> @people`` and ``/meet uninvite <id> @people``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.commands import InvitePeople, UninvitePeople
from bot.context import Deps, Request
from bot.errors import BackendError
from bot.explain import backend_message
from bot.grammar import keys
from bot.grammar.manage import parse_invite, parse_uninvite
from bot.handlers.lookup import ensure_may_change, find_meeting
from bot.handlers.spec import CommandSpec
from bot.meeting import Invitee, Meeting
from bot.people import resolve_all
from bot.ports import Invitations
from bot.reply import Block, Reply, Text, Tone


def owners_among(found: Sequence[Invitee], owner_login: str) -> list[Invitee]:
    """Those named whose login owns the conference: the server has them on
    it as its owner already, and takes no invitation for them."""
    return [i for i in found if i.mapped and i.login == owner_login]


def owner_note(owners: Sequence[Invitee], meeting: Meeting, request: Request) -> Text:
    names = ", ".join(i.handle for i in owners)
    return Text(request.t("invite.owner", id=meeting.id, names=names), Tone.MUTED)


async def _add_one_by_one(
    conference_id: str, logins: list[str], invitations: Invitations | None
) -> tuple[list[str], BackendError | None]:
    """Add invitations in order, stopping at the first refusal, so that the
    bridge knows exactly which ones the server holds."""
    added: list[str] = []
    if invitations is None:  # a server without accounts: nobody to invite on it
        return added, None
    for login in logins:
        try:
            await invitations.add_invitations(conference_id, [login])
        except BackendError as exc:
            return added, exc
        added.append(login)
    return added, None


async def _store_invitees(
    deps: Deps, meeting: Meeting, change: Callable[[tuple[Invitee, ...]], tuple[Invitee, ...]]
) -> None:
    """``change`` applied to the invitees stored now: the meeting is read again
    in the writing transaction, so what changed it while the server and the
    directory were asked (an edit, another invite) is kept, not written over."""
    assert meeting.id is not None
    async with deps.uow() as uow:
        current = await uow.meetings.get_for_update(meeting.id) or meeting
        await uow.meetings.save(current.with_changes(invitees=change(current.invitees)))
        await uow.commit()


def _sort_out(
    found: tuple[Invitee, ...], meeting: Meeting, *, accounts: bool
) -> tuple[list[Invitee], list[Invitee], list[Invitee]]:
    """``found`` split into those already invited, those on the list whom the
    server still does not know, and the fresh ones to invite now.

    A name kept on the list unfound (its card says "not on the server") whom
    the server knows now is fresh: the server never had their invitation. One
    on the list still unfound is named as not found again, not as already
    invited (and not listed twice)."""
    listed = meeting.invitees
    if not accounts:
        handles = {i.handle for i in listed}
        already = [i for i in found if i.handle in handles]
        return already, [], [i for i in found if i not in already]
    mapped = {i.handle for i in listed if i.mapped}
    unmapped = {i.handle for i in listed if not i.mapped}
    logins = set(meeting.invited_logins)
    already = [i for i in found if i.handle in mapped or (i.mapped and i.login in logins)]
    still_unknown = [i for i in found if not i.mapped and i.handle in unmapped - mapped]
    fresh = [i for i in found if i not in already and i not in still_unknown]
    return already, still_unknown, fresh


async def handle_invite(command: InvitePeople, request: Request, deps: Deps) -> Reply:
    t = request.t
    # Reads only, and the directory lookups in between call the server: no
    # transaction (on SQLite, no write lock) is held open across them.
    async with deps.uow(transaction=False) as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        ensure_may_change(meeting, request)
        backend = deps.backend_named(meeting.backend)
        invitations = backend.invitations
        accounts = invitations is not None
        directory = deps.directory if accounts else None
        found = await resolve_all(command.invitees, request.input.user, uow.links, directory)
    already, still_unknown, fresh = _sort_out(found, meeting, accounts=accounts)
    owners = owners_among(fresh, meeting.owner_login)
    fresh = [i for i in fresh if i not in owners]
    new_logins = [i.login for i in fresh if i.mapped]
    added, failure = await _add_one_by_one(meeting.conference_id, new_logins, invitations)
    if failure is not None and not added:
        raise failure
    blocks: list[Block] = []
    if added and invitations is not None:
        conference = await backend.get(meeting.conference_id)
        if conference.is_running:
            await invitations.invite_now(meeting.conference_id, added)
            blocks.append(Text(t("invite.called"), Tone.MUTED))
    # Keep what the server now holds, even when a later invitation failed.
    kept = [i for i in fresh if not i.mapped or i.login in added]
    # Someone kept unfound earlier and found now (invited now, or already
    # under another name) is one person, not two.
    found_now = {i.handle for i in (*kept, *already, *owners) if i.mapped}

    def invite(stored: tuple[Invitee, ...]) -> tuple[Invitee, ...]:
        earlier = tuple(i for i in stored if i.mapped or i.handle not in found_now)
        return earlier + tuple(i for i in kept if i not in earlier)

    if kept or invite(meeting.invitees) != meeting.invitees:
        # People nobody could find stay on the meeting's list (its card names
        # them as not on the server), but the reply never calls them invited.
        await _store_invitees(deps, meeting, invite)
    invited = [i.handle for i in kept if i.mapped or not accounts]
    if invited:
        blocks.insert(0, Text(t("invite.done", id=meeting.id, names=", ".join(invited))))
    if failure is not None:
        missed = ", ".join(i.handle for i in fresh if i not in kept)
        reason = backend_message(failure, t)
        blocks.append(
            Text(t("invite.failed", id=meeting.id, names=missed, reason=reason), Tone.ERROR)
        )
    unmapped = [i.handle for i in (*fresh, *still_unknown) if not i.mapped]
    if unmapped and accounts:
        # Nobody invited at all is the command's failure; some invited, a note.
        tone = Tone.MUTED if invited else Tone.ERROR
        text = t("invite.not_found", names=", ".join(unmapped), id=meeting.id)
        blocks.append(Text(text, tone))
    if already:
        names = ", ".join(i.handle for i in already)
        blocks.append(Text(t("invite.already", id=meeting.id, names=names), Tone.MUTED))
    if owners:
        blocks.append(owner_note(owners, meeting, request))
    return Reply(tuple(blocks))


async def handle_uninvite(command: UninvitePeople, request: Request, deps: Deps) -> Reply:
    t = request.t
    # Reads only, with directory lookups between them (see handle_invite).
    async with deps.uow(transaction=False) as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        ensure_may_change(meeting, request)
        invitations = deps.backend_named(meeting.backend).invitations
        directory = deps.directory if invitations is not None else None
        # People are named as they were invited; only strangers need a lookup.
        invited_handles = {i.handle for i in meeting.invitees}
        strangers = tuple(m for m in command.invitees if m.handle not in invited_handles)
        found = await resolve_all(strangers, request.input.user, uow.links, directory)
    named = {m.handle for m in command.invitees}
    logins = {i.login for i in found if i.mapped}
    leaving = [i for i in meeting.invitees if i.handle in named or (i.mapped and i.login in logins)]
    for invitee in leaving:
        if invitations is not None and invitee.mapped and invitee.login != meeting.owner_login:
            await invitations.remove_invitation(meeting.conference_id, invitee.login)
    blocks: list[Block] = []
    if leaving:
        await _store_invitees(
            deps, meeting, lambda stored: tuple(i for i in stored if i not in leaving)
        )
        names = ", ".join(i.handle for i in leaving)
        blocks.append(Text(t("uninvite.done", id=meeting.id, names=names)))
    left_logins = {i.login for i in leaving if i.mapped}
    not_invited = [i.handle for i in found if not (i.mapped and i.login in left_logins)]
    blocks.extend(
        Text(t("uninvite.not_invited", id=meeting.id, name=name), Tone.MUTED)
        for name in not_invited
    )
    return Reply(tuple(blocks))


INVITE = CommandSpec(
    InvitePeople,
    "invite",
    handle_invite,
    keys.EX_INVITE,
    en=("invite", "add"),
    ru=("пригласить", "позвать", "добавить"),
    parse=parse_invite,
)
UNINVITE = CommandSpec(
    UninvitePeople,
    "uninvite",
    handle_uninvite,
    keys.EX_UNINVITE,
    en=("uninvite", "remove"),
    ru=("убрать", "исключить"),
    parse=parse_uninvite,
)
