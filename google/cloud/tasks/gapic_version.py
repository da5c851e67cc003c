"""The version of this distribution, as ``google.cloud.tasks.gapic_version`` reports it."""

from google.cloud.tasks_v2.gapic_version import __version__ as __version__
