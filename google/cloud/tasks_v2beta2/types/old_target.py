"""Kept so that imports written for older releases work: this module defines no messages.

The types it once held live in :mod:`google.cloud.tasks_v2beta2.types.target`.
"""

__all__: tuple[str, ...] = ()
