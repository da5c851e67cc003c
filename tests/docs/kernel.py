"""One document's session: runs its code blocks in order, as a reader would, in one process.

Started by :mod:`docs.session` inside a network namespace of its own (only a
loopback interface), so the ports the docs name (the emulator on 8123, a
handler on 8080) are always free, and nothing a block does can leave the
machine.  It reads one JSON request per line on stdin and answers each with
one JSON line on the file descriptor given as its first argument.

- ``python`` blocks run in one module namespace per document, in order, so a
  block sees the names earlier blocks defined.  A block that defines
  ``test_*`` functions is a pytest module: its tests run with pytest (the
  ``cloud_tasks_emulator`` fixture and any fixture the document defines).
- ``shell`` blocks run with bash (``set -eo pipefail``) in the document's
  working directory, with the environment that earlier blocks exported.
  ``cloud-tasks-emulator start ...`` runs in the background (as in another
  terminal) until the document ends; a command sent to the background with
  ``&`` is a server: the next line waits until it listens.  ``curl`` fails on
  an HTTP error status (``--fail-with-body``).
- Before each block an emulator serves ``127.0.0.1:8123`` with ``my-queue``
  (``CLOUD_TASKS_EMULATOR_HOST`` set to it), unless the document started its
  own, and a block that names a URL on ``localhost:8080`` finds a handler
  there answering 200.

Also a helper for the bash side: ``python kernel.py wait-listening PID``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"
EMULATOR_PORT = 8123
HANDLER_PORT = 8080
NAMESPACE_MODULE = "docs_block_namespace"
#: variables of the runner's own, never copied back from a shell block's environment
OWN_VARIABLES = re.compile(r"^(DOCS_.*|_|SHLVL|PWD|OLDPWD|BASH_.*)$")

PRELUDE = r"""
set -eo pipefail
__docs_save_env() { env -0 >"$DOCS_ENV_OUT"; }
trap __docs_save_env EXIT
curl() { command curl --fail-with-body --max-time 30 "$@"; }
__docs_stop_emulators() {
    local pid
    for pid in $(cat "$DOCS_DIR/emulators" 2>/dev/null); do
        kill -TERM "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    done
    : >"$DOCS_DIR/emulators"
}
cloud-tasks-emulator() {
    if [ "${1-}" != start ]; then command cloud-tasks-emulator "$@"; return; fi
    __docs_stop_emulators  # one emulator at a time, as in one terminal
    local log pid
    log="$(mktemp "$DOCS_DIR/emulator.XXXXXX")"
    command cloud-tasks-emulator "$@" >"$log" 2>&1 &
    pid=$!
    echo "$pid" >>"$DOCS_DIR/emulators"
    for _ in $(seq 300); do
        if grep -q '^export CLOUD_TASKS_EMULATOR_HOST=' "$log"; then cat "$log"; return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; return 1; fi
        sleep 0.1
    done
    echo "cloud-tasks-emulator did not start within 30 s" >&2
    return 1
}
__docs_wait_listening() { "$DOCS_PYTHON" "$DOCS_KERNEL" wait-listening "$1"; }
"""
BACKGROUND = re.compile(r"(?<![&|])&\s*(#.*)?$")


def shell_script(code: str) -> str:
    """The block as bash runs it: the prelude, then each line, with a wait after ``cmd &``."""
    lines = []
    for line in code.splitlines():
        lines.append(line)
        if BACKGROUND.search(line):
            lines.append("__docs_wait_listening $!")
    return PRELUDE + "\n".join(lines) + "\n"


# -- waiting for a server -----------------------------------------------------------------


def _listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if fields[3] == "0A":  # LISTEN
                    inodes.add(fields[9])
    return inodes


def _family(pid: int) -> set[int]:
    """``pid`` and its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family}
        grew = bool(more - family)
        family |= more
    return family


def wait_listening(pid: int, timeout: float = 30.0) -> int:
    """Return 0 once ``pid`` (or a process it started) listens on a TCP port; 1 if it ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            print(f"the server in the background (pid {pid}) ended", file=sys.stderr)
            return 1
        sockets = set()
        for member in _family(pid):
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{member}/fd"):
                    with contextlib.suppress(OSError):
                        target = os.readlink(f"/proc/{member}/fd/{fd}")
                        if target.startswith("socket:["):
                            sockets.add(target[8:-1])
        if sockets & _listening_inodes():
            return 0
        time.sleep(0.05)
    print(f"the server in the background (pid {pid}) did not listen within {timeout:g} s")
    return 1


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# -- the handler on 8080 ------------------------------------------------------------------


class _Answer200(BaseHTTPRequestHandler):
    """Answers 200 to any request, after reading its body."""

    def _any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

    def log_message(self, format: str, *args: Any) -> None:
        print(f"handler on {HANDLER_PORT}: {format % args}", file=sys.__stderr__, flush=True)


# -- the session --------------------------------------------------------------------------


class Kernel:
    def __init__(self, workdir: Path, dispatch: bool) -> None:
        self.workdir = workdir
        self.dispatch = dispatch
        self.module = types.ModuleType(NAMESPACE_MODULE)
        sys.modules[NAMESPACE_MODULE] = self.module
        self.emulator: Any = None
        self.handler: ThreadingHTTPServer | None = None
        self.state = workdir / ".runner"  # the runner's own files, beside the blocks' files
        self.state.mkdir()
        (self.state / "emulators").touch()
        self.last_output: Path | None = None
        os.chdir(workdir)
        # ``python`` and ``cloud-tasks-emulator`` are this interpreter's (its virtualenv's)
        bin_dir = self.state / "bin"
        bin_dir.mkdir()
        if not (Path(sys.executable).parent / "python").exists():
            # a wrapper, not a link: a linked interpreter would not find its virtualenv
            wrapper = bin_dir / "python"
            wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
            wrapper.chmod(0o755)
        os.environ["PATH"] = os.pathsep.join(
            [os.path.dirname(sys.executable), str(bin_dir), os.environ.get("PATH", "")]
        )

    # the emulator and the handler the blocks expect

    def prepare(self, request: dict[str, Any]) -> None:
        if request.get("starts_emulator"):
            self._stop_own_emulator()
        elif not listening(EMULATOR_PORT):
            from google.cloud.tasks.emulator import Emulator

            self.emulator = Emulator(port=EMULATOR_PORT, queues=[QUEUE], dispatch=self.dispatch)
            self.emulator.start()
            os.environ["CLOUD_TASKS_EMULATOR_HOST"] = self.emulator.host
        if request.get("remote") and (self.emulator is None or self.emulator.dispatching):
            raise Refused(
                f"it names {', '.join(request['remote'])}, a host off this machine, and the"
                " emulator serving it delivers tasks; the runner runs such a block only against"
                " an emulator it started with dispatch off, before the document starts its own"
            )
        if request.get("own_server"):
            self._stop_handler()
        elif request.get("handler") and not listening(HANDLER_PORT):
            self.handler = ThreadingHTTPServer(("127.0.0.1", HANDLER_PORT), _Answer200)
            threading.Thread(target=self.handler.serve_forever, daemon=True).start()

    def _stop_own_emulator(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None
            os.environ.pop("CLOUD_TASKS_EMULATOR_HOST", None)

    def _stop_handler(self) -> None:
        if self.handler is not None:
            self.handler.shutdown()
            self.handler.server_close()
            self.handler = None

    # python blocks

    def python(self, request: dict[str, Any]) -> dict[str, Any]:
        code, path, line = request["code"], str(ROOT / request["doc"]), request["line"]
        output = io.StringIO()
        try:
            tree = ast.parse(code)
            tests = [
                node.name
                for node in tree.body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.name.startswith("test")
            ]
            compiled = compile("\n" * (line - 1) + code, path, "exec")
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                exec(compiled, self.module.__dict__)
                if tests:
                    self._pytest(tests, line)
        except BaseException as exc:  # noqa: B036 - SystemExit and all: the block failed
            return {"ok": False, "output": output.getvalue(), "error": _traceback(exc)}
        return {"ok": True, "output": output.getvalue()}

    def _pytest(self, tests: list[str], line: int) -> None:
        import pytest

        where = Path(tempfile.mkdtemp(prefix="docs-pytest-", dir=self.state))
        (where / "pytest.ini").write_text("[pytest]\n")
        module = where / f"test_block_{line}.py"
        module.write_text(
            "import sys\n"
            f"_names = vars(sys.modules[{NAMESPACE_MODULE!r}])\n"
            f"_tests = {tests!r}\n"
            "globals().update({k: v for k, v in _names.items() if not k.startswith('__')"
            " and (not k.startswith('test') or k in _tests)})\n"
        )
        status = pytest.main([str(module), "-q", "-p", "no:cacheprovider", "--rootdir", str(where)])
        if status != 0:
            raise AssertionError(f"pytest ran the block's tests: exit status {int(status)}")

    # shell blocks

    def shell(self, request: dict[str, Any]) -> dict[str, Any]:
        script = self.state / f"block_{request['line']}.sh"
        script.write_text(shell_script(request["code"]))
        output = self.state / f"block_{request['line']}.out"
        env_out = self.state / f"block_{request['line']}.env"
        env = {
            **os.environ,
            "DOCS_DIR": str(self.state),
            "DOCS_ENV_OUT": str(env_out),
            "DOCS_PYTHON": sys.executable,
            "DOCS_KERNEL": __file__,
        }
        self.last_output = output
        with open(output, "wb") as sink:
            process = subprocess.Popen(
                ["bash", str(script)], stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, env=env
            )
            try:
                status = process.wait(timeout=request.get("timeout", 120))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                status = None
        if env_out.exists():
            self._take_environment(env_out.read_bytes())
        text = output.read_text(errors="replace")
        if status == 0:
            return {"ok": True, "output": text}
        error = "timed out" if status is None else f"bash exited with status {status}"
        return {"ok": False, "output": text, "error": error}

    def _take_environment(self, dump: bytes) -> None:
        exported = dict(entry.split("=", 1) for entry in dump.decode().split("\0") if "=" in entry)
        for name in list(os.environ):
            if name not in exported and not OWN_VARIABLES.match(name):
                del os.environ[name]
        for name, value in exported.items():
            if not OWN_VARIABLES.match(name):
                os.environ[name] = value

    def wait_for(self, request: dict[str, Any]) -> dict[str, Any]:
        """Wait until the last shell block's output (its servers' included) matches."""
        pattern = re.compile(request["pattern"], re.M)
        deadline = time.monotonic() + request.get("timeout", 20)
        text = ""
        while time.monotonic() < deadline:
            text = self.last_output.read_text(errors="replace") if self.last_output else ""
            if pattern.search(text):
                return {"ok": True, "output": text}
            time.sleep(0.05)
        return {"ok": False, "output": text, "error": f"no line matched {pattern.pattern!r}"}

    def close(self) -> None:
        """Stop what the document started: emulators, servers, the handler."""
        for pid in (self.state / "emulators").read_text().split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
        self._stop_handler()
        self._stop_own_emulator()


class Refused(Exception):
    """A block the runner will not run as it stands."""


def _traceback(exc: BaseException) -> str:
    """The traceback from the block's own frames on (the kernel's are left out)."""
    summary = traceback.TracebackException.from_exception(exc)
    frames = summary.stack
    while frames and frames[0].filename == __file__:
        del frames[0]
    return "".join(summary.format())


def serve(reply_fd: int, workdir: Path, dispatch: bool) -> None:
    """Answer requests until ``close`` or the end of stdin (the test side went away)."""
    kernel = Kernel(workdir, dispatch)
    try:
        with os.fdopen(reply_fd, "w") as replies:
            for line in sys.stdin:
                request = json.loads(line)
                if request["op"] == "close":
                    break
                replies.write(json.dumps(_answer(kernel, request)) + "\n")
                replies.flush()
    finally:
        kernel.close()


def _answer(kernel: Kernel, request: dict[str, Any]) -> dict[str, Any]:
    try:
        if request["op"] == "wait_for":
            return kernel.wait_for(request)
        kernel.prepare(request)
        return kernel.python(request) if request["op"] == "python" else kernel.shell(request)
    except Refused as exc:
        return {"ok": False, "output": "", "error": f"refused: {exc}"}
    except Exception as exc:  # the runner's own failure: report it, keep serving
        return {"ok": False, "output": "", "error": "runner: " + _traceback(exc)}


if __name__ == "__main__":
    if sys.argv[1] == "wait-listening":
        sys.exit(wait_listening(int(sys.argv[2])))
    serve(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "dispatch")
