"""Developer sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s mypy``, ``nox -s docs``."""

import nox

nox.options.sessions = ["tests", "lint", "mypy"]


@nox.session
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
