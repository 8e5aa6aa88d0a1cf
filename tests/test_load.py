"""Stage 1, load: YAML text -> Document with the position of every key and value.

Every way a file can be unreadable is reported as a diagnostic at the place it is about, and the
hostile inputs (custom tags, alias bombs, deep nesting) are refused quickly instead of executed or
expanded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from diag_helpers import HALF, at, edit, load_errors, load_file, load_ok, only, where
from hang_guard import hang_guard

from compiler.diagnostics import PlanError, Position, Severity
from compiler.resources import templates_dir
from compiler.sources.document import Located
from compiler.sources.file_text import MAX_BYTES
from compiler.sources.load import load_text
from compiler.sources.yaml_compose import MAX_DEPTH
from compiler.sources.yaml_data import MAX_NODES

# --------------------------------------------------------------------------- the happy path


def test_the_example_loads_as_plain_data_with_dates_kept_as_text() -> None:
    doc = load_ok(HALF, "half-marathon.yaml")
    assert doc.kind == "athlete"
    assert doc.name == "half-marathon"  # an athlete's name is its id
    assert doc.path == "half-marathon.yaml"
    assert doc.data["race"]["date"] == "2027-03-07"  # dates stay text until resolve
    assert doc.data["fitness"]["recent_race"]["time"] == "52:30"
    assert doc.data["injury_prone"] is False
    assert doc.data["strength_per_week"] == 2
    assert doc.data["availability"]["days"][0] == "monday"


def test_scalars_follow_yaml_1_2() -> None:
    doc = load_ok("a: yes\nb: 0x10\nc: 1_000\nd: ~\ne: 2.5\nf: true\ng: 0o17\nh: 52:30\n")
    assert doc.data == {
        "a": "yes",  # YAML 1.2: not a boolean
        "b": 16,
        "c": 1000,
        "d": None,
        "e": 2.5,
        "f": True,
        "g": 15,
        "h": "52:30",  # no sexagesimal numbers in YAML 1.2
    }


def test_small_anchors_and_aliases_are_fine() -> None:
    doc = load_ok("a: &easy 15min @ easy\nb: *easy\nc: &days [monday, friday]\nd: *days\n")
    assert doc.data == {
        "a": "15min @ easy",
        "b": "15min @ easy",
        "c": ["monday", "friday"],
        "d": ["monday", "friday"],
    }


# --------------------------------------------------------------------------- positions

WORKOUT = """\
kind: workout
name: hills
title: |
  Hill repeats
  with a jog down
description: >-
  Short and
  steep.
steps:
  - warmup: 15min @ easy
  - repeat: 6
    steps:
      - run: 60s @ 5k
      - jog:   90s
tags: [one, two,   three]
"""


def test_positions_of_top_level_keys_and_values() -> None:
    doc = load_ok(WORKOUT)
    assert doc.positions[("kind",)] == Located(Position(1, 1), Position(1, 7))
    assert doc.positions[("name",)] == Located(Position(2, 1), Position(2, 7))
    assert doc.where(("name",)) == Position(*at(WORKOUT, "name: ^hills"))
    assert doc.where(("name",), key=True) == Position(*at(WORKOUT, "^name: hills"))
    assert doc.positions[()].value == Position(1, 1)  # the root


def test_positions_of_nested_keys_and_block_list_items() -> None:
    doc = load_ok(WORKOUT)
    # the value of `steps:` is the list, which starts at its first `-` item's content
    assert doc.where(("steps", 0)) == Position(*at(WORKOUT, "  - ^warmup"))
    assert doc.positions[("steps", 0)].key is None  # list items have no key
    assert doc.where(("steps", 0, "warmup")) == Position(*at(WORKOUT, "warmup: ^15min"))
    assert doc.where(("steps", 0, "warmup"), key=True) == Position(*at(WORKOUT, "^warmup:"))
    assert doc.where(("steps", 1, "repeat")) == Position(*at(WORKOUT, "repeat: ^6"))
    assert doc.where(("steps", 1, "steps", 0, "run")) == Position(*at(WORKOUT, "run: ^60s"))
    # extra spaces before a value are not part of it
    assert doc.where(("steps", 1, "steps", 1, "jog")) == Position(*at(WORKOUT, "jog:   ^90s"))
    assert doc.where(("steps", 1, "steps", 1, "jog"), key=True) == Position(*at(WORKOUT, "^jog:"))


def test_positions_of_flow_list_items() -> None:
    doc = load_ok(WORKOUT)
    assert doc.where(("tags",)) == Position(*at(WORKOUT, "tags: ^["))
    assert doc.where(("tags", 0)) == Position(*at(WORKOUT, "^one"))
    assert doc.where(("tags", 1)) == Position(*at(WORKOUT, "^two"))
    assert doc.where(("tags", 2)) == Position(*at(WORKOUT, "^three"))


def test_block_scalars_are_marked_and_located_at_their_indicator() -> None:
    doc = load_ok(WORKOUT)
    title = doc.positions[("title",)]
    assert title.block is True
    assert title.key == Position(*at(WORKOUT, "^title: |"))
    assert title.value == Position(*at(WORKOUT, "title: ^|"))
    assert doc.data["title"] == "Hill repeats\nwith a jog down\n"
    description = doc.positions[("description",)]
    assert description.block is True
    assert description.value == Position(*at(WORKOUT, "description: ^>-"))
    assert doc.positions[("name",)].block is False
    assert doc.positions[("steps", 0, "warmup")].block is False


def test_a_literal_block_keeps_its_newlines() -> None:
    doc = load_ok("a: |\n  one\n  two\nb: |-\n  three\n")
    assert doc.data == {"a": "one\ntwo\n", "b": "three"}


def test_a_folded_block_scalar_is_folded_into_plain_text() -> None:
    # ruamel's round-trip scanner marks each fold with a BEL; none may reach the data
    doc = load_ok(WORKOUT)
    assert doc.data["description"] == "Short and steep."
    assert load_ok("a: >\n  one\n  two\n\n  three\n").data == {"a": "one two\nthree\n"}


def test_no_bundled_template_text_carries_control_characters() -> None:
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    paths = sorted(templates_dir().rglob("*.yaml"))
    assert paths
    for path in paths:
        for text in strings(load_file(path).data):
            bad = [c for c in text if ord(c) < 32 and c != "\n"]
            assert not bad, f"{path.name}: {text!r}"


def test_where_falls_back_to_the_nearest_known_ancestor() -> None:
    doc = load_ok(WORKOUT)
    # a key that is not there (e.g. a missing required key) is reported at its parent
    assert doc.where(("steps", 1, "note")) == doc.where(("steps", 1))
    assert doc.where(("nothing", "here")) == Position(1, 1)


def test_positions_in_the_example_profile() -> None:
    doc = load_ok(HALF)
    assert doc.where(("timezone",), key=True) == Position(*at(HALF, "^timezone:"))
    assert doc.where(("timezone",)) == Position(*at(HALF, "timezone: ^Europe/London"))
    assert doc.where(("race", "date")) == Position(*at(HALF, "  date: ^2027-03-07"))
    assert doc.where(("fitness", "recent_race", "time")) == Position(*at(HALF, 'time: ^"52:30"'))
    assert doc.where(("availability", "days", 2)) == Position(*at(HALF, "tuesday, ^thursday"))


# --------------------------------------------------------------------------- duplicate keys


def test_a_duplicate_key_is_reported_at_the_second_with_the_line_of_the_first() -> None:
    text = edit(HALF, "start: 2026-11-30\n", "start: 2026-11-30\nfocus: speed\n")
    d = only(load_errors(text, "half-marathon.yaml"), "yaml-duplicate-key")
    assert where(d) == ("yaml-duplicate-key", "half-marathon.yaml", *at(text, "^focus: speed"))
    first_line = at(text, "^focus: balanced")[0]
    assert d.message == f"duplicate key 'focus' (first at line {first_line})"
    assert d.hint == "remove one of the two; YAML keeps only one of them"
    assert d.severity is Severity.ERROR


def test_a_duplicate_nested_key_is_reported_at_its_column() -> None:
    text = edit(HALF, "    distance: 10km\n", "    distance: 10km\n    distance: 5km\n")
    d = only(load_errors(text), "yaml-duplicate-key")
    assert (d.line, d.column) == at(text, "    ^distance: 5km")
    assert f"first at line {at(text, 'distance: 10km')[0]}" in d.message


def test_every_duplicate_key_is_reported_not_just_the_first() -> None:
    text = "kind: workout\nname: a\nname: b\ntitle: x\ntitle: y\n"
    found = load_errors(text)
    assert [where(d) for d in found] == [
        ("yaml-duplicate-key", "t.yaml", 3, 1),
        ("yaml-duplicate-key", "t.yaml", 5, 1),
    ]


# --------------------------------------------------------------------------- hostile YAML


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object:os.system {}",
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!custom thing",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
    ],
)
def test_custom_and_python_tags_are_refused_where_they_are(tagged: str) -> None:
    text = edit(HALF, "name: Sam Carter", f"name: {tagged}")
    d = only(load_errors(text, "h.yaml"), "yaml-tag")
    assert where(d) == ("yaml-tag", "h.yaml", *at(text, "name: ^!"))
    assert "is not allowed" in d.message
    assert d.hint is not None and "remove the tag" in d.hint


def test_a_python_object_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"kind: athlete\nid: !!python/object/apply:os.system ['touch {marker}']\n"
    d = only(load_errors(text), "yaml-tag")
    assert d.message == "the YAML tag '!!python/object/apply:os.system' is not allowed"
    assert not marker.exists()


def test_a_merge_key_is_refused_at_the_merge_key() -> None:
    text = (
        "kind: workout\n"
        "defaults: &defaults\n"
        "  category: easy\n"
        "  intensity: easy\n"
        "name: easy\n"
        "extra:\n"
        "  <<: *defaults\n"
        "  title: Easy\n"
    )
    d = only(load_errors(text), "yaml-merge")
    assert where(d) == ("yaml-merge", "t.yaml", *at(text, "^<<"))
    assert d.message == "YAML merge keys (<<) are not supported"
    assert d.hint is not None and "extends" in d.hint


def _billion_laughs(levels: int) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_fails_fast() -> None:
    text = _billion_laughs(9)  # 10**9 strings once expanded: expanding them would hang
    with hang_guard("refusing an alias bomb"):
        found = load_errors(text, "bomb.yaml")
    d = only(found, "yaml-too-big")
    assert d.file == "bomb.yaml"
    assert d.line is not None and 1 <= d.line <= 9
    assert f"more than {MAX_NODES} values" in d.message
    assert d.hint == "write the values out instead of nesting aliases"


def test_a_document_just_under_the_node_limit_loads() -> None:
    doc = load_ok(_billion_laughs(4))  # 10**4 expanded strings: big, but allowed
    assert len(doc.data["d"]) == 10
    assert doc.data["d"][9][9][9][9] == "lol"


def _nested(depth: int) -> str:
    return "a: " + "[" * depth + "1" + "]" * depth + "\n"


def test_nesting_up_to_the_limit_loads() -> None:
    doc = load_ok(_nested(MAX_DEPTH - 1))  # the innermost value is MAX_DEPTH levels below the root
    value = doc.data["a"]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == 1


def test_nesting_deeper_than_the_limit_is_refused_where_it_gets_too_deep() -> None:
    text = _nested(MAX_DEPTH + 5)
    d = only(load_errors(text, "deep.yaml"), "yaml-depth")
    assert d.message == f"the YAML is nested more than {MAX_DEPTH} levels deep"
    # the first value past the limit: the (MAX_DEPTH + 1)th `[` (the root mapping is level 0)
    assert (d.file, d.line, d.column) == ("deep.yaml", 1, len("a: ") + MAX_DEPTH + 1)


def test_nesting_too_deep_for_the_yaml_parser_is_still_a_diagnostic() -> None:
    # deep enough that the parser itself runs out of stack before planc sees the document
    text = "a:\n" + "".join("  " * i + "-\n" for i in range(1, 700))
    with hang_guard("refusing YAML nested too deeply"):
        d = only(load_errors(text, "deep.yaml"), "yaml-depth")
    assert d.file == "deep.yaml"
    assert "nested too deeply" in d.message


# --------------------------------------------------------------------------- file level


def test_invalid_utf8_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(edit(HALF, "name: Sam Carter", "name: Jos\xe9 Carter").encode("latin-1"))
    with pytest.raises(PlanError) as info:
        load_file(path, "latin1.yaml")
    d = only(info.value.diagnostics, "encoding")
    assert where(d) == ("encoding", "latin1.yaml", *at(HALF, "name: Sam^ Carter"))
    assert d.message == "the file is not valid UTF-8"
    assert d.hint == "save the file as UTF-8"


def test_the_column_of_invalid_utf8_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    # 'ö' is two bytes in UTF-8; the stray \xff is the 9th character of its line
    path.write_bytes(b"kind: athlete\nname: J\xc3\xb6\xff\n")
    with pytest.raises(PlanError) as info:
        load_file(path, "mixed.yaml")
    d = only(info.value.diagnostics, "encoding")
    assert (d.line, d.column) == (2, 9)


def test_valid_utf8_text_loads(tmp_path: Path) -> None:
    path = tmp_path / "utf8.yaml"
    path.write_text(edit(HALF, "name: Sam Carter", "name: José Müller-Łukasz"), "utf-8")
    assert load_file(path).data["name"] == "José Müller-Łukasz"


def test_a_utf8_bom_is_accepted_and_positions_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HALF.encode("utf-8"))
    doc = load_file(path, "bom.yaml")
    plain = load_text(HALF, "bom.yaml")
    assert doc.data == plain.data
    assert doc.positions == plain.positions
    assert doc.file == path


def test_a_bom_in_text_is_accepted() -> None:
    assert load_ok("\ufeff" + HALF).data == load_ok(HALF).data


def test_tab_indentation_is_reported_with_a_hint() -> None:
    text = edit(HALF, "  long_run_day: sunday", "\tlong_run_day: sunday")
    d = only(load_errors(text, "tabs.yaml"), "yaml-syntax")
    assert where(d) == ("yaml-syntax", "tabs.yaml", *at(text, "^\tlong_run_day"))
    assert "invalid YAML" in d.message
    assert d.hint == "YAML does not allow tabs for indentation; use spaces"


def test_other_syntax_errors_have_no_tab_hint() -> None:
    text = edit(HALF, "days: [monday, tuesday, thursday, saturday, sunday]", "days: [monday")
    d = only(load_errors(text), "yaml-syntax")
    assert d.hint is not None and "tab" not in d.hint
    assert d.message.startswith("invalid YAML: ")
    assert d.line == at(text, "^  long_run_day")[0]  # where the parser noticed the `[` is open


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_reported_with_a_hint(text: str) -> None:
    d = only(load_errors(text, "empty.yaml"), "empty-file")
    assert where(d) == ("empty-file", "empty.yaml", None, None)  # the whole file
    assert d.message == "the file is empty"
    assert d.hint is not None and "kind:" in d.hint


@pytest.mark.parametrize("text", ["- kind: athlete\n- id: x\n", "just some text\n", "42\n"])
def test_a_top_level_list_or_scalar_is_not_a_mapping(text: str) -> None:
    d = only(load_errors(text, "list.yaml"), "not-a-mapping")
    assert where(d) == ("not-a-mapping", "list.yaml", 1, 1)
    assert d.message == "the document must be a mapping of keys to values"
    assert d.hint is not None and "kind:" in d.hint


def test_a_second_document_is_a_syntax_error_at_its_start() -> None:
    text = "kind: athlete\n---\nkind: workout\n"
    d = only(load_errors(text), "yaml-syntax")
    assert (d.line, d.column) == (2, 1)


def test_a_complex_key_is_refused() -> None:
    d = only(load_errors("? [a, b]\n: 1\n"), "yaml-key")
    assert (d.line, d.column) == (1, 3)
    assert d.message == "a key must be a plain name"


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_infinite_and_nan_numbers_are_refused(value: str) -> None:
    d = only(load_errors(f"kind: athlete\nweight: {value}\n"), "yaml-number")
    assert (d.line, d.column) == (2, 9)
    assert value in d.message


def test_every_problem_of_a_file_is_reported_together_and_sorted() -> None:
    text = "kind: workout\nname: !!python/object x\nkind: phase\nmore:\n  <<: {a: 1}\n"
    found = load_errors(text)
    assert [where(d) for d in found] == [
        ("yaml-tag", "t.yaml", 2, 7),
        ("yaml-duplicate-key", "t.yaml", 3, 1),
        ("yaml-merge", "t.yaml", 5, 3),
    ]


def test_a_missing_file_is_an_io_diagnostic_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as info:
        load_file(tmp_path / "nope.yaml", "nope.yaml")
    d = only(info.value.diagnostics, "io")
    assert (d.file, d.line, d.column) == ("nope.yaml", None, None)
    assert "cannot read the file" in d.message
    assert d.format().startswith("nope.yaml: error[io]: ")


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"kind: athlete\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(PlanError) as info:
        load_file(path, "huge.yaml")
    d = only(info.value.diagnostics, "file-too-big")
    assert (d.file, d.line, d.column) == ("huge.yaml", 1, 1)
    assert f"at most {MAX_BYTES // 1024} KiB" in d.message


def test_the_formatted_diagnostic_is_file_line_column() -> None:
    text = edit(HALF, "units: km\n", "units: km\nunits: mi\n")
    d = only(load_errors(text, "examples/half.yaml"), "yaml-duplicate-key")
    line, column = at(text, "^units: mi")
    assert d.format() == (
        f"examples/half.yaml:{line}:{column}: error[yaml-duplicate-key]: "
        f"duplicate key 'units' (first at line {line - 1})\n"
        "  hint: remove one of the two; YAML keeps only one of them"
    )


def test_deep_flow_nesting_is_refused_before_parsing() -> None:
    """ruamel's scanner is quadratic in flow nesting: the depth is checked before it runs."""
    text = "kind: workout\nsteps: " + "[" * 5000 + "]" * 5000 + "\n"
    (d,) = load_errors(text)
    assert (d.code, d.line, d.column) == ("yaml-depth", 2, len("steps: ") + 65)


def test_brackets_inside_quotes_do_not_count_as_nesting() -> None:
    doc = load_ok('kind: workout\ntitle: "' + "[" * 100 + "\"\nnote: '{{{{'\n")
    assert doc.data["title"] == "[" * 100


# --------------------------------------------------------------------------- look-alike characters


def test_a_non_breaking_space_in_indentation_is_named_at_its_column() -> None:
    text = "kind: athlete\nfitness:\n\u00a0 long_run: 12km\n"
    (d,) = load_errors(text)
    assert (d.code, d.line, d.column) == ("invisible-character", 3, 1)
    assert "a non-breaking space (U+00A0)" in d.message


def test_a_non_breaking_space_after_a_colon_is_named_not_the_next_line() -> None:
    """YAML's own error is on the next line ("could not find expected ':'"): the space is the
    cause, at its own line and column."""
    text = "kind: athlete\nunits:\u00a0km\nrace:\n  date: 2027-03-07\n"
    (d,) = load_errors(text)
    assert (d.code, d.line, d.column) == ("invisible-character", 2, 7)


def test_curly_quotes_and_special_spaces_in_prose_are_left_alone() -> None:
    text = (
        "kind: workout\nname: w\n"
        "description: Don\u2019t start \u201ctoo fast\u201d, 10\u00a0km easy\n"
        "title: \u201cEasy\u201d run\n"
    )
    doc = load_ok(text)
    assert doc.data["description"].startswith("Don\u2019t")


def test_unquoted_jinja_in_a_list_item_says_quote_it() -> None:
    text = "kind: workout\nname: w\nsteps:\n  - {{ reps }}\n"
    (d,) = load_errors(text)
    assert (d.code, d.line, d.column) == ("unquoted-jinja", 4, 5)
    assert d.hint == 'quote the whole value: "{{ reps }}"'


def test_a_curly_quoted_value_that_breaks_yaml_is_named() -> None:
    text = "kind: athlete\nname: \u201cSam: Carter\u201d\n"
    (d,) = load_errors(text)
    assert (d.code, d.line, d.column) == ("typographic-quote", 2, 7)
    assert d.message.startswith("the quotes around Sam: Carter are typographic quotes")
