"""The docs runner itself: what it collects, what it skips, and that a failing block fails.

Each check would pass vacuously if the runner ran nothing, so each runs a
block that must fail, or checks a side effect that only a real run leaves.
"""

from __future__ import annotations

import re
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from docs.blocks import Block, MarkerError, blocks_of, documents, markdown_blocks, rst_blocks
from docs.isolation import require_namespace
from docs.session import Session

RST = """\
Title
=====

Some prose.

.. not-run: needs Google credentials

.. code-block:: python

   print("not run")

.. code-block:: sh

   echo run

.. code-block:: yaml

   never: run
"""

MARKDOWN = """\
# Title

<!-- not-run: needs Google credentials -->
```python
print("not run")
```

```sh
echo run
```
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_rst_blocks_and_markers(tmp_path: Path) -> None:
    marked, plain = rst_blocks(write(tmp_path, "page.rst", RST))
    assert (marked.kind, marked.line, marked.not_run) == ("python", 10, "needs Google credentials")
    assert (plain.kind, plain.line, plain.not_run, plain.code) == ("shell", 14, None, "echo run\n")


def test_markdown_blocks_and_markers(tmp_path: Path) -> None:
    marked, plain = markdown_blocks(write(tmp_path, "page.md", MARKDOWN))
    assert (marked.kind, marked.line, marked.not_run) == ("python", 5, "needs Google credentials")
    assert (plain.kind, plain.line, plain.not_run) == ("shell", 9, None)


def test_markers_are_not_shown(tmp_path: Path) -> None:
    pytest.importorskip("sphinx")  # installed with the docs extra
    from sphinx.cmd.build import build_main

    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text("")
    (source / "index.rst").write_text(RST)
    built = tmp_path / "html"
    assert build_main(["-q", "-b", "html", str(source), str(built)]) == 0
    html = (built / "index.html").read_text()
    assert "Some prose." in html and "not-run" not in html and "Google" not in html
    rendered = MarkdownIt("commonmark").render(MARKDOWN)
    # kept only as an HTML comment, which a browser does not show
    assert "<!-- not-run: needs Google credentials -->" in rendered
    assert rendered.count("not-run") == 1


@pytest.mark.parametrize(
    "text",
    [
        ".. not-run:\n\n.. code-block:: sh\n\n   echo\n",  # no reason
        ".. not-run: why\n\nA paragraph.\n\n.. code-block:: sh\n\n   echo\n",  # not before it
        ".. not-run: why\n\n.. code-block:: yaml\n\n   a: b\n",  # a block never run
        "Text.\n\n.. not-run: why\n",  # nothing after it
    ],
)
def test_a_stray_marker_is_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(MarkerError):
        rst_blocks(write(tmp_path, "page.rst", text))


def test_a_stray_markdown_marker_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MarkerError):
        markdown_blocks(write(tmp_path, "page.md", "<!-- not-run: why -->\nText.\n"))


def test_every_block_of_the_pages_is_collected() -> None:
    """The parsers find as many blocks as a plain count of the directives and fences."""
    for path in documents():
        text = path.read_text()
        if path.suffix == ".md":
            expected = len(re.findall(r"^```(python|py|sh|bash|shell|console)\b", text, re.M))
        else:
            directive = (
                r"^\s*\.\. (code-block|code|sourcecode):: (python|py|sh|bash|shell|console)\s*$"
            )
            expected = len(re.findall(directive, text, re.M))
        assert len(blocks_of(path)) == expected, path
    assert sum(len(blocks_of(path)) for path in documents()) >= 30


def test_remote_hosts() -> None:
    block = Block(
        "x.rst",
        1,
        "python",
        'a = "https://example.com/w"; b = "http://localhost:8080/"; c = "http://127.0.0.1:1/"\n'
        'd = "http://[::1]:8/"; e = "http://worker.localhost/"\n',
    )
    assert block.remote_hosts() == {"example.com"}


# -- the kernel: real runs, in a network namespace ------------------------------------------


@pytest.fixture
def session() -> Iterator[Session]:
    require_namespace()
    opened = Session("runner test")
    yield opened
    opened.close()


def py(code: str, line: int = 1) -> Block:
    return Block("runner-test.rst", line, "python", textwrap.dedent(code))


def sh(code: str, line: int = 1) -> Block:
    return Block("runner-test.rst", line, "shell", textwrap.dedent(code))


def test_failures_fail(session: Session) -> None:
    raised = session.run(py("x = 1\nraise RuntimeError('boom')\n", line=40))
    assert not raised.ok and "RuntimeError: boom" in raised.error
    assert 'runner-test.rst", line 41' in raised.error  # the page's own line
    assert "kernel.py" not in raised.error
    exited = session.run(py("raise SystemExit(3)\n"))
    assert not exited.ok
    first_line = session.run(sh("false\necho after\n"))
    assert not first_line.ok and "after" not in first_line.output
    piped = session.run(sh("false | cat\n"))
    assert not piped.ok


def test_curl_fails_on_an_error_status(session: Session) -> None:
    refused = session.run(sh("curl -s -X POST -d x http://127.0.0.1:8123/_emulator/reset\n"))
    assert not refused.ok and "INVALID_ARGUMENT" in refused.output  # no JSON content type
    served = session.run(sh("curl -s http://127.0.0.1:8123/_emulator/health\n"))
    assert served.ok and '"ok"' in served.output


def test_blocks_share_names_and_exports(session: Session) -> None:
    assert session.run(py("answer = 42\n")).ok
    assert session.run(sh("export DOC_VALUE=seven\n")).ok
    shared = session.run(py("import os\nprint(answer, os.environ['DOC_VALUE'])\n"))
    assert shared.ok and shared.output == "42 seven\n"
    assert session.run(sh('test "$DOC_VALUE" = seven\n')).ok


def test_an_emulator_and_the_variable_are_there(session: Session) -> None:
    listed = session.run(
        py(
            """\
            import os
            from google.cloud import tasks
            print(os.environ["CLOUD_TASKS_EMULATOR_HOST"])
            queues = tasks.CloudTasksClient().list_queues(
                parent="projects/my-project/locations/us-central1"
            )
            print([q.name.rsplit("/", 1)[1] for q in queues])
            """
        )
    )
    assert listed.ok, listed.report("listing")
    assert listed.output == "127.0.0.1:8123\n['my-queue']\n"


def test_an_emulator_the_page_starts_runs_in_the_background(session: Session) -> None:
    started = session.run(
        sh(
            "cloud-tasks-emulator start --port 8123 --queue other-queue\n"
            "export CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123\n"
        ),
        starts_emulator=True,
    )
    assert started.ok, started.report("start")
    assert "Cloud Tasks emulator listening on 127.0.0.1:8123" in started.output
    listed = session.run(sh("curl -s http://127.0.0.1:8123/_emulator/queues\n"))
    assert listed.ok and "other-queue" in listed.output and "my-queue" not in listed.output
    pid = session.run(sh("cat .runner/emulators\n")).output.strip()
    assert pid.isdigit()
    assert session.run(sh(f"kill -0 {pid}\n")).ok
    session.close()
    assert _gone(Path(f"/proc/{pid}"), within=10.0), f"emulator {pid} still runs after the page"


def _gone(proc: Path, within: float) -> bool:
    """Whether the process at ``proc`` ends (or is a zombie) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if "zombie" in (proc / "status").read_text():
                return True
        except OSError:  # gone, and reaped
            return True
        time.sleep(0.05)
    return False


def test_a_task_for_a_remote_host_is_kept_not_sent() -> None:
    require_namespace()
    block = py(
        """\
        from google.cloud import tasks
        from google.cloud.tasks.emulator import Emulator
        client = tasks.CloudTasksClient()
        parent = "projects/my-project/locations/us-central1/queues/my-queue"
        client.create_task(parent=parent, task={"http_request": {"url": "https://example.com/w"}})
        """
    )
    kept = Session("remote", dispatch=False)
    try:
        assert kept.run(block, remote=["example.com"]).ok
        check = kept.run(
            sh("sleep 0.5; curl -s http://127.0.0.1:8123/_emulator/queues/my-queue/tasks\n")
        )
        assert check.ok and "example.com" in check.output and '"attempts": []' in check.output
    finally:
        kept.close()
    delivering = Session("remote, delivering")
    try:
        refused = delivering.run(block, remote=["example.com"])
        assert not refused.ok and refused.error.startswith("refused: it names example.com")
    finally:
        delivering.close()


def test_nothing_but_loopback(session: Session) -> None:
    interfaces = session.run(
        py("import socket\nprint(sorted(n for _, n in socket.if_nameindex()))")
    )
    assert interfaces.ok and interfaces.output == "['lo']\n"


def test_a_handler_on_8080_when_a_block_names_one(session: Session) -> None:
    block = py(
        """\
        import urllib.request
        answer = urllib.request.urlopen(
            urllib.request.Request("http://localhost:8080/work", data=b"x", method="POST")
        )
        print(answer.status)
        """
    )
    assert not session.run(block).ok  # nothing listens unless asked for
    answered = session.run(block, handler=True)
    assert answered.ok and answered.output == "200\n"


def test_a_server_in_the_background_is_waited_for(session: Session) -> None:
    served = session.run(
        sh(
            "(sleep 1; exec python -m http.server --bind 127.0.0.1 8090) >/dev/null 2>&1 &\n"
            "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8090/\n"
        )
    )
    assert served.ok and served.output.endswith("200"), served.report("server")


def test_a_block_of_tests_runs_them(session: Session) -> None:
    passing = session.run(
        py(
            """\
            def test_the_fixture_works(cloud_tasks_emulator):
                assert cloud_tasks_emulator.client().list_queues(
                    parent="projects/p/locations/us-central1"
                ) is not None
            """
        )
    )
    assert passing.ok and "1 passed" in passing.output, passing.report("passing")
    failing = session.run(py("def test_fails():\n    assert 1 == 2\n", line=7))
    assert not failing.ok and "1 failed" in failing.output
