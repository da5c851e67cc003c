"""The message stubs (``types/*.pyi``) are what ``scripts/gen_stubs.py`` writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from generators import ROOT, load


def _generator() -> ModuleType:
    return load("gen_stubs")


def test_every_message_module_has_its_current_stub() -> None:
    gen = _generator()
    written = sorted(str(path) for path in gen.targets())
    on_disk = sorted(
        str(path.relative_to(ROOT)) for path in ROOT.glob("google/cloud/tasks_v2*/types/*.pyi")
    )
    assert written == on_disk
    assert len(written) == 14  # 5 message modules in v2 and v2beta3, 4 in v2beta2
    stale = [str(path.relative_to(ROOT)) for path in gen.stale()]
    assert stale == [], f"run python scripts/gen_stubs.py: {stale} are not current"


def test_the_check_mode_reports_an_edited_stub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = _generator()
    targets = gen.targets()
    for path, text in targets.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    edited = tmp_path / next(iter(targets))
    edited.write_text(edited.read_text(encoding="utf-8").replace("name: str", "name: int"))
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    assert edited.read_text(encoding="utf-8") == targets[edited.relative_to(tmp_path)]
