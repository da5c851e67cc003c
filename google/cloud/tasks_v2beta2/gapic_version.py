"""The version of this distribution; every API version of it shares one number."""

from google.cloud.tasks_v2.gapic_version import __version__ as __version__
