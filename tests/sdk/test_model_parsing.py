"""The compiled model parsers and the record-by-record parsing of auto-paginating walks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from claude_compliance import (
    Activity,
    APIResponseValidationError,
    Chat,
    ChatMetadata,
    Model,
    ModelValidationError,
    UnionModel,
    UserActor,
    unreadable_records,
)
from claude_compliance.emulator.server import EmulatorServer


@dataclasses.dataclass(kw_only=True)
class Shape(UnionModel):
    type: str
    name: str


@dataclasses.dataclass(kw_only=True)
class Circle(Shape, discriminator="circle"):
    radius: float


@dataclasses.dataclass(kw_only=True)
class Drawing(Model):
    title: str
    main: Shape
    shapes: list[Shape] | None = None
    tags: list[str] = dataclasses.field(default_factory=list)
    note: str | None = None


def test_known_unknown_absent_and_null_fields() -> None:
    record = {"title": "t", "main": {"type": "circle", "name": "c", "radius": 2}, "note": None}
    drawing = Drawing.from_dict(record)
    assert isinstance(drawing.main, Circle) and drawing.main.radius == 2
    assert drawing.shapes is None and drawing.tags == [] and drawing.note is None
    assert drawing.to_dict() == record  # absent stays absent, null stays null
    drawing.tags.append("x")
    assert Drawing.from_dict(record).tags == []  # defaults are not shared between records
    full = {**record, "shapes": [{"type": "circle", "name": "a", "radius": 1}, "?"], "tags": []}
    parsed = Drawing.from_dict({**full, "z": 1, "a": [1]})
    assert parsed.extra == {"z": 1, "a": [1]} and list(parsed.extra) == ["z", "a"]
    assert isinstance(parsed.shapes[0], Circle) and parsed.shapes[1] == "?"  # type: ignore[index]
    assert parsed.to_dict() == {**full, "z": 1, "a": [1]}


def test_parsed_equals_constructed() -> None:
    record = {"type": "circle", "name": "c", "radius": 1.5}
    assert Shape.from_dict(record) == Circle(type="circle", name="c", radius=1.5)
    assert Circle(type="circle", name="c", radius=1.5).to_dict() == record


def test_missing_required_field_and_wrong_shapes() -> None:
    with pytest.raises(ModelValidationError, match="Drawing record lacks the field 'main'"):
        Drawing.from_dict({"title": "t"})
    with pytest.raises(ModelValidationError, match="Circle record lacks the field 'radius'"):
        Shape.from_dict({"type": "circle", "name": "c"})
    with pytest.raises(ModelValidationError, match="expects a JSON object, got array"):
        Drawing.from_dict([1, 2])  # type: ignore[arg-type]


def test_unknown_variant_and_a_variant_asked_for_directly() -> None:
    square = Shape.from_dict({"type": "square", "name": "s", "side": 3})
    assert type(square) is Shape and square.extra == {"side": 3}
    # Asking a variant for a record of another type parses that variant's fields only.
    with pytest.raises(ModelValidationError, match="radius"):
        Circle.from_dict({"type": "square", "name": "s"})


def test_a_variant_registered_later_is_picked_up() -> None:
    @dataclasses.dataclass(kw_only=True)
    class Family(UnionModel):
        type: str

    record = {"type": "late", "size": 1}
    assert type(Family.from_dict(record)) is Family  # compiled before the variant exists

    @dataclasses.dataclass(kw_only=True)
    class Late(Family, discriminator="late"):
        size: int

    assert type(Family.from_dict(record)) is Late
    holder = Drawing.from_dict({"title": "t", "main": {"type": "circle", "name": "c", "radius": 1}})
    assert isinstance(holder.main, Circle)


def test_post_init_runs() -> None:
    @dataclasses.dataclass(kw_only=True)
    class Normalised(Model):
        email: str

        def __post_init__(self) -> None:
            self.email = self.email.lower()

    assert Normalised.from_dict({"email": "A@B.example"}).email == "a@b.example"


def test_any_mapping_is_accepted() -> None:
    class Frozen(Mapping[str, Any]):
        def __init__(self, data: dict[str, Any]) -> None:
            self._data = data

        def __getitem__(self, key: str) -> Any:
            return self._data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    actor = {"type": "user_actor", "email_address": "e", "user_id": "u"}
    actor |= {"ip_address": "i", "user_agent": "a"}
    record = {"id": "a", "created_at": "c", "type": "t", "actor": Frozen(actor), "x": 1}
    activity = Activity.from_dict(Frozen(record))
    assert isinstance(activity.actor, UserActor) and activity.extra == {"x": 1}


def test_chat_inherits_metadata_parsing() -> None:
    metadata = {
        "id": "claude_chat_x",
        "name": "",
        "created_at": "c",
        "updated_at": "u",
        "organization_id": "org_x",
        "organization_uuid": "uuid",
        "href": "https://claude.ai/chat/x",
        "user": {"id": "user_x", "email_address": "x@example.com"},
    }
    chat = Chat.from_dict({**metadata, "chat_messages": [], "has_more": False})
    assert isinstance(chat, ChatMetadata) and chat.user and chat.user.id == "user_x"
    assert chat.to_dict() == {**metadata, "chat_messages": [], "has_more": False}
    # A Rev J chat body: no has_more (messages were not paginated then).
    old = Chat.from_dict({**metadata, "chat_messages": []})
    assert old.has_more is None and "has_more" not in old.to_dict()
    with pytest.raises(ModelValidationError, match="'id'"):
        Chat.from_dict({k: v for k, v in metadata.items() if k != "id"})


GOOD = {
    "id": "activity_good",
    "created_at": "2026-01-01T00:00:00Z",
    "organization_id": None,
    "organization_uuid": None,
    "type": "user_logged_out",
    "actor": {"type": "system_actor", "service": None},
}


async def test_an_unreadable_record_is_set_aside_and_the_walk_goes_on(
    make_api: Any, make_emulator: Any
) -> None:
    server: EmulatorServer = make_emulator()
    api = make_api(server=server)
    unreadable = [{"created_at": "2026-01-01T00:00:00Z"}, "not an object"]
    page = {"data": [GOOD, unreadable[0], {**GOOD, "id": "activity_2"}, unreadable[1]]}
    page |= {"has_more": False, "first_id": "a", "last_id": "b"}
    server.script_faults("GET", "/v1/compliance/activities", {"status": 200, "body": page})
    with unreadable_records() as skipped:
        walked = [activity.id async for activity in api.activities.iter()]
    assert walked == ["activity_good", "activity_2"]  # the rest of the page still comes
    assert skipped == unreadable  # exactly as served, in order
    server.script_faults("GET", "/v1/compliance/activities", {"status": 200, "body": page})
    listed = await api.activities.list()
    assert [a.id for a in listed.data] == walked and listed.unreadable == unreadable


async def test_a_page_that_is_not_a_page(make_api: Any, make_emulator: Any) -> None:
    server: EmulatorServer = make_emulator()
    api = make_api(server=server)
    server.script_faults(
        "GET", "/v1/compliance/apps/chats", {"status": 200, "body": {"data": {"not": "a list"}}}
    )
    with pytest.raises(APIResponseValidationError, match="not a list"):
        [c async for c in api.chats.iter()]
