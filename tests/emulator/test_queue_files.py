"""Queues declared in files (``--queues``, ``Emulator(queues=[path])``) and UploadQueueYaml.

Both formats, read back over gRPC and REST; a mistake names the file, the
line and the field on one line (``ValueError`` from ``Emulator()``, exit
code 2 from the command line); UploadQueueYaml creates and updates the app's
queues and disables the others, whose tasks are then kept but not delivered.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
from dispatch.handler import serving
from google.api_core import exceptions

from google.cloud import tasks_v2, tasks_v2beta2
from google.cloud.tasks.emulator import Emulator

PARENT = "projects/proj/locations/us-central1"

QUEUE_YAML = """\
# App Engine's queue.yaml
total_storage_limit: 120M
queue:
- name: mail
  rate: 10/m
  bucket_size: 20
  max_concurrent_requests: 3
  target: v1.worker
  retry_parameters:
    task_retry_limit: 4
    task_age_limit: 2d
    min_backoff_seconds: 5
    max_backoff_seconds: 300
    max_doublings: 2
- name: plain
- name: pulled
  mode: pull
  retry_parameters:
    task_retry_limit: 0
"""

RESOURCES_YAML = """\
queues:
- name: resource-queue
  rateLimits: {maxDispatchesPerSecond: 2, maxConcurrentDispatches: 7}
  retry_config:
    max_attempts: 3
    minBackoff: 1.5s
  httpTarget:
    uriOverride: {host: localhost, port: 9}
- name: projects/proj/locations/europe-west1/queues/elsewhere
  state: PAUSED
"""

RESOURCES_JSON = """[
\t{"name": "json-queue", "rateLimits": {"maxDispatchesPerSecond": 1e2}},
\t{"name": "json-appengine", "appEngineRoutingOverride": {"service": "api"}}
]
"""


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text)
    return str(path)


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    folder = tmp_path_factory.mktemp("queue-files")
    files = [
        write(folder, "queue.yaml", QUEUE_YAML),
        write(folder, "queues.yaml", RESOURCES_YAML),
        write(folder, "queues.json", RESOURCES_JSON),
    ]
    with Emulator(queues=files, project="proj") as emulator:  # queues= tells files by name
        yield emulator


@pytest.fixture
def fresh(emu: Emulator) -> Emulator:
    """The module's emulator, reset: the declared queues made again, nothing else."""
    emu.reset()
    return emu


@pytest.fixture(params=["grpc", "rest"])
def v2(request: pytest.FixtureRequest, fresh: Emulator) -> Iterator[Any]:
    with fresh.client("v2", request.param) as client:
        yield client


@pytest.fixture
def beta2(fresh: Emulator) -> Iterator[Any]:
    with fresh.client("v2beta2") as client:
        yield client


# -- queue.yaml --------------------------------------------------------------------------


def test_queue_yaml_maps_to_the_queue_fields_as_the_service_maps_it(v2: Any) -> None:
    q = v2.get_queue(name=f"{PARENT}/queues/mail")
    assert q.state == tasks_v2.Queue.State.RUNNING
    assert q.rate_limits.max_dispatches_per_second == pytest.approx(10 / 60)
    assert q.rate_limits.max_burst_size == 20  # bucket_size, kept as declared
    assert q.rate_limits.max_concurrent_dispatches == 3
    rc = q.retry_config
    assert rc.max_attempts == 5  # task_retry_limit counts retries: one attempt more
    assert rc.max_retry_duration.total_seconds() == 2 * 86400
    assert rc.min_backoff.total_seconds() == 5
    assert rc.max_backoff.total_seconds() == 300
    assert rc.max_doublings == 2
    assert q.app_engine_routing_override.service == "worker"
    assert q.app_engine_routing_override.version == "v1"


def test_queue_yaml_defaults_are_app_engines(v2: Any) -> None:
    q = v2.get_queue(name=f"{PARENT}/queues/plain")
    assert q.rate_limits.max_dispatches_per_second == 5
    assert q.rate_limits.max_burst_size == 5
    assert q.rate_limits.max_concurrent_dispatches == 1000
    assert q.retry_config.max_attempts == -1  # unlimited without task_retry_limit
    assert q.retry_config.max_retry_duration.total_seconds() == 0
    assert q.retry_config.min_backoff.total_seconds() == pytest.approx(0.1)
    assert q.retry_config.max_backoff.total_seconds() == 3600
    assert q.retry_config.max_doublings == 16


def test_mode_pull_makes_a_pull_queue(beta2: Any) -> None:
    q = beta2.get_queue(name=f"{PARENT}/queues/pulled")
    assert "pull_target" in q
    assert q.retry_config.max_attempts == 1
    task = beta2.create_task(parent=q.name, task={"pull_message": {"payload": b"x"}})
    leased = beta2.lease_tasks(
        request={"parent": q.name, "max_tasks": 1, "lease_duration": {"seconds": 60}}
    )
    assert [t.name for t in leased.tasks] == [task.name]


# -- Queue resources ---------------------------------------------------------------------


def test_resources_set_any_field_in_json_or_yaml(v2: Any) -> None:
    q = v2.get_queue(name=f"{PARENT}/queues/resource-queue")
    assert q.rate_limits.max_dispatches_per_second == 2
    assert q.rate_limits.max_concurrent_dispatches == 7
    assert q.rate_limits.max_burst_size == 1  # output only: from the rate, as the API does
    assert q.retry_config.max_attempts == 3
    assert q.retry_config.min_backoff.total_seconds() == 1.5
    assert q.http_target.uri_override.host == "localhost"
    assert q.http_target.uri_override.port == 9
    q = v2.get_queue(name=f"{PARENT}/queues/json-queue")
    assert q.rate_limits.max_dispatches_per_second == 100
    q = v2.get_queue(name=f"{PARENT}/queues/json-appengine")
    assert q.app_engine_routing_override.service == "api"


def test_a_full_name_keeps_its_location_and_state_names_the_starting_state(
    v2: Any, fresh: Emulator
) -> None:
    name = "projects/proj/locations/europe-west1/queues/elsewhere"
    assert v2.get_queue(name=name).state == tasks_v2.Queue.State.PAUSED
    assert "europe-west1" in fresh.settings.locations


# -- applied at start, again on reset and on restart ---------------------------------------


def test_reset_and_restart_apply_the_files_again(tmp_path: Path) -> None:
    path = write(tmp_path, "queue.yaml", "queue:\n- name: q\n  rate: 1/s\n")
    data = str(tmp_path / "state.db")
    with Emulator(queue_files=[path], project="proj", data=data) as emu, emu.client() as c:
        c.update_queue(queue={"name": f"{PARENT}/queues/q", "rate_limits": {}})
        c.pause_queue(name=f"{PARENT}/queues/q")
        emu.reset()
        q = c.get_queue(name=f"{PARENT}/queues/q")
        assert (q.state, q.rate_limits.max_dispatches_per_second) == (q.State.RUNNING, 1)
        c.pause_queue(name=f"{PARENT}/queues/q")
    write(tmp_path, "queue.yaml", "queue:\n- name: q\n  rate: 2/s\n")
    with Emulator(queue_files=[path], project="proj", data=data) as emu, emu.client() as c:
        q = c.get_queue(name=f"{PARENT}/queues/q")
        # the file's settings win; the state the queue was left in is kept
        assert (q.state, q.rate_limits.max_dispatches_per_second) == (q.State.PAUSED, 2)


def test_the_reset_endpoint_makes_the_start_queues_again(tmp_path: Path) -> None:
    import json
    import urllib.request

    path = write(tmp_path, "queue.yaml", "queue:\n- name: q\n  rate: 1/s\n")
    other = "projects/other/locations/us-central1/queues/named"
    with Emulator(queues=[path, other], project="proj") as emu, emu.client() as c:

        def reset(body: dict[str, str]) -> None:
            request = urllib.request.Request(
                f"{emu.http_url}/_emulator/reset",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                assert answer.status == 200

        def ids(project: str) -> list[str]:
            found = c.list_queues(parent=f"projects/{project}/locations/us-central1")
            return [q.name.rsplit("/", 1)[1] for q in found]

        c.create_queue(parent=PARENT, queue={"name": f"{PARENT}/queues/extra"})
        c.delete_queue(name=other)
        reset({"project": "proj"})  # one project: its start queues again, nothing else
        assert (ids("proj"), ids("other")) == (["q"], [])
        c.create_queue(parent=PARENT, queue={"name": f"{PARENT}/queues/extra"})
        reset({})
        assert (ids("proj"), ids("other")) == (["q"], ["named"])


# -- mistakes ----------------------------------------------------------------------------

MISTAKES = [
    ("queue.yaml", "queue:\n- name: a\n  rate: 5/x\n", ":3: queue[0].rate: '5/x' is not a rate"),
    ("queue.yaml", "queue:\n- name: a\n  rate: 600/s\n", ":3: queue[0].rate: '600/s' is over"),
    (
        "queue.yaml",
        "queue:\n- name: a\n  bucket_size: 0\n",
        ":3: queue[0].bucket_size: 0 is not a whole number from 1 to 500",
    ),
    (
        "queue.yaml",
        "queue:\n- name: a\n- name: b\n  retry_parameters:\n    task_age_limit: 2w\n",
        ":5: queue[1].retry_parameters.task_age_limit: '2w' is not a time",
    ),
    (
        "queue.yaml",
        "queue:\n- name: a\n  retry_parameters:\n    task_retry_limit: -1\n",
        ":4: queue[0].retry_parameters.task_retry_limit: -1 is not a whole number",
    ),
    ("queue.yaml", "queue:\n- name: a\n  colour: red\n", ":3: queue[0].colour: is not a queue"),
    ("queue.yaml", "queue:\n- rate: 1/s\n", ":2: queue[0].name: is required"),
    ("queue.yaml", "queue:\n- name: a_b\n", ":2: queue[0].name: 'a_b' is not a queue id"),
    ("queue.yaml", "queue:\n- name: a\n- name: a\n", ":3: queue[1]: " + PARENT + "/queues/a is"),
    ("queue.yaml", "queue:\n- name: a\n  mode: poll\n", ":3: queue[0].mode: 'poll': use push"),
    ("queue.yaml", "queue:\n  - name: [a\n", ":2: not valid YAML or JSON"),
    ("queue.yaml", "", ":1: the file declares nothing"),
    (
        "queues.json",
        '[{"name": "a",\n  "rateLimits": {"maxDispatchesPerSecond": "fast"}}]',
        ":2: [0].rateLimits.maxDispatchesPerSecond: Couldn't parse float: fast",
    ),
    (
        "queues.json",
        '[{"name": "a",\n  "rateLimits": {"maxDispatchesPerSecond": 501}}]',
        ":2: [0].rateLimits.maxDispatchesPerSecond: RateLimits.maxDispatchesPerSecond must be"
        " less than or equal to 500.",
    ),
    (
        "queues.yaml",
        "queues:\n- name: a\n  retryConfig:\n    minBackof: 1s\n",
        ":4: queues[0].retryConfig.minBackof: is not a field of RetryConfig",
    ),
    ("queues.yaml", "queues:\n- rateLimits: {}\n", ":2: queues[0].name: is required"),
    ("queues.yaml", "- name: a\n  state: GONE\n", ":2: [0].state: 'GONE': use RUNNING"),
    ("queues.yaml", "name: a\n", ":1: expected a queue: list (queue.yaml), or a list of Queue"),
]


@pytest.mark.parametrize(("name", "text", "expected"), MISTAKES)
def test_a_mistake_names_the_file_line_and_field_on_one_line(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ValueError) as caught:
        Emulator(queue_files=[path], project="proj")
    message = str(caught.value)
    assert message.startswith(path + expected), message
    assert "\n" not in message


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.yaml")
    with pytest.raises(ValueError, match=f"^{missing}: cannot be read: No such file"):
        Emulator(queue_files=[missing])


def test_the_cli_refuses_a_bad_file_with_exit_code_2(tmp_path: Path) -> None:
    path = write(tmp_path, "queue.yaml", "queue:\n- name: a\n  rate: fast\n")
    done = subprocess.run(
        [*cli_process.CLI, "--port", "0", "--queues", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"cloud-tasks-emulator: --queues {path}:3: queue[0].rate: 'fast' is not a rate;"
        " write N/s, N/m, N/h or N/d (5/s)\n"
    )
    assert done.stdout == ""


def test_the_cli_reads_files_from_the_flag_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(tmp_path, "queue.yaml", "queue:\n- name: from-yaml\n  rate: 2/s\n")
    second = write(tmp_path, "queues.json", '[{"name": "from-json"}]')
    env = {"CLOUD_TASKS_EMULATOR_QUEUE_FILES": os.pathsep.join([first, second])}
    args = ("--no-dispatch", "--port", "0", "--project", "proj", "--location", "asia-east1")
    listed = {"CLOUD_TASKS_EMULATOR_QUEUES": f"{first},{second}"}  # as --queue takes them
    for extra, environment in (
        ((), env),
        (("--queues", first, "--queues", second), {}),
        (("--queue", first, "--queue", second), {}),
        ((), listed),
    ):
        with cli_process.running(*args, *extra, env=environment) as (_, host, _):
            monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
            client = tasks_v2.CloudTasksClient()
            names = [
                q.name for q in client.list_queues(parent="projects/proj/locations/asia-east1")
            ]
            assert [name.rsplit("/", 1)[1] for name in names] == ["from-json", "from-yaml"]


# -- UploadQueueYaml ---------------------------------------------------------------------


def upload(client: Any, text: str, app_id: str = "proj") -> None:
    client.upload_queue_yaml(request={"app_id": app_id, "http_body": {"data": text.encode()}})


def test_upload_creates_updates_and_disables_every_other_queue(beta2: Any, v2: Any) -> None:
    v2.create_queue(parent=PARENT, queue={"name": f"{PARENT}/queues/made-by-api"})
    upload(beta2, "queue:\n- name: mail\n  rate: 1/s\n  bucket_size: 3\n- name: new-one\n")
    states = {q.name.rsplit("/", 1)[1]: q.state.name for q in v2.list_queues(parent=PARENT)}
    assert states == {
        "mail": "RUNNING",
        "new-one": "RUNNING",
        # every queue of the app the file leaves out, however it was made
        "made-by-api": "DISABLED",
        "plain": "DISABLED",
        "pulled": "DISABLED",
        "resource-queue": "DISABLED",
        "json-queue": "DISABLED",
        "json-appengine": "DISABLED",
    }
    mail = v2.get_queue(name=f"{PARENT}/queues/mail")
    assert mail.rate_limits.max_dispatches_per_second == 1
    assert mail.rate_limits.max_burst_size == 3
    # the file is the whole configuration: what it leaves out is back to the defaults
    assert mail.retry_config.max_attempts == -1
    assert not mail.app_engine_routing_override.service
    # other locations are not the app's
    other = v2.get_queue(name="projects/proj/locations/europe-west1/queues/elsewhere")
    assert other.state == tasks_v2.Queue.State.PAUSED


def test_an_upload_naming_a_disabled_queue_runs_it_and_paused_ones_on_request(
    beta2: Any, v2: Any
) -> None:
    upload(beta2, "queue:\n- name: mail\n")
    v2.pause_queue(name=f"{PARENT}/queues/mail")
    upload(beta2, "queue:\n- name: mail\n- name: plain\n")
    assert v2.get_queue(name=f"{PARENT}/queues/plain").state.name == "RUNNING"
    assert v2.get_queue(name=f"{PARENT}/queues/mail").state.name == "PAUSED"
    upload(beta2, "resume_paused_queues: true\nqueue:\n- name: mail\n- name: plain\n")
    assert v2.get_queue(name=f"{PARENT}/queues/mail").state.name == "RUNNING"


def test_a_disabled_queue_takes_tasks_delivers_none_and_can_be_deleted(
    fresh: Emulator, beta2: Any
) -> None:
    with serving() as handler, fresh.client() as v2:
        upload(beta2, "queue:\n- name: mail\n")
        disabled, running = f"{PARENT}/queues/plain", f"{PARENT}/queues/mail"
        target = {"http_request": {"url": handler.url("/disabled")}}
        held = v2.create_task(parent=disabled, task=target)
        v2.create_task(parent=running, task={"http_request": {"url": handler.url("/running")}})
        handler.wait_for(1, "/running")
        fresh.wait_until_drained(running)
        assert [r.path for r in handler.received] == ["/running"]
        assert [t.name for t in v2.list_tasks(parent=disabled)] == [held.name]
        v2.delete_queue(name=disabled)
        with pytest.raises(exceptions.NotFound):
            v2.get_queue(name=disabled)


def test_a_disabled_queue_is_delivered_again_once_an_upload_names_it(
    fresh: Emulator, beta2: Any
) -> None:
    with serving() as handler, fresh.client() as v2:
        upload(beta2, "queue:\n- name: mail\n")
        queue = f"{PARENT}/queues/plain"
        v2.create_task(parent=queue, task={"http_request": {"url": handler.url("/later")}})
        upload(beta2, "queue:\n- name: plain\n")
        handler.wait_for(1, "/later")


@pytest.mark.parametrize(
    ("text", "app_id", "message"),
    [
        ("queue:\n- name: a\n  rate: 1/fortnight\n", "proj", "queue.yaml:3: queue[0].rate: '1/"),
        ("queue:\n- name: a\n  retry_parameters: 3\n", "proj", "queue.yaml:3: queue[0].retry_"),
        ("queue:\n- name: [\n", "proj", "queue.yaml:2: not valid YAML or JSON"),
        ("[]\n", "proj", "queue.yaml:1: expected a queue: list (queue.yaml)"),
        ("queue:\n- name: pulled\n", "proj", "queue.yaml:2: queue[0]: The queue is a pull queue"),
        ("queue: []\n", "", "UploadQueueYamlRequest.appId is required."),
        ("queue: []\n", "a/b", "Queue name must be formatted"),
    ],
)
def test_an_upload_mistake_is_invalid_argument_and_changes_nothing(
    beta2: Any, v2: Any, text: str, app_id: str, message: str
) -> None:
    before = list(v2.list_queues(parent=PARENT))
    with pytest.raises(exceptions.InvalidArgument) as caught:
        upload(beta2, text, app_id)
    assert caught.value.message.startswith(message), caught.value.message
    assert list(v2.list_queues(parent=PARENT)) == before


def test_an_upload_without_a_body_is_invalid_argument(beta2: Any) -> None:
    with pytest.raises(exceptions.InvalidArgument, match="httpBody is required"):
        beta2.upload_queue_yaml(request=tasks_v2beta2.UploadQueueYamlRequest(app_id="proj"))


def test_the_upload_is_in_the_emulators_location() -> None:
    with Emulator(location="asia-east1", dispatch=False) as emu:
        with emu.client("v2beta2") as beta2, emu.client() as v2:
            upload(beta2, "queue:\n- name: here\n")
            assert [
                q.name for q in v2.list_queues(parent="projects/proj/locations/asia-east1")
            ] == ["projects/proj/locations/asia-east1/queues/here"]


def test_queues_takes_ids_names_and_files_and_refuses_anything_else(tmp_path: Path) -> None:
    path = write(tmp_path, "queue.yaml", "queue:\n- name: from-file\n")
    given = ["plain-id", f"{PARENT}/queues/full", path]
    with Emulator(queues=given, project="proj", dispatch=False) as emu, emu.client() as c:
        names = sorted(q.name.rsplit("/", 1)[1] for q in c.list_queues(parent=PARENT))
        assert names == ["from-file", "full", "plain-id"]
    with pytest.raises(ValueError, match="'bad_id' is not a queue id"):
        Emulator(queues=["bad_id"])


@pytest.mark.parametrize(
    ("args", "env", "source"),
    [
        (["--queue", "{path}"], {}, "--queue"),
        ([], {"CLOUD_TASKS_EMULATOR_QUEUES": "{path}"}, "CLOUD_TASKS_EMULATOR_QUEUES"),
        ([], {"CLOUD_TASKS_EMULATOR_QUEUE_FILES": "{path}"}, "CLOUD_TASKS_EMULATOR_QUEUE_FILES"),
    ],
)
def test_a_bad_file_is_named_with_where_it_was_given(
    tmp_path: Path, args: list[str], env: dict[str, str], source: str
) -> None:
    path = write(tmp_path, "queue.yaml", "queue:\n- name: a\n  rate: fast\n")
    done = subprocess.run(
        [*cli_process.CLI, "--port", "0", *(a.format(path=path) for a in args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **{k: v.format(path=path) for k, v in env.items()}},
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"cloud-tasks-emulator: {source} {path}:3: queue[0].rate:")
