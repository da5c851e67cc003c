"""Write the ``.pyi`` stubs that show type checkers what our message classes are.

The message modules (``google/cloud/tasks_{v2,v2beta3,v2beta2}/types/*.py``)
declare proto-plus classes, and proto-plus is untyped: to mypy or pyright
each class derives from ``Any``, so ``Task(nme="typo")`` or a ``Queue``
passed as a task goes unnoticed.  This script imports those modules, reads
each class's fields from proto-plus (``cls._meta.fields``) and writes a
stub next to each module: one per module, per version, all from this one
description of what proto-plus does with a field.  The stubs change nothing
at run time.

What a field reads back as, and what it accepts (in the constructor and in
assignment), mirrors proto-plus's marshal:

=================  ===========================  ==========================================
field              reads as                     accepts
=================  ===========================  ==========================================
string, bytes,     its Python type              the same (``None`` too for a proto3
int, bool, double  (``float`` for double)       ``optional`` field: it clears presence)
enum ``E``         ``E``                        ``E``, an ``int``, or a member's name
message ``M``      ``M`` (empty if unset)       ``M``, a ``dict`` of its fields, ``None``
Timestamp          ``datetime`` or ``None``     ``datetime``, ``Timestamp``, RFC 3339
                   when unset                   ``str``, ``None``
Duration           ``timedelta``                ``timedelta``, ``Duration``, ``"3.5s"``,
                                                ``None``
FieldMask          ``FieldMask``                ``FieldMask``, its JSON form
                                                (``"rateLimits,state"``), ``None``
other protobuf     that class                   that class, ``None``
repeated ``X``     ``MutableSequence[X]``       a list or tuple of what ``X`` accepts
map ``K -> V``     ``MutableMapping[K, V]``     any ``Mapping[K, V]``
=================  ===========================  ==========================================

(The ``datetime`` read back is proto-plus's ``DatetimeWithNanoseconds``, a
subclass.)  Other scalar fields refuse ``None``, which proto-plus would
quietly store as the zero value.  Constructors are keyword-only after proto-plus's positional
``mapping`` (a dict or an instance of the same class) and
``ignore_unknown_fields``.  The common base, :mod:`google.cloud.tasks._message`
(hand-written, a stub only), carries what proto-plus gives every message.

Run ``python scripts/gen_stubs.py`` after changing a message module;
``python scripts/gen_stubs.py --check`` (and ``tests/test_stubs_current.py``)
fails when a stub on disk is not what this script would write.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import _generated  # scripts/, beside this file
import proto
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2
from proto.primitives import ProtoType

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("v2", "v2beta3", "v2beta2")
WIDTH = 100
INDENT = "    "

SCALARS = {
    ProtoType.DOUBLE: "float",
    ProtoType.FLOAT: "float",
    ProtoType.INT64: "int",
    ProtoType.UINT64: "int",
    ProtoType.INT32: "int",
    ProtoType.FIXED64: "int",
    ProtoType.FIXED32: "int",
    ProtoType.BOOL: "bool",
    ProtoType.STRING: "str",
    ProtoType.BYTES: "bytes",
    ProtoType.UINT32: "int",
    ProtoType.SFIXED32: "int",
    ProtoType.SFIXED64: "int",
    ProtoType.SINT32: "int",
    ProtoType.SINT64: "int",
}

#: names a stub uses unqualified: a field of the same name would shadow one in its class
RESERVED = {"Any", "Literal", "Mapping", "MutableMapping", "MutableSequence", "Sequence"}
RESERVED |= {"TypeAlias", "str", "bytes", "int", "bool", "float", "dict", "None"}
RESERVED |= {"self", "mapping", "ignore_unknown_fields"}


@dataclass(frozen=True)
class Shape:
    """A field's static types: what reading it gives, and what it accepts."""

    read: str
    accepts: str

    @property
    def accepts_value(self) -> str:
        """``accepts`` without ``None``: what an element of a repeated field may be."""
        return self.accepts.removesuffix(" | None")


class Stub:
    """One stub being written: its imports, enum aliases and lines."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.package = module.__name__.rpartition(".")[0]
        self.typing: set[str] = set()
        self.abc: set[str] = set()
        self.stdlib: set[str] = set()
        self.absolute: set[tuple[str, str]] = set()
        self.relative: set[str] = set()
        self.first_party = False
        self.aliases: list[str] = []

    # -- naming classes ------------------------------------------------------------------

    def home(self, cls: type) -> str:
        """The prefix naming ``cls``'s module here (empty for this one); imports that module."""
        home = cls.__module__
        if home == self.module.__name__:
            return ""
        package, _, name = home.rpartition(".")
        if package == self.package:
            self.relative.add(name)
        else:
            self.absolute.add((package, name))
        return f"_{name}."

    def ref(self, cls: type) -> str:
        """How this stub names ``cls``."""
        return self.home(cls) + cls.__qualname__

    def enum_alias(self, enum_cls: type) -> str:
        """The alias naming what an ``enum_cls`` field accepts (defined in the enum's stub)."""
        return self.home(enum_cls) + "_" + enum_cls.__qualname__.replace(".", "") + "Arg"

    def use(self, *names: str) -> None:
        for name in names:
            (self.abc if name.endswith(("Mapping", "Sequence")) else self.typing).add(name)

    # -- fields --------------------------------------------------------------------------

    def shape(self, field: Any) -> Shape:
        """The static types of one proto-plus field."""
        entry = field.message
        if field.repeated and entry is not None and _is_map_entry(entry):
            key = self.shape(entry._meta.fields["key"])
            value = self.shape(entry._meta.fields["value"])
            self.use("MutableMapping", "Mapping")
            return Shape(
                f"MutableMapping[{key.read}, {value.read}]",
                f"Mapping[{key.accepts_value}, {value.accepts_value}]",
            )
        single = self.single(field)
        if not field.repeated:
            return single
        self.use("MutableSequence", "Sequence")
        return Shape(f"MutableSequence[{single.read}]", f"Sequence[{single.accepts_value}]")

    def single(self, field: Any) -> Shape:
        kind = field.proto_type
        if kind in SCALARS:
            name = SCALARS[kind]
            return Shape(name, f"{name} | None" if field.optional else name)
        if kind == ProtoType.ENUM:
            none = " | None" if field.optional else ""
            return Shape(self.ref(field.enum), self.enum_alias(field.enum) + none)
        if kind != ProtoType.MESSAGE:
            raise ValueError(f"no static type for field {field.name} ({kind!r})")
        target = field.message
        if isinstance(target, str):
            raise ValueError(f"field {field.name} names its message by string: {target}")
        if issubclass(target, proto.Message):
            self.use("Any")
            name = self.ref(target)
            return Shape(name, f"{name} | dict[str, Any] | None")
        return self.well_known(target)

    def well_known(self, pb: type) -> Shape:
        """A field holding a protobuf class, as proto-plus's marshal rules present it."""
        if pb is timestamp_pb2.Timestamp:
            self.stdlib.add("datetime")
            return Shape("_datetime.datetime | None", "_message.TimestampArg | None")
        if pb is duration_pb2.Duration:
            self.stdlib.add("datetime")
            return Shape("_datetime.timedelta", "_message.DurationArg | None")
        name = self.ref(pb)
        if pb is field_mask_pb2.FieldMask:
            return Shape(name, "_message.FieldMaskArg | None")
        if pb.__module__.startswith("google.protobuf."):
            # wrappers and Struct have marshal rules of their own; none is used yet
            raise ValueError(f"no static type written for {pb.__module__}.{pb.__qualname__}")
        return Shape(name, f"{name} | None")

    # -- classes -------------------------------------------------------------------------

    def enum_lines(self, cls: type[enum.IntEnum], depth: int) -> list[str]:
        self.stdlib.add("enum")
        pad = INDENT * depth
        lines = [f"{pad}class {cls.__name__}(_enum.IntEnum):"]
        lines += [f"{pad}{INDENT}{member.name} = {member.value}" for member in cls]
        self.use("Literal", "TypeAlias")
        arg = self.enum_alias(cls)
        names = arg.removesuffix("Arg") + "Name"
        members = [f'"{member.name}"' for member in cls]
        self.aliases += _wrapped(f"{names}: TypeAlias = Literal[", members, "]", "")
        self.aliases += _parenthesized(
            f"{arg}: TypeAlias = ", f"{self.ref(cls)} | int | {names}", ""
        )
        return lines

    def message_lines(self, cls: type[proto.Message], depth: int) -> list[str]:
        self.first_party = True
        pad = INDENT * depth
        body = pad + INDENT
        lines = [f"{pad}class {cls.__name__}(_message.Message):"]
        for nested in _nested(cls):
            lines += self.class_lines(nested, depth + 1)
            lines.append("")
        fields = cls._meta.fields
        shapes = {name: self.shape(field) for name, field in fields.items()}
        for name in fields:
            if name in RESERVED:
                raise ValueError(f"{cls.__qualname__}.{name} would shadow a name the stub uses")
        self.use("Any", "Mapping")
        params = [
            "self",
            f"mapping: {cls.__qualname__} | Mapping[str, Any] | None = None",
            "*",
            "ignore_unknown_fields: bool = False",
            *(f"{name}: {shape.accepts} = ..." for name, shape in shapes.items()),
        ]
        lines += _wrapped(f"{body}def __init__(", params, ") -> None: ...", body)
        for name, shape in shapes.items():
            if shape.read == shape.accepts:
                lines.append(f"{body}{name}: {shape.read}")
                continue
            lines.append(f"{body}@property")
            lines.append(f"{body}def {name}(self) -> {shape.read}: ...")
            lines.append(f"{body}@{name}.setter")
            lines += _wrapped(
                f"{body}def {name}(", ["self", f"value: {shape.accepts}"], ") -> None: ...", body
            )
        return lines

    def class_lines(self, cls: type, depth: int) -> list[str]:
        if issubclass(cls, proto.Enum):
            return self.enum_lines(cls, depth)
        return self.message_lines(cls, depth)

    # -- the file ------------------------------------------------------------------------

    def render(self) -> str:
        classes = [obj for obj in vars(self.module).values() if _declared_in(obj, self.module)]
        # inside a class, a nested class would shadow a top-level one of the same name
        top = {cls.__name__ for cls in classes} | RESERVED
        for cls in classes:
            for nested in _nested(cls):
                if nested.__name__ in top:
                    raise ValueError(f"{nested.__qualname__} would shadow a name the stub uses")
        bodies = [self.class_lines(cls, 0) for cls in classes]
        source = Path(self.module.__file__ or "").name
        out = [
            f"# Written by scripts/gen_stubs.py from the classes of {source}; do not edit.",
            "# Run `python scripts/gen_stubs.py` after changing them.",
            "",
        ]
        out += [f"import {name} as _{name}" for name in sorted(self.stdlib)]
        for home, names in (("collections.abc", self.abc), ("typing", self.typing)):
            if names:
                out.append(f"from {home} import {', '.join(sorted(names))}")
        out.append("")
        out += [
            f"from {package} import {name} as _{name}" for package, name in sorted(self.absolute)
        ]
        if self.absolute:
            out.append("")
        if self.first_party:
            out += ["from google.cloud.tasks import _message", ""]
        if self.relative:
            out += [f"from . import {name} as _{name}" for name in sorted(self.relative)]
            out.append("")
        for lines in bodies:
            out += lines
            out.append("")
        out += self.aliases
        while out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"


def _wrapped(head: str, items: list[str], tail: str, pad: str) -> list[str]:
    """``head`` + items joined + ``tail`` on one line, or one item a line, as ruff lays it out."""
    line = head + ", ".join(items) + tail
    if len(line) <= WIDTH:
        return [line]
    inner = pad + INDENT
    return [head, *_fitting(f"{inner}{item}," for item in items), pad + tail]


def _parenthesized(head: str, expression: str, pad: str) -> list[str]:
    """``head`` + ``expression`` on one line, or the expression in parentheses on its own."""
    line = head + expression
    if len(line) <= WIDTH:
        return [line]
    return [head + "(", *_fitting([pad + INDENT + expression]), pad + ")"]


def _fitting(lines: Iterable[str]) -> list[str]:
    """``lines``, checked to fit the line length (a new field may need a new layout here)."""
    checked = list(lines)
    for line in checked:
        if len(line) > WIDTH:
            raise ValueError(f"no layout for a line this long: {line.strip()}")
    return checked


def _is_map_entry(cls: type) -> bool:
    options = cls._meta.options  # type: ignore[attr-defined]
    return bool(options is not None and options.map_entry)


def _declared_in(obj: object, module: ModuleType) -> bool:
    return (
        isinstance(obj, type)
        and obj.__module__ == module.__name__
        and issubclass(obj, (proto.Message, proto.Enum))
    )


def _nested(cls: type) -> Iterator[type]:
    """The enums and messages declared inside ``cls``, map entries left out."""
    for obj in vars(cls).values():
        if not isinstance(obj, type):
            continue
        if issubclass(obj, proto.Enum):
            yield obj
        elif issubclass(obj, proto.Message) and not _is_map_entry(obj):
            yield obj


def message_modules() -> Iterator[ModuleType]:
    """Every module of every version's ``types`` package that declares messages."""
    for version in VERSIONS:
        package = importlib.import_module(f"google.cloud.tasks_{version}.types")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if hasattr(module, "__protobuf__"):
                yield module


def targets() -> dict[Path, str]:
    """Each stub's path (relative to the repository) and the text it should hold."""
    return {
        Path(*module.__name__.split(".")).with_suffix(".pyi"): Stub(module).render()
        for module in message_modules()
    }


def stale() -> list[Path]:
    """The files under ``ROOT`` that are not what this script writes."""
    return _generated.stale(ROOT, targets)


def main(argv: list[str] | None = None) -> int:
    return _generated.main(argv, ROOT, targets, "gen_stubs.py", "the message stubs")


if __name__ == "__main__":
    sys.exit(main())
