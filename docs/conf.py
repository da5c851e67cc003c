"""Sphinx configuration for the google-cloud-tasks (compact edition) documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``
(or ``nox -s docs``).  The build needs no network: intersphinx is off and the
link check ignores every external URL, so it verifies our own pages only.
"""

from __future__ import annotations

import os
import sys

# Document the package from this checkout, installed (pip install -e .) or not.
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from google.cloud.tasks_v2.gapic_version import __version__  # noqa: E402

project = "google-cloud-tasks (compact edition)"
author = "The google-cloud-tasks compact edition authors"
copyright = "the google-cloud-tasks compact edition authors"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

# Plain reStructuredText pages only.
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []

# Cross-references are checked by -W for our own pages; unresolved Python
# references to third-party types (grpc, google.api_core, protobuf) are not
# errors, since intersphinx is off (no network in CI).
nitpicky = False

# -- autodoc ------------------------------------------------------------------------------

autodoc_default_options = {
    "members": True,
    "member-order": "bysource",
    "show-inheritance": True,
}
# Our signatures carry full annotations; keep them in the signature line and
# do not try to resolve the names in them.
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_class_signature = "mixed"
autoclass_content = "class"
autodoc_inherit_docstrings = True

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
napoleon_use_rtype = False
# Enum docstrings list their members under "Values:", like the reference
# library's; render that section as a definition list of members.
napoleon_custom_sections = [("Values", "params_style")]


# -- HTML ---------------------------------------------------------------------------------

html_theme = "furo"
html_title = "google-cloud-tasks (compact edition)"
html_static_path: list[str] = []
html_show_sourcelink = False

# -- link check (offline) -----------------------------------------------------------------

# No network in CI: skip every external URL, so ``-b linkcheck`` checks only
# links between our own pages and anchors.
linkcheck_ignore = [r"https?://.*"]
linkcheck_anchors = True
linkcheck_timeout = 1
linkcheck_retries = 1


# -- one API version's pages link to that version's classes --------------------------------

# The three API versions define classes with the same short names (``Task``,
# ``Queue``, ``HttpRequest`` ...).  A type written as ``Queue`` in a docstring
# of ``tasks_v2beta2.types.task`` is looked up by suffix and matches the class
# of every version; plain Sphinx would warn and link the first one found,
# often another version's.  This domain keeps, among several matches, those
# in the same API package as the page's current module, so each version's
# reference links within itself and no warning is needed or silenced.


def _api_package(modname: str | None) -> str | None:
    if not modname:
        return None
    parts = modname.split(".")
    return ".".join(parts[:3]) + "." if len(parts) >= 3 else None


def setup(app):  # type: ignore[no-untyped-def]
    from sphinx.domains.python import PythonDomain

    class VersionAwarePythonDomain(PythonDomain):
        def find_obj(self, env, modname, classname, name, type, searchmode=0):  # type: ignore[no-untyped-def]
            matches = super().find_obj(env, modname, classname, name, type, searchmode)
            package = _api_package(modname)
            if len(matches) > 1 and package:
                same = [match for match in matches if match[0].startswith(package)]
                if same:
                    matches = same
            return matches

    app.add_domain(VersionAwarePythonDomain, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
