"""Resource-name templates: build a name from its parts, or split a name into them."""

from __future__ import annotations

import re
from functools import cache

_SEGMENT = re.compile(r"\{(\w+)\}")


def expand(template: str, **parts: str) -> str:
    """Fill ``{part}`` placeholders of ``template`` from ``parts``."""
    return template.format(**parts)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    pieces = _SEGMENT.split(template)
    regex = "".join(
        f"(?P<{piece}>.+?)" if i % 2 else re.escape(piece) for i, piece in enumerate(pieces)
    )
    return re.compile(f"^{regex}$")


def parse(template: str, path: str) -> dict[str, str]:
    """The parts of ``path`` named by ``template``'s placeholders, or ``{}`` if it does not fit."""
    match = _pattern(template).match(path)
    return match.groupdict() if match else {}
