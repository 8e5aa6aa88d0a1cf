"""The site index of a shared output folder (issue 13, item 4): building some athletes into a
folder that holds others keeps the others on the site.  The index lists every athlete folder in
the output folder, as `planc index` does after sharded builds; a deleted folder takes its athlete
off; `planc serve` (IndexScope.BUILD) lists only the athletes it builds."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from compiler.api import build_site
from compiler.cli import main
from compiler.resources import examples_dir
from compiler.site.build_model import IndexScope
from compiler.site.folder_index import index_entries

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)


class _Rows(HTMLParser):
    """The athletes an index lists: the folder each row's first link points into, and its name."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, str] = {}
        self._folder: str | None = None
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "th" and ("scope", "row") in attrs:
            self._in_th = True
        elif tag == "a" and self._in_th:
            href = dict(attrs)["href"] or ""
            self._folder = href.removesuffix("/index.html")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th, self._folder = False, None

    def handle_data(self, data: str) -> None:
        if self._folder is not None and data.strip():
            self.rows[self._folder] = data.strip()


def listed(out: Path) -> dict[str, str]:
    """folder -> athlete name, for every row of ``out/index.html``."""
    parser = _Rows()
    parser.feed((out / "index.html").read_text("utf-8"))
    return parser.rows


def athlete(folder: Path, athlete_id: str, name: str) -> Path:
    """A folder with one athlete, the half-marathon example under another id and name."""
    folder.mkdir(parents=True)
    text = HALF.replace("id: half-marathon", f"id: {athlete_id}").replace("Sam Carter", name)
    (folder / f"{athlete_id}.yaml").write_text(text, "utf-8")
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def build(source: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run("build", str(source), "--out", str(out), "--today", TODAY.isoformat(), *extra)


def test_athletes_built_separately_into_one_folder_are_all_listed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    code, _, err = build(athlete(tmp_path / "a", "ana", "Ana Lima"), out)
    assert code == 0, err
    assert listed(out) == {"ana": "Ana Lima"}
    code, _, err = build(athlete(tmp_path / "b", "ben", "Ben Okafor"), out)
    assert code == 0, err
    assert listed(out) == {"ana": "Ana Lima", "ben": "Ben Okafor"}
    assert "also lists 1 athlete built earlier" in err
    # the same index `planc index` makes of the folder (the shards' way): it finds nothing to change
    index = (out / "index.html").read_bytes()
    code, _, err = run("index", str(out))
    assert code == 0 and "unchanged: 2 athletes" in err, err
    assert (out / "index.html").read_bytes() == index
    # rebuilding the first one keeps the second listed, and says so in the build object
    code, stdout, err = build(tmp_path / "a", out, "--format", "json")
    assert code == 0, err
    assert json.loads(stdout)["build"]["others"] == ["ben"]
    assert listed(out) == {"ana": "Ana Lima", "ben": "Ben Okafor"}


def test_a_deleted_folder_leaves_the_index_even_on_a_no_op_rebuild(tmp_path: Path) -> None:
    """The rebuild of an unchanged athlete would take the no-op fast path; a folder of the index
    gone (or one come) since makes it build the index again."""
    out = tmp_path / "public"
    ana, ben, cy = (
        athlete(tmp_path / n, n, f"{n.title()} Runner") for n in ("ana", "ben", "cy")
    )  # fmt: skip
    for source in (ana, ben):
        assert build_site([source], out, today=TODAY, stamp=STAMP).failed == ()
    assert set(listed(out)) == {"ana", "ben"}
    shutil.rmtree(out / "ana")
    again = build_site([ben], out, today=TODAY, stamp=STAMP)
    assert again.others == () and "index.html" in again.written
    assert set(listed(out)) == {"ben"}
    # a folder gathered in by hand (another machine's build) is listed by the next build
    build_site([cy], tmp_path / "elsewhere", today=TODAY, stamp=STAMP)
    shutil.copytree(tmp_path / "elsewhere" / "cy", out / "cy")
    again = build_site([ben], out, today=TODAY, stamp=STAMP)
    assert again.others == ("cy",) and set(listed(out)) == {"ben", "cy"}
    # and with nothing changed on either side the fast path keeps them listed
    noop = build_site([ben], out, today=TODAY, stamp=STAMP)
    assert noop.written == () and noop.skipped == ("ben",) and noop.others == ("cy",)


def test_check_says_the_index_would_change_when_a_folder_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "public"
    for n in ("ana", "ben"):
        build_site([athlete(tmp_path / n, n, n)], out, today=TODAY, stamp=STAMP)
    check = build_site([tmp_path / "ben"], out, today=TODAY, stamp=STAMP, check=True)
    assert "index.html" not in check.written and check.others == ("ana",)
    shutil.rmtree(out / "ana")
    check = build_site([tmp_path / "ben"], out, today=TODAY, stamp=STAMP, check=True)
    assert "index.html" in check.written
    assert set(listed(out)) == {"ana", "ben"}, "--check writes nothing"


def test_a_damaged_folder_is_read_from_its_plan_or_left_off(tmp_path: Path) -> None:
    """An athlete folder's entry comes from its manifest, else from its plan.json; a folder with
    neither whole is left off the index, never a crash of the build."""
    out = tmp_path / "public"
    for n in ("ana", "ben", "cy"):
        build_site([athlete(tmp_path / n, n, f"{n.title()} Runner")], out, today=TODAY, stamp=STAMP)
    (out / "ana" / ".planc-input").write_text('{"entry": {"id": "ana", "date": "soon"}}', "utf-8")
    (out / "ben" / ".planc-input").unlink()
    (out / "ben" / "plan.json").write_text("{not json", "utf-8")
    build_site([tmp_path / "cy"], out, today=TODAY, stamp=STAMP)
    assert listed(out) == {"ana": "Ana Runner", "cy": "Cy Runner"}


def test_a_block_without_its_manifest_is_read_from_its_plan(tmp_path: Path) -> None:
    """A training block's plan.json has no race (``"race": null``): its folder's entry, read
    from the plan when the manifest is gone, shows what the manifest showed (the block's program
    and last day), instead of the block falling off the index."""
    out = tmp_path / "public"
    source = tmp_path / "block"
    source.mkdir()
    shutil.copy(examples_dir() / "base-block.yaml", source)
    build_site([source], out, today=TODAY, stamp=STAMP)
    (from_manifest,) = index_entries(out)
    (out / "base-block" / ".planc-input").unlink()
    (from_plan,) = index_entries(out)
    assert from_manifest["race"] == "Base-building block"
    for key in ("id", "name", "race", "date"):
        assert from_plan[key] == from_manifest[key], key


def test_a_failed_athlete_keeps_its_published_plan_listed(tmp_path: Path) -> None:
    """An athlete whose file now has an error is not built and its previous outputs stay: the
    index still lists them, as it lists every plan the folder publishes."""
    out = tmp_path / "public"
    source = athlete(tmp_path / "club", "ana", "Ana Lima")
    athlete(tmp_path / "more", "ben", "Ben Okafor")
    shutil.copy(tmp_path / "more" / "ben.yaml", source / "ben.yaml")
    assert build_site([source], out, today=TODAY, stamp=STAMP).failed == ()
    text = (source / "ben.yaml").read_text("utf-8")
    (source / "ben.yaml").write_text(text.replace("program: half-marathon", "program: nope"))
    result = build_site([source], out, today=TODAY, stamp=STAMP)
    assert result.failed and result.athletes == ("ana",) and result.others == ("ben",)
    assert set(listed(out)) == {"ana", "ben"}


def test_the_preview_lists_only_what_it_builds(tmp_path: Path) -> None:
    """IndexScope.BUILD (planc serve): a folder left from an earlier build is not listed."""
    out = tmp_path / "public"
    for n in ("ana", "ben"):
        build_site([athlete(tmp_path / n, n, n)], out, today=TODAY, stamp=STAMP)
    result = build_site([tmp_path / "ben"], out, today=TODAY, stamp=STAMP, index=IndexScope.BUILD)
    assert result.others == () and set(listed(out)) == {"ben"}
    again = build_site([tmp_path / "ben"], out, today=TODAY, stamp=STAMP)
    assert again.others == ("ana",) and set(listed(out)) == {"ana", "ben"}
