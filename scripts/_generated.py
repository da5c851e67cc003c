"""What every generator script here does with its output: write it, or check it is current.

A generator describes its output as ``{path: text}``, paths relative to the
repository root or absolute; :func:`stale` and :func:`main` take it from
there, so ``--check`` means the same thing for every generated file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

Targets = Callable[[], dict[Path, str]]


def stale(root: Path, targets: Targets) -> list[Path]:
    """The files (absolute) whose content is not what ``targets`` says it should be."""
    return [
        root / path
        for path, text in targets().items()
        if not (root / path).exists() or (root / path).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None, root: Path, targets: Targets, script: str, what: str) -> int:
    """``python scripts/<script>``: write the files that changed; ``--check`` only reports them."""
    parser = argparse.ArgumentParser(description=f"Write {what}, or check that they are current.")
    parser.add_argument("--check", action="store_true", help=f"only report {what} not current")
    args = parser.parse_args(argv)
    if args.check:
        old = stale(root, targets)
        for path in old:
            print(f"{path.relative_to(root)} is not current: run python scripts/{script}")
        return 1 if old else 0
    for path, text in targets().items():
        target = root / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(root)}")
    return 0
