"""What every benchmark section shares: rows, the section registry, child processes.

A section is a function ``(Context) -> list[Row]`` registered with
:func:`section`; ``run.py`` runs the selected sections in order and prints
all their rows as one table.  A row holds up to three measurements of the
same thing (ours, a bare baseline, the reference library) and optionally a
target on one ratio; the table reports whether the target was met but
nothing here ever fails because of a timing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

REFERENCE_REQUIREMENT = "google-cloud-tasks==2.26.*"
DEFAULT_REFERENCE_VENV = Path.home() / ".cache" / "cloud-tasks-bench" / "refvenv"

Impl = Literal["ours", "bare", "reference"]


# -- rows and the table -----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """``ours / <versus>`` should be at most ``limit`` (at least, with ``at_least``).

    ``versus=None`` holds ``ours`` itself to ``limit`` (a figure in the row's unit).
    """

    versus: Literal["bare", "reference"] | None
    limit: float
    at_least: bool = False

    def describe(self) -> str:
        left = {None: "ours", "bare": "ours/bare", "reference": "ours/ref"}[self.versus]
        return f"{left} {'>=' if self.at_least else '<='} {self.limit:g}"


@dataclass(frozen=True)
class Row:
    """One measurement taken for ours and, when available, its two baselines.

    ``target`` may be several targets (a tuple): the row then meets its goal
    when every one of them holds, and the ``ok?`` column answers for each.
    """

    measurement: str
    unit: str
    ours: float | None
    bare: float | None = None
    reference: float | None = None
    target: Target | tuple[Target, ...] | None = None

    @property
    def targets(self) -> tuple[Target, ...]:
        target = self.target
        if target is None:
            return ()
        return target if isinstance(target, tuple) else (target,)

    def ratio(self, versus: Literal["bare", "reference"], of: Impl = "ours") -> float | None:
        top, bottom = getattr(self, of), getattr(self, versus)
        if top is None or not bottom:
            return None
        return float(top / bottom)

    def meets(self, target: Target) -> bool | None:
        """Whether ``target`` holds; ``None`` without its baseline."""
        value = self.ours if target.versus is None else self.ratio(target.versus)
        if value is None:
            return None
        return value >= target.limit if target.at_least else value <= target.limit

    def met(self) -> bool | None:
        """Whether every target holds; ``None`` without a target or a baseline."""
        found = [self.meets(target) for target in self.targets]
        if not found or None in found:
            return None
        return all(found)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


COLUMNS = (
    "measurement",
    "unit",
    "ours",
    "bare",
    "reference",
    "ours/bare",
    "ref/bare",
    "ours/ref",
    "target",
    "ok?",
)


def render(rows: Sequence[Row | str]) -> str:
    """A plain-text table; a ``str`` in ``rows`` starts a titled group."""
    cells: list[tuple[str, ...] | str] = []
    for row in rows:
        if isinstance(row, str):
            cells.append(row)
            continue
        verdicts = [{True: "yes", False: "NO", None: "-"}[row.meets(t)] for t in row.targets]
        cells.append(
            (
                row.measurement,
                row.unit,
                _number(row.ours),
                _number(row.bare),
                _number(row.reference),
                _ratio(row.ratio("bare")),
                _ratio(row.ratio("bare", of="reference")),
                _ratio(row.ratio("reference")),
                "; ".join(target.describe() for target in row.targets),
                "; ".join(verdicts),
            )
        )
    widths = [len(name) for name in COLUMNS]
    for line in cells:
        if not isinstance(line, str):
            widths = [max(w, len(c)) for w, c in zip(widths, line, strict=True)]

    def fmt(line: Sequence[str]) -> str:
        first, *rest = (
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        return " | ".join([first, *rest]).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    out = [fmt(COLUMNS), rule]
    for line in cells:
        out.append(f"[{line}]" if isinstance(line, str) else fmt(line))
    return "\n".join(out)


# -- the reference library ---------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The reference library, installed in its own virtual environment."""

    venv: Path
    python: str
    version: str
    module: str
    deps: dict[str, str]


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


#: the distributions whose versions must match for a fair comparison
DEPENDENCIES = ("grpcio", "protobuf", "proto-plus", "google-api-core", "google-auth")

_PROBE = f"""
import json, importlib.metadata as m, google.cloud.tasks_v2 as t
deps = {{name: m.version(name) for name in {DEPENDENCIES!r}}}
found = {{"version": m.version("google-cloud-tasks"), "module": t.__file__, "deps": deps}}
print(json.dumps(found))
"""


def dependency_versions() -> dict[str, str]:
    """Versions of :data:`DEPENDENCIES` in this interpreter (the one ours runs in)."""
    from importlib import metadata

    return {name: metadata.version(name) for name in DEPENDENCIES}


def probe(python: str | Path) -> dict[str, Any] | None:
    """Version, location and dependencies of the ``google.cloud.tasks_v2`` of ``python -I``."""
    try:
        done = subprocess.run(
            [str(python), "-I", "-c", _PROBE],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode:
        return None
    return dict(json.loads(done.stdout))


def find_reference(venv: Path, notes: list[str], log: Callable[[str], None]) -> Reference | None:
    """The reference library in ``venv``, installed there first if it is missing.

    ``None`` (and a note saying why) when it cannot be installed, e.g. offline.
    """
    python = _venv_python(venv)
    found = probe(python) if python.exists() else None
    if found is None:
        log(f"installing {REFERENCE_REQUIREMENT} into {venv} (once) ...")
        try:
            if not python.exists():
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
                + [REFERENCE_REQUIREMENT],
                check=True,
                timeout=900,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            why = (
                f"exit status {exc.returncode}"
                if isinstance(exc, subprocess.CalledProcessError)
                else exc
            )
            notes.append(
                f"could not install {REFERENCE_REQUIREMENT} into {venv} ({why}): "
                "the reference columns are empty"
            )
            return None
        found = probe(python)
    if found is None:
        notes.append(f"{python} cannot import google.cloud.tasks_v2; reference skipped")
        return None
    module = Path(found["module"]).resolve()
    if REPO in module.parents:
        raise SystemExit(f"{python} imports this repository ({module}), not the reference")
    reference = Reference(venv, str(python), found["version"], str(module), found["deps"])
    ours = dependency_versions()
    differ = [f"{k} {ours[k]} vs {v}" for k, v in reference.deps.items() if ours.get(k) != v]
    if differ:
        notes.append("dependencies differ, ours vs reference: " + ", ".join(differ))
    return reference


# -- the context a section runs in -------------------------------------------------------


@dataclass
class Settings:
    """How much to measure (``--quick`` and the flags of ``run.py``)."""

    calls: int = 2000
    warmup: int = 500
    rounds: int = 9
    import_runs: int = 10
    #: run clients on one CPU and the server on another (Linux, two CPUs or more)
    pin: bool = True


@dataclass
class Context:
    """What a section gets: settings, interpreters, the server and a place for notes."""

    settings: Settings
    reference: Reference | None
    log: Callable[[str], None]
    notes: list[str] = field(default_factory=list)
    stack: ExitStack = field(default_factory=ExitStack)
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tasks-bench-")))
    _server: str | None = None

    def __post_init__(self) -> None:
        self.stack.callback(shutil.rmtree, self.scratch, ignore_errors=True)

    def close(self) -> None:
        self.stack.close()

    def cpus(self, role: Literal["client", "server"]) -> set[int] | None:
        """The CPU a child in ``role`` is pinned to, or ``None`` when not pinning.

        Pinning keeps the scheduler from moving processes between CPUs
        mid-measurement, which otherwise adds tens of microseconds of noise to
        every call; clients and the server never share a CPU.
        """
        if not self.settings.pin or not hasattr(os, "sched_getaffinity"):
            return None
        available = sorted(os.sched_getaffinity(0))
        if len(available) < 2:
            return None
        return {available[0] if role == "client" else available[-1]}

    # interpreters --------------------------------------------------------------------

    def python(self, impl: Impl) -> str:
        """The interpreter that runs ``impl``: ours and bare share this one."""
        if impl == "reference":
            if self.reference is None:
                raise RuntimeError("no reference library")
            return self.reference.python
        return sys.executable

    def command(self, impl: Impl, *args: str, isolated: bool = False) -> list[str]:
        """A child command line for ``impl``.

        Children ignore ``PYTHON*`` variables and user site-packages (``-I``
        also hides the script's directory and the working directory), and
        keep their bytecode in one scratch cache so that neither library's
        import is slowed by compiling or sped up by someone else's cache.
        """
        flags = ["-I"] if isolated else ["-E", "-s"]
        cache = self.scratch / "pycache"
        return [self.python(impl), *flags, "-X", f"pycache_prefix={cache}", *args]

    def env(self, impl: Impl, emulator: str | None = None) -> dict[str, str]:
        """The environment of a child; only ours is told where the server is."""
        env = {k: v for k, v in os.environ.items() if k != "CLOUD_TASKS_EMULATOR_HOST"}
        if impl == "ours" and emulator:
            env["CLOUD_TASKS_EMULATOR_HOST"] = emulator
        return env

    # the constant-answer server ---------------------------------------------------------

    def server(self) -> str:
        """``127.0.0.1:port`` of the benchmark gRPC server, started on first use."""
        if self._server is None:
            proc = subprocess.Popen(
                [sys.executable, str(HERE / "_server.py")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=pin_to(self.cpus("server")),
            )
            self.stack.callback(_stop, proc)
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("the benchmark server did not start")
            self._server = f"127.0.0.1:{json.loads(line)['port']}"
        return self._server


def pin_to(cpus: set[int] | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that pins the child to ``cpus`` (``None`` leaves it free)."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.stdin:
        proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- long-lived client processes ------------------------------------------------------------


class Worker:
    """A child that runs a measured loop each time it is asked (see ``_worker.py``)."""

    def __init__(
        self, command: list[str], env: dict[str, str], cpus: set[int] | None = None
    ) -> None:
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
            preexec_fn=pin_to(cpus),
        )
        self.info: dict[str, Any] = {}

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] | None = self.proc.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.proc.args!r} exited ({self.proc.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"worker {self.proc.args!r} failed:\n{answer['error']}")
        return answer

    def ready(self) -> dict[str, Any]:
        """Wait until the worker has warmed up; its self-description."""
        self.info = self._read()
        return self.info

    def run(self, calls: int) -> dict[str, float]:
        """CPU and wall seconds the worker spent making ``calls`` calls."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{calls}\n")
        self.proc.stdin.flush()
        return {k: float(v) for k, v in self._read().items()}

    def close(self) -> None:
        _stop(self.proc)


# -- one-shot child processes ------------------------------------------------------------


@dataclass(frozen=True)
class ChildCost:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of one child process."""

    wall: float
    cpu: float
    rss: float


#: Appended to a ``-c`` program: prints the process's own peak RSS where Linux tells it.
#: ``ru_maxrss`` from ``wait4`` is not used on Linux because a child started with vfork
#: (as ``subprocess`` does when it can) inherits its parent's high-water mark at exec.
PEAK_RSS_PROBE = """
try:
    for _line in open("/proc/self/status"):
        if _line.startswith("VmHWM:"):
            print("peak-rss-kib", _line.split()[1])
except OSError:
    pass
"""


def run_child(command: list[str], env: dict[str, str], cpus: set[int] | None = None) -> ChildCost:
    """Run ``command`` to completion: its wall time, CPU time (``wait4``) and peak RSS.

    The peak is what the child printed after :data:`PEAK_RSS_PROBE`, or else
    ``ru_maxrss``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=pin_to(cpus),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stdout is not None
    with proc.stdout:
        output = proc.stdout.read()
    if proc.returncode:
        raise RuntimeError(f"{command!r} exited with {proc.returncode}")
    # ru_maxrss is KiB on Linux, bytes on macOS
    rss = usage.ru_maxrss / (1 << 20 if sys.platform == "darwin" else 1 << 10)
    for line in output.splitlines():
        if line.startswith("peak-rss-kib "):
            rss = int(line.split()[1]) / 1024
    return ChildCost(wall, usage.ru_utime + usage.ru_stime, rss)


# -- the registry ---------------------------------------------------------------------------

SectionFn = Callable[[Context], list[Row]]


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    run: SectionFn
    #: runs when no ``--only`` is given; opt-in sections run only when named
    default: bool = True


SECTIONS: dict[str, Section] = {}


def section(name: str, title: str, default: bool = True) -> Callable[[SectionFn], SectionFn]:
    """Register a benchmark section under ``name`` (selectable with ``--only``)."""

    def register(fn: SectionFn) -> SectionFn:
        SECTIONS[name] = Section(name, title, fn, default)
        return fn

    return register
