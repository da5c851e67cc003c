"""Module-level ``__getattr__`` that imports a package's exports on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def exports(
    package: str, where: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], tuple[str, ...]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``.

    ``where`` maps a module (relative to ``package`` when it starts with a
    dot) to the names it provides.  A name is imported the first time it is
    looked up and then cached in the package's namespace.
    """
    origin = {name: module for module, names in where.items() for name in names}
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = origin.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(origin))

    return __getattr__, __dir__, tuple(sorted(origin))


def forward(package: str, target: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` making ``package`` show ``target``'s exports.

    ``target`` is imported on the first lookup, not when ``package`` is.
    """
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = importlib.import_module(target)
        if name == "__all__":
            return module.__all__
        if name.startswith("__") or name not in module.__all__:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(module, name)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(importlib.import_module(target).__all__))

    return __getattr__, __dir__
