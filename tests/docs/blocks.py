"""The code blocks of ``README.md`` and ``docs/*.rst``, as the docs tests run them.

A block is collected when its language is Python (``python``, ``py``) or shell
(``sh``, ``bash``, ``shell``, ``console``); other blocks (``text``, ``yaml``,
plain ``::`` literal blocks) are shown, never run.  reStructuredText is read
with docutils (the parser Sphinx itself uses), Markdown with markdown-it-py.

A block that cannot run says so, with a reason, right before it, in a comment
the rendered page does not show::

    .. not-run: needs Google credentials

    .. code-block:: python

and in Markdown ``<!-- not-run: needs Google credentials -->`` before the
fence.  A marker without a reason, or one that no code block follows, is an
error, so that a stale marker cannot hide a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docutils.core
import docutils.nodes
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]

Kind = Literal["python", "shell"]
LANGUAGES: dict[str, Kind] = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "sh": "shell",
    "bash": "shell",
    "shell": "shell",
    "console": "shell",
}
MARKER = re.compile(r"^not-run:(.*)$", re.S)
#: the host of every URL a block names (``scheme://host``)
URL_HOST = re.compile(r"\b[a-z][a-z0-9+.-]*://(\[[0-9a-f:]+\]|[^/\s:'\"\\)\]]+)", re.I)


START = re.compile(r"^\s*cloud-tasks-emulator\s+start\b", re.M)
HANDLER_URL = re.compile(r"(localhost|127\.0\.0\.1):8080\b")
BARE_8080 = re.compile(r"(?<![:\w])8080\b")


class MarkerError(ValueError):
    """A ``not-run`` marker without a reason, or with no code block after it."""


@dataclass(frozen=True)
class Block:
    """One code block of one document."""

    #: the document, relative to the repository (``docs/testing.rst``)
    doc: str
    #: the line (1-based) of the block's first line of code in the document
    line: int
    kind: Kind
    code: str
    #: why the block is not run, when a ``not-run`` marker precedes it
    not_run: str | None = None

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"

    def hosts(self) -> set[str]:
        """The host names and addresses of the URLs the block names."""
        return {m.group(1).lower().strip("[]") for m in URL_HOST.finditer(self.code)}

    def remote_hosts(self) -> set[str]:
        """The hosts it names that are not this machine (loopback names and addresses)."""
        return {h for h in self.hosts() if not is_loopback(h)}

    @property
    def starts_emulator(self) -> bool:
        """A shell block that starts the emulator (``cloud-tasks-emulator start ...``)."""
        return self.kind == "shell" and bool(START.search(self.code))

    @property
    def wants_handler(self) -> bool:
        """It names a URL on ``localhost:8080``, where the docs' handler listens."""
        return bool(HANDLER_URL.search(self.code))

    @property
    def serves_8080(self) -> bool:
        """It names port 8080 other than in a URL: it starts a server of its own there."""
        return bool(BARE_8080.search(self.code))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost``, ``*.localhost``, 127/8, ``::1``."""
    host = host.lower().strip("[]").rstrip(".")
    return (
        host in ("localhost", "::1", "0.0.0.0")
        or host.endswith(".localhost")
        or bool(re.fullmatch(r"127(\.\d{1,3}){3}", host))
    )


def _name(path: Path) -> str:
    """``path`` relative to the checkout (as it is absolute when outside it)."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _reason(text: str, where: str) -> str | None:
    match = MARKER.match(text.strip())
    if not match:
        return None
    reason = " ".join(match.group(1).split())
    if not reason:
        raise MarkerError(f"{where}: a not-run marker must say why the block cannot run")
    return reason


# -- reStructuredText ----------------------------------------------------------------------


def _start_line(lines: list[str], code: str, after: int) -> int:
    """The 1-based line at or after ``after`` where ``code``'s first line stands."""
    first = next((c.strip() for c in code.splitlines() if c.strip()), "")
    for number in range(after, len(lines) + 1):
        if lines[number - 1].strip() == first:
            return number
    raise ValueError(f"cannot find {first!r} after line {after}")


def rst_blocks(path: Path) -> list[Block]:
    """The Python and shell ``code-block`` directives of one reStructuredText file."""
    source = path.read_text(encoding="utf-8")
    doc = _name(path)
    tree = docutils.core.publish_doctree(
        source,
        source_path=str(path),
        settings_overrides={
            # Sphinx's roles and directives (:doc:, toctree ...) are unknown to plain
            # docutils: they become error messages, whose text is no code block
            "report_level": 5,
            "halt_level": 5,
            "syntax_highlight": "none",
            "file_insertion_enabled": False,
        },
    )
    reasons: dict[int, str] = {}
    for comment in tree.findall(docutils.nodes.comment):
        where = f"{doc}:{comment.line or '?'}"
        reason = _reason(comment.astext(), where)
        if reason is None:
            continue
        following = comment.next_node(docutils.nodes.Element, descend=False, siblings=True)
        if not isinstance(following, docutils.nodes.literal_block) or _kind(following) is None:
            raise MarkerError(f"{where}: a not-run marker must stand right before a code block")
        reasons[id(following)] = reason
    lines = source.splitlines()
    blocks: list[Block] = []
    after = 1
    for node in tree.findall(docutils.nodes.literal_block):
        if any(isinstance(p, docutils.nodes.system_message) for p in _ancestors(node)):
            continue
        code = node.astext()
        line = _start_line(lines, code, after)
        after = line + 1
        kind = _kind(node)
        if kind is not None:
            blocks.append(Block(doc, line, kind, code + "\n", reasons.get(id(node))))
    return blocks


def _kind(node: docutils.nodes.literal_block) -> Kind | None:
    classes = node.get("classes", [])
    return LANGUAGES.get(classes[1]) if len(classes) > 1 and classes[0] == "code" else None


def _ancestors(node: docutils.nodes.Node) -> list[docutils.nodes.Node]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


# -- Markdown ------------------------------------------------------------------------------


def markdown_blocks(path: Path) -> list[Block]:
    """The Python and shell fenced blocks of one Markdown file."""
    doc = _name(path)
    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    blocks: list[Block] = []
    pending: tuple[str, int] | None = None
    for token in tokens:
        line = (token.map[0] + 1) if token.map else 0
        if token.type == "html_block":
            text = token.content.strip()
            if text.startswith("<!--") and text.endswith("-->"):
                reason = _reason(text[4:-3], f"{doc}:{line}")
                if reason is not None:
                    if pending:
                        raise MarkerError(f"{doc}:{pending[1]}: not-run marker with no code block")
                    pending = (reason, line)
                    continue
        if token.type == "fence":
            kind = LANGUAGES.get(token.info.split()[0].lower()) if token.info.strip() else None
            if kind is not None:
                reason = pending[0] if pending else None
                blocks.append(Block(doc, line + 1, kind, token.content, reason))
                pending = None
                continue
        if pending and token.type != "html_block" and token.nesting >= 0 and token.block:
            raise MarkerError(f"{doc}:{pending[1]}: not-run marker with no code block after it")
    if pending:
        raise MarkerError(f"{doc}:{pending[1]}: not-run marker with no code block after it")
    return blocks


def documents() -> list[Path]:
    """README.md and every page directly in docs/ (the API reference has no code blocks)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]


def blocks_of(path: Path) -> list[Block]:
    return markdown_blocks(path) if path.suffix == ".md" else rst_blocks(path)


if __name__ == "__main__":  # a listing, for writers: python tests/docs/blocks.py
    for document in documents():
        for block in blocks_of(document):
            state = f"not run: {block.not_run}" if block.not_run else "runs"
            remote = f" names {sorted(block.remote_hosts())}" if block.remote_hosts() else ""
            print(f"{block.id:32} {block.kind:6} {state}{remote}")
