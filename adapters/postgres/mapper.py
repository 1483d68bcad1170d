"""A msgspec mapper: events to JSON bytes and back, with their types restored exactly.

Each event class gets a msgspec Struct generated from its dataclass fields, so decoding
is typed (Decimal, UUID, datetime and nested value objects come back as themselves) and
as fast as msgspec can go.
"""

from __future__ import annotations

import dataclasses
import gc
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from typing import Any, ClassVar

import msgspec
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic

_ENVELOPE = ("originator_id", "originator_version")
_encoder = msgspec.json.Encoder(decimal_format="string", uuid_format="canonical")


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a batch is decoded, folded and freed.

    A batch allocates some ten tracked objects an event and keeps them all till it is done,
    and none of them is garbage yet; the collector, run every 700 allocations, walked them
    again and again (decoding alone was five times slower). Once the batch is freed, the
    count of new objects is back where it was; whatever cyclic garbage was made meanwhile
    is collected when the collector next runs."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class MsgspecTranscoder(Transcoder):
    """Untyped JSON, for places that have no event class at hand (e.g. exports)."""

    def encode(self, obj: Any) -> bytes:
        return _encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return msgspec.json.decode(data)


@cache
def state_type(cls: type) -> tuple[type[msgspec.Struct], tuple[str, ...]]:
    """A Struct with the event's fields except the envelope (id and version are columns)."""
    hints = typing.get_type_hints(cls)
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    names = []
    for f in dataclasses.fields(cls):
        if f.name in _ENVELOPE or typing.get_origin(hints.get(f.name)) is ClassVar:
            continue
        names.append(f.name)
        if f.default is not dataclasses.MISSING:
            fields.append((f.name, hints[f.name], f.default))
        else:
            fields.append((f.name, hints[f.name]))
    fields.append(("class_version", int, 1))
    struct = msgspec.defstruct(f"{cls.__qualname__}State", fields, kw_only=True)
    return struct, tuple(names)


@cache
def _plan(topic: str) -> tuple[type, Callable[[bytes], Any], tuple[str, ...]]:
    """How to decode the state of a topic's events: its class, a decoder, its fields (looked
    up once per topic: a catching-up projector decodes tens of thousands a second)."""
    cls = resolve_topic(topic)
    struct, names = state_type(cls)
    if getattr(cls, "class_version", 1) == 1:
        return cls, msgspec.json.Decoder(struct).decode, names
    return cls, partial(MsgspecMapper._decode, cls, struct), names


class MsgspecMapper(Mapper):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__(transcoder=MsgspecTranscoder())

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(cls),
            state=_encoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return self.decode(stored_event.topic, stored_event.originator_id,
                           stored_event.originator_version, stored_event.state)

    def decode(self, topic: str, originator_id: Any, originator_version: int,
               state: bytes) -> Any:
        """``to_domain_event`` of a row's columns, without a ``StoredEvent`` made for it (the
        projector and the as-of replay decode tens of thousands a second)."""
        cls, decode, names = _plan(topic)
        try:
            values = decode(state)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            msg = f"cannot decode {topic} of {originator_id} v{originator_version}: {error}"
            raise MapperDeserialisationError(msg) from error
        fields = {name: getattr(values, name) for name in names}
        fields["originator_id"] = originator_id
        fields["originator_version"] = originator_version
        domain_event = object.__new__(cls)
        object.__setattr__(domain_event, "__dict__", fields)
        return domain_event

    @staticmethod
    def _decode(event_class: type, struct: type[msgspec.Struct], data: bytes) -> Any:
        target = getattr(event_class, "class_version", 1)
        if target == 1:
            return msgspec.json.decode(data, type=struct)
        # The stored shape may be older: upcast the plain dict step by step, then type it.
        raw = msgspec.json.decode(data)
        version = raw.pop("class_version", 1)
        while version < target:
            getattr(event_class, f"upcast_v{version}_v{version + 1}")(raw)
            version += 1
        raw["class_version"] = version
        return msgspec.convert(raw, type=struct, strict=False)
