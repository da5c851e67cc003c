"""``google.cloud.tasks``: the Cloud Tasks v2 surface under its version-free name.

``from google.cloud import tasks`` then ``tasks.CloudTasksClient()`` and
``tasks.Task(...)``.  Everything is imported on first use.
"""

from typing import TYPE_CHECKING

from google.cloud.tasks_v2.gapic_version import __version__ as __version__

if TYPE_CHECKING:
    from google.cloud.tasks_v2 import *  # noqa: F403
    from google.cloud.tasks_v2 import CloudTasksAsyncClient as CloudTasksAsyncClient
    from google.cloud.tasks_v2 import CloudTasksClient as CloudTasksClient

from google.cloud.tasks._core.lazy import forward  # noqa: E402

# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = forward(__name__, "google.cloud.tasks_v2")
