"""``/meet list mine``: the person's next meetings in every chat of the
workspace (created, or invited by their account or as their server login),
soonest first, each with its actions, to the person alone. Messengers show
it where there is no chat to list (Slack's App Home)."""

from __future__ import annotations

from bot.cards import card_actions, list_line
from bot.context import Deps, Request
from bot.meeting import BackendFeatures
from bot.people import linked_login
from bot.ports import features_of
from bot.reply import Actions, Block, Reply, Text, Title, Tone, Visibility
from bot.states import is_over, start_order

# App Home and chats alike stay readable; later ones are in each chat's list.
MAX_MEETINGS = 20


async def handle_my_meetings(request: Request, deps: Deps, *, everything: bool = False) -> Reply:
    t = request.t
    now = request.now
    speaker = request.input.user
    async with deps.uow(transaction=False) as uow:
        # Read with the command's settings already (the speaker is always asked about).
        login = await linked_login(speaker, uow.links, request.logins)
        stored = await uow.meetings.list_for_user(speaker, login)
    meetings = sorted(
        (m for m in stored if everything or not is_over(m, now)),
        key=lambda m: start_order(m, now),
    )
    if not meetings:
        return Reply((Text(t("list.mine_empty")),), Visibility.PRIVATE)
    blocks: list[Block] = [Title(t("list.mine_title"))]
    # A press runs in the chat it is made in: another chat's meeting gets no
    # buttons there (they could only answer "no such meeting"), unless the
    # messenger takes the press to the meeting's own chat.
    capabilities = request.audience.capabilities
    reach_all = capabilities.presses_find_meeting
    # This answer is private: asked in a group of a messenger without
    # ephemeral messages (Telegram, TrueConf chat), it lands in the person's
    # private chat, where no meeting of the group is found; so none is "here".
    lands_here = request.input.is_private_chat or capabilities.ephemeral
    elsewhere = False
    for meeting in meetings[:MAX_MEETINGS]:
        assert meeting.id is not None
        backend = deps.backends.get(meeting.backend)
        features = features_of(backend) if backend is not None else BackendFeatures()
        mine = meeting.creator.key == speaker.key
        offered = card_actions(
            meeting, request.audience, features, request.card_buttons, may_change=mine
        )
        # A line has no join links to open (its card has): only what a press runs.
        presses = tuple(action for action in offered if action.command is not None)
        if not reach_all and (not lands_here or meeting.chat != request.input.chat):
            elsewhere = elsewhere or bool(presses)
            presses = ()
        blocks += [Text(list_line(meeting, request.audience)), Actions(presses)]
    if len(meetings) > MAX_MEETINGS:
        blocks.append(Text(t("list.mine_more", count=len(meetings) - MAX_MEETINGS), Tone.MUTED))
    if elsewhere:
        blocks.append(Text(t("list.mine_elsewhere"), Tone.MUTED))
    # The person's meetings of every chat, private ones too: for them alone,
    # wherever they ask (a group hears nothing of other chats' meetings).
    return Reply(tuple(blocks), Visibility.PRIVATE)
