"""Every Python and shell block of README.md and docs/*.rst runs as the page shows it.

One test per block, in the order of the pages, so a failure names the page
and line.  Each document runs in one session (:mod:`docs.kernel`): its blocks
run in order, sharing one Python namespace and the environment that its
shell blocks export, against a fresh real emulator, in a network namespace of
its own.  A block marked ``not-run`` (see :mod:`docs.blocks`) is reported as
skipped with its reason.

Installing: a block that runs ``pip install`` or ``pip uninstall`` is refused,
since it would change the environment the test suite itself runs in; such
blocks carry a ``not-run`` marker.

Hosts off this machine: a shell block naming one is refused (it would be the
block itself that connects); a Python block naming one (a task for
``https://example.com/...``) runs only against an emulator the runner started
with dispatch off, so that the task is stored and never sent.  Either way the
namespace has no interface but loopback.

List what runs and what does not: ``python tests/docs/blocks.py``.  Run one page
with ``-k getting-started``: a block picked alone lacks what earlier blocks of its
page made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from docs.blocks import Block, blocks_of, documents
from docs.isolation import require_namespace
from docs.session import Session

#: pip install / uninstall (python -m pip too): never run, they would change this environment
PACKAGES = re.compile(r"\bpip3?\s+(install|uninstall)\b")
BLOCKS = [block for path in documents() for block in blocks_of(path)]


class Sessions:
    """The session of the document being run; a new document closes the previous one's."""

    def __init__(self) -> None:
        self.doc: str | None = None
        self.session: Session | None = None

    def of(self, block: Block) -> Session:
        if self.doc != block.doc or self.session is None:
            self.close()
            runnable = [b for b in BLOCKS if b.doc == block.doc and not b.not_run]
            # a task for a host off this machine is kept, never sent
            keep = any(b.kind == "python" and b.remote_hosts() for b in runnable)
            self.doc, self.session = block.doc, Session(block.doc, dispatch=not keep)
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
        self.doc = self.session = None


@pytest.fixture(scope="module")
def sessions() -> Iterator[Sessions]:
    opened = Sessions()
    yield opened
    opened.close()


@pytest.mark.parametrize("block", BLOCKS, ids=[f"{b.id}-{b.kind}" for b in BLOCKS])
def test_block_runs_as_shown(block: Block, sessions: Sessions) -> None:
    if block.not_run:
        pytest.skip(f"not-run: {block.not_run}")
    require_namespace()
    if block.kind == "shell" and PACKAGES.search(block.code):
        pytest.fail(
            f"{block.id}: a block that installs or removes packages would change the"
            " environment the tests run in; mark it '.. not-run: <why>'"
        )
    remote = sorted(block.remote_hosts())
    if block.kind == "shell" and remote:
        pytest.fail(
            f"{block.id}: a shell block that names {', '.join(remote)} (off this machine) is"
            " not run; use localhost, or mark it '.. not-run: <why>'"
        )
    outcome = sessions.of(block).run(
        block,
        starts_emulator=block.starts_emulator,
        remote=remote,
        handler=block.wants_handler,
        own_server=block.serves_8080,
    )
    assert outcome.ok, outcome.report(block.id) + f"\n--- the block ---\n{block.code}"
