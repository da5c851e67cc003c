"""The static shape of a proto-plus message, for type checkers only.

proto-plus ships no type information, so to a checker every class deriving
from ``proto.Message`` derives from ``Any``: any keyword builds it, any
attribute reads as ``Any``, and any message passes where another is
expected.  The ``.pyi`` stubs of our ``types`` modules (written by
``scripts/gen_stubs.py``) derive from :class:`Message` below instead.  There
is no run-time module of this name; at run time the classes derive from
``proto.Message`` as before.

What proto-plus offers on the class (``Task.to_dict(task)``, ``Task.pb()``,
``Task.meta``) is declared on :class:`MessageMeta`, as it is at run time, so
a checker also refuses ``task.to_dict(...)`` on an instance, which fails at
run time.
"""

import datetime
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, ClassVar, TypeAlias, TypeVar, overload

from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

# unbound: a metaclass method's ``cls`` may only be typed ``type[T]`` for a plain T
_M = TypeVar("_M")

# What proto-plus takes for a field of these well-known types (and None, to clear it):
# besides the protobuf message, a datetime / timedelta or the JSON string form
# ("2025-01-31T12:00:00Z", "3.5s", "name,retryConfig.maxAttempts").
TimestampArg: TypeAlias = datetime.datetime | timestamp_pb2.Timestamp | str
DurationArg: TypeAlias = datetime.timedelta | duration_pb2.Duration | str
FieldMaskArg: TypeAlias = field_mask_pb2.FieldMask | str

class MessageInfo:
    """What ``Cls.meta`` holds: the message's fields, names and protobuf class."""

    package: str
    full_name: str
    fields: OrderedDict[str, Any]
    fields_by_number: OrderedDict[int, Any]
    marshal: Any
    options: Any
    @property
    def pb(self) -> Any: ...

class MessageMeta(type):
    @property
    def meta(cls) -> MessageInfo: ...
    # The protobuf class behind a message is built at run time from its descriptor, so
    # no checker knows its fields: pb() is Any, as the emulator's raw-protobuf code needs.
    @overload
    def pb(cls) -> Any: ...
    @overload
    def pb(cls: type[_M], obj: _M | Mapping[str, Any], *, coerce: bool = False) -> Any: ...
    def wrap(cls: type[_M], pb: Any) -> _M: ...
    def serialize(cls: type[_M], instance: _M | Mapping[str, Any]) -> bytes: ...
    def deserialize(cls: type[_M], payload: bytes) -> _M: ...
    def to_json(
        cls: type[_M],
        instance: _M | Mapping[str, Any],
        *,
        use_integers_for_enums: bool = True,
        including_default_value_fields: bool | None = None,
        preserving_proto_field_name: bool = False,
        sort_keys: bool = False,
        indent: int | None = 2,
        float_precision: int | None = None,
        always_print_fields_with_no_presence: bool | None = None,
    ) -> str: ...
    def from_json(
        cls: type[_M], payload: str | bytes, *, ignore_unknown_fields: bool = False
    ) -> _M: ...
    def to_dict(
        cls: type[_M],
        instance: _M | Mapping[str, Any],
        *,
        use_integers_for_enums: bool = True,
        preserving_proto_field_name: bool = True,
        including_default_value_fields: bool | None = None,
        float_precision: int | None = None,
        always_print_fields_with_no_presence: bool | None = None,
    ) -> dict[str, Any]: ...
    def copy_from(cls: type[_M], instance: _M, other: _M | Mapping[str, Any]) -> None: ...

class Message(metaclass=MessageMeta):
    """A proto-plus message: fields as attributes, compared by value, not hashable."""

    _pb: Any
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(
        self,
        mapping: Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        **kwargs: Any,
    ) -> None: ...
    def __bool__(self) -> bool: ...
    def __contains__(self, key: str) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __getstate__(self) -> bytes: ...
    def __setstate__(self, value: bytes) -> None: ...
