"""The six client facades are what ``scripts/gen_clients.py`` writes."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest
from generators import ROOT, load

FACADES = [
    (f"google.cloud.tasks_{version}.services.cloud_tasks.{module}", cls)
    for version in ("v2", "v2beta3", "v2beta2")
    for module, cls in (("client", "CloudTasksClient"), ("async_client", "CloudTasksAsyncClient"))
]


def _generator() -> ModuleType:
    return load("gen_clients")


def test_every_facade_is_what_the_generator_writes() -> None:
    stale = [str(path.relative_to(ROOT)) for path in _generator().stale()]
    assert stale == [], f"run python scripts/gen_clients.py: {stale} are not current"


def test_the_check_mode_reports_an_edited_facade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = _generator()
    copies = {}
    for path, source in gen.targets().items():
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(source, encoding="utf-8")
        copies[path] = copy
    edited = next(iter(copies.values()))
    edited.write_text(edited.read_text(encoding="utf-8").replace("List the queues", "List queues"))
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0


@pytest.mark.parametrize(("module", "cls"), FACADES)
def test_every_public_method_documents_its_arguments_return_and_errors(
    module: str, cls: str
) -> None:
    client = getattr(importlib.import_module(module), cls)
    service = client._service
    for name in service.methods:
        method = getattr(client, name)
        doc = inspect.getdoc(method) or ""
        documented = set(re.findall(r"^    (\w+): ", doc.split("Args:")[1].split("\n\n")[0], re.M))
        params = set(inspect.signature(method).parameters) - {"self"}
        assert documented == params, f"{cls}.{name}: {sorted(params ^ documented)}"
        assert "\nRaises:\n" in doc, f"{cls}.{name} names no errors"
        if inspect.signature(method).return_annotation != "None":
            assert "\nReturns:\n" in doc, f"{cls}.{name} does not say what it returns"
