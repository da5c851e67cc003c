"""Change a queue's rate limits and retry policy, and nothing else (``update_mask``).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/update_queue.py
"""

from __future__ import annotations

import datetime

from google.protobuf import field_mask_pb2

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    max_dispatches_per_second: float = 5,
    max_concurrent_dispatches: int = 2,
    max_attempts: int = 10,
) -> None:
    client = tasks.CloudTasksClient()
    changes = tasks.Queue(
        name=client.queue_path(project, location, queue),
        rate_limits=tasks.RateLimits(
            max_dispatches_per_second=max_dispatches_per_second,
            max_concurrent_dispatches=max_concurrent_dispatches,
        ),
        retry_config=tasks.RetryConfig(
            max_attempts=max_attempts,
            min_backoff=datetime.timedelta(seconds=1),
            max_backoff=datetime.timedelta(seconds=60),
        ),
    )
    # only the fields named here change; the rest of the queue stays as it was
    mask = field_mask_pb2.FieldMask(
        paths=[
            "rate_limits.max_dispatches_per_second",
            "rate_limits.max_concurrent_dispatches",
            "retry_config.max_attempts",
            "retry_config.min_backoff",
            "retry_config.max_backoff",
        ]
    )
    updated = client.update_queue(queue=changes, update_mask=mask)
    limits, retry = updated.rate_limits, updated.retry_config
    print(f"updated {updated.name}")
    print(f"  {limits.max_dispatches_per_second:g}/s, {limits.max_concurrent_dispatches} at once")
    print(f"  up to {retry.max_attempts} attempts")
    print(f"  backoff from {retry.min_backoff} to {retry.max_backoff}")


if __name__ == "__main__":
    main()
