"""The emulator's folders are layers: a lower one never imports a higher one, and no cycles.

From the bottom: ``service/`` (rules and store), ``versions`` (converters),
``delivery/`` (dispatcher, tokens), ``servers/`` (the wire), ``host`` (the
event loop), then ``embed``, ``cli`` and the package's entry points.  Read
from the source with :mod:`ast`, imports inside functions included.
"""

from __future__ import annotations

import ast
import pathlib

import google.cloud.tasks.emulator as emulator_package

ROOT = pathlib.Path(emulator_package.__file__).parent
PACKAGE = "google.cloud.tasks.emulator"
RANKS = {"service": 0, "versions": 1, "delivery": 2, "servers": 3, "host": 4}
TOP = 5  # embed, cli, pytest_plugin, __init__, __main__


def _module(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _rank(module: str) -> int:
    rest = module[len(PACKAGE) :].lstrip(".")
    return RANKS.get(rest.split(".")[0], TOP) if rest else TOP


def _imports(path: pathlib.Path, source: str | None = None) -> set[str]:
    """The package's own modules that ``path`` (or ``source`` as if there) imports, anywhere."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            found = [n for n in names if (ROOT / n[len(PACKAGE) + 1 :].replace(".", "/")).exists()]
            found += [n for n in names if _file(n) is not None]
            out.update(found or [target])
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m.startswith(PACKAGE + ".") and _file(m) is not None}


def _file(module: str) -> pathlib.Path | None:
    rel = module[len(PACKAGE) + 1 :].replace(".", "/")
    for candidate in (ROOT / f"{rel}.py", ROOT / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _graph() -> dict[str, set[str]]:
    return {_module(path): _imports(path) for path in ROOT.rglob("*.py")}


def test_the_folders_are_the_layers() -> None:
    assert {p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "service",
        "delivery",
        "servers",
    }


def test_no_layer_imports_a_higher_one() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if _rank(target) > _rank(module)
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _graph()
    # Package __init__ modules are empty markers, except the top one, which imports lazily.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in graph:
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_check_sees_a_wrong_import() -> None:
    """Relative imports, inside functions too, are read: a service module importing up shows."""
    probe = ROOT / "service" / "store.py"
    wrong = "def f():\n    from ..servers import web\n    from ..delivery.journal import Journal\n"
    seen = _imports(probe, wrong)
    assert seen == {f"{PACKAGE}.servers.web", f"{PACKAGE}.delivery.journal"}
    assert all(_rank(m) > _rank(_module(probe)) for m in seen)
    dispatcher = _imports(ROOT / "delivery" / "dispatcher.py")
    assert f"{PACKAGE}.service.store" in dispatcher
    assert f"{PACKAGE}.delivery.journal" in dispatcher
