"""Resource names: parsing and validation with the real service's messages."""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Collection, Iterable

from .errors import (
    QUEUE_NAME_FORMAT,
    TASK_ID_FORMAT,
    TASK_QUEUE_MISMATCH,
    invalid,
    project_denied,
    queue_name_help,
    shown,
    task_id_help,
)

_SEGMENT = r"[^/\s]+"
_LOCATION = re.compile(rf"projects/({_SEGMENT})/locations/({_SEGMENT})")
_QUEUE = re.compile(rf"projects/{_SEGMENT}/locations/{_SEGMENT}/queues/([A-Za-z0-9-]{{1,100}})")
_QUEUE_LOCATION = re.compile(rf"projects/{_SEGMENT}/locations/({_SEGMENT})/queues/")
_TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,500}")
_PROJECT = re.compile(rf"projects/({_SEGMENT})")
_CMEK = re.compile(rf"(projects/{_SEGMENT}/locations/{_SEGMENT})/cmekConfig")
_OPERATION = re.compile(rf"(projects/{_SEGMENT}/locations/{_SEGMENT})/operations/{_SEGMENT}")
_KMS_KEY = re.compile(
    rf"projects/{_SEGMENT}/locations/({_SEGMENT})/keyRings/{_SEGMENT}/cryptoKeys/{_SEGMENT}"
)

TASK_NAME_FORMAT = (
    'Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/'
    '<QUEUE_ID>/tasks/<TASK_ID>".'
)
LOCATION_FORMAT = (
    'Location name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>".'
)
CMEK_FORMAT = (
    'CMEK config name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/'
    'cmekConfig".'
)


def location(parent: str) -> str:
    """A ``projects/P/locations/L`` parent; PERMISSION_DENIED on the project when unparseable."""
    if _LOCATION.fullmatch(parent):
        return parent
    project = parent
    if parent.startswith("projects/"):
        project = parent[len("projects/") :].split("/", 1)[0]
    raise project_denied(project)


#: the service's answer (INVALID_ARGUMENT) for a location it does not serve
LOCATION_UNKNOWN = (
    "Location '{location}' is not a valid location. Use ListLocations to list valid locations."
)


def known_location(parent: str, listed: Collection[str]) -> str:
    """A ``projects/P/locations/L`` parent whose ``L`` is one of ``listed``.

    Otherwise INVALID_ARGUMENT, worded as the real service refuses a location
    it does not serve.  ``parent`` must already be well formed (:func:`location`).
    """
    location_id = parent.rsplit("/", 1)[1]
    if location_id not in listed:
        raise invalid(LOCATION_UNKNOWN.format(location=shown(location_id)))
    return parent


def with_locations(listed: Iterable[str], queue_names: Iterable[str]) -> tuple[str, ...]:
    """``listed``, then the location of each queue name not yet in it (malformed ones skipped).

    So that a queue made at start is in a location the emulator lists.
    """
    out = list(dict.fromkeys(listed))
    for name in queue_names:
        match = _QUEUE_LOCATION.match(name)
        if match and _QUEUE.fullmatch(name) and match.group(1) not in out:
            out.append(match.group(1))
    return tuple(out)


def queue(name: str) -> str:
    """A valid queue name, or INVALID_ARGUMENT with the service's format message."""
    if not _QUEUE.fullmatch(name):
        raise invalid(QUEUE_NAME_FORMAT, (queue_name_help(),))
    return name


def queue_parent(name: str) -> str:
    """The ``projects/P/locations/L`` part of a valid queue name."""
    return name.rsplit("/queues/", 1)[0]


def task(name: str) -> tuple[str, str]:
    """``(queue name, task id)`` of a task name, validating both parts."""
    head, sep, task_id = name.rpartition("/tasks/")
    if not sep:
        raise invalid(TASK_NAME_FORMAT)
    queue(head)
    if not _TASK_ID.fullmatch(task_id):
        raise invalid(TASK_ID_FORMAT.format(id=shown(task_id)), (task_id_help(),))
    return head, task_id


def task_in_queue(parent: str, name: str) -> str:
    """Check a task name given on create belongs to ``parent``; returns the name."""
    head, sep, task_id = name.rpartition("/tasks/")
    if not sep:
        raise invalid(TASK_NAME_FORMAT)
    if head != parent:
        if _QUEUE.fullmatch(head):
            raise invalid(TASK_QUEUE_MISMATCH.format(parent=shown(parent), other=shown(head)))
        raise invalid(TASK_NAME_FORMAT)
    if not _TASK_ID.fullmatch(task_id):
        raise invalid(TASK_ID_FORMAT.format(id=shown(task_id)), (task_id_help(),))
    return name


_ids = random.Random(secrets.randbits(128))


def new_task_id() -> str:
    """A generated task id: a random 19-digit decimal number, as the service makes."""
    return str(_ids.randrange(10**18, 10**19))


def project(name: str) -> str:
    """The project id of ``projects/P``; INVALID_ARGUMENT otherwise."""
    match = _PROJECT.fullmatch(name)
    if not match:
        raise invalid('Project name must be formatted: "projects/<PROJECT_ID>".')
    return match.group(1)


def location_name(name: str) -> tuple[str, str]:
    """``(project, location id)`` of ``projects/P/locations/L``; INVALID_ARGUMENT otherwise."""
    match = _LOCATION.fullmatch(name)
    if not match:
        raise invalid(LOCATION_FORMAT)
    return match.group(1), match.group(2)


def cmek_config(name: str) -> str:
    """The location of a ``.../cmekConfig`` name."""
    match = _CMEK.fullmatch(name)
    if not match:
        raise invalid(CMEK_FORMAT)
    return match.group(1)


def kms_key_location(key: str) -> str | None:
    """The location id of a Cloud KMS key name, or None when malformed."""
    match = _KMS_KEY.fullmatch(key)
    return match.group(1) if match else None


def operation(name: str) -> str:
    """A valid operation name (``projects/P/locations/L/operations/ID``)."""
    if not _OPERATION.fullmatch(name):
        raise invalid(
            'Operation name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/'
            'operations/<OPERATION_ID>".'
        )
    return name
