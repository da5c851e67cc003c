"""Module-level ``__getattr__`` that imports a package's exports on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def exports(
    package: str, where: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``; ``__all__`` is computed on demand.

    ``where`` maps a module (relative to ``package`` when it starts with a
    dot) to the names it provides, or to ``"*"`` for every name in that
    module's ``__all__``.  A name is imported the first time it is looked up
    and then cached in the package's namespace.
    """
    origin = {name: module for module, names in where.items() if names != "*" for name in names}
    starred = [module for module, names in where.items() if names == "*"]
    namespace = importlib.import_module(package).__dict__

    def names() -> list[str]:
        found = set(origin)
        for module in starred:
            found.update(importlib.import_module(module, package).__all__)
        return sorted(found)

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            everything = (*names(), *namespace.get("_EXTRA_ALL", ()))
            namespace["__all__"] = everything
            return everything
        module = origin.get(name)
        if module is None and not name.startswith("__"):
            for candidate in starred:
                if name in importlib.import_module(candidate, package).__all__:
                    module = candidate
                    break
        if module is None:
            return _submodule(package, name, namespace)
        value = namespace[name] = getattr(importlib.import_module(module, package), name)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names()))

    return __getattr__, __dir__


def _submodule(package: str, name: str, namespace: dict[str, Any]) -> Any:
    """``package.name`` as an attribute (``tasks_v2.services`` after ``import tasks_v2``)."""
    if not name.startswith("_"):
        try:
            value = namespace[name] = importlib.import_module(f"{package}.{name}")
            return value
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
    raise AttributeError(f"module {package!r} has no attribute {name!r}")


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
