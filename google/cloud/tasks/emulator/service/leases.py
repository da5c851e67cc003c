"""Pull queues (v2beta2): leasing tasks, and acknowledging, renewing or cancelling a lease.

A lease is the task's ``schedule_time``: leasing moves it to the lease's end,
and the other calls must quote it to prove the caller holds the lease.  Once
that time passes, the task can be leased again.
"""

from __future__ import annotations

from . import model as m
from . import names, rules
from .base import ServiceBase
from .errors import precondition


class LeaseRules(ServiceBase):
    """The lease cycle of pull tasks."""

    def lease_tasks(self, parent: str, max_tasks: int, lease: int, filter: str) -> list[m.Task]:
        """Lease due tasks of a pull queue for ``lease`` seconds."""
        names.queue(parent)
        if max_tasks < 0:
            raise rules.negative("LeaseTasksRequest.maxTasks")
        if max_tasks > rules.MAX_LEASE_TASKS:
            raise rules.at_most("LeaseTasksRequest.maxTasks", rules.MAX_LEASE_TASKS)
        how, tag = rules.lease_filter(filter)
        now = self.clock.now_us()
        with self.store.write():
            queue = self._queue(parent)
            if queue.type_ != m.PULL:
                raise precondition("LeaseTasks can only be called on a pull queue.")
            if queue.state != m.RUNNING:
                state = "paused" if queue.state == m.PAUSED else "disabled"
                raise precondition(f"The queue is {state}; tasks cannot be leased.")
            if how == "oldest":
                tag = self.store.oldest_tag(parent, now)
                if tag is None:
                    return []
            leased = []
            expiry = now + lease * 1_000_000
            for body in self.store.due(parent, now, max_tasks or 1, tag):
                t = m.Task.FromString(body)
                t.dispatch_count += 1
                if t.dispatch_count == 1:
                    m.set_us(t.first_attempt.dispatch_time, now)
                t.last_attempt.Clear()
                t.last_attempt.schedule_time.CopyFrom(t.schedule_time)
                m.set_us(t.last_attempt.dispatch_time, now)
                m.set_us(t.schedule_time, expiry)
                self.store.update_task(t.name, expiry, t.SerializeToString())
                leased.append(t)
            return leased

    def _leased(self, name: str, schedule_time: object | None, now: int, request: str) -> m.Task:
        """The leased pull task ``name``, if ``schedule_time`` quotes its current lease.

        ``request`` names the request message (``AcknowledgeTaskRequest``, ...),
        for the messages.
        """
        names.task(name)
        if schedule_time is None:
            raise rules.required(f"{request}.scheduleTime")
        t = self._task(name, now)
        if not t.HasField("pull_message"):
            raise precondition("The task is not a pull task.")
        if t.schedule_time != schedule_time:
            raise precondition(f"{request}.scheduleTime does not match the task's current lease.")
        if m.us_of(t.schedule_time) <= now:
            raise precondition("The task's lease has expired.")
        return t

    def acknowledge_task(self, name: str, schedule_time: object | None) -> None:
        now = self.clock.now_us()
        with self.store.write():
            self._leased(name, schedule_time, now, "AcknowledgeTaskRequest")
            self.store.delete_task(name)
            self.store.tombstone(name, self._task_until(now))

    def renew_lease(self, name: str, schedule_time: object | None, lease: int) -> m.Task:
        now = self.clock.now_us()
        with self.store.write():
            t = self._leased(name, schedule_time, now, "RenewLeaseRequest")
            expiry = now + lease * 1_000_000
            m.set_us(t.schedule_time, expiry)
            self.store.update_task(name, expiry, t.SerializeToString())
            return t

    def cancel_lease(self, name: str, schedule_time: object | None) -> m.Task:
        now = self.clock.now_us()
        with self.store.write():
            t = self._leased(name, schedule_time, now, "CancelLeaseRequest")
            m.set_us(t.schedule_time, now)
            self.store.update_task(name, now, t.SerializeToString())
            return t
