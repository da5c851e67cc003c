"""Cheaper construction, encoding and decoding for our proto-plus message classes.

proto-plus converts every keyword argument through its marshal before it
builds the underlying protobuf, which makes ``Task(http_request=HttpRequest(
url=...))`` cost several times what the protobuf itself does.  Most calls
pass values that need no conversion at all: scalars, which the marshal hands
on unchanged anyway, and instances of a message field's own class.
:func:`install` gives each of our message classes a constructor that hands
such values straight to the protobuf and leaves everything else (dicts and
datetimes for message fields, lists, maps, a positional mapping, an unknown
name, anything the protobuf rejects) to proto-plus, so results and errors
are exactly proto-plus's.

:func:`codec` does the same for the gRPC (de)serializers: a message of the
exact class is encoded straight from its protobuf (as is that protobuf
itself, which the clients' fast paths send), and answers are wrapped
without proto-plus's checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import proto
from google.protobuf import message as pb_message
from proto.primitives import ProtoType

#: per message field: the Python types taken as they are (None), unwrapped or dropped
Accepts = dict[type, Any]

_MISSING: Any = object()
#: what ``None`` converts to: proto-plus takes it as "leave the field unset"
_DROP: Any = object()

_proto_init = proto.Message.__init__
_new: Any = object.__new__
_set: Any = object.__setattr__


class _Plan:
    """How one class builds from keywords: its protobuf class and what each field takes.

    ``scalars`` are the singular non-message fields. proto-plus hands their
    values to the protobuf unchanged (an enum member is an ``int`` already),
    so the protobuf's own checks are the only ones there are. ``messages``
    are the singular message fields, each with the value types taken as they
    are or unwrapped. Repeated, map and unresolved fields are in neither:
    naming one sends the whole call to proto-plus.
    """

    __slots__ = ("pb", "scalars", "messages")

    def __init__(self, cls: Any) -> None:
        self.pb = cls._meta.pb
        scalars = set()
        self.messages: dict[str, Accepts] = {}
        for name, field in cls._meta.fields.items():
            if field.repeated or isinstance(field, proto.MapField):
                continue
            if field.proto_type != ProtoType.MESSAGE:
                scalars.add(name)
                continue
            target = field.message
            if isinstance(target, type) and issubclass(target, proto.Message):
                self.messages[name] = {target: _UNWRAP, type(None): _DROP}
            elif isinstance(target, type) and issubclass(target, pb_message.Message):
                self.messages[name] = {target: None, type(None): _DROP}
        self.scalars = frozenset(scalars)


#: each class's plan, made on its first keyword construction
_PLANS: dict[type, _Plan] = {}


#: a proto-plus value handed on as its protobuf
_UNWRAP: Any = object()


def _params(plan: _Plan, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """``kwargs`` with message values unwrapped, or None when one needs proto-plus."""
    params = kwargs  # copied before the first change: the caller's dict is never changed
    scalars = plan.scalars
    messages = plan.messages
    for name, value in kwargs.items():
        if name in scalars:
            continue
        accepts = messages.get(name)
        if accepts is None:
            return None
        convert = accepts.get(type(value), _MISSING)
        if convert is _MISSING:
            return None
        if convert is None:
            continue
        if params is kwargs:
            params = dict(kwargs)
        if convert is _UNWRAP:
            params[name] = value._pb
        else:
            del params[name]  # _DROP
    return params


def _fast_init(
    self: Any, mapping: Any = None, *, ignore_unknown_fields: bool = False, **kwargs: Any
) -> None:
    if mapping is None and kwargs:
        cls = type(self)
        plan = _PLANS.get(cls)
        if plan is None:
            plan = _PLANS[cls] = _Plan(cls)
        params = kwargs if plan.scalars.issuperset(kwargs) else _params(plan, kwargs)
        if params is not None:
            try:
                self.__dict__["_pb"] = plan.pb(**params)
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
    raw = plus.pb()
    from_string = raw.FromString

    def serialize(msg: Any) -> bytes:
        if type(msg) is plus:
            return msg._pb.SerializeToString()  # type: ignore[no-any-return]
        if type(msg) is raw:  # what the clients' fast paths send
            return msg.SerializeToString()  # type: ignore[no-any-return]
        return general(msg)  # type: ignore[no-any-return]

    def deserialize(data: bytes) -> Any:
        instance = _new(plus)
        _set(instance, "_pb", from_string(data))
        return instance

    return serialize, deserialize
