"""What a user's type checker makes of the package: ``mypy --strict`` as a user runs it.

``tests/data/typed_user_code.py`` marks each line mypy must flag with
``# error: CODE``; every other line (and every file in ``samples/``) must
pass.  mypy runs from a scratch directory with no configuration, so it finds
the package the way a user's project does: installed (``pip install -e .``
included), through its ``py.typed`` markers and ``.pyi`` stubs.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
USER_CODE = ROOT / "tests" / "data" / "typed_user_code.py"
SAMPLES = sorted((ROOT / "samples").rglob("*.py"))
MARK = re.compile(r"#\s*error:\s*([\w-]+)\s*$")
REPORT = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): error: (?P<text>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)

#: libraries the samples call whose functions carry no annotations (not ours to fix)
UNTYPED_LIBRARIES = ("google.auth", "google.oauth2", "google.api_core")


#: per file, mypy's errors: (line, code, message)
Report = dict[Path, set[tuple[int, str, str]]]


@cache
def _mypy_report(cache_dir: str) -> Report:
    """mypy --strict over the user code and the samples, from a directory with no config."""
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file=", "--cache-dir", cache_dir]
    command += ["--show-error-codes", "--no-error-summary", "--no-pretty", "--no-color-output"]
    for library in UNTYPED_LIBRARIES:
        command += ["--untyped-calls-exclude", library]
    command += [str(path) for path in (USER_CODE, *SAMPLES)]
    done = subprocess.run(command, cwd=cache_dir, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    found: Report = {}
    for line in done.stdout.splitlines():
        match = REPORT.match(line)
        if match:
            error = (int(match["line"]), match["code"] or "", match["text"])
            found.setdefault(Path(cache_dir, match["path"]).resolve(), set()).add(error)
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _mypy_report(str(tmp_path_factory.mktemp("mypy")))


def test_mypy_flags_exactly_the_marked_lines(report: Report) -> None:
    lines = USER_CODE.read_text(encoding="utf-8").splitlines()
    expected = {(number, m[1]) for number, text in enumerate(lines, 1) if (m := MARK.search(text))}
    assert len(expected) >= 20
    errors = report.get(USER_CODE, set())
    unexpected = sorted(error for error in errors if error[:2] not in expected)
    assert unexpected == [], "mypy flags lines not marked # error: CODE"
    found = {error[:2] for error in errors}
    missed = sorted((n, code, lines[n - 1].strip()) for n, code in expected - found)
    assert missed == [], "mypy accepts lines marked # error: CODE"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: str(path.relative_to(ROOT)))
def test_mypy_accepts_the_sample(report: Report, sample: Path) -> None:
    assert sorted(report.get(sample, set())) == []


def _checked_assert_type(value: object, expected: Any) -> object:
    """``typing.assert_type`` that also checks the value at run time, as far as isinstance can."""
    assert isinstance(value, _runtime_class(expected)), (value, expected)
    return value


def _runtime_class(expected: Any) -> Any:
    if isinstance(expected, types.UnionType) or typing.get_origin(expected) is typing.Union:
        return tuple(_runtime_class(member) for member in typing.get_args(expected))
    if expected is None:
        return type(None)
    origin = typing.get_origin(expected)
    return expected if origin is None else origin


async def test_what_mypy_accepts_runs_and_reads_back_the_types_it_declares() -> None:
    spec = importlib.util.spec_from_file_location("typed_user_code", USER_CODE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vars(module)["assert_type"] = _checked_assert_type  # the functions look it up when called
    for name in (
        "one_class_under_every_import_path",
        "building",
        "reading",
        "assigning",
        "proto_plus_class_methods",
        "emulator_clients",
    ):
        getattr(module, name)()
    await module.emulator_async_clients()
