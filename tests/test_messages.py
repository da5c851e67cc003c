"""Our message classes build, encode and decode exactly as proto-plus does.

Each class of every version gets a constructor that skips proto-plus's
marshal for values that need no conversion (``google.cloud.tasks._core.messages``).
These tests build every field of every class both ways, with the values a
caller passes (plain ones, message instances, enums, ``None``, and values
that proto-plus must convert or reject), and compare the protobufs, or the
errors, that come out.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from typing import Any

import proto
import pytest
from google.protobuf import duration_pb2, timestamp_pb2
from proto.primitives import ProtoType

from google.cloud.tasks._core import messages

VERSIONS = ("tasks_v2", "tasks_v2beta3", "tasks_v2beta2")


def _classes() -> Iterator[tuple[str, type[proto.Message]]]:
    for version in VERSIONS:
        types = importlib.import_module(f"google.cloud.{version}.types")
        for name in types.__all__:
            cls = getattr(types, name)
            if issubclass(cls, proto.Message):
                yield f"{version}.{name}", cls


CLASSES = dict(_classes())


def _general(cls: type[proto.Message], *args: Any, **kwargs: Any) -> Any:
    """Build through proto-plus's own constructor, bypassing ours."""
    instance = cls.__new__(cls)
    proto.Message.__init__(instance, *args, **kwargs)
    return instance


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        return "ok", build()._pb
    except Exception as exc:  # noqa: BLE001 - the comparison is the test
        return type(exc).__name__, str(exc)


def _values(field: Any) -> list[Any]:
    """Values worth passing to one field: plain, converted by proto-plus, wrong, None."""
    kind = field.proto_type
    if field.repeated or isinstance(field, proto.MapField):
        return [None]
    if kind == ProtoType.MESSAGE:
        cls = field.message
        if cls is timestamp_pb2.Timestamp:
            return [
                timestamp_pb2.Timestamp(seconds=1_700_000_000, nanos=5),
                datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
                "not a time",
                None,
            ]
        if cls is duration_pb2.Duration:
            return [duration_pb2.Duration(seconds=30), datetime.timedelta(seconds=7), 3, None]
        if issubclass(cls, proto.Message):
            return [cls(), cls.pb()(), {}, "wrong", None]
        return [cls(), {}, "wrong", None]
    if kind == ProtoType.ENUM:
        members = list(field.enum)
        return [1, members[-1], members[-1].name, 2**40, "NO_SUCH_VALUE", 1.5, None]
    if kind == ProtoType.STRING:
        return ["text", "", "caf\u00e9", b"bytes", 7, None]
    if kind == ProtoType.BYTES:
        return [b"\x00\xffdata", b"", "text", 7, None]
    if kind == ProtoType.BOOL:
        return [True, False, 1, "yes", None]
    if kind in (ProtoType.DOUBLE, ProtoType.FLOAT):
        return [1.5, 3, True, "x", None]
    return [5, -1, 2**70, 1.5, True, "5", None]


CASES = [
    pytest.param(cls, name, value, id=f"{label}.{name}[{i}]")
    for label, cls in CLASSES.items()
    for name, field in cls._meta.fields.items()
    for i, value in enumerate(_values(field))
]


@pytest.mark.parametrize(("cls", "name", "value"), CASES)
def test_each_field_builds_as_proto_plus_does(cls: Any, name: str, value: Any) -> None:
    ours = _outcome(lambda: cls(**{name: value}))
    theirs = _outcome(lambda: _general(cls, **{name: value}))
    assert ours == theirs


@pytest.mark.parametrize("cls", CLASSES.values(), ids=list(CLASSES))
def test_every_class_builds_all_fields_at_once_as_proto_plus_does(cls: Any) -> None:
    # every field at once, each with its first value: plain values only
    kwargs = {name: _values(field)[0] for name, field in cls._meta.fields.items()}
    kwargs = {name: value for name, value in kwargs.items() if value is not None}
    assert _outcome(lambda: cls(**kwargs)) == _outcome(lambda: _general(cls, **kwargs))


def test_nested_message_is_copied_not_shared() -> None:
    from google.cloud import tasks_v2

    inner = tasks_v2.HttpRequest(url="https://example.com/a")
    task = tasks_v2.Task(http_request=inner, name="t")
    inner.url = "https://example.com/changed"
    assert task.http_request.url == "https://example.com/a"
    assert task.name == "t"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"no_such_field": "x"}, ValueError),
        ({"no_such_field": None}, ValueError),
        ({"name": 3}, TypeError),
        ({"http_request": "https://example.com"}, TypeError),
        ({"dispatch_count": 2**40}, ValueError),
    ],
)
def test_bad_values_raise_what_proto_plus_raises(kwargs: dict[str, Any], error: type) -> None:
    from google.cloud import tasks_v2

    with pytest.raises(error) as ours:
        tasks_v2.Task(**kwargs)
    with pytest.raises(error) as theirs:
        _general(tasks_v2.Task, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_mapping_and_message_arguments_still_work() -> None:
    from google.cloud import tasks_v2

    plain = tasks_v2.Task(name="a", dispatch_count=2)
    assert tasks_v2.Task({"name": "a", "dispatch_count": 2}) == plain
    assert tasks_v2.Task(plain) == plain
    assert tasks_v2.Task(tasks_v2.Task.pb(plain)) == plain
    assert tasks_v2.Task({"name": "a"}, dispatch_count=2) == plain
    assert tasks_v2.Task(name="a", bogus=1, ignore_unknown_fields=True) == tasks_v2.Task(name="a")
    assert tasks_v2.Task() == tasks_v2.Task.wrap(tasks_v2.Task.pb()())


@pytest.mark.parametrize("cls", CLASSES.values(), ids=list(CLASSES))
def test_codec_round_trips_like_proto_plus(cls: Any) -> None:
    serialize, deserialize = messages.codec(cls)
    kwargs = {name: _values(field)[0] for name, field in cls._meta.fields.items()}
    sample = cls(**{name: value for name, value in kwargs.items() if value is not None})
    data = serialize(sample)
    assert data == cls.serialize(sample)
    back = deserialize(data)
    assert type(back) is cls
    assert back == cls.deserialize(data) == sample
    # anything proto-plus's serializer takes, ours takes too
    assert serialize(cls.pb(sample)) == data
    assert serialize({}) == cls.serialize({}) == b""
