"""Queues declared in files: applied at start, and uploaded with UploadQueueYaml.

:mod:`.queue_files` reads the files; the rules here apply what they declare,
all in one store transaction, so a refused file changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import model as m
from . import names, rules
from .base import ServiceBase
from .errors import QUEUE_TOO_RECENT, ServiceError, invalid, precondition
from .queue_files import DeclaredQueue, QueueFileError, read_queue_yaml

#: more queues than a location can hold: every queue of a location in one read
_ALL = 1 << 30


class DeclaredQueueRules(ServiceBase):
    """Creating and updating queues as files declare them."""

    #: the location of the App Engine app an UploadQueueYaml configures (``--location``)
    app_location: str = "us-central1"

    def declare_queues(self, declared: Sequence[DeclaredQueue]) -> list[m.Queue]:
        """Create or update each declared queue (a file's settings replace the queue's).

        A queue that exists keeps its state, purge time and tasks; a new one
        starts RUNNING (or in the state its declaration names).
        :class:`~.queue_files.QueueFileError` (naming the file and line) when
        one is refused; then nothing changes.
        """
        return self._apply(declared, resume_paused=False, disable_in=None)

    def upload_queue_yaml(self, app_id: str, body: bytes | None) -> None:
        """UploadQueueYaml: the queues of ``body`` (a queue.yaml file) for the app ``app_id``.

        Each queue the file names is created or updated in
        ``projects/<app_id>/locations/<app_location>`` and runs (a DISABLED one
        again; a PAUSED one only with ``resume_paused_queues: true``).  Every
        other queue of that location is set to DISABLED, as the service does
        after an upload, however it was made: tasks can still be added to it,
        none is dispatched, and ResumeQueue, a later upload naming it, or
        DeleteQueue ends that.  A mistake is INVALID_ARGUMENT naming the line
        and field; then nothing changes.
        """
        if not app_id:
            raise invalid("UploadQueueYamlRequest.appId is required.")
        if body is None:
            raise invalid("UploadQueueYamlRequest.httpBody is required.")
        parent = f"projects/{app_id}/locations/{self.app_location}"
        names.queue(f"{parent}/queues/q")
        try:
            upload = read_queue_yaml(body, "queue.yaml", parent)
        except QueueFileError as exc:
            raise invalid(str(exc)) from None
        self._apply(upload.queues, resume_paused=upload.resume_paused, disable_in=parent)

    def _apply(
        self, declared: Sequence[DeclaredQueue], *, resume_paused: bool, disable_in: str | None
    ) -> list[m.Queue]:
        upload = disable_in is not None
        completed = [self._completed(d, upload) for d in declared]
        now = self.clock.now_us()
        out: list[m.Queue] = []
        with self.store.write():
            for d, q in zip(declared, completed, strict=True):
                try:
                    out.append(self._put(d, q, now, upload=upload, resume=resume_paused))
                except ServiceError as exc:
                    raise _located(exc, d, upload) from None
            if disable_in is not None:
                kept = {q.name for q in completed}
                for body in self.store.queues(disable_in, "", _ALL, None):
                    q = m.Queue.FromString(body)
                    if q.name not in kept and q.state != m.DISABLED:
                        q.state = m.DISABLED
                        self._save_queue(q)
        self._poke()
        return out

    @staticmethod
    def _completed(d: DeclaredQueue, upload: bool) -> m.Queue:
        q = m.Queue()
        q.CopyFrom(d.queue)
        try:
            rules.complete_queue(q)
        except ServiceError as exc:
            raise _located(exc, d, upload) from None
        if d.burst is not None:  # for queue.yaml queues the service keeps bucket_size
            q.rate_limits.max_burst_size = d.burst
        return q

    def _put(
        self, d: DeclaredQueue, q: m.Queue, now: int, *, upload: bool, resume: bool
    ) -> m.Queue:
        body = self.store.queue(q.name)
        if body is None:
            names.known_location(names.queue_parent(q.name), self.settings.locations)
            if self.store.tombstoned(q.name, now):
                raise precondition(QUEUE_TOO_RECENT)
            q.state = d.state or m.RUNNING
            return self._save_queue(q)
        old = m.Queue.FromString(body)
        if old.type_ != q.type_:
            kind = "pull" if old.type_ == m.PULL else "push"
            raise invalid(f"The queue is a {kind} queue; a queue's type cannot be changed.")
        if old.HasField("purge_time"):
            q.purge_time.CopyFrom(old.purge_time)
        q.state = old.state
        if upload and (old.state == m.DISABLED or (old.state == m.PAUSED and resume)):
            q.state = m.RUNNING
        return self._save_queue(q)


def _located(exc: ServiceError, d: DeclaredQueue, upload: bool) -> Exception:
    """``exc`` naming the file, line and entry of the declaration.

    For an upload, a :class:`ServiceError` of the same code; for a file read at
    start, a :class:`~.queue_files.QueueFileError`.
    """
    located = d.error(exc.message)
    return ServiceError(exc.code, str(located), exc.details) if upload else located
