"""One address for gRPC and REST: a listener that routes each connection by its first bytes.

gRPC clients open with the HTTP/2 preface (``PRI * HTTP/2.0``); everything
else (curl, requests, browsers, firebase-admin) speaks HTTP/1.1.  The front
door accepts on the public port, peeks at a new connection's first four
bytes without consuming them, and then

- hands an HTTP/1.1 connection to the asyncio loop that serves the REST API
  and the OIDC documents (the socket itself, bytes unread), or
- joins an HTTP/2 connection to the gRPC engine, which listens on a private
  loopback port, and copies bytes both ways from then on.

The copying runs on one thread with non-blocking sockets and ``selectors``:
a peer that stops reading only stalls its own connection (its backlog is
kept and its sender is paused), a connection that never says anything is
closed after :data:`UNDECIDED_SECONDS`, and nothing a client sends can stop
the thread.

What the door holds is bounded: at most :data:`MAX_UNDECIDED` connections
waiting for their first bytes (past it, the one waiting longest is closed)
and :data:`MAX_PIPES` gRPC connections (past it, a new one is closed at
once).  When the process runs out of file descriptors (or kernel memory for
sockets), the door stops watching its listener and tries again after 50 ms,
doubling up to 1 s, instead of spinning; each such episode, like a full set
of pipes or an engine that refuses connections, is logged once when it
starts (WARNING) and once when it ends (INFO).
"""

from __future__ import annotations

import errno
import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable

from ..service.errors import ListenError

log = logging.getLogger("google.cloud.tasks.emulator")

PREFACE = b"PRI "
#: seconds a new connection may stay silent before it is closed
UNDECIDED_SECONDS = 30.0
#: connections the door keeps waiting for their first bytes at once
MAX_UNDECIDED = 1024
#: gRPC connections the door copies at once
MAX_PIPES = 1024
#: first and longest pause of the listener when the process is out of descriptors
PAUSE_FIRST_SECONDS = 0.05
PAUSE_MOST_SECONDS = 1.0
#: seconds without a failure after which a logged episode counts as over
SETTLE_SECONDS = 5.0
#: accept() errors that mean the process or system is out of a resource, not a bad peer
SCARCE = frozenset((errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM))
#: accept() errors that concern only the connection being accepted
_PEER_GONE = frozenset((errno.ECONNABORTED, errno.EPROTO, errno.EPERM, errno.ECONNRESET))
_CHUNK = 256 * 1024
_READ, _WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


class Episode:
    """A condition logged once when it starts and once when it ends, not once per event.

    An episode ends only after :data:`SETTLE_SECONDS` without a new failure, so
    a condition that comes and goes many times a second (descriptors freed and
    taken again) is one episode.
    """

    __slots__ = ("active", "_last")

    def __init__(self) -> None:
        self.active = False
        self._last = 0.0

    def begin(self, message: str, *args: object) -> None:
        """A failure: log ``message`` at WARNING unless this episode is already going on."""
        self._last = time.monotonic()
        if not self.active:
            self.active = True
            log.warning(message, *args)

    def end(self, message: str, *args: object) -> None:
        """A success: log ``message`` at INFO if an episode was going on and has settled."""
        if self.active and time.monotonic() - self._last >= SETTLE_SECONDS:
            self.active = False
            log.info(message, *args)


class _Pipe:
    """An HTTP/2 client joined to the gRPC engine: bytes copied both ways."""

    __slots__ = ("door", "a", "b", "backlog", "closed")

    def __init__(self, door: FrontDoor, client: socket.socket, engine: socket.socket) -> None:
        self.door = door
        self.a = client
        self.b = engine
        #: bytes waiting to be written to each socket
        self.backlog: dict[socket.socket, bytes] = {client: b"", engine: b""}
        self.closed = False

    def other(self, sock: socket.socket) -> socket.socket:
        return self.b if sock is self.a else self.a

    def event(self, sock: socket.socket, mask: int) -> None:
        try:
            if mask & _WRITE:
                self._flush(sock)
            if mask & _READ and not self.backlog[self.other(sock)]:
                self._pump(sock)
        except OSError:
            self.close()
            return
        if not self.closed:
            self._interest()

    def _pump(self, source: socket.socket) -> None:
        view = self.door.buffer
        count = source.recv_into(view)
        if count == 0:
            self.close()
            return
        target = self.other(source)
        try:
            sent = target.send(view[:count])
        except BlockingIOError:
            sent = 0
        if sent < count:
            self.backlog[target] = bytes(view[sent:count])

    def _flush(self, target: socket.socket) -> None:
        waiting = self.backlog[target]
        if waiting:
            sent = target.send(waiting)
            self.backlog[target] = waiting[sent:]

    def _interest(self) -> None:
        """Read from a side only while the other side has no backlog; write while one waits."""
        for sock in (self.a, self.b):
            mask = 0 if self.backlog[self.other(sock)] else _READ
            if self.backlog[sock]:
                mask |= _WRITE
            if mask:
                self.door.watch(sock, mask, self)
            else:
                self.door.forget(sock)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.door.pipes -= 1
        for sock in (self.a, self.b):
            self.door.forget(sock)
            sock.close()


class FrontDoor:
    """Listens on ``host:port`` and routes each connection to gRPC or to ``adopt``.

    ``engine`` is the gRPC engine's private ``(host, port)``; ``adopt`` takes an
    HTTP/1.1 connection's socket (called on this object's thread).
    """

    def __init__(
        self,
        host: str,
        port: int,
        engine: tuple[str, int],
        adopt: Callable[[socket.socket], None],
    ) -> None:
        self._engine = engine
        self._adopt = adopt
        self.buffer = memoryview(bytearray(_CHUNK))
        try:
            family, kind, proto, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[
                0
            ]
            self._listener = socket.socket(family, kind, proto)
        except OSError as exc:
            raise ListenError("grpc", f"cannot listen on {host}:{port}: {exc}") from None
        try:
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._listener.bind(where)
            self._listener.listen(512)
        except OSError as exc:
            self._listener.close()
            raise ListenError(
                "grpc", f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            ) from None
        self._listener.setblocking(False)
        self.host = host
        self.port = int(self._listener.getsockname()[1])
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, _READ, None)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, _READ, "wake")
        #: connections whose first bytes have not arrived: socket -> when accepted
        self._undecided: dict[socket.socket, float] = {}
        #: gRPC connections being copied
        self.pipes = 0
        #: when the paused listener is watched again (None: it is watched)
        self._resume_at: float | None = None
        self._pause = PAUSE_FIRST_SECONDS
        self._scarce = Episode()
        self._full = Episode()
        self._engine_down = Episode()
        self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name="cloud-tasks-emulator-front-door", daemon=True
        )
        self._thread.start()

    # -- selector bookkeeping (called on the door's thread) ------------------------------

    def watch(self, sock: socket.socket, mask: int, pipe: _Pipe) -> None:
        try:
            key = self._selector.get_key(sock)
        except KeyError:
            self._selector.register(sock, mask, pipe)
            return
        if key.events != mask:
            self._selector.modify(sock, mask, pipe)

    def forget(self, sock: socket.socket) -> None:
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError):
            pass

    # -- the loop ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping:
                for key, mask in self._selector.select(timeout=self._timeout()):
                    data = key.data
                    try:
                        if data is None:
                            self._accept()
                        elif data == "wake":
                            self._wake_r.recv(64)
                        elif isinstance(data, _Pipe):
                            data.event(key.fileobj, mask)  # type: ignore[arg-type]
                        else:
                            self._decide(key.fileobj)  # type: ignore[arg-type]
                    except Exception:  # one connection's trouble never stops the door
                        log.exception("the front door failed on a connection")
                self._expire()
                self._resume()
        finally:
            self._close_all()

    def _timeout(self) -> float:
        """How long the next select may wait: at most a second, less while paused."""
        if self._resume_at is None:
            return 1.0
        return min(1.0, max(0.0, self._resume_at - time.monotonic()))

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in _PEER_GONE:
                    continue  # that peer gave up already; the next one may not have
                self._pause_accepting(exc)
                return
            self._pause = PAUSE_FIRST_SECONDS
            self._scarce.end("the front door accepts connections again")
            conn.setblocking(False)
            if len(self._undecided) >= MAX_UNDECIDED:  # the one waiting longest makes room
                self._drop(next(iter(self._undecided)))
            self._undecided[conn] = time.monotonic()
            self._selector.register(conn, _READ, "undecided")

    def _pause_accepting(self, exc: OSError) -> None:
        """Stop watching the listener for a while (the pending connections wait in its backlog)."""
        why = exc.strerror or exc
        if exc.errno in SCARCE:
            self._scarce.begin("the front door cannot accept connections (%s); retrying", why)
        else:
            self._scarce.begin("the front door cannot accept connections: %s; retrying", why)
        self.forget(self._listener)
        self._resume_at = time.monotonic() + self._pause
        self._pause = min(self._pause * 2, PAUSE_MOST_SECONDS)

    def _resume(self) -> None:
        if self._resume_at is not None and time.monotonic() >= self._resume_at:
            self._resume_at = None
            self._selector.register(self._listener, _READ, None)

    def _decide(self, conn: socket.socket) -> None:
        try:
            head = conn.recv(len(PREFACE), socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(conn)
            return
        if not head:
            self._drop(conn)
            return
        if head != PREFACE[: len(head)]:  # not HTTP/2: the REST side's
            self._release(conn)
            try:
                self._adopt(conn)
            except Exception:
                log.exception("the REST side could not take a connection")
                conn.close()
            return
        if len(head) < len(PREFACE):
            return  # a prefix of the preface so far: wait for more
        self._release(conn)
        if self.pipes >= MAX_PIPES:
            self._full.begin(
                "%d gRPC connections are open, the most the front door copies; "
                "closing new ones until some close",
                self.pipes,
            )
            conn.close()
            return
        try:
            engine = socket.create_connection(self._engine, timeout=5)
        except OSError as exc:
            self._engine_down.begin(
                "the gRPC engine does not take connections: %s", exc.strerror or exc
            )
            conn.close()
            return
        self._engine_down.end("the gRPC engine takes connections again")
        self._full.end("the front door takes gRPC connections again")
        engine.setblocking(False)
        for sock in (conn, engine):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pipes += 1
        pipe = _Pipe(self, conn, engine)
        self.watch(conn, _READ, pipe)
        self.watch(engine, _READ, pipe)

    def _release(self, conn: socket.socket) -> None:
        self._undecided.pop(conn, None)
        self.forget(conn)

    def _drop(self, conn: socket.socket) -> None:
        self._release(conn)
        conn.close()

    def _expire(self) -> None:
        if not self._undecided:
            return
        limit = time.monotonic() - UNDECIDED_SECONDS
        for conn in [c for c, at in self._undecided.items() if at < limit]:
            self._drop(conn)

    def _close_all(self) -> None:
        for key in list(self._selector.get_map().values()):
            sock = key.fileobj
            if isinstance(key.data, _Pipe):
                key.data.close()
            elif sock is not self._wake_r:
                sock.close()  # type: ignore[union-attr]
        self._listener.close()  # also when paused, and so not in the selector
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    # -- lifecycle --------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop accepting and close every connection."""
        self._stopping = True
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        self._thread.join(10)
