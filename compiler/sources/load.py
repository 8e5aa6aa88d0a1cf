"""Stage 1, load: YAML text -> Document (plain data plus the position of every key and value).

The loader composes the YAML node graph with ruamel.yaml and builds plain Python data from it,
so that it can: keep 1-based line/column for every key and value, reject duplicate keys and custom
tags (``!!python/object``...), bound the work one file can cost (its size and lines, the parser's
events, alias expansion, nesting, the digits of a number), refuse characters no output can carry
(control characters, lone surrogates), and keep dates as strings (the schema checks their format,
resolve turns them into dates).  docs/security.md lists the limits.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, Event
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.parser import RoundTripParser
from ruamel.yaml.reader import ReaderError

try:  # libyaml through ruamel.yaml.clib: optional, a faster parser for well-formed files
    from ruamel.yaml.clib._ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover - the pure parser does all the work
    _CParser = None

from ..diagnostics import Diagnostic, PlanError, Position, error, plan_error
from ..resources import templates_dir
from . import lexical

PathKey = tuple[str | int, ...]

MAX_BYTES = 512 * 1024  # a template or profile is a few KB; anything this big is a mistake
MAX_LINES = 10_000  # lines of one file (the YAML scanner spends its time per line and char)
MAX_EVENTS = 10_000  # keys and values as written (before aliases): bounds the parser's time
MAX_NODES = 20_000  # values once aliases are expanded: bounds "billion laughs"
MAX_DEPTH = 64
MAX_INT_DIGITS = 100  # no count or size in a plan has more digits; Python refuses past 4300

# Characters no output can carry: C0 controls but tab, line feed and carriage return; DEL; C1
# controls; and lone surrogates (which a double-quoted "\ud800" escape can produce).
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NUMBER_HINT = "write a finite number of a sensible size: counts and sizes in a plan are small"
_SURROGATE = re.compile("[\ud800-\udfff]")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class Located:
    """Where a value sits: the position of its key (None for list items and the root) and value."""

    key: Position | None
    value: Position
    block: bool = False  # the value is a | or > block scalar (its text starts on the next line)
    file: str | None = None  # set when the value comes from another file (a template extended)


@dataclass(frozen=True)
class Document:
    path: str  # as shown to people: relative to where planc was run when possible
    data: Any
    positions: Mapping[PathKey, Located] = field(repr=False)
    file: Path | None = field(default=None, compare=False)
    # composed templates: where a value was before this document overrode it (file, position)
    overrides: Mapping[PathKey, tuple[str, Position]] = field(default_factory=dict, repr=False)
    extends: tuple[str, ...] = ()  # the chain of files this document was composed from
    text: str = field(default="", repr=False, compare=False)  # the source, to place problems

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def name(self) -> str | None:
        if not isinstance(self.data, dict):
            return None
        value = self.data.get("id" if self.kind == "athlete" else "name")
        return value if isinstance(value, str) else None

    def where(self, path: Iterable[str | int], *, key: bool = False) -> Position:
        """The position of the value at ``path`` (or of its key); the nearest known ancestor's
        position when the path does not exist (e.g. a missing key)."""
        return self.locate(path, key=key)[1]

    def locate(self, path: Iterable[str | int], *, key: bool = False) -> tuple[str, Position]:
        """The file and position of the value at ``path`` (or of its key).  In a composed
        template a value may come from the template it extends, in another file."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        located = self.positions.get(path)
        if located is None:
            return self.path, Position(1, 1)
        file = located.file or self.path
        if key and located.key is not None:
            return file, located.key
        return file, located.value


class _Builder:
    def __init__(self, display: str, text: str = "") -> None:
        self.display = display
        self.text = text
        self.positions: dict[PathKey, Located] = {}
        self.nodes = 0
        self.top: Node | None = None
        self.diagnostics: list[Diagnostic] = []

    def pos(self, node: Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, code: str, message: str, node: Node, hint: str | None = None) -> None:
        self.diagnostics.append(error(code, message, self.display, self.pos(node), hint))

    def build(self, node: Node, path: PathKey, depth: int) -> Any:
        self.nodes += 1
        if depth == 1:
            self.top = node  # the top-level value being built: where an expansion is named
        if self.nodes > MAX_NODES:
            raise _TooBig(self.top or node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        tag = str(node.tag)
        if tag not in _PLAIN_TAGS:
            self.fail(
                "yaml-tag",
                f"the YAML tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                node,
                "remove the tag: planc templates hold plain maps, lists, strings and numbers",
            )
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*path, index)] = Located(None, self.pos(item), _is_block(item))
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if str(key_node.tag) == "tag:yaml.org,2002:merge":
                self.fail(
                    "yaml-merge",
                    "YAML merge keys (<<) are not supported",
                    key_node,
                    "use `extends:` to build on another template, or write the keys out",
                )
                continue
            jinja = None if isinstance(key_node, ScalarNode) else self.jinja_at(node)
            if jinja is not None:  # `{{ x }}` unquoted: say "quote it", not "a key must be..."
                self.diagnostics.append(lexical.unquoted_jinja(self.display, *jinja))
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(
                    "yaml-key",
                    "a key must be a plain name",
                    key_node,
                    "write the key as a name (`key: value`), not a list, mapping or alias",
                )
                continue
            key = str(key_node.value)
            if lexical.has_odd(key):
                found = lexical.find_from(self.text, self.pos(key_node))
                if found is not None:
                    self.diagnostics.append(lexical.in_key(key, self.display, found))
                    continue
            if _SURROGATE.search(key):
                key = key.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
            if _SURROGATE.search(key):
                self.bad_character(key, key_node)
                continue
            if key in seen:
                first = seen[key]
                self.fail(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first at line {first.start_mark.line + 1})",
                    key_node,
                    "remove one of the two; YAML keeps only one of them",
                )
                continue
            seen[key] = key_node
            child = (*path, key)
            value_pos = self.pos(value_node)
            if (
                isinstance(value_node, ScalarNode)
                and value_node.value == ""
                and not value_node.style
            ):
                # an empty value has no token of its own: place it just after `key:`
                end = key_node.end_mark
                value_pos = Position(end.line + 1, end.column + 2)
            self.positions[child] = Located(self.pos(key_node), value_pos, _is_block(value_node))
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def jinja_at(self, node: Node) -> tuple[Position, str] | None:
        """Where a flow mapping is unquoted Jinja (``{{ x }}`` read as a mapping in a mapping),
        and its line, or None."""
        pos = self.pos(node)
        lines = self.text.split("\n")
        row = lines[pos.line - 1] if pos.line <= len(lines) else ""
        if row[pos.column - 1 : pos.column + 1] == "{{":
            return pos, row
        return None

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = str(node.tag), str(node.value)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            digits = sum(char.isalnum() for char in text)
            if digits > MAX_INT_DIGITS:
                self.fail(
                    "yaml-number",
                    f"a number with {digits} digits is not a usable number",
                    node,
                    _NUMBER_HINT,
                )
                return None
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return int(text.replace("_", ""))
        if tag == "tag:yaml.org,2002:float":
            lowered = text.lower()
            if lowered in {".inf", "+.inf", "-.inf", ".nan"}:
                self.fail("yaml-number", f"'{text}' is not a usable number", node, _NUMBER_HINT)
                return None
            number = float(text.replace("_", ""))
            if not math.isfinite(number):  # 1e999
                self.fail(
                    "yaml-number", f"'{text}' is too big to be a usable number", node, _NUMBER_HINT
                )
                return None
            return number
        if node.style == ">":
            text = text.replace("\a", "")  # ruamel marks fold points with BEL for round-trips
        if _SURROGATE.search(text):  # "\ud83c\udfc3", as JSON writes 🏃: one character
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        if _BAD_CHARACTER.search(text):
            self.bad_character(text, node)
            return None
        return text  # str and timestamp: dates stay strings until resolve

    def bad_character(self, text: str, node: Node) -> None:
        found = _BAD_CHARACTER.search(text)
        assert found is not None
        char = found.group()
        code = f"U+{ord(char):04X}"
        if _SURROGATE.match(char):
            self.fail(
                "bad-character",
                f"the text holds {code}, half of a surrogate pair, which is not a character",
                node,
                "write the character itself (planc files are UTF-8) or its whole \\U escape",
            )
        else:
            self.fail(
                "bad-character",
                f"the text holds the control character {code}, which no calendar or page shows",
                node,
                "remove it; in double quotes write a line break as \\n and a tab as \\t",
            )


def _is_block(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.style in ("|", ">")


class _TooBig(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _TooDeep(_TooBig):
    pass


class _TooManyEvents(Exception):
    """The parser met more keys and values than any planc document has (``deep``: it met
    collections nested deeper than MAX_DEPTH)."""

    def __init__(self, mark: StreamMark, *, deep: bool) -> None:
        self.position = Position(mark.line + 1, mark.column + 1)
        self.deep = deep


class _BudgetParser(RoundTripParser):
    """ruamel's round-trip parser with a budget: it stops at the MAX_EVENTS-th event and at a
    collection nested deeper than MAX_DEPTH, before the composer recurses or spends seconds on
    a document no coach wrote by hand."""

    events = 0
    depth = 0

    def get_event(self) -> Event:
        event: Event = super().get_event()
        self.events += 1
        if self.events > MAX_EVENTS:
            raise _TooManyEvents(event.start_mark, deep=False)
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH + 1:  # the root is level 0 (and its collection depth 1)
                raise _TooManyEvents(event.start_mark, deep=True)
        elif isinstance(event, CollectionEndEvent):
            self.depth -= 1
        return event


def _compose(text: str) -> Node:
    """The node graph by ruamel's pure-Python parser, with its budget: what says where and what
    is wrong with a document."""
    yaml = YAML(typ="rt")
    yaml.Parser = _BudgetParser
    yaml.allow_duplicate_keys = True  # we report duplicates ourselves, with both places
    root: Node = yaml.compose(io.StringIO(text))
    return root


# Where the two parsers read a text differently, it goes to the pure parser: libyaml (YAML 1.1)
# breaks lines at NEL, LS and PS and takes tabs inside plain values, the pure parser (YAML 1.2)
# does neither; they part on malformed or empty tags (!), byte-order marks inside the text,
# anchors (&) and directives (% at the start of a line).  Plan files rarely hold any of these.
_PURE_ONLY = re.compile("[\t\x85\u2028\u2029\ufeff!&]|^%", re.MULTILINE)


def _indent_bound(text: str) -> int:
    """An upper bound on how deep block collections nest in ``text``: a nested block collection
    starts at a greater column than its parent, so no deeper than the furthest column at which
    a line's first node (after spaces and the indicators ``-`` and ``?``) starts."""
    return max((len(line) - len(line.lstrip(" -?")) for line in text.split("\n")), default=0)


def _compose_fast(text: str) -> Node | None:
    """The node graph by libyaml (ruamel.yaml.clib), several times faster than the pure parser;
    None when it is not installed, when block nesting could be deep (its composer recurses in C,
    unguarded), or when it finds anything wrong: the pure parser then composes the text and
    says what is wrong, in its own words.  Both give the same graph, positions in characters
    included (tests/test_fuzz.py holds them together)."""
    if _CParser is None or _indent_bound(text) > 2 * MAX_DEPTH:
        return None  # flow nesting was bounded before (_too_deep)
    if _PURE_ONLY.search(text):
        return None
    yaml = YAML(typ="safe", pure=False)
    yaml.allow_duplicate_keys = True
    try:
        root: Node = yaml.compose(io.StringIO(text))
    except Exception:  # whatever libyaml objects to, the pure parser reports
        return None
    if root is None or not _plain(root):
        return None
    return root


def _plain(root: Node) -> bool:
    """Whether the graph holds only plain YAML (no tags, merge keys or other types: those are
    the pure parser's to report) within the parser's budget of MAX_EVENTS nodes, making
    libyaml's plain scalar style '' the pure parser's None on the way.  (No anchors reach here,
    so the graph is a tree.)"""
    stack, count = [root], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_EVENTS or node.tag not in _PLAIN_TAGS:
            return False
        if isinstance(node, ScalarNode):
            if node.style == "":
                node.style = None
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        else:
            return False
    return True


def _too_deep(text: str, limit: int) -> Position | None:
    """Where flow brackets ([ and {) outside quotes first nest deeper than ``limit``, if they do.
    ruamel's scanner is slow on deep flow nesting, so this is checked before parsing."""
    depth = 0
    line, column = 1, 0
    quote = ""
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
            if quote == "'":  # single-quoted scalars may span lines
                continue
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return Position(line, column)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


_DEPTH_HINT = "planc documents nest a few levels; check for unclosed [ or {"


def _syntax_hint(problem: str, full: str) -> str:
    """How to fix a YAML syntax error, from ruamel's description of it."""
    if "\\t" in full:
        return "YAML does not allow tabs for indentation; use spaces"
    if "expected <block end>" in problem or "mapping values are not allowed" in problem:
        return "check this line's indentation: keys of one mapping line up, nested keys go deeper"
    if "special characters are not allowed" in problem or "unacceptable character" in full:
        return "the file holds a character YAML does not allow (a control character?): remove it"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value: a plain value cannot start with this character"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "close each [ with ] and each { with }, and put commas between the items"
    if "could not find expected ':'" in problem:
        return "write `key: value`; a key longer than 1024 characters is not read as a key"
    return "check this line and the one before: quotes, brackets, `key: value`, indentation"


def load_text(text: str, display: str, file: Path | None = None) -> Document:
    """Parse one YAML document; raises PlanError with every problem found."""
    root = _root_node(text, display)
    builder = _Builder(display, text)
    builder.positions[()] = Located(None, builder.pos(root))
    data = _built(builder, root)
    if not isinstance(data, dict):
        raise plan_error(
            "not-a-mapping",
            "the document must be a mapping of keys to values",
            display,
            builder.pos(root),
            "start with `kind:` (athlete, workout, phase, focus or program)",
        )
    return Document(display, data, builder.positions, file, text=text)


def _root_node(text: str, display: str) -> Node:
    """The node graph of ``text``, by libyaml when it can and else the pure parser; raises
    PlanError when the text nests too deeply, has too many values, is no YAML or is empty."""
    too_deep = _too_deep(text, MAX_DEPTH)
    if too_deep is not None:
        raise plan_error(
            "yaml-depth",
            f"the YAML is nested more than {MAX_DEPTH} levels deep",
            display,
            too_deep,
            _DEPTH_HINT,
        )
    try:
        root = _compose_fast(text)
        if root is None:
            root = _compose(text)
    except _TooManyEvents as exc:
        raise _too_many_events(exc, display) from None
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, display) from None
    except ReaderError as exc:  # a character YAML does not allow anywhere in a file
        raise _unreadable_character(exc, text, display) from None
    except YAMLError as exc:
        hint = _syntax_hint(str(exc), str(exc))
        raise plan_error(
            "yaml-syntax", f"invalid YAML: {exc}", display, Position(1, 1), hint
        ) from None
    except RecursionError:
        raise plan_error(
            "yaml-depth", "the YAML is nested too deeply", display, Position(1, 1), _DEPTH_HINT
        ) from None
    if root is None or (
        isinstance(root, ScalarNode) and root.value == "" and str(root.tag).endswith(":null")
    ):
        raise plan_error(
            "empty-file",
            "the file is empty",
            display,
            None,
            "start with `kind:` (athlete, workout, phase, focus or program)",
        )
    return root


def _too_many_events(exc: _TooManyEvents, display: str) -> PlanError:
    """The parser's budget ran out: the document nests too deeply or holds too many values."""
    if exc.deep:
        return plan_error(
            "yaml-depth",
            f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)",
            display,
            exc.position,
            _DEPTH_HINT,
        )
    return plan_error(
        "yaml-too-big",
        f"the document has more than {MAX_EVENTS} keys and values",
        display,
        exc.position,
        "a planc document has a few hundred; check that this is the right file",
    )


def _syntax_error(exc: MarkedYAMLError, text: str, display: str) -> PlanError:
    """A YAML syntax error in the coach's words: an unclosed quote where it opens, a second
    document, a look-alike character or unquoted Jinja by name, else ruamel's description with
    a hint on how to fix it."""
    mark = exc.problem_mark or exc.context_mark
    pos = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    opened = exc.context_mark
    if "end of stream" in problem and opened is not None and "quoted" in (exc.context or ""):
        quote = text.splitlines()[opened.line][opened.column : opened.column + 1] or '"'
        return plan_error(
            "yaml-syntax",
            "invalid YAML: this quoted string is never closed",
            display,
            Position(opened.line + 1, opened.column + 1),
            f"end it with a closing `{quote}` on the same line",
        )
    if "another document" in problem:
        return plan_error(
            "yaml-syntax",
            "a planc file holds one YAML document, this one has a second",
            display,
            pos,
            "remove the second `---`, or put the document in a file of its own",
        )
    cause = lexical.syntax_cause(text, display, pos.line)
    if cause is not None:  # a pasted space or unquoted Jinja: name it, not its effect
        return PlanError([cause])
    hint = _syntax_hint(problem, str(exc))
    return plan_error("yaml-syntax", f"invalid YAML: {problem}", display, pos, hint)


def _unreadable_character(exc: ReaderError, text: str, display: str) -> PlanError:
    """A character YAML does not allow anywhere, at its line and column."""
    index = exc.position if isinstance(exc.position, int) else 0
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else 0
    return plan_error(
        "yaml-syntax",
        f"invalid YAML: the character U+{char:04X} is not allowed in a YAML file",
        display,
        Position(line, column),
        "remove it: a control character has no place in a plan file",
    )


def _built(builder: _Builder, root: Node) -> Any:
    """The plain data of the node graph; raises PlanError with every problem the builder found,
    or the one that stopped it (nesting or aliases past the limits)."""
    try:
        data = builder.build(root, (), 0)
    except _TooDeep as exc:
        raise plan_error(
            "yaml-depth",
            f"the YAML is nested more than {MAX_DEPTH} levels deep",
            builder.display,
            builder.pos(exc.node),
            _DEPTH_HINT,
        ) from None
    except _TooBig as exc:
        raise plan_error(
            "yaml-too-big",
            f"the document expands to more than {MAX_NODES} values (aliases referring to aliases?)",
            builder.display,
            builder.pos(exc.node),
            "write the values out instead of nesting aliases",
        ) from None
    if builder.diagnostics:
        raise PlanError(builder.diagnostics)
    return data


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 text; any I/O or encoding problem becomes a diagnostic."""
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
        size = len(raw) or path.stat().st_size
    except OSError as exc:
        raise plan_error(
            "io",
            f"cannot read the file: {exc.strerror}",
            display,
            hint="check that the file exists and that its permissions let you read it",
        ) from None
    if size > MAX_BYTES or len(raw) > MAX_BYTES:  # never reads more than the limit into memory
        raise plan_error(
            "file-too-big",
            f"the file is {size // 1024} KiB; planc reads at most {MAX_BYTES // 1024} KiB",
            display,
            Position(1, 1),
            "check that this is the right file: a plan file is a few KB",
        )
    lines = raw.count(b"\n") + 1
    if lines > MAX_LINES:
        raise plan_error(
            "file-too-big",
            f"the file has {lines} lines; planc reads at most {MAX_LINES}",
            display,
            Position(1, 1),
            "check that this is the right file: a plan file is a few hundred lines",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise plan_error(
            "encoding",
            "the file is not valid UTF-8",
            display,
            Position(line, column),
            "save the file as UTF-8",
        ) from None


def display_path(path: Path) -> str:
    """A path as people should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


BUNDLED_PREFIX = "bundled:"


def source_name(path: Path) -> str:
    """The name of a planc document in diagnostics and `planc explain`: a file of the bundled
    template library as ``bundled:workouts/long-run.yaml`` (the same wherever planc is installed
    or run from: an installed planc's library sits deep in site-packages), any other file as
    ``display_path`` shows it."""
    resolved = path.resolve()
    try:
        return BUNDLED_PREFIX + resolved.relative_to(_bundled_root()).as_posix()
    except (ValueError, FileNotFoundError):
        return display_path(path)


@cache
def _bundled_root() -> Path:
    return templates_dir().resolve()
