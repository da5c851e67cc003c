"""Names and builders the emulator tests share."""

from __future__ import annotations

from typing import Any

PARENT = "projects/proj/locations/us-central1"
QUEUE = f"{PARENT}/queues/q"


def http_task(name: str = "", body: bytes = b"", **extra: Any) -> dict[str, Any]:
    """A v2 HTTP task as a dict, optionally named."""
    task: dict[str, Any] = {"http_request": {"url": "https://example.com/work", "body": body}}
    if name:
        task["name"] = name
    task.update(extra)
    return task
