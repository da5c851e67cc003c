"""A JSON body or query the REST API cannot read is told in one line, in the service's words.

An unknown name gets Google's wording, with the path of the object holding it
(proto field names, from the request message):
``Invalid JSON payload received. Unknown name "fi" at 'task.http_request': Cannot find field.``
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE

PREFIX = "Invalid JSON payload received. "
JSON = {"Content-Type": "application/json"}
URL = "http://127.0.0.1:9/"


def refused(answer: requests.Response) -> str:
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    message: str = error["message"]
    assert "\n" not in message and "\\n" not in message and not message.endswith("...")
    return message


@pytest.mark.parametrize(
    "path, body, where",
    [
        # body "queue": the JSON is the request's queue field
        (f"/v2/{PARENT}/queues", {"name": QUEUE, "fi": 1}, " at 'queue'"),
        # body "*": the JSON is the request
        (f"/v2/{QUEUE}/tasks", {"fi": 1, "task": {"httpRequest": {"url": URL}}}, ""),
        (f"/v2/{QUEUE}/tasks", {"task": {"fi": 1}}, " at 'task'"),
        (
            f"/v2/{QUEUE}/tasks",
            {"task": {"httpRequest": {"url": URL, "fi": 1}}},
            " at 'task.http_request'",
        ),
        (
            f"/v2/{QUEUE}/tasks",
            {"task": {"http_request": {"url": URL, "oidcToken": {"fi": "x"}}}},
            " at 'task.http_request.oidc_token'",
        ),
        (
            f"/v2/{QUEUE}:setIamPolicy",
            {"policy": {"bindings": [{"role": "roles/viewer"}, {"role": "r", "fi": 1}]}},
            " at 'policy.bindings[1]'",
        ),
    ],
)
def test_an_unknown_name_is_named_with_its_place(
    emu: Emulator, queue: Any, path: str, body: dict[str, Any], where: str
) -> None:
    answer = requests.post(emu.http_url + path, json=body, timeout=5)
    assert refused(answer) == f'{PREFIX}Unknown name "fi"{where}: Cannot find field.'


def test_an_unknown_query_parameter_is_named(emu: Emulator) -> None:
    answer = requests.get(f"{emu.http_url}/v2/{PARENT}/queues", params={"fi": "1"}, timeout=5)
    assert refused(answer) == (
        f'{PREFIX}Unknown name "fi": Cannot bind query parameter.'
        " Field 'fi' could not be found in request message."
    )


def test_another_unreadable_value_is_told_in_one_line(emu: Emulator, queue: Any) -> None:
    body = {"task": {"httpRequest": {"url": URL}, "dispatchDeadline": "soon"}}
    answer = requests.post(f"{emu.http_url}/v2/{QUEUE}/tasks", json=body, timeout=5)
    message = refused(answer)
    assert message.startswith(PREFIX) and "dispatchDeadline" in message


def test_names_are_read_in_both_spellings(emu: Emulator, queue: Any) -> None:
    """camelCase and snake_case name the same field; neither is unknown."""
    body = {"task": {"http_request": {"url": URL, "httpMethod": "PUT"}, "dispatch_deadline": "x"}}
    answer = requests.post(f"{emu.http_url}/v2/{QUEUE}/tasks", json=body, headers=JSON, timeout=5)
    assert "Unknown name" not in refused(answer)
