"""A YAML node graph to plain data, with the position of every key and value: duplicate keys,
custom tags, merge keys, aliases past ``MAX_NODES`` values, numbers no plan holds and characters
no output can carry are refused; dates stay strings (the schema checks their format, resolve
turns them into dates).
"""

from __future__ import annotations

import math
import re
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic, PlanError, Position, error, plan_error
from . import lexical
from .document import Located, PathKey
from .yaml_compose import DEPTH_HINT, MAX_DEPTH, PLAIN_TAGS

MAX_NODES = 20_000  # values once aliases are expanded: bounds "billion laughs"


MAX_INT_DIGITS = 100  # no count or size in a plan has more digits; Python refuses past 4300


# Characters no output can carry: C0 controls but tab, line feed and carriage return; DEL; C1
# controls; and lone surrogates (which a double-quoted "\ud800" escape can produce).
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


_NUMBER_HINT = "write a finite number of a sensible size: counts and sizes in a plan are small"


_SURROGATE = re.compile("[\ud800-\udfff]")


class DataBuilder:
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
        if tag not in PLAIN_TAGS:
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


def built_data(builder: DataBuilder, root: Node) -> Any:
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
            DEPTH_HINT,
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
