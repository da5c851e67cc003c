"""Cheaper construction, encoding and decoding for our proto-plus message classes.

proto-plus converts every keyword argument through its marshal before it
builds the underlying protobuf, which makes ``Task(http_request=HttpRequest(
url=...))`` cost several times what the protobuf itself does.  Most calls
pass values that need no conversion at all: a ``str`` for a string field, an
``int`` for an integer, an instance of the field's own message class.
:func:`install` gives each of our message classes a constructor that hands
such values straight to the protobuf and leaves everything else (dicts,
datetimes, lists, maps, a positional mapping, a wrong type, an unknown name)
to proto-plus, so results and errors are exactly proto-plus's.

:func:`codec` does the same for the gRPC (de)serializers: a message of the
exact class is encoded straight from its protobuf, and answers are wrapped
without proto-plus's checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import proto
from google.protobuf import message as pb_message
from proto.primitives import ProtoType

#: per field: the Python types taken as they are (None), converted (a function) or dropped
Accepts = dict[type, Any]

_MISSING: Any = object()
#: what ``None`` converts to: proto-plus takes it as "leave the field unset"
_DROP: Any = object()
_INTEGERS = frozenset(
    {
        ProtoType.INT32,
        ProtoType.INT64,
        ProtoType.UINT32,
        ProtoType.UINT64,
        ProtoType.SINT32,
        ProtoType.SINT64,
        ProtoType.FIXED32,
        ProtoType.FIXED64,
        ProtoType.SFIXED32,
        ProtoType.SFIXED64,
    }
)
_PLAIN: dict[int, Accepts] = {
    ProtoType.STRING: {str: None},
    ProtoType.BYTES: {bytes: None},
    ProtoType.BOOL: {bool: None},
    ProtoType.DOUBLE: {float: None, int: None},
    ProtoType.FLOAT: {float: None, int: None},
    **{kind: {int: None} for kind in _INTEGERS},
}

#: each class's field table, made on its first keyword construction
_TABLES: dict[type, dict[str, Accepts]] = {}
_proto_init = proto.Message.__init__
_new: Any = object.__new__
_set: Any = object.__setattr__


def _unwrap(value: Any) -> Any:
    return value._pb


def _enum_value(value: Any) -> Any:
    return value.value


def _accepts(field: Any) -> Accepts | None:
    """What one field takes without conversion, or None when it always needs proto-plus."""
    if field.repeated or isinstance(field, proto.MapField):
        return None
    if field.proto_type == ProtoType.MESSAGE:
        cls = field.message
        if isinstance(cls, type) and issubclass(cls, proto.Message):
            return {cls: _unwrap}
        if isinstance(cls, type) and issubclass(cls, pb_message.Message):
            return {cls: None}
        return None
    if field.proto_type == ProtoType.ENUM:
        enum = field.enum
        return {int: None, enum: _enum_value} if isinstance(enum, type) else None
    return _PLAIN.get(field.proto_type)


def _table(cls: Any) -> dict[str, Accepts]:
    table = {}
    for name, field in cls._meta.fields.items():
        accepts = _accepts(field)
        if accepts is not None:
            table[name] = {**accepts, type(None): _DROP}
    return table


def _fast_init(
    self: Any, mapping: Any = None, *, ignore_unknown_fields: bool = False, **kwargs: Any
) -> None:
    if mapping is None and kwargs:
        cls = type(self)
        table = _TABLES.get(cls)
        if table is None:
            table = _TABLES[cls] = _table(cls)
        params = kwargs  # copied on the first value that changes
        for name, value in kwargs.items():
            accepts = table.get(name)
            if accepts is None:
                break
            convert: Any = accepts.get(type(value), _MISSING)
            if convert is None:
                continue
            if convert is _MISSING:
                break
            if params is kwargs:
                params = dict(kwargs)
            if convert is _DROP:
                del params[name]
            else:
                params[name] = convert(value)
        else:
            try:
                _set(self, "_pb", cls._meta.pb(**params))
                return
            except Exception:  # noqa: BLE001 - proto-plus below raises its own error
                pass
    _proto_init(self, mapping, ignore_unknown_fields=ignore_unknown_fields, **kwargs)


def _classes(namespace: Iterable[Any]) -> Iterable[type]:
    for obj in namespace:
        if isinstance(obj, type) and issubclass(obj, proto.Message) and obj is not proto.Message:
            yield obj
            yield from _classes(vars(obj).values())


def install(namespace: Iterable[Any]) -> None:
    """Give each proto-plus message class in ``namespace`` (and nested) the fast constructor."""
    for cls in _classes(namespace):
        type.__setattr__(cls, "__init__", _fast_init)


def wrap(cls: Any, pb: Any) -> Any:
    """A ``cls`` instance owning the protobuf ``pb`` (proto-plus ``cls.wrap`` without checks)."""
    instance = _new(cls)
    _set(instance, "_pb", pb)
    return instance


def codec(cls: Any) -> tuple[Callable[[Any], bytes], Callable[[bytes], Any]]:
    """Serializer and deserializer for a proto-plus class or a raw protobuf class."""
    if not (isinstance(cls, type) and issubclass(cls, proto.Message)):
        return cls.SerializeToString, cls.FromString
    plus: Any = cls
    general = plus.serialize
    from_string = plus.pb().FromString

    def serialize(msg: Any) -> bytes:
        if type(msg) is plus:
            return msg._pb.SerializeToString()  # type: ignore[no-any-return]
        return general(msg)  # type: ignore[no-any-return]

    def deserialize(data: bytes) -> Any:
        instance = _new(plus)
        _set(instance, "_pb", from_string(data))
        return instance

    return serialize, deserialize
