"""Read a small YAML document into a node tree that remembers where every value stands.

Rubrics and project configs are written by people, so this reader is strict where PyYAML is
permissive: anchors and aliases are refused (they enable "billion laughs" documents and a
rubric never needs them), explicit tags are refused (``!!python/object`` and friends), a key
given twice is an error instead of a silent last-wins, and no implicit YAML 1.1 typing is
applied (``NO``, ``on``, ``23:59`` and ``02134`` stay the text the author wrote; the schema
decides what a value means).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 256 * 1024

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class YamlProblem(Exception):
    """The document cannot be read at all; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Node:
    """One value of the document: ``kind`` is "scalar", "list" or "map"."""

    kind: str
    line: int
    text: str = ""
    quoted: bool = False
    items: list[Node] = field(default_factory=list)
    entries: dict[str, tuple[int, Node]] = field(default_factory=dict)

    def plain(self) -> object:
        """The value as plain Python (str / list / dict), for hashing and display."""
        if self.kind == "scalar":
            return self.text
        if self.kind == "list":
            return [item.plain() for item in self.items]
        return {key: value.plain() for key, (_line, value) in self.entries.items()}


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses anchors and aliases."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                event.start_mark.line + 1,
                "anchors and aliases (&name / *name) are not allowed; write the value out in full",
            )
        return super().compose_node(parent, index)


def _convert(node: yaml.Node, problems: list[tuple[int, str]]) -> Node:
    line = node.start_mark.line + 1
    if node.tag not in _STANDARD_TAGS and not _is_implicit(node):
        problems.append((line, f"the tag {node.tag!r} is not allowed; remove it"))
    if isinstance(node, yaml.ScalarNode):
        return Node("scalar", line, text=str(node.value), quoted=node.style in ("'", '"'))
    if isinstance(node, yaml.SequenceNode):
        return Node("list", line, items=[_convert(child, problems) for child in node.value])
    if isinstance(node, yaml.MappingNode):
        result = Node("map", line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((key_line, "a key must be a plain word, not a list or a map"))
                continue
            key = str(key_node.value)
            if key == "<<":
                problems.append((key_line, "merge keys (<<) are not allowed; write the keys out"))
                continue
            if key in result.entries:
                first = result.entries[key][0]
                problems.append((key_line, f"the key '{key}' is given twice (first on line {first})"))
                continue
            result.entries[key] = (key_line, _convert(value_node, problems))
        return result
    raise YamlProblem(line, "unsupported YAML node")  # pragma: no cover - PyYAML has no other kinds


def _is_implicit(node: yaml.Node) -> bool:
    # Plain scalars get resolver tags (bool, int, timestamp...) that we deliberately ignore;
    # only tags the author wrote are refused.
    return isinstance(node, yaml.ScalarNode) and node.style is None and not _explicit(node)


def _explicit(node: yaml.Node) -> bool:
    return getattr(node, "_explicit_tag", False)


class _TagTrackingLoader(_StrictLoader):
    """Marks scalars whose tag was written in the document (``!!int 3``, ``!!python/...``)."""

    def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:  # the anchor's name (the stubs say a dict)
        event = self.peek_event()
        node = super().compose_scalar_node(anchor)
        node._explicit_tag = event.tag not in (None, "!")  # type: ignore[attr-defined]
        return node


def _advice(text: str, mark: yaml.Mark | None) -> str:
    """What to do about a YAML syntax error: an export header written bare that holds '?', ':'
    or '#' (a form's question) must be quoted; else check the indentation."""
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        _key, colon, value = line.partition(": ")
        if colon and ("?" in value or ": " in value or " #" in value):
            return 'a header with "?", ": " or " #" in it must be quoted: "Why are you a great fit?"'
    return "check the indentation and quotes here"


def read_yaml(path: Path) -> tuple[Node | None, list[tuple[int, str]]]:
    """Parse ``path``; return the root node and the problems found (line, message).

    Raises ``YamlProblem`` only when nothing useful can be read (syntax errors, aliases,
    a file too large or not text).
    """
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise YamlProblem(0, f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise YamlProblem(0, "the file is not UTF-8 text; save it as UTF-8") from err
    try:
        loader = _TagTrackingLoader(text)
    except yaml.reader.ReaderError as err:
        # NUL, ESC and other control characters: YAML allows none of them.
        line = text[: max(err.position, 0)].count("\n") + 1
        raise YamlProblem(line, f"the character U+{err.character:04X} is not allowed in YAML; remove it") from None
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = err.problem or "the YAML could not be read"
        raise YamlProblem(line, f"{what} ({_advice(text, mark)})") from None
    except yaml.YAMLError as err:
        raise YamlProblem(0, f"the YAML could not be read: {err}") from None
    finally:
        loader.dispose()
    if root is None:
        return None, []
    problems: list[tuple[int, str]] = []
    return _convert(root, problems), problems
