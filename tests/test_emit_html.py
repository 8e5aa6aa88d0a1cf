"""The HTML page and the site index: structure, escaping, self-containment."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html.parser import HTMLParser

import pytest
from plan_factory import make_plan

from compiler.emit import SiteEntry, emit_html, emit_site_index

EVIL = "<script>alert('x')</script>"


class Page(HTMLParser):
    def __init__(self, source: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.chunks: list[str] = []
        self.feed(source.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def urls(self) -> list[str]:
        return [v for _, name, v in self.attrs if name in ("src", "href", "xlink:href")]


@pytest.mark.parametrize("units", ["km", "mi"])
def test_one_h1_landmarks_and_every_title(units: str) -> None:
    plan = make_plan(units=units)
    page = Page(emit_html(plan))
    assert page.tags["h1"] == 1
    assert page.tags["header"] == page.tags["main"] == page.tags["footer"] == 1
    assert page.tags["article"] == len(plan.workouts)
    for workout in plan.workouts:
        assert workout.title in page.text
    assert "6 x (400 m @ " in page.text


def test_names_and_titles_are_escaped() -> None:
    plan = make_plan(athlete_name=EVIL, race_name="R&D <b>Half</b>", first_title=EVIL)
    data = emit_html(plan)
    page = Page(data)
    assert page.tags["script"] == 0
    assert page.tags["b"] == Page(emit_html(make_plan())).tags["b"]  # no <b> from the race name
    assert EVIL in page.text
    assert "R&D <b>Half</b>" in page.text
    assert b"&lt;script&gt;" in data


def test_self_contained_no_scripts_no_external_urls() -> None:
    page = Page(emit_html(make_plan(units="mi")))
    assert page.tags["script"] == 0
    assert page.tags["link"] == 0
    assert page.tags["style"] == 1
    for url in page.urls():
        assert not url.lower().startswith(("http:", "https:", "//")), url


def test_volume_chart_is_accessible_svg() -> None:
    plan = make_plan()
    page = Page(emit_html(plan))
    assert page.tags["svg"] == 1
    assert page.tags["rect"] == len(plan.weeks)
    svg_attrs = {name: value for tag, name, value in page.attrs if tag == "svg"}
    assert svg_attrs["role"] == "img"
    assert svg_attrs["aria-labelledby"]
    assert page.tags["title"] == 1 + 1 + len(plan.weeks)  # page, chart, one per bar
    assert "Week 1 · Build: 33 km planned, target 42 km" in page.text
    css = {value for tag, name, value in page.attrs if tag == "rect" and name == "class"}
    assert css == {"phase-0", "phase-1"}  # build, taper


def test_responsive_dark_and_print_css() -> None:
    data = emit_html(make_plan())
    assert b'name="viewport"' in data
    assert b"prefers-color-scheme: dark" in data
    assert b"@media print" in data


def test_deterministic() -> None:
    assert emit_html(make_plan()) == emit_html(make_plan())


def test_site_index_links_every_athlete() -> None:
    entries = [
        SiteEntry("bob-mi", "Bob Smith", "Riverside Half", dt.date(2027, 3, 21), "speed"),
        SiteEntry("ana-km", EVIL, "Valencia", dt.date(2026, 12, 20), "endurance"),
    ]
    data = emit_site_index(entries)
    page = Page(data)
    assert page.tags["h1"] == 1
    assert page.tags["script"] == 0
    assert EVIL in page.text
    for athlete in ("ana-km", "bob-mi"):
        for name in ("index.html", "plan.ics", "plan.md", "plan.json"):
            assert f"{athlete}/{name}" in page.urls()
    assert page.text.index(EVIL) < page.text.index("Bob Smith")  # sorted by id
    assert data == emit_site_index(list(reversed(entries)))


def test_site_index_quotes_ids_in_links() -> None:
    page = Page(emit_site_index([SiteEntry("a b/../c", "A", "R", dt.date(2027, 1, 1), "f")]))
    assert "a%20b%2F..%2Fc/plan.ics" in page.urls()
