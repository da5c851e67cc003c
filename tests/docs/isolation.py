"""Run a command in a network namespace of its own: a loopback interface and nothing else.

The docs and sample tests run code exactly as the pages show it, with the
ports the pages name (the emulator on 8123, handlers on 8080).  In a namespace
of its own each document gets those ports to itself, whatever else runs on
the machine, and no block can reach a host off this machine, whatever URL it
names: there is no interface to send through.

``python isolation.py CMD ARGS...`` (as :func:`command` builds it, under
``unshare``) brings the namespace's loopback interface up and runs CMD.
"""

from __future__ import annotations

import fcntl
import functools
import os
import socket
import struct
import subprocess
import sys

import pytest

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def _unshare() -> list[str]:
    # root may make a network namespace outright; anyone else needs a user namespace too
    return ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--net", "--map-root-user"]


def command(argv: list[str]) -> list[str]:
    """``argv`` run in a new network namespace whose loopback interface is up."""
    return [*_unshare(), sys.executable, os.path.abspath(__file__), *argv]


@functools.cache
def unavailable() -> str | None:
    """Why no namespace can be made here, or None when one can."""
    try:
        done = subprocess.run(
            command([sys.executable, "-c", "pass"]), capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare: {exc}"
    return None if done.returncode == 0 else f"unshare: {done.stderr.strip()}"


def require_namespace() -> None:
    """Skip the test where namespaces cannot be made; in CI (``CI`` set), fail instead."""
    reason = unavailable()
    if reason is None:
        return
    message = f"the docs and sample runs need a network namespace of their own ({reason})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def loopback_up() -> None:
    """Bring the ``lo`` interface of this process's network namespace up."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


if __name__ == "__main__":
    loopback_up()
    os.execvp(sys.argv[1], sys.argv[1:])
