"""Each snippet's ``main()``, with its default arguments, succeeds against a fresh
``cloud-tasks-emulator start --queue my-queue``: the state docs/samples.rst starts from.

An in-process twin of ``test_as_documented.py`` (which types the documented commands
in a network namespace of its own): fast, and runs anywhere.  The emulator is that
one (``my-queue`` in ``my-project``/``us-central1``), made afresh for each snippet;
it stores tasks without delivering them, since the snippets' default URLs name
``localhost:8080``.  The snippets that serve until interrupted are left out.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from google.cloud.tasks.emulator import Emulator

from .conftest import QUEUE, ROOT, SNIPPETS

Snippet = Callable[[str], ModuleType]
#: the snippets that serve until interrupted
SERVERS = {"verify_oidc_token_handler", "web_app", "task_handler"}
DOCUMENTED = re.findall(
    r"literalinclude:: \.\./samples/snippets/(\w+)\.py", (ROOT / "docs/samples.rst").read_text()
)


def test_the_samples_page_shows_every_snippet() -> None:
    assert sorted(DOCUMENTED) == sorted(p.stem for p in SNIPPETS.glob("*.py"))


@pytest.fixture(scope="module")
def started() -> Iterator[Emulator]:
    """``cloud-tasks-emulator start --queue my-queue`` (not delivering: see above)."""
    with Emulator(queues=[QUEUE], dispatch=False) as emulator:
        yield emulator


@pytest.fixture
def fresh(started: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    started.reset()  # as if just started: my-queue and nothing else
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", started.host)
    return started


@pytest.mark.parametrize("name", [n for n in DOCUMENTED if n not in SERVERS])
def test_snippet_succeeds_with_its_defaults(
    snippet: Snippet, fresh: Emulator, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main = snippet(name).main
    if inspect.iscoroutinefunction(main):
        asyncio.run(main())
    else:
        main()
    out = capsys.readouterr().out
    assert out and "does not exist" not in out and "already exists" not in out
