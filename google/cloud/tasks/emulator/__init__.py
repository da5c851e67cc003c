"""A local Cloud Tasks emulator: v2, v2beta3 and v2beta2 over gRPC and REST, delivering tasks.

From the command line::

    cloud-tasks-emulator start --port 8123 --queue my-queue --data tasks.db
    # or: python -m google.cloud.tasks.emulator start ...
    export CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123

Every flag also reads an environment variable (``CLOUD_TASKS_EMULATOR_PORT``,
``..._DATA``, ``..._QUEUES`` ...; see ``start --help``).  Without ``--data``
the state lives in memory; with it, in a SQLite file that keeps every
acknowledged change across restarts and crashes.

Inside a process, for tests::

    with Emulator() as emu:            # a free port, a background thread
        client = emu.client()          # or emu.client("v2beta2"), emu.async_client()
        ...
        emu.reset()                    # forget everything

and with pytest, the ``cloud_tasks_emulator`` fixture (registered by this
package) hands each test a freshly reset emulator and points
``CLOUD_TASKS_EMULATOR_HOST`` at it.

One state serves all three API versions: a queue made through v2 is listed
through v2beta3 and v2beta2, each in its own shape.  Requests are checked as
the real service checks them and refused with its codes and messages.  Due
tasks are delivered to their HTTP or App Engine handlers with the service's
headers, tokens, rate limits and retries (``--no-dispatch`` or
``Emulator(dispatch=False)`` only stores them); ``emu.wait_until_drained()``
and ``emu.wait_for_deliveries()`` let a test wait for them.  Nothing here is
imported by ``google.cloud.tasks``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .embed import Emulator as Emulator
    from .service.errors import Code as Code
    from .service.errors import ServiceError as ServiceError
    from .service.model import Settings as Settings

__all__ = ["Code", "Emulator", "ServiceError", "Settings"]

# Loaded on first use, so that importing the pytest plugin (which pytest does in every
# run where this package is installed) costs nothing until a test asks for the emulator.
_HOMES = {
    "Emulator": ".embed",
    "Code": ".service.errors",
    "ServiceError": ".service.errors",
    "Settings": ".service.model",
}


# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
