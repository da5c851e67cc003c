"""Developer sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s mypy``, ``nox -s docs``.

``tests`` runs once per supported Python (``tests-3.10`` ... ``tests-3.13``); an
interpreter this machine lacks is skipped (an error where the ``CI`` variable is set).
``lint``, ``mypy`` and ``docs`` run on the interpreter nox itself runs on.
"""

import os
import shutil
import subprocess

import nox

# requires-python (pyproject.toml) up to the newest release the suite is run on
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["tests", "lint", "mypy"]


def _pyenv_versions() -> None:
    """With pyenv, let nox find every installed X.Y of PYTHONS, not only the active one.

    pyenv's ``python3.10`` shim answers only for the versions pyenv has active, so nox
    would skip the others; listing them in ``PYENV_VERSION`` (after the active ones) makes
    their shims work.  A ``PYENV_VERSION`` already set is left as it is.
    """
    pyenv = shutil.which("pyenv")
    if pyenv is None or os.environ.get("PYENV_VERSION"):
        return
    try:
        active = subprocess.run(
            [pyenv, "version-name"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        installed = subprocess.run(
            [pyenv, "versions", "--bare"], capture_output=True, text=True, timeout=30
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return
    chosen = [v for v in active.split(":") if v]
    for wanted in PYTHONS:
        patches = [
            v for v in installed if v.startswith(wanted + ".") and v[len(wanted) + 1 :].isdigit()
        ]
        if patches:
            newest = max(patches, key=lambda v: int(v.rsplit(".", 1)[1]))
            if newest not in chosen:
                chosen.append(newest)
    if chosen:
        os.environ["PYENV_VERSION"] = ":".join(chosen)


_pyenv_versions()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite against in-process servers."""
    session.install("-e", ".[test]")
    session.run("pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff lint and format check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def mypy(session: nox.Session) -> None:
    """Type-check the package."""
    session.install("-e", ".[lint]")
    session.run("mypy", "google")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx site (warnings are errors) and check links between our pages.

    Offline: intersphinx is off and the link check skips every external URL.
    """
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("sphinx-build", "-W", "-b", "linkcheck", "docs", "docs/_build/linkcheck")
