"""The one list of an athlete's output files: every name, media type and what it is, declared here
and nowhere else.

The writer (``outputs.plan_files`` and ``site.batch``), the incremental check (the manifest's
outputs), the site record, ``planc diff`` (which folders are athletes') and the links of the page,
plan.md and the site index all read this list, so adding a format is one ``Output`` here and its
emitter in ``outputs.EMITTERS`` (the bytes have to be made somewhere); no other module spells
a file's name (tests/test_output_registry.py scans for it).

A leaf of the emit layer: it imports no emitter, so the emitters that link to other files (the
page, plan.md, the watch files) can import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """One output file of an athlete's folder.

    ``name``: its file name; ``media_type``: what ``planc serve`` and a web server send it as;
    ``description``: one line for the docs and help; ``label``: how the page's "Also as" line
    and the site index name it ("" when it is not listed there: the feeds have their own
    section, the page is the page); ``feed``: a calendar feed whose previous version a rebuild
    carries on (SEQUENCEs, cancelled events); ``binary``: not text; ``optional``: written only
    with the FIT SDK installed (``planc[watch]``); ``plan``: made by ``outputs.plan_files`` from
    the Plan alone (the watch files are made by ``watch_files``, with their own record)."""

    name: str
    media_type: str
    description: str
    label: str = ""
    feed: bool = False
    binary: bool = False
    optional: bool = False
    plan: bool = True


PLAN_ICS = Output(
    "plan.ics",
    "text/calendar; charset=utf-8",
    "the training calendar: one event per workout, race day included",
    feed=True,
)
BUSY_ICS = Output(
    "busy.ics",
    "text/calendar; charset=utf-8",
    "the same sessions as busy times only, for a work calendar",
    feed=True,
)
PLAN_MD = Output(
    "plan.md",
    "text/markdown; charset=utf-8",
    "the plan as Markdown, week by week",
    label="Markdown",
)
INDEX_HTML = Output(
    "index.html",
    "text/html; charset=utf-8",
    "the athlete's page: countdown, agenda, calendar, weeks and the feeds' links",
    label="page",
)
PLAN_JSON = Output(
    "plan.json",
    "application/json; charset=utf-8",
    "the compiled plan as data (docs/outputs.md), what `planc diff` compares",
    label="JSON",
)
INTERVALS_JSON = Output(
    "intervals.json",
    "application/json; charset=utf-8",
    "the workouts as intervals.icu events, for one bulk upload",
    plan=False,
)
WORKOUTS_ZIP = Output(
    "workouts.zip",
    "application/zip",
    "the upcoming weeks' FIT workout files in one download",
    binary=True,
    optional=True,
    plan=False,
)

# Every output, in the order the docs list them.
OUTPUTS: tuple[Output, ...] = (
    PLAN_ICS,
    BUSY_ICS,
    PLAN_MD,
    INDEX_HTML,
    PLAN_JSON,
    INTERVALS_JSON,
    WORKOUTS_ZIP,
)


@dataclass(frozen=True)
class Family:
    """Files of an athlete's folder made one per item (a FIT file per run): ``folder/<stem>
    <suffix>``, declared once here as an ``Output`` is; ``optional`` as an Output's.

    The build writes the items it makes and removes the family's files it no longer makes (a
    cancelled workout's); the manifest, the site record, ``--check`` and ``planc diff`` read
    the family from here (compiler/site/families.py), so a family added here is known to all.
    ``record``: a file in ``folder`` the build keeps beside them, a JSON object by path with,
    per file, ``key`` (a digest of what it holds, not of when it was made) and ``sha`` (the
    sha256 of its bytes): ``planc diff`` compares files by it ("" when there is none: by
    their bytes)."""

    folder: str
    suffix: str
    media_type: str
    description: str
    binary: bool = False
    optional: bool = False
    record: str = ""

    def name(self, stem: str) -> str:
        """The path of the item ``stem``'s file in the athlete's folder."""
        return f"{self.folder}/{stem}{self.suffix}"

    @property
    def record_path(self) -> str:
        """The path of ``record`` in the athlete's folder ("" when there is none)."""
        return f"{self.folder}/{self.record}" if self.record else ""

    def holds(self, path: str) -> bool:
        """Whether ``path`` (or a bare file name) is one of them: by its suffix, which no other
        output of planc ends with (tests/test_output_registry.py)."""
        return path.endswith(self.suffix)


WORKOUT_FILES = Family(
    "workouts",
    ".fit",
    "application/vnd.ant.fit",
    "a FIT workout file per run, workouts/<date>-<slot>.fit, for a watch",
    binary=True,
    optional=True,
    record=".planc-fit.json",
)
# Every family of files, as OUTPUTS lists the single ones.
FAMILIES: tuple[Family, ...] = (WORKOUT_FILES,)
WORKOUTS_DIR = WORKOUT_FILES.folder
SITE_INDEX = INDEX_HTML.name  # the site's front page, OUT/index.html, is named as a page is


def plan_outputs() -> tuple[Output, ...]:
    """The outputs ``plan_files`` makes, in order.  Read at call time, so a test that adds an
    output to ``OUTPUTS`` sees it everywhere."""
    return tuple(o for o in OUTPUTS if o.plan)


def plan_names() -> tuple[str, ...]:
    """The names of ``plan_outputs``: the files every built athlete's folder holds."""
    return tuple(o.name for o in plan_outputs())


def feeds() -> tuple[str, ...]:
    """The calendar feeds' names: whose previous version a rebuild updates in place."""
    return tuple(o.name for o in OUTPUTS if o.feed)


def listed() -> tuple[Output, ...]:
    """The files the page's "Also as" line lists, in order: the labelled ones but the page."""
    return tuple(o for o in OUTPUTS if o.label and o is not INDEX_HTML)
