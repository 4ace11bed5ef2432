"""Hostile content: whatever lands in content/, the loader names the file and the field, never raises, stays bounded.

Property-based (hypothesis) over a copy of content/: wrong types, missing and unknown fields, dangling ids,
coordinates anywhere, garbage files, non-UTF-8 bytes, deep nesting, alias bombs and 1 MB strings. The examples are
derandomised and there is no example database, so a run in CI is the same as a run here.
"""

from __future__ import annotations

import copy
import functools
import re
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from realignment import settings as app_settings
from realignment.content import FILES, ContentIssue, Story, load_story

# Small budgets: the whole file runs in well under a minute on two busy cores. No shrinking: one load of the content
# takes 0.1-1 s on a busy machine, and shrinking a failure would take minutes; the failing draw is printed as found.
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    # content_copy is made once per test; every example restores the file it broke before the next one
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FUZZ, max_examples=8)

SECTION_FILE = {key: fname for fname, parts in FILES.items() for key, _ in parts}
KNOWN_FILES = {f"content/{fname}" for fname in FILES}
# What one broken file may cost, at most: seconds to load and issues reported.
MAX_SECONDS = 10.0
MAX_ISSUES = 2000
# A problem line is read by a person: a 1 MB value must not come back as a 1 MB message.
MAX_ISSUE_CHARS = 1000

HOSTILE_STRINGS = [
    "",
    "   ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "\x00",
    "\u202eevil",
    "{figure:nope}",
    "{",
    "~",
    "null",
    "1/0",
    "NaN",
    "2004-13-45",
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.dates(),
    TEXT,
    st.sampled_from(HOSTILE_STRINGS),
    st.integers(2_000, 6_000).map(lambda n: "x" * n),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, min_size=1, max_size=4) | st.dictionaries(TEXT, inner, min_size=1, max_size=4),
    max_leaves=10,
)
ID = st.from_regex(r"[a-z0-9][a-z0-9-]{0,63}", fullmatch=True)


# ---------------------------------------------------------------------------------------------------------------
# The shipped content, read once: which records and fields there are to break.


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@functools.cache
def _shipped() -> dict[str, Any]:
    root = app_settings.ROOT / "content"
    return {fname: yaml.safe_load((root / fname).read_text(encoding="utf-8")) for fname in FILES}


@functools.cache
def _baseline() -> Story:
    return load_story(app_settings.ROOT / "content")


def _table(story: Story, section: str) -> dict[str, Any]:
    return dict(getattr(story, section, None) or {})


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


@functools.cache
def _records() -> list[tuple[str, str, int, str]]:
    """(file, section, index, id) of every record the shipped content loads without a problem."""
    base = _baseline()
    out = []
    for fname, parts in FILES.items():
        data = _shipped()[fname] or {}
        for section, _ in parts:
            for i, rec in enumerate(data.get(section) or []):
                if isinstance(rec, dict) and rec.get("id") in _table(base, section):
                    out.append((fname, section, i, rec["id"]))
    return out


@functools.cache
def _record_paths() -> list[tuple[str, str, int, str, tuple[Any, ...]]]:
    out = []
    for fname, section, i, rid in _records():
        rec = _shipped()[fname][section][i]
        out += [(fname, section, i, rid, p) for p in _paths(rec) if p != ("id",)]
    return out


@functools.cache
def _dict_paths() -> list[tuple[str, str, int, str, tuple[Any, ...]]]:
    """Every mapping inside a record (the record itself included), where an unknown key can be added."""
    out = []
    for fname, section, i, rid in _records():
        rec = _shipped()[fname][section][i]
        out += [(fname, section, i, rid, ())]
        out += [(fname, section, i, rid, p) for p in _paths(rec) if isinstance(_get(rec, p), dict)]
    return out


def _field_names() -> set[str]:
    """Every field name or alias of the content models, at any depth."""
    names: set[str] = set()
    todo: list[Any] = [model for parts in FILES.values() for _, model in parts]
    seen: set[Any] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names |= {name, info.alias or name}
            stack = [info.annotation]
            while stack:
                ann = stack.pop()
                if isinstance(ann, type) and issubclass(ann, BaseModel):
                    todo.append(ann)
                stack += list(typing.get_args(ann))
    return names


FIELD_NAMES = _field_names()
# "<<" is YAML's merge key, not a field name: it is a YAML error and tested as such elsewhere
UNKNOWN_KEY = TEXT.filter(lambda k: bool(k.strip()) and k not in FIELD_NAMES and k not in SECTION_FILE and k != "<<")


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


# ---------------------------------------------------------------------------------------------------------------
# Breaking a copy and reading what the loader says.


@contextmanager
def broken(content: Path, fname: str, data: str | bytes) -> Iterator[None]:
    """Write a hostile version of one file for one example, then put the shipped one back."""
    path = content / fname
    original = path.read_bytes()
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        yield
    finally:
        path.write_bytes(original)


def load(content: Path, max_seconds: float = MAX_SECONDS) -> tuple[Story, list[ContentIssue]]:
    """Load the broken copy; return the story and the issues the shipped content does not have."""
    started = time.monotonic()
    story = load_story(content)
    took = time.monotonic() - started
    assert took < max_seconds, f"loading took {took:.1f} s (a normal load takes well under 1 s)"
    assert len(story.issues) <= MAX_ISSUES, f"{len(story.issues)} issues"
    for issue in story.issues:
        assert isinstance(issue, ContentIssue), issue
        assert issue.file in KNOWN_FILES, issue
        assert issue.field.strip() and issue.message.strip(), issue
    before = {str(i) for i in _baseline().issues}
    return story, [i for i in story.issues if str(i) not in before]


def _prefixes(section: str, idx: int, rid: str) -> tuple[str, ...]:
    """How the loader names a record: by position when its schema fails, by id when its links do."""
    return (f"{section}[{idx}] (id {rid[:40]!r})", f"{section}[{idx}]", f"{section} (id {rid!r})")


def _strip_index(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path)


def _says(message: str, words: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", message) for w in words)


def names_field(issue: ContentIssue, fname: str, section: str, idx: int, rid: str, path: tuple[Any, ...]) -> bool:
    """The issue is in this file, on this record, and points at the field: by its path, or by its name."""
    if issue.file != f"content/{fname}":
        return False
    prefix = next((p for p in _prefixes(section, idx, rid) if issue.field.startswith(p)), None)
    rest = issue.field[len(prefix) :] if prefix is not None else None
    if rest is None or (rest and rest[0] not in ".["):
        return False
    rest = _strip_index(rest)
    words = [p for p in path if isinstance(p, str)]
    wanted = "".join(f".{w}" for w in words)
    if rest == wanted or rest.startswith(wanted + "."):
        return True  # the field itself, or a field inside it
    # a rule on the record or on a part that holds the field ("give exactly one of date or months_before_source"),
    # or a rule on another field that depends on this one ("110 km does not appear in the evidence text"):
    # the message says the field's name
    return _says(issue.message, words)


def _record_gone(story: Story, section: str, rid: str) -> bool:
    return rid not in _table(story, section)


# ---------------------------------------------------------------------------------------------------------------
# Records: wrong values, missing and unknown fields, dangling ids, coordinates anywhere.


@FUZZ
@given(data=st.data())
def test_a_wrong_value_anywhere_is_named_by_file_and_field(content_copy: Path, data: st.DataObject) -> None:
    fname, section, idx, rid, path = data.draw(st.sampled_from(_record_paths()), label="where")
    value = data.draw(VALUES, label="value")
    doc = copy.deepcopy(_shipped()[fname])
    _get(doc[section][idx], path[:-1])[path[-1]] = value
    with broken(content_copy, fname, _dump(doc)):
        story, new = load(content_copy)
    if _record_gone(story, section, rid):
        assert any(names_field(i, fname, section, idx, rid, path) for i in new), [str(i) for i in new]


@FUZZ
@given(data=st.data())
def test_a_missing_field_is_named_or_the_record_still_loads(content_copy: Path, data: st.DataObject) -> None:
    fname, section, idx, rid, path = data.draw(st.sampled_from(_record_paths()), label="where")
    doc = copy.deepcopy(_shipped()[fname])
    del _get(doc[section][idx], path[:-1])[path[-1]]
    with broken(content_copy, fname, _dump(doc)):
        story, new = load(content_copy)
    if _record_gone(story, section, rid):
        assert any(names_field(i, fname, section, idx, rid, path) for i in new), [str(i) for i in new]


@FUZZ
@given(data=st.data())
def test_an_unknown_field_is_named_exactly(content_copy: Path, data: st.DataObject) -> None:
    fname, section, idx, rid, path = data.draw(st.sampled_from(_dict_paths()), label="where")
    key = data.draw(UNKNOWN_KEY, label="key")
    doc = copy.deepcopy(_shipped()[fname])
    _get(doc[section][idx], path)[key] = data.draw(SCALARS, label="value")
    with broken(content_copy, fname, _dump(doc)):
        story, new = load(content_copy)
    where = f"{section}[{idx}] (id {rid[:40]!r})" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    assert [(i.file, i.field) for i in new if i.message.startswith("unknown field")] == [
        (f"content/{fname}", f"{where}.{key}")
    ], [str(i) for i in new]
    assert _record_gone(story, section, rid)


@FEW
@given(data=st.data())
def test_an_unknown_section_is_named(content_copy: Path, data: st.DataObject) -> None:
    fname = data.draw(st.sampled_from(sorted(FILES)), label="file")
    key = data.draw(UNKNOWN_KEY, label="section")
    doc = copy.deepcopy(_shipped()[fname])
    doc[key] = data.draw(VALUES, label="value")
    with broken(content_copy, fname, _dump(doc)):
        _, new = load(content_copy)
    assert [(i.file, i.field) for i in new] == [(f"content/{fname}", key)], [str(i) for i in new]
    assert new[0].message.startswith("unknown section")


# Every link from one record to another, as (section, path in the record, the table it points into).
LINKS: list[tuple[str, tuple[Any, ...], str]] = [
    ("places", ("point_source",), "source"),
    ("places", ("sources", 0), "source"),
    ("places", ("identification", "source"), "source"),
    ("places", ("related", 0), "place"),
    ("figures", ("source",), "source"),
    ("figures", ("places", 0), "place"),
    ("figures", ("derived", "of"), "figure"),
    ("quotes", ("speaker",), "speaker"),
    ("quotes", ("source",), "source"),
    ("quotes", ("places", 0), "place"),
    ("events", ("source",), "source"),
    ("events", ("places", 0), "place"),
    ("claims", ("source",), "source"),
    ("claims", ("subject",), "place"),
    ("claims", ("measures", 0, "from", "place"), "place"),
]


@functools.cache
def _link_targets() -> list[tuple[str, str, int, str, tuple[Any, ...], str]]:
    out = []
    for fname, section, idx, rid in _records():
        rec = _shipped()[fname][section][idx]
        for sec, path, what in LINKS:
            try:
                present = sec == section and isinstance(_get(rec, path), str)
            except (KeyError, IndexError, TypeError):
                present = False
            if present:
                out.append((fname, section, idx, rid, path, what))
    return out


def _all_ids() -> set[str]:
    base = _baseline()
    return {i for sec in SECTION_FILE for i in _table(base, sec)}


@FUZZ
@given(data=st.data())
def test_a_dangling_id_gives_exactly_one_message(content_copy: Path, data: st.DataObject) -> None:
    fname, section, idx, rid, path, what = data.draw(st.sampled_from(_link_targets()), label="link")
    ref = data.draw(ID.filter(lambda s: s not in _all_ids()), label="id")
    doc = copy.deepcopy(_shipped()[fname])
    _get(doc[section][idx], path[:-1])[path[-1]] = ref
    with broken(content_copy, fname, _dump(doc)):
        _, new = load(content_copy)
    field_path = ".".join(p for p in path if isinstance(p, str))
    assert [str(i) for i in new] == [f"content/{fname}: {section} (id {rid!r}).{field_path}: unknown {what} {ref!r}"]


def _places() -> list[tuple[int, str, bool]]:
    """(index, id, offmap) of every place that loads."""
    rows = _shipped()["places.yaml"]["places"]
    return [(i, rid, bool(rows[i].get("offmap"))) for _, sec, i, rid in _records() if sec == "places"]


COORD = st.one_of(
    st.floats(),
    st.floats(-200, 200),
    st.floats(30, 45),
    st.floats(120, 135),
    st.sampled_from([0.0, -0.0, 90.0, -90.0, 180.0, -180.0, 90.0000001, 1e308]),
)


def check_point(content: Path, place: tuple[int, str, bool], lat: float, lon: float) -> None:
    """A point off the globe is named on .point, one off the region on the record; any other point loads as is."""
    idx, rid, offmap = place
    doc = copy.deepcopy(_shipped()["places.yaml"])
    doc["places"][idx]["point"] = [lat, lon]
    with broken(content, "places.yaml", _dump(doc)):
        story, new = load(content)
    lat, lon = yaml.safe_load(_dump([lat, lon]))  # what the loader reads
    on_earth = -90 <= lat <= 90 and -180 <= lon <= 180
    b = app_settings.REGION_BOUNDS
    in_region = b["lat_min"] <= lat <= b["lat_max"] and b["lon_min"] <= lon <= b["lon_max"]
    record = f"places[{idx}] (id {rid!r})"
    said = [str(i) for i in new]
    if not on_earth:
        assert said == [f"content/places.yaml: {record}.point: [{lat}, {lon}] is not a [latitude, longitude] pair"]
    elif not in_region and not offmap:
        assert len(new) == 1 and new[0].file == "content/places.yaml" and new[0].field == record, said
        assert f"point [{lat}, {lon}] is outside the Korean region" in new[0].message, said
    else:
        assert said == []
        assert story.places[rid].point == (lat, lon)


@FUZZ
@given(data=st.data())
def test_coordinates_anywhere_are_checked_against_the_globe_and_the_region(
    content_copy: Path, data: st.DataObject
) -> None:
    place = data.draw(st.sampled_from(_places()), label="place")
    check_point(content_copy, place, data.draw(COORD, label="lat"), data.draw(COORD, label="lon"))


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(37.5, 127.0), (48.85, 2.35), (96.9, 127.0), (float("nan"), 127.0), (37.5, float("inf")), (-90.0, 180.0)],
)
def test_coordinates_at_the_edges(content_copy: Path, lat: float, lon: float) -> None:
    for place in (_places()[0], next(p for p in _places() if p[2])):  # an on-map place and an off-map actor
        check_point(content_copy, place, lat, lon)


# ---------------------------------------------------------------------------------------------------------------
# Whole files: garbage, truncation, non-UTF-8, deep nesting, alias bombs.


def _file_level_field(raw: bytes) -> str | None:
    """What the loader must say about a file as a whole, worked out independently; None if it parses."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return r"\(file\)"
    try:
        data = yaml.safe_load(text)
    except Exception:  # any parser failure, including what PyYAML raises that is not a YAMLError
        return r"line \d+, column \d+|\(file\)"
    if data is not None and not isinstance(data, dict):
        return r"\(top level\)"
    return None


@FUZZ
@given(data=st.data())
def test_garbage_in_a_file_is_named(content_copy: Path, data: st.DataObject) -> None:
    fname = data.draw(st.sampled_from(sorted(FILES)), label="file")
    raw = data.draw(
        st.one_of(
            st.binary(max_size=300),
            TEXT.map(lambda t: t.encode("utf-8")),
            VALUES.map(lambda v: _dump(v).encode("utf-8")),
            st.sampled_from([b"", b"\xef\xbb\xbf", b"- - -", b"{", b"]", b"&a [*a]", b"!!binary AAAA", b"\t\x00"]),
        ),
        label="bytes",
    )
    with broken(content_copy, fname, raw):
        _, new = load(content_copy)
    mine = [i for i in new if i.file == f"content/{fname}"]
    assert mine, f"nothing said about content/{fname}: {[str(i) for i in new]}"
    expected = _file_level_field(raw)
    if expected:
        assert any(re.fullmatch(expected, i.field) for i in mine), [str(i) for i in mine]


@FUZZ
@given(data=st.data())
def test_a_truncated_file_is_named_where_it_breaks(content_copy: Path, data: st.DataObject) -> None:
    fname = data.draw(st.sampled_from(sorted(FILES)), label="file")
    whole = (app_settings.ROOT / "content" / fname).read_bytes()
    cut = data.draw(st.integers(0, len(whole) - 1), label="cut")
    raw = whole[:cut]
    with broken(content_copy, fname, raw):
        _, new = load(content_copy)
    expected = _file_level_field(raw)
    if expected:
        mine = [i for i in new if i.file == f"content/{fname}"]
        assert any(re.fullmatch(expected, i.field) for i in mine), [str(i) for i in new]


@FEW
@given(data=st.data())
def test_non_utf8_bytes_are_named(content_copy: Path, data: st.DataObject) -> None:
    fname = data.draw(st.sampled_from(sorted(FILES)), label="file")
    whole = (app_settings.ROOT / "content" / fname).read_bytes()
    at = data.draw(st.integers(0, len(whole)), label="at")
    bad = data.draw(st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"\xe2\x82"]))
    with broken(content_copy, fname, whole[:at] + bad + whole[at:]):
        _, new = load(content_copy)
    mine = [i for i in new if i.file == f"content/{fname}"]
    assert [(i.field, i.message.startswith("cannot be read")) for i in mine] == [("(file)", True)], [
        str(i) for i in new
    ]


def _nest(depth: int, style: str) -> str:
    if style == "flow-list":
        return "[" * depth + "]" * depth
    if style == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    return "\n".join("  " * i + "- " for i in range(depth)) + "x"


@FEW
@given(
    depth=st.integers(50, 30_000),
    style=st.sampled_from(["flow-list", "flow-map", "block"]),
    fname=st.sampled_from(sorted(FILES)),
)
@example(depth=5_000, style="flow-list", fname="events.yaml")
@example(depth=3_000, style="flow-map", fname="places.yaml")
@example(depth=1_500, style="block", fname="quotes.yaml")
def test_deeply_nested_structures_are_named_not_raised(content_copy: Path, depth: int, style: str, fname: str) -> None:
    section = FILES[fname][0][0]
    if style == "block":
        depth = min(depth, 1_500)  # block nesting costs the scanner quadratic time in the indentation
        text = f"{section}:\n" + _nest(depth, style) + "\n"
    else:
        text = f"{section}: {_nest(depth, style)}\n"
    with broken(content_copy, fname, text):
        _, new = load(content_copy)
    assert any(i.file == f"content/{fname}" for i in new), [str(i) for i in new]


def _laughs(width: int, depth: int, merge: bool) -> str:
    """The billion laughs: each level refers `width` times to the one below, `width ** depth` in all."""
    if merge:
        lines = ["l0: &l0 {k0: 1, k1: 2}"]
        for i in range(1, depth + 1):
            lines.append(f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * width)}], k{i}: *l{i - 1}}}")
    else:
        lines = ["l0: &l0 [lol, lol]"]
        for i in range(1, depth + 1):
            lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@FEW
@given(
    width=st.integers(2, 12),
    depth=st.integers(2, 14),
    merge=st.booleans(),
    where=st.sampled_from(["section", "record", "field", "unknown-field"]),
)
@example(width=10, depth=12, merge=False, where="field")
@example(width=10, depth=12, merge=True, where="record")
def test_alias_bombs_stay_bounded(content_copy: Path, width: int, depth: int, merge: bool, where: str) -> None:
    fname, section = "quotes.yaml", "quotes"
    bomb = _laughs(width, depth, merge)
    top = f"*l{depth}"
    doc = copy.deepcopy(_shipped()[fname])
    records = doc[section]
    marker = "BOMB-MARKER-0123"
    if where == "section":
        doc[section] = marker
    elif where == "record":
        records[0] = marker
    elif where == "field":
        records[0]["segments"] = marker
    else:
        records[0]["laughs"] = marker
    text = bomb + _dump(doc).replace(marker, top)
    with broken(content_copy, fname, text):
        story, new = load(content_copy)  # asserts the time and the number of issues
    assert any(i.file == f"content/{fname}" for i in new), [str(i) for i in new]
    assert sum(len(str(i)) for i in story.issues) < 500_000


@FEW
@given(data=st.data())
def test_a_recursive_alias_is_named(content_copy: Path, data: st.DataObject) -> None:
    fname, section, idx, rid, path = data.draw(st.sampled_from(_record_paths()), label="where")
    doc = copy.deepcopy(_shipped()[fname])
    marker = "SELF-MARKER-0123"
    _get(doc[section][idx], path[:-1])[path[-1]] = marker
    self_ref = data.draw(st.sampled_from(["&self [*self]", "&self {a: *self}", "&self [1, [2, *self]]"]))
    with broken(content_copy, fname, _dump(doc).replace(marker, self_ref)):
        story, new = load(content_copy)
    if _record_gone(story, section, rid):
        assert any(names_field(i, fname, section, idx, rid, path) for i in new), [str(i) for i in new]


# ---------------------------------------------------------------------------------------------------------------
# Huge strings (1 MB) and the values fuzzing found: each one named, none raised, every message short.

MB = "x" * 1_000_000


def _shipped_text(fname: str) -> str:
    return (app_settings.ROOT / "content" / fname).read_text(encoding="utf-8")


def _with_record_field(fname: str, section: str, rid: str, key: str, raw_yaml: str) -> str:
    """The shipped file with one field of one record set to a raw YAML value, written as is (dumping 1 MB is slow)."""
    doc = copy.deepcopy(_shipped()[fname])
    rec = next(r for r in doc[section] if r.get("id") == rid)
    rec.pop(key, None)
    rec["KEY-MARKER-0123"] = "VALUE-MARKER-0123"
    # an explicit key ("? key" / ": value"): a plain key may not be longer than 1024 characters
    return re.sub(
        r"^( *)KEY-MARKER-0123: VALUE-MARKER-0123$",
        lambda m: f"{m[1]}? {key}\n{m[1]}: {raw_yaml}",
        _dump(doc),
        count=1,
        flags=re.M,
    )


def _index(fname: str, section: str, rid: str) -> int:
    return next(i for i, r in enumerate(_shipped()[fname][section]) if r.get("id") == rid)


def _first_with(section: str, key: str) -> str:
    fname = SECTION_FILE[section]
    return next(r["id"] for r in _shipped()[fname][section] if key in r)


HUGE_CASES = {
    # case: (file, section, record id or None, field to break, raw YAML value, expected field path in the issue)
    "place name": ("places", "seoul", "name", "{en: " + MB + ", ko: x}", ".name.en"),
    "place group": ("places", "seoul", "group", MB, ".group"),
    "quote segment": ("quotes", "kim-schedule", "segments", "[" + MB + "]", ".segments"),
    "record id": ("places", "seoul", "id", MB, ".id"),
    "unknown field name": ("places", "seoul", MB, "1", "." + MB[:10]),
    "source text_file": ("sources", "voa-2004-06-08", "text_file", MB, ".text_file"),
    "figure fraction": (
        "figures",
        "us-withdrawal",
        "derived",
        "{kind: share, of: us-troops-2004, fraction: " + MB + "}",
        ".derived",
    ),
}


@pytest.mark.parametrize("case", list(HUGE_CASES))
def test_a_1mb_string_is_named_with_a_short_message(content_copy: Path, case: str) -> None:
    section, rid, key, raw, expected = HUGE_CASES[case]
    fname = SECTION_FILE[section]
    idx = _index(fname, section, rid)
    with broken(content_copy, fname, _with_record_field(fname, section, rid, key, raw)):
        _, new = load(content_copy)
    mine = [i for i in new if i.file == f"content/{fname}" and expected in _strip_index(i.field)]
    assert mine, [str(i)[:300] for i in new]
    assert any(i.field.startswith(p) for i in mine for p in _prefixes(section, idx, rid)), [str(i)[:300] for i in mine]
    too_long = [str(i)[:120] + "…" for i in new if len(str(i)) > MAX_ISSUE_CHARS]
    assert too_long == [], f"{len(too_long)} problem line(s) over {MAX_ISSUE_CHARS} characters: {too_long}"


def test_a_1mb_section_name_is_named_with_a_short_message(content_copy: Path) -> None:
    text = _shipped_text("events.yaml") + f"\n? {MB}\n: 1\n"
    with broken(content_copy, "events.yaml", text):
        _, new = load(content_copy)
    assert [i.file for i in new] == ["content/events.yaml"], [str(i)[:200] for i in new]
    assert new[0].message.startswith("unknown section") and new[0].field.startswith("xxxxxxxxxx")
    assert len(str(new[0])) <= MAX_ISSUE_CHARS, f"a {len(str(new[0])):,}-character problem line"


# Values that broke the loader when this file was written: each must be an issue on its own field.
EDGE_CASES = {
    # case: (section, record id, field, raw YAML value, expected field path after the record)
    "event day out of range": ("events", "us-proposal", "date", "'2004-99-99'", ".date"),
    "event year zero": ("events", "us-proposal", "date", "'0000'", ".date"),
    "event in the last month of 9999": ("events", "us-proposal", "date", "'9999-12'", ".date"),
    "source date before the months counted back": ("sources", "voa-2004-06-08", "date", "0001-01-01", None),
    "divisor not a number": (
        "figures",
        "us-withdrawal",
        "derived",
        "{kind: ratio, of: us-troops-2004, divisor: .nan}",
        ".derived",
    ),
    "divisor almost zero": (
        "figures",
        "us-withdrawal",
        "derived",
        "{kind: ratio, of: us-troops-2004, divisor: 1.0e-320}",
        ".derived",
    ),
    "fraction with a huge exponent": (
        "figures",
        "us-withdrawal",
        "derived",
        "{kind: share, of: us-troops-2004, fraction: '1e9999999'}",
        ".derived",
    ),
    "a 5000-digit number": ("figures", "us-troops-2004", "value", "1" + "0" * 5000, ".value"),
    "NUL byte in a file name": ("sources", "voa-2004-06-08", "text_file", '"sources/a\\0b.txt"', ".text_file"),
    "file name that is a folder": ("sources", "voa-2004-06-08", "text_file", "sources", ".text_file"),
    "file name outside content": ("sources", "voa-2004-06-08", "text_file", "../../../etc/hostname", ".text_file"),
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_values_found_by_fuzzing_are_named(content_copy: Path, case: str) -> None:
    section, rid, key, raw, expected = EDGE_CASES[case]
    fname = SECTION_FILE[section]
    idx = _index(fname, section, rid)
    with broken(content_copy, fname, _with_record_field(fname, section, rid, key, raw)):
        _, new = load(content_copy, max_seconds=5.0)
    assert new, "nothing reported"
    if expected is None:
        # the value itself is fine; what it makes of a record that counts from it must be named
        counted = _first_with("events", "months_before_source")
        assert any(
            i.file == "content/events.yaml" and i.field == f"events (id {counted!r}).months_before_source" for i in new
        ), [str(i) for i in new]
    else:
        assert any(
            i.file == f"content/{fname}"
            and any(i.field.startswith(p) for p in _prefixes(section, idx, rid))
            and (expected in _strip_index(i.field) or key in i.message)
            for i in new
        ), [str(i) for i in new]


def test_a_source_text_that_is_not_utf8_is_named(content_copy: Path) -> None:
    source = next(r for r in _shipped()["sources.yaml"]["sources"] if r.get("text_file"))
    text_file = content_copy / source["text_file"]
    text_file.write_bytes(text_file.read_bytes() + b"\n\xff\xfe not UTF-8\n")
    _, new = load(content_copy)
    assert any(
        i.file == "content/sources.yaml" and i.field == f"sources (id {source['id']!r}).text_file" for i in new
    ), [str(i) for i in new]
