"""Text to a YAML node graph, within a budget: libyaml when the text is plain YAML it reads as
the pure parser does, ruamel's pure parser for everything else; every way the text can fail
(nested too deeply, too many values, a syntax error, a character YAML refuses) as a diagnostic
in the coach's words.

Two parsers read YAML. libyaml (``ruamel.yaml.clib``, in C) is several times faster; the pure
parser has the budgets (``MAX_EVENTS``, ``MAX_DEPTH``) and the messages the diagnostics are
written against.  docs/security.md lists the limits.
"""

from __future__ import annotations

import io
import re

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

from ..diagnostics import PlanError, Position, plan_error
from . import lexical

MAX_EVENTS = 10_000  # keys and values as written (before aliases): bounds the parser's time


MAX_DEPTH = 64


PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


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
        if count > MAX_EVENTS or node.tag not in PLAIN_TAGS:
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


DEPTH_HINT = "planc documents nest a few levels; check for unclosed [ or {"


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


def root_node(text: str, display: str) -> Node:
    """The node graph of ``text``, by libyaml when it can and else the pure parser; raises
    PlanError when the text nests too deeply, has too many values, is no YAML or is empty."""
    too_deep = _too_deep(text, MAX_DEPTH)
    if too_deep is not None:
        raise plan_error(
            "yaml-depth",
            f"the YAML is nested more than {MAX_DEPTH} levels deep",
            display,
            too_deep,
            DEPTH_HINT,
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
            "yaml-depth", "the YAML is nested too deeply", display, Position(1, 1), DEPTH_HINT
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
            DEPTH_HINT,
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
