"""The proto-plus classes must describe exactly the wire schema in tests/data/cloudtasks_*.json.

Each message's protobuf descriptor is compared field by field with the JSON
(name, number, type, label, referenced type, oneof, proto3 optional, map
entry types), each enum value by value, and each module's file name, package
and imports. An API version whose package does not exist yet is skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

DATA = Path(__file__).parent / "data"
SCHEMAS = {
    path.stem.removeprefix("cloudtasks_"): path for path in sorted(DATA.glob("cloudtasks_*.json"))
}
CLIENT_NAMES = {"CloudTasksClient", "CloudTasksAsyncClient"}

SCALAR_TYPES = {
    "double": FieldDescriptor.TYPE_DOUBLE,
    "float": FieldDescriptor.TYPE_FLOAT,
    "int32": FieldDescriptor.TYPE_INT32,
    "int64": FieldDescriptor.TYPE_INT64,
    "uint32": FieldDescriptor.TYPE_UINT32,
    "uint64": FieldDescriptor.TYPE_UINT64,
    "sint32": FieldDescriptor.TYPE_SINT32,
    "sint64": FieldDescriptor.TYPE_SINT64,
    "fixed32": FieldDescriptor.TYPE_FIXED32,
    "fixed64": FieldDescriptor.TYPE_FIXED64,
    "sfixed32": FieldDescriptor.TYPE_SFIXED32,
    "sfixed64": FieldDescriptor.TYPE_SFIXED64,
    "bool": FieldDescriptor.TYPE_BOOL,
    "string": FieldDescriptor.TYPE_STRING,
    "bytes": FieldDescriptor.TYPE_BYTES,
}


def _load(version: str) -> dict[str, Any]:
    with SCHEMAS[version].open() as f:
        schema: dict[str, Any] = json.load(f)
    return schema


def _types_package(schema: dict[str, Any]) -> ModuleType:
    """Import ``<python_package>.types``, skipping the test if that version is not written yet."""
    name = schema["python_package"] + ".types"
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError as error:
        # Only the version's own package being absent means "not written yet".
        if error.name is None or not name.startswith(error.name):
            raise
        spec = None
    if spec is None:
        pytest.skip(f"{name} does not exist yet")
    return importlib.import_module(name)


def _module_of(schema: dict[str, Any], top_level: str) -> ModuleType:
    for module_name, info in schema["files"].items():
        if top_level in info["types"]:
            return importlib.import_module(f"{schema['python_package']}.types.{module_name}")
    raise AssertionError(f"{top_level} is in no entry of the JSON's files")


def _find_class(schema: dict[str, Any], full_name: str) -> Any:
    """The class for a protobuf full name, e.g. ``<package>.HttpTarget.Header``."""
    prefix = schema["package"] + "."
    assert full_name.startswith(prefix), full_name
    path = full_name[len(prefix) :].split(".")
    obj: Any = _module_of(schema, path[0])
    for part in path:
        obj = getattr(obj, part)
    return obj


def _file_name(schema: dict[str, Any], module_name: str) -> str:
    """The descriptor file name proto-plus must give a types module."""
    return schema["python_package"].replace(".", "/") + f"/types/{module_name}.proto"


def _enum_descriptor(schema: dict[str, Any], full_name: str) -> EnumDescriptor:
    """An enum's descriptor, looked up in its file (top level) or its containing message."""
    prefix = schema["package"] + "."
    path = full_name[len(prefix) :].split(".")
    if len(path) == 1:
        module_name = _module_of(schema, path[0]).__name__.rsplit(".", 1)[1]
        file = descriptor_pool.Default().FindFileByName(_file_name(schema, module_name))
        return file.enum_types_by_name[path[0]]
    parent: Descriptor = _find_class(schema, prefix + ".".join(path[:-1])).pb().DESCRIPTOR
    return parent.enum_types_by_name[path[-1]]


def _cases(kind: str) -> list[Any]:
    cases = []
    for version in SCHEMAS:
        for full_name in _load(version)[kind]:
            cases.append(pytest.param(version, full_name, id=f"{version}:{full_name}"))
    return cases


def _assert_type(field: FieldDescriptor, kind: str, type_name: str | None, where: str) -> None:
    """Check a field's (or map value's) type: a scalar name, ``message`` or ``enum``."""
    if kind == "message":
        assert field.type == FieldDescriptor.TYPE_MESSAGE, f"{where}: not a message field"
        assert field.message_type.full_name == type_name, f"{where}: message type"
    elif kind == "enum":
        assert field.type == FieldDescriptor.TYPE_ENUM, f"{where}: not an enum field"
        assert field.enum_type.full_name == type_name, f"{where}: enum type"
    else:
        assert field.type == SCALAR_TYPES[kind], f"{where}: type {field.type}, JSON says {kind}"
        assert field.message_type is None and field.enum_type is None, where


def _assert_map(schema: dict[str, Any], field: FieldDescriptor, spec: dict[str, Any]) -> None:
    where = f"{field.full_name} (map)"
    entry = field.message_type
    assert entry is not None and entry.GetOptions().map_entry, f"{where}: not a map"
    assert [f.name for f in entry.fields] == ["key", "value"], where
    key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
    _assert_type(key, spec["map"]["key"], None, f"{where} key")
    value_kind = spec["map"]["value"]
    if value_kind in SCALAR_TYPES:
        _assert_type(value, value_kind, None, f"{where} value")
    elif value_kind in schema["enums"]:
        _assert_type(value, "enum", value_kind, f"{where} value")
    else:
        _assert_type(value, "message", value_kind, f"{where} value")


@pytest.mark.parametrize(("version", "full_name"), _cases("messages"))
def test_message_matches_schema(version: str, full_name: str) -> None:
    schema = _load(version)
    _types_package(schema)
    descriptor: Descriptor = _find_class(schema, full_name).pb().DESCRIPTOR
    assert descriptor.full_name == full_name
    as_proto = descriptor_pb2.DescriptorProto()
    descriptor.CopyToProto(as_proto)
    declared = {f.name: f for f in as_proto.field}
    expected = schema["messages"][full_name]["fields"]

    # Same fields, no extras, in the JSON's declaration order.
    assert [f.name for f in descriptor.fields] == [f["name"] for f in expected]
    for spec in expected:
        where = f"{full_name}.{spec['name']}"
        field = descriptor.fields_by_name[spec["name"]]
        assert field.number == spec["number"], f"{where}: number"

        is_map = spec["type"] == "map"
        repeated = is_map or spec.get("repeated", False)
        label = (
            descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
            if repeated
            else descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
        )
        assert declared[spec["name"]].label == label, f"{where}: repeated should be {repeated}"
        assert field.is_repeated == repeated, where
        if is_map:
            _assert_map(schema, field, spec)
        else:
            _assert_type(field, spec["type"], spec.get("type_name"), where)
            if field.message_type is not None:
                assert not field.message_type.GetOptions().map_entry, f"{where}: is a map"

        optional = spec.get("optional", False)
        assert declared[spec["name"]].proto3_optional == optional, f"{where}: proto3 optional"
        oneof = field.containing_oneof
        if optional:
            # proto3 `optional` is a synthetic oneof that holds just this field.
            assert oneof is not None and oneof.name == "_" + spec["name"], f"{where}: optional"
            assert [f.name for f in oneof.fields] == [spec["name"]], where
        elif "oneof" in spec:
            assert oneof is not None and oneof.name == spec["oneof"], f"{where}: oneof"
        else:
            assert oneof is None, f"{where}: unexpected oneof {oneof and oneof.name}"
        has_presence = not repeated and (optional or "oneof" in spec or spec["type"] == "message")
        assert field.has_presence == has_presence, f"{where}: presence"

    real_oneofs = {f["oneof"] for f in expected if "oneof" in f}
    synthetic = {"_" + f["name"] for f in expected if f.get("optional")}
    assert {o.name for o in descriptor.oneofs} == real_oneofs | synthetic


@pytest.mark.parametrize(("version", "full_name"), _cases("enums"))
def test_enum_matches_schema(version: str, full_name: str) -> None:
    schema = _load(version)
    _types_package(schema)
    descriptor = _enum_descriptor(schema, full_name)
    assert descriptor.full_name == full_name
    wire = {value.name: value.number for value in descriptor.values}
    assert wire == schema["enums"][full_name]

    cls = _find_class(schema, full_name)
    assert {member.name: member.value for member in cls} == schema["enums"][full_name]


@pytest.mark.parametrize("version", list(SCHEMAS))
def test_modules_match_files(version: str) -> None:
    schema = _load(version)
    _types_package(schema)
    for module_name, info in schema["files"].items():
        module = importlib.import_module(f"{schema['python_package']}.types.{module_name}")
        assert set(module.__protobuf__.manifest) == set(info["types"]), module_name
        assert module.__protobuf__.package == schema["package"], module_name
        assert module.__all__ == tuple(sorted(info["types"])), module_name

        files = set()
        for type_name in info["types"]:
            cls = getattr(module, type_name)
            if hasattr(cls, "pb"):
                files.add(cls.pb().DESCRIPTOR.file)
            else:
                files.add(_enum_descriptor(schema, f"{schema['package']}.{type_name}").file)
        assert len(files) == 1, f"{module_name}: types spread over {files}"
        file = files.pop()
        assert file.name == _file_name(schema, module_name)
        assert file.package == schema["package"]
        as_proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(as_proto)
        assert as_proto.syntax == "proto3", module_name
        assert {dep.name for dep in file.dependencies} == set(info["imports"]), module_name


@pytest.mark.parametrize("version", list(SCHEMAS))
def test_types_package_exports(version: str) -> None:
    schema = _load(version)
    types = _types_package(schema)
    names = set(schema["exports"]) - CLIENT_NAMES
    missing = sorted(name for name in names if not hasattr(types, name))
    assert not missing, f"{types.__name__} lacks {missing}"
    assert names <= set(types.__all__)
    for name in names:
        assert getattr(types, name) is _find_class(schema, f"{schema['package']}.{name}")
