"""A core wired for reminder tests: memory store, fake clock, recording messenger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.chat import ChatRef, Platform, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.context import Defaults, Deps
from bot.errors import DeliveryError
from bot.meeting import Meeting
from bot.messengers import Messengers
from bot.ports.ledger import ClaimedAction, PlannedAction
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reply import Capabilities, Reply
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, FakeDirectory, MemoryUnitOfWorkFactory

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday
CHAT = ChatRef("console", "local", "room")


@dataclass
class RecordingMessenger:
    """Keeps what it was given; ``refuse`` makes the next sends fail."""

    sent: list[tuple[ChatRef, Reply]] = field(default_factory=list)
    refuse: list[DeliveryError] = field(default_factory=list)
    shows: Capabilities = field(default_factory=Capabilities)

    @property
    def platform(self) -> Platform:
        return "console"

    deliverable = True  # any process posts through it

    @property
    def capabilities(self) -> Capabilities:
        return self.shows

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        if self.refuse:
            raise self.refuse.pop(0)
        self.sent.append((chat, reply))

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        await self.send(chat, reply)  # reminders edit nothing; kept like a send


@dataclass
class FakeRooms:
    """A ``RoomActivation`` that keeps each room's state."""

    active: dict[str, bool] = field(default_factory=dict)

    async def set_active(self, conference_id: str, active: bool) -> None:
        self.active[conference_id] = active


@dataclass
class Core:
    service: CommandService
    deps: Deps
    uow: MemoryUnitOfWorkFactory
    clock: FrozenClock
    messenger: RecordingMessenger
    rooms: FakeRooms
    performer: ActionPerformer

    async def say(self, text: str, *, user: str = "helen") -> Reply:
        command = CommandInput(text=text, chat=CHAT, user=UserRef("console", "local", user, user))
        return await self.service.handle(command, Capabilities())

    def ledger(self, meeting_id: int = 1) -> dict[PlannedAction, str]:
        return {a: s for (m, a), s in self.uow.state.ledger.items() if m == meeting_id}

    def meeting(self, meeting_id: int = 1) -> Meeting:
        return self.uow.state.meetings[meeting_id]

    def claim(
        self,
        action: PlannedAction,
        meeting_id: int = 1,
        attempts: int = 1,
        *,
        attended: bool = False,
    ) -> ClaimedAction:
        return ClaimedAction(
            id=1,
            meeting_id=meeting_id,
            kind=action.kind,
            occurrence_start=action.occurrence_start,
            offset=action.offset,
            recipient=action.recipient,
            fire_at=action.fire_at,
            attempts=attempts,
            attended=attended,
        )


def make_core(
    *, callaba: bool = False, policy: DeliveryPolicy | None = None, zone: str = "Europe/Moscow"
) -> Core:
    backend: FakeBackend = FakeCallaba("callaba") if callaba else FakeBackend("trueconf")
    rooms = FakeRooms()
    uow = MemoryUnitOfWorkFactory()
    clock = FrozenClock(NOW)
    deps = Deps(
        backends={backend.name: backend},
        default_backend=backend.name,
        directory=FakeDirectory([]),
        uow=uow,
        clock=clock,
        defaults=Defaults(
            zone=zone,
            lang="en",
            duration=timedelta(hours=1),
            owner_login="helen",
            server_zone=zone,
            reminders=(timedelta(minutes=10),),
        ),
        activation={"callaba": rooms} if callaba else {},
        activation_lead=timedelta(minutes=5),
    )
    messenger = RecordingMessenger()
    messengers = Messengers()
    messengers.register(messenger)
    performer = ActionPerformer(deps, messengers, policy or DeliveryPolicy())
    return Core(CommandService(deps), deps, uow, clock, messenger, rooms, performer)
