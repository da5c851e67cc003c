"""``cloud-tasks-emulator start ...``: run the emulator until SIGINT or SIGTERM.

Every flag can also come from an environment variable (listed in ``--help``);
a flag on the command line wins.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from types import FrameType
from typing import NoReturn

# These imports load google.api_core, which warns (FutureWarning) on import when the Python
# version is near or past Google's support window, or a dependency is older than it would like.
# That notice is for library users; here it would be a second line under every start and
# error line, so it is silenced for these imports only (no filter is left behind).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"google\.api_core(\.|\Z)")
    from .delivery.routes import normal, parse_route
    from .delivery.tokens import SigningKeyError, load_key
    from .embed import Emulator, read_queue_files, split_queues
    from .servers.guard import allowed_host
    from .service import names
    from .service.errors import ListenError, ServiceError
    from .service.model import DEFAULT_LOCATIONS, Settings
    from .service.queue_files import QueueFileError
    from .service.store import Store, StoreError

ENV = "CLOUD_TASKS_EMULATOR_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV + name, default)


def _number(
    kind: type[int] | type[float], variable: str, negative: bool = True
) -> Callable[[str], float]:
    """An argparse ``type`` whose error also names the variable the value may have come from;
    with ``negative=False`` a value below 0 (or not finite) is refused too."""

    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {noun} (from the flag or {ENV}{variable})"
            ) from None
        if not negative and not 0 <= value < float("inf"):  # NaN too
            raise argparse.ArgumentTypeError(
                f"{text!r}: use a number from 0 up (from the flag or {ENV}{variable})"
            )
        return value

    return convert


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class UsageError(Exception):
    """A command line mistake: one line naming the flag and the value."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"cloud-tasks-emulator: {message} (see --help)\n")


def _switch(parser: argparse.ArgumentParser, flag: str, env: str, help: str) -> None:
    """An on/off flag whose environment variable turns it on with 1, true, yes or on."""
    value = (_env(env) or "").strip().lower()
    parser.add_argument(
        flag, action="store_true", default=value in ("1", "true", "yes", "on"), help=help
    )


def parser() -> argparse.ArgumentParser:
    """The command line parser (defaults read from the environment)."""
    top = _Parser(
        prog="cloud-tasks-emulator",
        description="A local Cloud Tasks emulator (v2, v2beta3 and v2beta2 over gRPC and REST)"
        " that delivers tasks to their HTTP and App Engine handlers.",
    )
    commands = top.add_subparsers(dest="command", required=True)
    start = commands.add_parser(
        "start",
        help="serve until interrupted",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the Cloud Tasks API until SIGINT or SIGTERM.",
        epilog=(
            "environment variables (a flag given on the command line wins):\n"
            f"  {ENV}BIND          --host\n"
            f"  {ENV}PORT          --port\n"
            f"  {ENV}DATA          --data\n"
            f"  {ENV}PROJECT       --project\n"
            f"  {ENV}LOCATION      --location\n"
            f"  {ENV}QUEUES        --queue, comma-separated\n"
            f"  {ENV}QUEUE_FILES   --queues, separated by {os.pathsep!r}\n"
            f"  {ENV}LOCATIONS     --locations\n"
            f"  {ENV}QUEUE_TOMBSTONE_SECONDS  --queue-tombstone-seconds\n"
            f"  {ENV}TASK_TOMBSTONE_SECONDS   --task-tombstone-seconds\n"
            f"  {ENV}LOG_LEVEL     --log-level\n"
            f"  {ENV}ENGINE        --engine\n"
            f"  {ENV}NO_DISPATCH   --no-dispatch (1/true)\n"
            f"  {ENV}QUIET         --quiet (1/true)\n"
            f"  {ENV}NO_UI         --no-ui (1/true)\n"
            f"  {ENV}APP_ENGINE_HOST  --app-engine-host\n"
            f"  {ENV}FUNCTIONS_HOST   --functions-host\n"
            f"  {ENV}SIGNING_KEY   --signing-key\n"
            f"  {ENV}HTTP_PORT     --http-port\n"
            f"  {ENV}ALLOWED_HOSTS --allowed-host, comma-separated\n"
            f"  {ENV}ROUTES        --route, comma-separated\n"
            f"  {ENV}CLOCK         --clock\n"
            "\nClients find the emulator through CLOUD_TASKS_EMULATOR_HOST=host:port."
        ),
    )
    start.add_argument(
        "--host", default=_env("BIND", "127.0.0.1"), help="address to listen on (127.0.0.1)"
    )
    start.add_argument(
        "--port",
        type=_number(int, "PORT"),
        default=_env("PORT", "8123"),
        help="port (8123; 0: any)",
    )
    start.add_argument(
        "--data",
        default=_env("DATA"),
        help="SQLite file to keep state in across restarts (default: in memory)",
    )
    start.add_argument(
        "--project", default=_env("PROJECT", "my-project"), help="for --queue ids (my-project)"
    )
    start.add_argument(
        "--location",
        default=_env("LOCATION", "us-central1"),
        help="for --queue ids, and a location ListLocations reports (us-central1)",
    )
    start.add_argument(
        "--queue",
        action="append",
        default=None,
        metavar="QUEUE",
        help="queue to create at start: an id (in --project/--location) or a full name; repeatable",
    )
    start.add_argument(
        "--queues",
        action="append",
        default=None,
        metavar="FILE",
        help="a file declaring queues to create or update at start, ids in --project/--location:"
        " App Engine's queue.yaml, or a list of Queue resources in their JSON form (JSON or"
        " YAML); repeatable.  UploadQueueYaml (v2beta2) puts its queues in --location too",
    )
    start.add_argument(
        "--locations",
        default=_env("LOCATIONS", ",".join(DEFAULT_LOCATIONS)),
        help="comma-separated location ids ListLocations reports and queues may be made in,"
        " besides --location and the locations of --queue names (default: every region"
        " Cloud Tasks is offered in: %(default)s)",
    )
    start.add_argument(
        "--queue-tombstone-seconds",
        type=_number(float, "QUEUE_TOMBSTONE_SECONDS", negative=False),
        default=_env("QUEUE_TOMBSTONE_SECONDS", "60"),
        help="seconds a deleted queue's name cannot be used again (60; the real service: 7 days)",
    )
    start.add_argument(
        "--task-tombstone-seconds",
        type=_number(float, "TASK_TOMBSTONE_SECONDS", negative=False),
        default=_env("TASK_TOMBSTONE_SECONDS", "3600"),
        help="seconds a finished or deleted task's name stays reserved (3600; the real"
        " service: about an hour)",
    )
    start.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "INFO"),
        help="logging level: DEBUG, INFO (default: every refused request), WARNING, ERROR"
        " or CRITICAL",
    )
    start.add_argument(
        "--engine",
        choices=("auto", "fast", "grpc"),
        default=_env("ENGINE", "auto"),
        help="gRPC engine: fast (one thread on gRPC's core; the default when available)"
        " or grpc (gRPC's public asyncio server)",
    )
    start.add_argument(
        "--clock",
        choices=("system", "manual"),
        default=_env("CLOCK", "system"),
        help="system: the machine's time; manual: a time that stands still until moved"
        " (POST /_emulator/clock:advance or clock:set); either can be moved forward",
    )
    _switch(start, "--no-dispatch", "NO_DISPATCH", "store tasks but never deliver them")
    _switch(
        start, "--no-ui", "NO_UI", "do not serve the web dashboard at / of the emulator's address"
    )
    _switch(start, "--quiet", "QUIET", "do not log each delivery attempt")
    start.add_argument(
        "--app-engine-host",
        default=_env("APP_ENGINE_HOST", "localhost:8080"),
        help="host:port App Engine tasks are sent to (localhost:8080)",
    )
    start.add_argument(
        "--functions-host",
        default=_env("FUNCTIONS_HOST", "127.0.0.1:5001"),
        help="host:port of the Firebase Functions emulator, where firebase-admin tasks"
        " without a URL go (127.0.0.1:5001)",
    )
    start.add_argument(
        "--signing-key",
        default=_env("SIGNING_KEY"),
        help="PEM RSA private key to sign OIDC tokens with (default: one made at the"
        " first start, kept in --data when given)",
    )
    start.add_argument(
        "--http-port",
        type=_number(int, "HTTP_PORT"),
        default=_env("HTTP_PORT"),
        help="serve the REST (JSON) API and the OIDC documents on a port of their own"
        " (0: any) and leave --port to gRPC alone (default: both on --port)",
    )
    start.add_argument(
        "--allowed-host",
        action="append",
        default=None,
        metavar="NAME",
        help="a host name HTTP requests may name in Host and Origin besides loopback names,"
        " IP addresses and --host (a docker-compose service name, say; any port);"
        " repeatable; '*' turns the Host check off",
    )
    start.add_argument(
        "--route",
        action="append",
        default=None,
        metavar="FROM=TO",
        help="deliver HTTP tasks whose URL starts with the URL FROM to the URL TO instead"
        " (https://worker-abc-uc.a.run.app=http://127.0.0.1:8080 sends .../jobs/1 to"
        " http://127.0.0.1:8080/jobs/1, with the Host header, OIDC audience and"
        " X-CloudTasks-* headers of the task's own URL); the longest FROM wins; repeatable",
    )
    return top


def queue_names(args: argparse.Namespace) -> list[str]:
    """Full names of the queues to pre-create, from --queue and the environment."""
    given = args.queue if args.queue is not None else _list(_env("QUEUES"))
    given, files = split_queues(given)
    #: --queue queue.yaml, or queue files in CLOUD_TASKS_EMULATOR_QUEUES: read with --queues
    args.queue_entry_files = [str(f) for f in files]
    out = []
    if any("/" not in queue for queue in given):
        for flag, value in (("--project", args.project), ("--location", args.location)):
            if not value or any(c in value for c in "/ \t\n"):
                raise UsageError(f"{flag} {value!r}: an id without spaces or slashes")
    for queue in given:
        full = (
            queue
            if "/" in queue
            else (f"projects/{args.project}/locations/{args.location}/queues/{queue}")
        )
        try:
            names.queue(full)
        except ServiceError as exc:
            raise UsageError(f"--queue {queue!r}: {exc.message}") from None
        out.append(full)
    return out


def routes(args: argparse.Namespace) -> dict[str, str]:
    """The routes, FROM -> TO, from --route and the environment."""
    given = args.route if args.route is not None else _list(_env("ROUTES"))
    out: dict[str, str] = {}
    for text in given:
        try:
            source, target = parse_route(text)
        except ValueError as exc:
            where = "" if args.route is not None else f" (from {ENV}ROUTES)"
            raise UsageError(f"--route {exc}{where}") from None
        same = [given for given in out if normal(given) == normal(source)]
        if same:  # the later would silently replace the earlier
            raise UsageError(
                f"--route {text!r}: {same[0]!r} already routes the same prefix; give it once"
            )
        out[source] = target
    return out


def _host_port(flag: str, text: str) -> None:
    """``host:port`` with a port number, or UsageError naming ``flag``."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or any(c in host for c in "/ \t") or not port.isdigit():
        raise UsageError(f"{flag} {text!r}: use host:port, e.g. localhost:8080")
    if not 0 < int(port) <= 65535:
        raise UsageError(f"{flag} {text!r}: a port is a number from 1 to 65535")


def _log_level(text: str) -> int:
    level = logging.getLevelName(str(text).upper())
    if not isinstance(level, int):
        raise UsageError(f"--log-level {text!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def _check_files(args: argparse.Namespace) -> None:
    """Open --data and --signing-key once, so that a bad path is named before serving."""
    if args.data:
        try:
            Store(args.data).close()
        except (StoreError, sqlite3.Error, OSError) as exc:
            raise UsageError(f"--data {args.data!r}: cannot be used: {exc}") from None
    if args.signing_key:
        try:
            load_key(args.signing_key)
        except SigningKeyError as exc:
            raise UsageError(f"--signing-key {args.signing_key!r}: {exc}") from None
    for flag, port in (("--port", args.port), ("--http-port", args.http_port)):
        if port is None:
            continue
        if not 0 <= port <= 65535:
            raise UsageError(f"{flag} {port}: a port is a number from 0 to 65535")
        if port:
            _check_free(flag, args.host, port)


def _check_free(flag: str, host: str, port: int) -> None:
    """Bind ``host:port`` once, so that a port in use is named before gRPC logs about it.

    The probe binds as the real listeners do (``SO_REUSEADDR`` on POSIX): the
    connections of a process that just died, still in TIME_WAIT, do not hold the
    port back, while a socket listening there does.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, where = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            if os.name != "nt":  # on Windows the option would let a bind take a live port
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(where)
        except OSError as exc:
            raise UsageError(f"{flag} {port}: cannot listen on {host}: {exc.strerror}") from None


def _return_large_buffers() -> None:
    """Have glibc give large request buffers back to the system when they are freed.

    By default glibc raises its mmap threshold each time a large block is
    freed, after which requests of many MB come from the heap and stay in the
    process when freed: a few refused 30 MB requests would keep hundreds of MB.
    A fixed 1 MiB threshold keeps large blocks mapped, and unmapped when freed.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD (glibc); a no-op elsewhere
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _more_file_descriptors() -> None:
    """Raise the open-file limit to what the system allows (connections, the data file)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX, or refused
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cloud-tasks-emulator`` and ``python -m google.cloud.tasks.emulator``."""
    args = parser().parse_args(argv)
    try:
        level = _log_level(args.log_level)
        queues = queue_names(args)
        _host_port("--app-engine-host", args.app_engine_host)
        _host_port("--functions-host", args.functions_host)
        _check_files(args)
        if args.clock not in ("system", "manual"):  # from the variable: argparse checks only flags
            raise UsageError(f"--clock {args.clock!r} (or {ENV}CLOCK): use system or manual")
        allowed = args.allowed_host
        if allowed is None:
            allowed = _list(_env("ALLOWED_HOSTS"))
        for name in allowed:
            try:
                allowed_host(name)
            except ValueError as exc:
                raise UsageError(f"--allowed-host {name!r}: {exc}") from None
        routed = routes(args)
        # (where the files were named, for an error, and the files)
        sources = [
            ("--queue" if args.queue is not None else f"{ENV}QUEUES", args.queue_entry_files)
        ]
        if args.queues is not None:
            sources.append(("--queues", args.queues))
        else:
            variable = [p for p in (_env("QUEUE_FILES") or "").split(os.pathsep) if p.strip()]
            sources.append((f"{ENV}QUEUE_FILES", variable))
        for source, paths in sources:
            try:  # read now, so that a mistake is one line and exit code 2
                read_queue_files(paths, args.project, args.location)
            except ValueError as exc:
                raise UsageError(f"{source} {exc}") from None
        queue_files = [path for _, paths in sources for path in paths]
    except UsageError as exc:
        print(f"cloud-tasks-emulator: {exc}", file=sys.stderr)
        return 2
    _return_large_buffers()
    _more_file_descriptors()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.quiet:
        logging.getLogger("google.cloud.tasks.emulator.dispatch").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # aiohttp logs a traceback for every malformed or abandoned HTTP request; the
    # client got its 400 (or left), and the emulator keeps serving: nothing to report.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    settings = Settings(
        queue_tombstone_seconds=args.queue_tombstone_seconds,
        task_tombstone_seconds=args.task_tombstone_seconds,
        locations=tuple(dict.fromkeys([*_list(args.locations), *_list(args.location)])),
        app_engine_host=args.app_engine_host,
        functions_host=args.functions_host,
    )
    emulator = Emulator(
        host=args.host,
        port=args.port,
        data=args.data,
        settings=settings,
        queues=queues,
        queue_files=queue_files,
        project=args.project,
        location=args.location,
        engine=args.engine,
        dispatch=not args.no_dispatch,
        signing_key=args.signing_key,
        http_port=args.http_port,
        ui=not args.no_ui,
        allowed_hosts=allowed,
        routes=routed,
        clock=args.clock,
    )
    try:
        emulator.start()
    except ListenError as exc:
        flag, port = (
            ("--port", args.port) if exc.side == "grpc" else ("--http-port", args.http_port)
        )
        print(f"cloud-tasks-emulator: --host {args.host} {flag} {port}: {exc}", file=sys.stderr)
        return 2
    except QueueFileError as exc:  # a declared queue the stored state refuses (--data)
        print(f"cloud-tasks-emulator: {exc}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, StoreError, ValueError, sqlite3.Error) as exc:
        print(f"cloud-tasks-emulator: {exc}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    where = f"data: {args.data}" if args.data else "in memory"
    if emulator.dispatching:
        doing = f"delivering tasks (App Engine tasks to {settings.app_engine_host})"
    else:
        doing = "not delivering tasks (--no-dispatch)"
    if args.http_port is None:
        serves = "gRPC and REST"
    else:
        serves = f"gRPC (REST on {emulator.http_url})"
    print(
        f"Cloud Tasks emulator listening on {emulator.host} for {serves} ({where}); {doing}",
        flush=True,
    )
    print(f"export CLOUD_TASKS_EMULATOR_HOST={emulator.host}", flush=True)
    if not args.no_ui:
        print(f"Dashboard: {emulator.http_url}/", flush=True)
    print(f"OIDC tokens verify against {emulator.certs_url}", flush=True)
    for source, target in routed.items():
        print(f"Routing {source} to {target}", flush=True)
    while not stopping.wait(0.5):
        pass
    emulator.stop(grace=1.0)
    print("Cloud Tasks emulator stopped", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
