"""The version of this distribution (it tracks the google-cloud-tasks release it replaces)."""

__version__ = "2.26.0"
