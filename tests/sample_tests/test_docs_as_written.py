"""What the README and docs/ tell a new user to do works as written.

Each test follows one passage: the REST client for ``--http-port`` on a
machine without Google credentials, the end-to-end test of docs/testing.rst,
the handler docs/getting-started.rst starts (and the hint the emulator logs
when a handler refuses the method), the ``nox`` the README runs, and the
import note of docs/migrating.rst.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

from .conftest import QUEUE, ROOT

DOCS = ROOT / "docs"


def python_blocks(doc: Path) -> list[str]:
    """The code of each ``.. code-block:: python`` of an .rst file, dedented."""
    blocks = []
    lines = doc.read_text().splitlines()
    for at, line in enumerate(lines):
        if line.strip() != ".. code-block:: python":
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        for following in lines[at + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        code = textwrap.dedent("\n".join(body)).strip("\n")
        blocks.append("\n".join(x for x in code.splitlines() if not x.startswith(":")))
    return blocks


def the_block(doc: Path, holding: str) -> str:
    (block,) = [b for b in python_blocks(doc) if holding in b]
    return block


def without_google_credentials(tmp_path: Path) -> dict[str, str]:
    """The environment of a machine with no Google credentials (and no metadata server:
    google-auth is told it is not on Google Cloud, and its metadata address is a closed
    loopback port, so nothing leaves the machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "CLOUDSDK_"))}
    env.pop("CLOUD_TASKS_EMULATOR_HOST", None)
    env.update(
        HOME=str(tmp_path),
        CLOUDSDK_CONFIG=str(tmp_path / "gcloud"),
        NO_GCE_CHECK="true",
        GCE_METADATA_HOST="127.0.0.1:9",
        GCE_METADATA_IP="127.0.0.1:9",
    )
    return env


def run_python(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


# -- the REST client for --http-port (docs/emulator.rst, README.md) -------------------------


@pytest.fixture(scope="module")
def split_ports() -> Iterator[Emulator]:
    """``cloud-tasks-emulator start --http-port N``: REST on a port of its own."""
    with Emulator(http_port=0, queues=[QUEUE], dispatch=False) as emulator:
        yield emulator


def test_the_http_port_client_of_the_docs_needs_no_google_credentials(
    split_ports: Emulator, tmp_path: Path
) -> None:
    block = the_block(DOCS / "emulator.rst", '"api_endpoint"')
    assert "http://127.0.0.1:8124" in block
    code = "from google.cloud import tasks\n"  # as the page's other examples do
    code += block.replace("http://127.0.0.1:8124", split_ports.http_url)
    code += textwrap.dedent(
        """
        parent = "projects/my-project/locations/us-central1"
        print([q.name for q in client.list_queues(parent=parent)])
        """
    )
    result = run_python(code, without_google_credentials(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == f"[{QUEUE!r}]\n"


def test_the_readme_names_the_credentials_of_the_http_port_client() -> None:
    readme = (ROOT / "README.md").read_text()
    passage = readme[readme.index("`--http-port N` moves REST") :].split("\n\n", 1)[0]
    assert "credentials=AnonymousCredentials()" in passage
    assert "from google.auth.credentials import AnonymousCredentials" in passage


# -- docs/testing.rst: the end-to-end test ----------------------------------------------


def test_the_end_to_end_test_of_the_testing_page_passes(tmp_path: Path) -> None:
    """The block runs as a test module of its own, with only the package's pytest plugin."""
    block = the_block(DOCS / "testing.rst", "def test_handler_receives_the_task")
    (tmp_path / "test_from_docs.py").write_text(block + "\n")
    env = {k: v for k, v in os.environ.items() if k != "CLOUD_TASKS_EMULATOR_HOST"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_from_docs.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout


# -- docs/getting-started.rst: a handler that accepts POST --------------------------------


def test_getting_started_starts_a_handler_that_accepts_post() -> None:
    page = (DOCS / "getting-started.rst").read_text()
    included = re.findall(r"literalinclude:: \.\./(samples/snippets/\w+\.py)", page)
    assert "samples/snippets/task_handler.py" in included
    assert "python samples/snippets/task_handler.py" in page
    assert "any HTTP server" not in page
    # (tests/sample_tests/test_http_tasks.py delivers tasks to that handler)


@pytest.fixture
def static_files_server(tmp_path: Path) -> Iterator[str]:
    """``python -m http.server`` on a free port: it answers POST with 501."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/work"
    finally:
        server.shutdown()
        server.server_close()


def test_the_delivery_log_line_says_the_handler_refuses_the_method(
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    static_files_server: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="google.cloud.tasks.emulator.dispatch"):
        client.create_task(parent=QUEUE, task={"http_request": {"url": static_files_server}})
        (attempt,) = emu.wait_for_deliveries(1, QUEUE)
    assert attempt.status == 501
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("deliver ")]
    assert " attempt 1: 501 (the handler does not accept POST) in " in line


# -- the README's nox, docs/migrating.rst's import note ------------------------------------


def test_an_extra_installs_the_nox_the_readme_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "nox -s docs" in readme
    extras = (ROOT / "pyproject.toml").read_text().split("[project.optional-dependencies]")[1]
    extras = extras.split("\n[", 1)[0]
    (line,) = [line for line in extras.splitlines() if '"nox' in line]
    extra = line.split("=", 1)[0].strip()
    assert f'pip install -e ".[{extra}]"' in readme


def test_the_migrating_page_gives_the_import_the_fast_import_no_longer_does(
    tmp_path: Path,
) -> None:
    """``import google.cloud.tasks_v2`` stays fast (it leaves google.auth.credentials
    unloaded, unlike the reference), and the page says how code that relied on that
    side effect imports what it uses."""
    assert "import google.auth.credentials" in the_block(DOCS / "migrating.rst", "google.auth")
    probe = textwrap.dedent(
        """
        import sys
        import google.auth
        import google.cloud.tasks_v2
        from google.cloud import tasks
        print("google.auth.credentials" in sys.modules)
        import google.auth.credentials  # the fix the page gives
        print(google.auth.credentials.Credentials.__name__)
        """
    )
    result = run_python(probe, without_google_credentials(tmp_path), ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "Credentials"]
