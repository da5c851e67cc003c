"""The test side of a document's session: starts :mod:`docs.kernel` isolated, sends it blocks.

One :class:`Session` per document (or per sample run): a kernel process in a
network namespace of its own (:mod:`docs.isolation`), working in a fresh
directory that shows the checkout's top-level files and folders (linked), so
that ``python samples/quickstart.py`` works as written and whatever a block
writes lands in the temporary directory, not in the checkout.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docs.blocks import ROOT, Block
from docs.isolation import command as isolated

KERNEL = Path(__file__).with_name("kernel.py")


@dataclass(frozen=True)
class Outcome:
    ok: bool
    output: str
    error: str = ""

    def report(self, what: str) -> str:
        parts = [f"{what} failed: {self.error}".rstrip()]
        if self.output.strip():
            parts.append(f"--- what it printed ---\n{self.output.rstrip()}")
        return "\n".join(parts)


def workdir() -> Path:
    """A temporary directory with a link to each top-level entry of the checkout."""
    where = Path(tempfile.mkdtemp(prefix="docs-run-"))
    for entry in ROOT.iterdir():
        if not entry.name.startswith(".") and entry.name not in ("build", "dist"):
            (where / entry.name).symlink_to(entry)
    return where


def clean_environment() -> dict[str, str]:
    """This environment without what would point the pages' commands elsewhere.

    The emulator's own variables (``CLOUD_TASKS_EMULATOR_PORT`` would move the
    emulator a page starts) and ``GOOGLE_CLOUD_PROJECT`` (the quickstart's switch
    to a real project) are left out: the pages assume a reader's plain shell.
    """
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CLOUD_TASKS_EMULATOR_") and name != "GOOGLE_CLOUD_PROJECT"
    }


class Session:
    """A kernel for one document; ``dispatch=False`` makes its own emulator keep tasks."""

    def __init__(self, name: str, *, dispatch: bool = True) -> None:
        self.name = name
        self.dir = workdir()
        self.log = self.dir / "kernel.log"
        self.dead: str | None = None
        replies, self._reply_end = os.pipe()
        self._replies = os.fdopen(replies, "r")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                isolated(
                    [
                        sys.executable,
                        str(KERNEL),
                        str(self._reply_end),
                        str(self.dir),
                        "dispatch" if dispatch else "no-dispatch",
                    ]
                ),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                pass_fds=(self._reply_end,),
                start_new_session=True,  # its own process group: every server it starts
                text=True,
                env={**clean_environment(), "PYTHONUNBUFFERED": "1"},
            )
        os.close(self._reply_end)

    def request(self, request: dict[str, Any], timeout: float = 180) -> Outcome:
        if self.dead:
            return Outcome(False, "", f"the session of {self.name} ended earlier: {self.dead}")
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            return self._died("its kernel ended")
        ready, _, _ = select.select([self._replies], [], [], timeout)
        line = self._replies.readline() if ready else ""
        if not line:
            return self._died("no answer" if not ready else "its kernel ended")
        reply = json.loads(line)
        return Outcome(reply["ok"], reply.get("output", ""), reply.get("error", ""))

    def _died(self, why: str) -> Outcome:
        self.dead = why
        log = self.log.read_text(errors="replace")[-4000:]
        self.close()
        return Outcome(False, log, f"the session of {self.name}: {why}")

    def run(self, block: Block, **extra: Any) -> Outcome:
        """Run one block (see :mod:`docs.kernel` for what it finds before it runs)."""
        return self.request(
            {
                "op": block.kind,
                "doc": block.doc,
                "line": block.line,
                "code": block.code,
                **extra,
            }
        )

    def wait_for(self, pattern: str, timeout: float = 20) -> Outcome:
        """Wait until the last shell block's output, its servers' included, matches."""
        return self.request({"op": "wait_for", "pattern": pattern, "timeout": timeout})

    def close(self) -> None:
        """Stop the kernel and everything it started; remove the working directory."""
        if self.process.poll() is None:
            # "close", or the end of its input: it stops what it started, then exits
            assert self.process.stdin is not None
            with contextlib.suppress(OSError, ValueError):  # a pipe already broken or closed
                self.process.stdin.write(json.dumps({"op": "close"}) + "\n")
                self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
        # whatever is left of the group this session started (servers sent to the background)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
            time.sleep(0.2)
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self._replies.close()
        self.dead = self.dead or "closed"
        shutil.rmtree(self.dir, ignore_errors=True)
