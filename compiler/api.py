"""The public Python API: the CLI is a thin shell over these functions.

A facade and nothing else: each name is defined in the stage that owns it (docs/architecture.md)
and re-exported here, so callers need not know the layout.  ``load_project`` gathers and checks
every document (load, validate, resolve), ``compile_plan`` runs the compiler stages for one
athlete, ``plan_files`` emits its outputs, ``build_site`` compiles and writes a whole site.
Nothing here prints or exits; problems come back as Diagnostics.
"""

from __future__ import annotations

from .commands.check import Project, load_project
from .commands.explain import Explanation, explain_athlete, find_athlete
from .emit.outputs import FEEDS, RECORD, Carried, carry_over, plan_files, record_bytes
from .plan.pipeline import compile_plan, pinned_start
from .site.build import BuildResult, IndexResult, build_site, index_site
from .site.published import published
from .sources.discover import YAML_SUFFIXES, default_paths, find_files
from .sources.gather import PARALLEL_LOAD_MIN, AthleteFile

__all__ = [
    "FEEDS",
    "PARALLEL_LOAD_MIN",
    "RECORD",
    "YAML_SUFFIXES",
    "AthleteFile",
    "BuildResult",
    "Carried",
    "Explanation",
    "IndexResult",
    "Project",
    "build_site",
    "carry_over",
    "compile_plan",
    "default_paths",
    "explain_athlete",
    "find_athlete",
    "find_files",
    "index_site",
    "load_project",
    "pinned_start",
    "plan_files",
    "published",
    "record_bytes",
]
