"""One list of supported Pythons: pyproject's requires-python and classifiers, the noxfile's
``tests`` sessions and the versions CI runs the suite on all say the same."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent


def _noxfile_pythons() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "PYTHONS"
        ]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("noxfile.py has no PYTHONS list")


def _classifier_pythons() -> tuple[str, list[str]]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        requires, classifiers = project["requires-python"], project["classifiers"]
    else:  # no TOML reader in 3.10's standard library; these two keys are plain strings
        found = re.search(r'^requires-python = "([^"]+)"', text, re.M)
        assert found
        requires = found.group(1)
        classifiers = re.findall(r'"(Programming Language :: Python :: [^"]+)"', text)
    versions = [
        c.rsplit(" ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    return requires, versions


def test_pyproject_nox_and_ci_name_the_same_pythons() -> None:
    nox_pythons = _noxfile_pythons()
    requires, classified = _classifier_pythons()
    assert classified == nox_pythons
    assert requires == ">=" + nox_pythons[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    loop = re.search(r"^for version in ([\d. ]+); do$", ci, re.M)
    assert loop, "the loop of .ci/run that runs the suite on other Pythons"
    # the oldest and the newest (the main run uses python3 in between)
    assert loop.group(1).split() == [nox_pythons[0], nox_pythons[-1]]
