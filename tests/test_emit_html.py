"""The HTML page and the site index: valid HTML (a strict parser), structure, escaping,
self-containment, links, today's mark, and the contrast of every colour pair the CSS uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import html5lib
import pytest
from plan_factory import make_plan

from compiler.emit import SiteEntry, emit_html, emit_site_index
from compiler.emit.html_links import anchor, normalize_base_url
from compiler.emit.purpose import week_purpose
from compiler.emit.text import countdown_text
from compiler.emit.workout_words import workout_summary

EVIL = "<script>alert('x')</script>"
BASE = "https://plans.example.org/team"
SVG = "{http://www.w3.org/2000/svg}"


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


def parse(data: bytes) -> ET.Element:
    """The page as a tree, parsed by html5lib in strict mode: any parse error raises."""
    parser = html5lib.HTMLParser(
        strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False
    )
    root: ET.Element = parser.parse(data)
    return root


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def has_class(element: ET.Element, name: str) -> bool:
    return name in element.get("class", "").split()


def find_all(root: ET.Element, tag: str, css: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(tag) if css is None or has_class(e, css)]


def hrefs(root: ET.Element) -> list[str]:
    return [a.get("href", "") for a in root.iter("a")]


# --------------------------------------------------------------------------- validity, structure


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: emit_html(make_plan()), id="km"),
        pytest.param(
            lambda: emit_html(make_plan(units="mi"), today=dt.date(2027, 3, 10), base_url=BASE),
            id="mi-today-base-url",
        ),
        pytest.param(
            lambda: emit_html(make_plan(athlete_name=EVIL, first_title='"quoted"\n|&')),
            id="escaped",
        ),
        pytest.param(
            lambda: emit_site_index([SiteEntry("a", EVIL, "R", dt.date(2027, 1, 1), "f")]),
            id="site",
        ),
        pytest.param(lambda: emit_site_index([], base_url=BASE), id="empty-site"),
    ],
)
def test_strictly_valid_html(data: object) -> None:
    assert callable(data)
    parse(data())


@pytest.mark.parametrize("units", ["km", "mi"])
def test_one_h1_landmarks_and_every_workout(units: str) -> None:
    plan = make_plan(units=units)
    root = parse(emit_html(plan))
    assert len(find_all(root, "h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert len(find_all(root, landmark)) == 1, landmark
    assert find_all(root, "nav")[0].get("aria-label")
    articles = find_all(root, "article")
    assert [a.get("id") for a in articles] == [anchor(w.uid) for w in plan.workouts]
    for article, workout in zip(articles, plan.workouts, strict=True):
        assert text(find_all(article, "h4")[0]) == workout.title
        assert article.get("aria-labelledby") == f"{anchor(workout.uid)}-title"
    assert "6 x (400 m @ " in text(root)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    for href in hrefs(root):
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_workout_details_in_the_athletes_units() -> None:
    root = parse(emit_html(make_plan(units="mi")))
    first = find_all(root, "article")[0]
    numbers = {
        text(dt_): text(dd) for dt_, dd in zip(first.iter("dt"), first.iter("dd"), strict=True)
    }
    assert numbers == {"Distance": "4.4 mi", "Duration": "43 min", "Pace": "6:18/mi"}
    assert "/km" not in text(root)
    assert "06:30" in text(first)


def test_names_and_titles_are_escaped() -> None:
    plan = make_plan(athlete_name=EVIL, race_name="R&D <b>Half</b>", first_title=EVIL)
    data = emit_html(plan)
    page = Page(data)
    assert page.tags["script"] == 0
    assert page.tags["b"] == Page(emit_html(make_plan())).tags["b"]  # no <b> from the race name
    assert EVIL in page.text
    assert "R&D <b>Half</b>" in page.text
    assert b"&lt;script&gt;" in data
    quotes = make_plan(first_title="Say \"hi\" & 'bye'")
    root = parse(emit_html(quotes))
    cell = next(a for a in find_all(root, "a", "session"))
    assert cell.get("title") == workout_summary(quotes.workouts[0], "km")


def test_weeks_show_their_purpose_not_the_solvers_notes() -> None:
    plan = make_plan(race_name=EVIL)
    assert all(week.notes for week in plan.weeks)  # the factory's weeks carry a trace
    data = emit_html(plan)
    root = parse(data)
    sections = find_all(root, "section", "week")
    assert [s.get("id") for s in sections] == [f"week-{w.index}" for w in plan.weeks]
    for section, week in zip(sections, plan.weeks, strict=True):
        assert [text(p) for p in find_all(section, "p", "purpose")] == [week_purpose(plan, week)]
    assert f"Good luck at {EVIL} on Sunday!" in text(root)  # the race week's, as text
    assert Page(data).tags["script"] == 0
    page = text(root)
    for week in plan.weeks:
        for trace in (*week.notes, week.rule):
            assert trace not in page, trace
    assert not find_all(root, "p", "note")


def test_self_contained_no_scripts_no_external_resources() -> None:
    for data in (emit_html(make_plan(units="mi")), emit_html(make_plan(), base_url=BASE)):
        page = Page(data)
        assert page.tags["script"] == 0
        assert page.tags["link"] == 0
        assert page.tags["img"] == page.tags["iframe"] == page.tags["object"] == 0
        assert page.tags["style"] == 1
        assert not [v for _, name, v in page.attrs if name in ("src", "srcset", "xlink:href")]
        css = data.split(b"<style>")[1].split(b"</style>")[0]
        assert b"url(" not in css and b"@import" not in css
    # without a base URL not even a link leaves the site
    for url in Page(emit_html(make_plan(units="mi"))).urls():
        assert not url.lower().startswith(("http:", "https:", "//", "webcal:")), url


def test_volume_chart_is_accessible_svg() -> None:
    plan = make_plan()
    page = Page(emit_html(plan))
    assert page.tags["svg"] == 1
    assert page.tags["rect"] == len(plan.weeks) + 1  # a bar a week, the race's part of one
    svg_attrs = {name: value for tag, name, value in page.attrs if tag == "svg"}
    assert svg_attrs["role"] == "img"
    assert svg_attrs["aria-labelledby"] == "chart-title chart-desc"
    assert page.tags["title"] == 1 + 1 + len(plan.weeks)  # page, chart, one per bar
    assert "Week 1 · Build: 33 km planned" in page.text
    assert "target" not in page.text.lower()  # the solver's weekly target stays in plan.json
    css = {value for tag, name, value in page.attrs if tag == "rect" and name == "class"}
    assert css == {"phase-0", "phase-1", "phase-1 race-part"}  # build, taper, the race


def test_race_week_bar_is_its_training_with_the_race_apart() -> None:
    """The race is drawn apart from race week's training (outlined above it), so race week
    reads as the light week it is, not the plan's biggest."""
    plan = make_plan()
    svg = next(parse(emit_html(plan)).iter(f"{SVG}svg"))
    bars = [g for g in svg.iter(f"{SVG}g")]
    assert len(bars) == len(plan.weeks)
    for week, bar in zip(plan.weeks, bars, strict=True):
        rects = bar.findall(f"{SVG}rect")
        # the race is its steps at race pace; the race day's warm-up is training
        race = sum(
            s.distance_m
            for w in week.workouts
            if w.category == "race"
            for s in w.steps
            if s.zone == "race"
        )
        title = text(bar.find(f"{SVG}title"))  # type: ignore[arg-type]
        if not race:
            assert len(rects) == 1 and "race" not in title
            continue
        training, race_part = rects
        assert has_class(race_part, "race-part") and not has_class(training, "race-part")
        assert f"+ the race ({f'{race / 1000:.1f}'.rstrip('0').rstrip('.')} km)" in title
        heights = {w.index: float(b.find(f"{SVG}rect").get("height", "0")) for w, b in zip(  # type: ignore[union-attr]
            plan.weeks, bars, strict=True)}  # fmt: skip
        # the training bar is in proportion to the training alone, and lower than last week's
        tall = float(training.get("height", "0")) + float(race_part.get("height", "0"))
        assert abs(float(training.get("height", "0")) / tall - (1 - race / week.planned_m)) < 0.05
        assert heights[week.index] < heights[week.index - 1]
        # the race's part sits on top of the training
        top = float(training.get("y", "0"))
        assert abs(float(race_part.get("y", "0")) + float(race_part.get("height", "0")) - top) <= 2


def test_calendar_grid_a_row_a_week_a_cell_a_day() -> None:
    plan = make_plan()
    root = parse(emit_html(plan))
    grid = find_all(root, "table", "calendar")[0]
    head = [text(th) for th in grid.find("thead").iter("th")]  # type: ignore[union-attr]
    assert head == ["WeekWk", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Total"]
    rows = grid.find("tbody").findall("tr")  # type: ignore[union-attr]
    assert len(rows) == len(plan.weeks)
    bands = [row.find("th") for row in rows]
    assert [b.get("class") for b in bands if b is not None] == [
        "band phase-0",
        "band phase-0",
        "band phase-1",
    ]
    first = rows[0].findall("td")
    assert len(first) == 7 + 1
    assert [c.find("time").get("datetime") for c in first[:7]] == [  # type: ignore[union-attr]
        (plan.weeks[0].start + dt.timedelta(days=i)).isoformat() for i in range(7)
    ]
    tuesday = text(first[1])
    assert "Intervals" in tuesday and "7 km" in tuesday and "Intvl" in tuesday
    linked = [a.get("href") for a in find_all(grid, "a", "session")]
    assert linked == ["#" + anchor(w.uid) for w in plan.workouts]
    race = [c for row in rows for c in row.findall("td") if has_class(c, "race")]
    assert len(race) == 1 and "Race" in text(race[0])


def test_the_race_cell_shows_the_race_distance_not_the_day_with_its_warm_up() -> None:
    base = make_plan()
    weeks = tuple(
        dataclasses.replace(
            week,
            workouts=tuple(
                dataclasses.replace(w, distance_m=23_500.0) if w.category == "race" else w
                for w in week.workouts
            ),
        )
        for week in base.weeks
    )
    root = parse(emit_html(dataclasses.replace(base, weeks=weeks)))
    (race,) = [c for c in root.iter("td") if has_class(c, "race")]
    assert text(find_all(race, "span", "amount")[0]) == "21.1 km"


def test_every_short_label_of_the_phone_calendar_is_in_its_legend() -> None:
    plan = make_plan()
    root = parse(emit_html(plan))
    grid = find_all(root, "table", "calendar")[0]
    shorts = {text(s) for s in find_all(grid, "span", "short")}
    legend = find_all(root, "p", "legend-abbr")[0]
    explained = {a.text: a.get("title") for a in legend.iter("abbr")}
    assert shorts - {"Easy", "Long", "Tempo", "Race", "Hills", "Rest"} <= set(explained)
    assert {"Wk", "Intvl", "S&C"} <= set(explained)
    assert explained["Intvl"] == "intervals" and explained["Wk"] == "week"


def _agenda(root: ET.Element) -> ET.Element | None:
    return next((s for s in root.iter("section") if s.get("id") == "agenda"), None)


def test_the_agenda_lists_this_week_and_the_next_day_by_day() -> None:
    plan = make_plan()
    today = dt.date(2026, 12, 9)  # Wednesday of week 2 of 3
    root = parse(emit_html(plan, today=today))
    agenda = _agenda(root)
    assert agenda is not None and text(agenda.find("h2")).startswith("This week and next")  # type: ignore[arg-type]
    days = find_all(agenda, "li", "agenda-day")
    start = plan.weeks[1].start
    assert [d.find("time").get("datetime") for d in days] == [  # type: ignore[union-attr]
        (start + dt.timedelta(days=i)).isoformat() for i in range(14)
    ]
    shown = [w for w in plan.workouts if start <= w.date < start + dt.timedelta(days=14)]
    links = [a.get("href") for a in agenda.iter("a")]
    assert links == ["#" + anchor(w.uid) for w in shown]
    for day in days:
        sessions = [w for w in shown if w.date.isoformat() == day.find("time").get("datetime")]  # type: ignore[union-attr]
        assert ("Rest" in text(day)) == (not sessions)
        for w in sessions:
            assert w.title in text(day)
    # the race day says the race's distance
    race = next(d for d in days if "race" in text(d).lower() and "21.1 km" in text(d))
    assert "22" not in text(race)
    assert [d.get("aria-current") for d in days].count("date") == 1


def test_the_agenda_before_the_plan_starts_and_after_it_ends() -> None:
    plan = make_plan()
    before = _agenda(parse(emit_html(plan, today=plan.start - dt.timedelta(days=20))))
    assert before is not None and text(before.find("h2")) == "The first two weeks"  # type: ignore[arg-type]
    assert before.find(".//time").get("datetime") == plan.start.isoformat()  # type: ignore[union-attr]
    unset = _agenda(parse(emit_html(plan)))
    assert unset is not None and text(unset.find("h2")) == "The first two weeks"  # type: ignore[arg-type]
    after = parse(emit_html(plan, today=plan.weeks[-1].start + dt.timedelta(days=7)))
    assert _agenda(after) is None


def test_a_long_text_repeated_across_sessions_is_given_once_and_referred_to() -> None:
    base = make_plan()
    paragraph = "Relaxed, conversational running: you could chat the whole way. " * 3
    weeks = tuple(
        dataclasses.replace(
            week,
            workouts=tuple(
                dataclasses.replace(w, description=paragraph) if w.category == "easy" else w
                for w in week.workouts
            ),
        )
        for week in base.weeks
    )
    plan = dataclasses.replace(base, weeks=weeks)
    easy = [w for w in plan.workouts if w.category == "easy"]
    assert len(easy) >= 2
    root = parse(emit_html(plan))
    cards = {a.get("id"): a for a in root.iter("article")}
    first, *later = (cards[anchor(w.uid)] for w in easy)
    assert paragraph.strip() in text(first)
    for card in later:
        assert paragraph.strip() not in text(card)
        (ref,) = find_all(card, "p", "same-as")
        assert [a.get("href") for a in ref.iter("a")] == ["#" + anchor(easy[0].uid)]


def test_today_marks_its_week_and_day_and_counts_down() -> None:
    plan = make_plan()
    today = dt.date(2026, 12, 9)  # Wednesday of week 2
    data = emit_html(plan, today=today)
    root = parse(data)
    assert text(find_all(root, "p", "countdown")[0]).startswith("1 week 4 days to race day")
    rows = find_all(root, "tr", "current")
    assert len(rows) == 1 and "2" in text(rows[0].find("th"))  # type: ignore[arg-type]
    marked = [e for e in root.iter() if e.get("aria-current")]
    # the day in the agenda and in the calendar grid
    assert [(e.tag, e.get("aria-current")) for e in marked] == [("li", "date"), ("td", "date")]
    for day in marked:
        assert day.find("time").get("datetime") == "2026-12-09"  # type: ignore[union-attr]
    assert [s.get("id") for s in find_all(root, "section", "current")] == ["week-2"]
    assert "#week-2" in hrefs(find_all(root, "nav")[0])
    # no today, no mark and no countdown: the page does not depend on the day it is built
    plain = emit_html(plan)
    assert b'class="countdown"' not in plain and b"aria-current" not in plain
    assert b'class="current"' not in plain and b"this week" not in plain.lower()
    assert not [h for h in hrefs(find_all(parse(plain), "nav")[0]) if h.startswith("#week-")]
    # a day outside the plan: the countdown, but no week marked
    after = parse(emit_html(plan, today=dt.date(2027, 1, 3)))
    assert text(find_all(after, "p", "countdown")[0]).startswith("Race day was 2 weeks ago")
    assert not find_all(after, "tr", "current")


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (21, "3 weeks to race day"),
        (23, "3 weeks 2 days to race day"),
        (8, "1 week 1 day to race day"),
        (5, "5 days to race day"),
        (0, "Race day is today"),
        (-1, "Race day was 1 day ago"),
        (-14, "Race day was 2 weeks ago"),
    ],
)
def test_countdown_wording(days: int, words: str) -> None:
    race = dt.date(2027, 3, 21)
    assert countdown_text(race, race - dt.timedelta(days=days)) == words


# --------------------------------------------------------------------------- links


def _subscribe(data: bytes) -> ET.Element:
    return next(s for s in parse(data).iter("section") if s.get("id") == "subscribe")


def test_feed_links_without_a_base_url_are_relative_files_with_no_coach_instructions() -> None:
    page = emit_html(make_plan())
    section = _subscribe(page)
    assert hrefs(section) == ["plan.ics", "busy.ics", "plan.md", "plan.json"]
    assert "For a work calendar: busy.ics" in text(section)
    # how to build the subscription links is the coach's business, not the athlete's
    assert b"--base-url" not in page and b"planc build" not in page


def test_feed_links_with_a_base_url_subscribe() -> None:
    section = _subscribe(emit_html(make_plan(units="mi"), base_url=BASE))
    links = hrefs(section)
    assert links[:2] == [
        "webcal://plans.example.org/team/bob-mi/plan.ics",
        "https://calendar.google.com/calendar/r?cid=webcal://plans.example.org/team/bob-mi/plan.ics",
    ]
    assert "webcal://plans.example.org/team/bob-mi/busy.ics" in links
    copyable = [text(c) for c in find_all(section, "code", "url")]
    assert copyable == [
        "https://plans.example.org/team/bob-mi/plan.ics",
        "https://plans.example.org/team/bob-mi/busy.ics",
    ]
    assert "--base-url" not in text(section)
    assert "For a work calendar: busy.ics" in text(section)


def test_google_link_encodes_what_would_break_its_query() -> None:
    data = emit_html(make_plan(), base_url="http://example.org/a&b/")
    links = hrefs(_subscribe(data))
    assert "webcal://example.org/a&b/ana-km/plan.ics" in links
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal://example.org/a%26b/ana-km/plan.ics"
        in links
    )


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("https://plans.example.org", "https://plans.example.org/"),
        ("https://plans.example.org/team", "https://plans.example.org/team/"),
        (" HTTP://Example.org:8080/x/ ", "http://Example.org:8080/x/"),
    ],
)
def test_base_url_normalized(given: str, normal: str) -> None:
    assert normalize_base_url(given) == normal


@pytest.mark.parametrize(
    "bad",
    [
        "plans.example.org",
        "ftp://x.org/",
        "webcal://x.org/",
        "https:///x",
        "https://x.org/?a=1",
        "https://x.org/#top",
        "https://x.org/a b",
        "/relative/",
    ],
)
def test_bad_base_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="base URL"):
        emit_html(make_plan(), base_url=bad)


# --------------------------------------------------------------------------- CSS


def test_responsive_dark_and_print_css() -> None:
    data = emit_html(make_plan())
    assert b'name="viewport"' in data
    assert b"prefers-color-scheme: dark" in data
    assert b"@media print" in data
    assert b"@media (max-width: 40rem)" in data


def _css(data: bytes) -> str:
    return data.decode().split("<style>")[1].split("</style>")[0]


ROOT_BLOCK = re.compile(r"(@media[^{]*\{\s*)?:root\s*\{([^}]*)\}")
VARIABLE = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b")


def themes(css: str) -> dict[str, dict[str, str]]:
    """The colour variables of each theme: light (the plain :root), dark and print (each the
    light one with its own :root's values over it)."""
    found: dict[str, dict[str, str]] = {}
    for match in ROOT_BLOCK.finditer(css):
        media = match.group(1) or ""
        name = "dark" if "dark" in media else "print" if "print" in media else "light"
        found[name] = dict(VARIABLE.findall(match.group(2)))
    assert set(found) == {"light", "dark", "print"}
    return {
        "light": found["light"],
        "dark": {**found["light"], **found["dark"]},
        "print": {**found["light"], **found["print"]},
    }


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


TEXT_COLOURS = ("fg", "muted", "accent")  # every text colour ...
SURFACES = ("bg", "card", "mark")  # ... on every surface text sits on
TEXT_PAIRS = [(f, s) for f in TEXT_COLOURS for s in SURFACES] + [("on-accent", "accent")]
PHASES = tuple(f"p{i}" for i in range(6))
# Graphics and borders that carry meaning (bars, bands, today's outline): WCAG 1.4.11, 3:1.
GRAPHIC_PAIRS = [(p, s) for p in PHASES for s in SURFACES] + [("accent", s) for s in SURFACES]


def test_contrast_meets_wcag_aa_in_every_theme() -> None:
    failures = []
    for theme, colours in themes(_css(emit_html(make_plan()))).items():
        for pairs, minimum in ((TEXT_PAIRS, 4.5), (GRAPHIC_PAIRS, 3.0)):
            for fore, back in pairs:
                ratio = contrast(colours[fore], colours[back])
                if ratio < minimum:
                    failures.append(f"{theme}: {fore} on {back} is {ratio:.2f}:1 < {minimum}:1")
    assert failures == []


def test_the_css_uses_only_the_checked_colour_pairs() -> None:
    """Every colour outside the :root blocks is one of the variables whose pairs are checked,
    so the contrast test covers everything the page paints."""
    css = ROOT_BLOCK.sub("", _css(emit_html(make_plan())))
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", css)
    uses: dict[str, set[str]] = {"text": set(), "surface": set()}
    for prop, value in re.findall(r"(?<![-\w])(color|fill|background):\s*([^;}]+)", css):
        names = set(re.findall(r"var\(--([\w-]+)\)", value))
        assert names or value.strip() == "inherit", f"{prop}: {value}"
        uses["surface" if prop == "background" else "text"] |= names
    assert uses["text"] <= {*TEXT_COLOURS, "on-accent", "phase"}
    assert uses["surface"] <= {*SURFACES, "accent", "phase"}


def test_deterministic() -> None:
    assert emit_html(make_plan()) == emit_html(make_plan())
    today = dt.date(2026, 12, 2)
    assert emit_html(make_plan(), today=today, base_url=BASE) == emit_html(
        make_plan(), today=today, base_url=BASE
    )


# --------------------------------------------------------------------------- site index


ENTRIES = [
    SiteEntry("bob-mi", "Bob Smith", "Riverside Half", dt.date(2027, 3, 21), "speed"),
    SiteEntry("ana-km", EVIL, "Valencia", dt.date(2026, 12, 20), "endurance"),
]


def test_site_index_links_every_athlete() -> None:
    data = emit_site_index(ENTRIES)
    page = Page(data)
    assert page.tags["h1"] == 1
    assert page.tags["script"] == 0
    assert EVIL in page.text
    for athlete in ("ana-km", "bob-mi"):
        for name in ("index.html", "plan.ics", "busy.ics", "plan.md", "plan.json"):
            assert f"{athlete}/{name}" in page.urls()
    assert page.text.index(EVIL) < page.text.index("Bob Smith")  # sorted by id
    assert data == emit_site_index(list(reversed(ENTRIES)))
    root = parse(data)
    rows = find_all(root, "tr")[1:]
    assert [text(r.findall("td")[0]) for r in rows] == ["Valencia", "Riverside Half"]
    assert [r.findall("td")[1].find("time").get("datetime") for r in rows] == [  # type: ignore[union-attr]
        "2026-12-20",
        "2027-03-21",
    ]
    assert "planc build --base-url https://" in text(root)


def test_site_index_with_a_base_url_subscribes() -> None:
    root = parse(emit_site_index(ENTRIES, base_url=BASE))
    links = hrefs(root)
    assert "webcal://plans.example.org/team/bob-mi/plan.ics" in links
    assert "https://plans.example.org/team/bob-mi/plan.ics" in links
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal://plans.example.org/team/ana-km/plan.ics"
        in links
    )
    assert "bob-mi/index.html" in links  # pages stay relative
    assert "--base-url" not in text(root)


def test_site_index_quotes_ids_in_links() -> None:
    page = Page(emit_site_index([SiteEntry("a b/../c", "A", "R", dt.date(2027, 1, 1), "f")]))
    assert "a%20b%2F..%2Fc/plan.ics" in page.urls()
