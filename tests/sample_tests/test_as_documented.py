"""Every sample runs exactly as its docstring says, and prints what it should.

The convention, in each sample's module docstring:

- ``Run: COMMAND`` is the command that runs the sample to completion;
- ``Serve: COMMAND`` starts a server that keeps running, and each
  ``Then: COMMAND`` is run while it serves (in another terminal, say);
- a command ending in ``\\`` goes on on the next line.

Each sample runs on a fresh emulator, started as docs/samples.rst says
(``cloud-tasks-emulator start --queue my-queue``, with
``CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123`` exported), from the checkout's
root, in a network namespace of its own (see ``tests/docs/isolation.py``), so
the ports the samples use by default (8123, 8080) are free and nothing
leaves the machine.  Every command must exit 0 and the output must match the
sample's expectation below; a server must show that it received a real
delivery before it is stopped.

The samples' own tests (the other modules here) call their functions; this
module checks the commands a reader would type.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from docs.blocks import Block
from docs.isolation import require_namespace
from docs.session import Session

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [ROOT / "samples" / "quickstart.py", *sorted((ROOT / "samples/snippets").glob("*.py"))]
COMMAND = re.compile(r"^(Run|Serve|Then): ((?:.*\\\n)*.*)", re.M)
START = (
    "cloud-tasks-emulator start --queue my-queue\nexport CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123\n"
)
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"
TASK = rf"{QUEUE}/tasks/\S+"


@dataclass(frozen=True)
class Expect:
    #: patterns the commands' output must match (re.M)
    output: tuple[str, ...]
    #: for a server: what it prints once it has received the delivery (unanchored: the
    #: server's threads may write their log lines in the middle of it)
    served: str | None = None


EXPECTED: dict[str, Expect] = {
    "quickstart": Expect((r"previous response 503 -> answered 200", r"all tasks delivered \(4 ")),
    "async_client": Expect((rf"created 3 task\(s\) concurrently\n(  {TASK}\n){{3}}",)),
    "batch_create_tasks": Expect((rf"(created {TASK}\n){{3}}3 task\(s\) in one batch",)),
    "buffer_task": Expect((rf"^buffered {TASK}$",)),
    "create_app_engine_task": Expect((rf"^created {TASK} for /tasks/process$",)),
    "create_http_task": Expect((rf"^created {TASK} \(POST http://localhost:8080/tasks\)$",)),
    "create_http_task_json": Expect((rf"^created {TASK} with JSON body ",)),
    "create_http_task_with_oauth_token": Expect((rf"^created {TASK}; OAuth token ",)),
    "create_http_task_with_oidc_token": Expect((rf"^created {TASK}; OIDC token for http://",)),
    "create_queue": Expect(
        (r"^created projects/my-project/locations/us-central1/queues/my-new-queue \(RUNNING\)$",)
    ),
    "create_scheduled_task": Expect((rf"^created {TASK}, due at ", r"^dispatch deadline: 0:02:00")),
    "delete_queue": Expect((rf"^deleted {QUEUE}$",)),
    "delete_task": Expect((rf"^deleted {TASK}$",)),
    "get_queue": Expect((rf"^{QUEUE}: RUNNING$", r"^  max dispatches per second: 500$")),
    "list_queues": Expect((rf"^{QUEUE} \(RUNNING\)\n1 queue\(s\)$",)),
    "list_tasks": Expect((r"^0 task\(s\)$",)),
    "migrate_from_1x": Expect(
        (rf"^{QUEUE} running: True$", rf"^created {TASK}", rf"^deleted {TASK}")
    ),
    "move_the_clock": Expect(
        (
            r"/report retry 0 -> 200\ndelivered 0\.\d\d s after the move",
            r"/flaky retry 1 -> 200\nall delivered",
        )
    ),
    "pause_queue": Expect((rf"^{QUEUE} is now PAUSED$",)),
    "pull_queue_worker": Expect((r"^leased 3 task\(s\)$", r"^acknowledged .* \(job 0\)$")),
    "purge_queue": Expect((rf"^purged {QUEUE}; ",)),
    "rest_transport": Expect((rf"^created {TASK} over REST\nqueue {QUEUE} holds it$",)),
    "queues_from_file": Expect(
        (
            r"^emails: RUNNING, 10/min \(burst 5\), attempts: 4$",
            r"^emails: DISABLED, .*\nreports: RUNNING, 120/min \(burst 5\), attempts: unlimited$",
        )
    ),
    "resume_queue": Expect((rf"^{QUEUE} is now RUNNING$",)),
    "route_to_local_app": Expect(
        (
            r"^created \S+/queues/jobs/tasks/\S+ for https://worker-abc-uc\.a\.run\.app/jobs/",
            r"^handled job resize-42 for worker-abc-uc\.a\.run\.app: 'photo\.jpg'$",
        )
    ),
    "run_task": Expect((rf"^dispatched {TASK} \(attempt \d+\)$",)),
    "update_queue": Expect((rf"{QUEUE}",)),
    "task_handler": Expect(
        # no $: the server shares the output, and its access log may follow on the same line
        (rf"^created {TASK} \(POST http://localhost:8080/tasks\)",),
        r"POST /tasks",
    ),
    "verify_oidc_token_handler": Expect(
        (rf"^created {TASK}; OIDC token",),
        r"accepted a task from tasks-invoker@my-project\.iam\.gserviceaccount\.com",
    ),
    "web_app": Expect((rf'"task": ?"{TASK}"',), r"handled task \S+: 'hi'"),
}


def commands(sample: Path) -> list[tuple[str, str]]:
    """The (keyword, command) pairs of the sample's docstring, in order."""
    docstring = ast.get_docstring(ast.parse(sample.read_text())) or ""
    return [(keyword, command) for keyword, command in COMMAND.findall(docstring)]


def script(sample: Path) -> tuple[str, bool]:
    """The bash script that runs the sample as documented, and whether it serves."""
    found = commands(sample)
    keywords = [keyword for keyword, _ in found]
    if keywords == ["Run"]:
        return START + found[0][1] + "\n", False
    if keywords[:1] == ["Serve"] and len(keywords) > 1 and set(keywords[1:]) == {"Then"}:
        serve, *then = (command for _, command in found)
        return START + serve + " &\n" + "\n".join(then) + "\n", True
    raise AssertionError(
        f"{sample.relative_to(ROOT)}: its docstring needs one 'Run: COMMAND' line, or a"
        f" 'Serve: COMMAND' line and 'Then: COMMAND' lines; found {keywords}"
    )


def test_every_sample_says_how_to_run_it() -> None:
    for sample in SAMPLES:
        script(sample)  # raises, naming the sample, if it does not
        # the first command (Run or Serve) runs the sample itself, by its path from the root
        first = commands(sample)[0][1]
        assert f"python {sample.relative_to(ROOT)}" in first.replace("\\\n", " "), first
    assert sorted(EXPECTED) == sorted(sample.stem for sample in SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.stem for sample in SAMPLES])
def test_sample_runs_as_documented(sample: Path) -> None:
    require_namespace()
    code, serves = script(sample)
    expect = EXPECTED[sample.stem]
    session = Session(sample.name)
    try:
        ran = session.run(
            Block(str(sample.relative_to(ROOT)), 1, "shell", code), starts_emulator=True
        )
        assert ran.ok, ran.report(f"{sample.name}, run as documented") + f"\n--- ran ---\n{code}"
        for pattern in expect.output:
            assert re.search(pattern, ran.output, re.M), (
                f"{sample.name}: no line matches {pattern!r} in:\n{ran.output}"
            )
        if serves:
            assert expect.served is not None
            served = session.wait_for(expect.served, timeout=30)
            assert served.ok, served.report(f"{sample.name}, waiting for the delivery")
    finally:
        session.close()
