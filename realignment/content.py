"""Load content/*.yaml into one validated, immutable Story, reporting every problem by file and field."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import settings
from .geodesy import distance_km

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
ShortText = Annotated[str, Field(min_length=1, max_length=400)]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]


class _Model(BaseModel):
    """Strict base: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Model):
    """A text in English, with its Korean version where one is written."""

    en: LongText
    ko: LongText | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: Any) -> Any:
        """A plain string is the English text, so untranslated content still loads (and a test lists it)."""
        return {"en": data} if isinstance(data, str) else data

    def get(self, lang: str) -> str:
        """Korean where present, else English: a missing translation never blanks the screen."""
        return (self.ko if lang == "ko" and self.ko else None) or self.en


class Name(Text):
    """A name: both languages are required (place names appear on the Korean map too)."""

    ko: ShortText


class Source(_Model):
    id: Id
    kind: Literal["article", "reference"]
    outlet: ShortText
    title: ShortText
    short: ShortText
    date: dt.date | None = None
    text_file: Annotated[str, Field(max_length=300)] | None = None
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"']+$", max_length=300)] | None = None
    note: LongText | None = None


class Identification(_Model):
    text: Text
    source: Id


class Place(_Model):
    id: Id
    name: Name
    kind: Literal["city", "base", "border", "site", "area", "country", "actor"]
    group: str
    point: tuple[float, float]
    point_source: Id
    point_note: Text | None = None
    layer: Id | None = None
    role: Text
    identification: Identification | None = None
    sources: list[Id] = Field(min_length=1)
    related: list[Id] = []
    offmap: bool = False

    @field_validator("group")
    @classmethod
    def _known_group(cls, v: str) -> str:
        if v not in settings.LAYER_GROUP_IDS:
            raise ValueError(f"unknown map layer group {v[:40]!r}; use one of {', '.join(settings.LAYER_GROUP_IDS)}")
        return v

    @field_validator("point")
    @classmethod
    def _on_earth(cls, v: tuple[float, float]) -> tuple[float, float]:
        lat, lon = v
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"[{lat}, {lon}] is not a [latitude, longitude] pair")
        return v

    @model_validator(mode="after")
    def _in_region(self) -> Place:
        if not self.offmap:
            lat, lon = self.point
            b = settings.REGION_BOUNDS
            if not (b["lat_min"] <= lat <= b["lat_max"] and b["lon_min"] <= lon <= b["lon_max"]):
                raise ValueError(
                    f"point [{lat}, {lon}] is outside the Korean region "
                    f"(lat {b['lat_min']}..{b['lat_max']}, lon {b['lon_min']}..{b['lon_max']}); "
                    "mark far-away actors with offmap: true"
                )
        return self


_FRACTION = re.compile(r"\s*\d{1,9}\s*/\s*\d{1,9}\s*|\s*\d{0,9}\.?\d{1,9}\s*")


class Derived(_Model):
    kind: Literal["share", "remainder", "ratio"]
    of: Id
    fraction: str | None = None
    divisor: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None

    @field_validator("fraction")
    @classmethod
    def _fraction(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not _FRACTION.fullmatch(v):  # no exponents: Fraction("1e99999999") takes minutes
            raise ValueError(f"{v[:40]!r} is not a fraction like 1/3 or 0.25")
        try:
            f = Fraction(v)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{v!r} is not a fraction like 1/3 or 0.25") from None
        if not 0 <= f <= 1:
            raise ValueError(f"{v} is not between 0 and 1")
        return v

    @model_validator(mode="after")
    def _needs(self) -> Derived:
        if self.kind in ("share", "remainder") and self.fraction is None:
            raise ValueError(f"a {self.kind} needs a fraction")
        if self.kind == "ratio" and not self.divisor:
            raise ValueError("a ratio needs a non-zero divisor")
        return self


class Figure(_Model):
    id: Id
    label: Name
    counts: Text
    value: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    derived: Derived | None = None
    round_to: Annotated[int, Field(ge=1)] = 1
    qualifier: Literal["about", "more_than", "exact"]
    as_of: Text
    source: Id
    evidence: LongText
    places: list[Id] = Field(min_length=1)

    @model_validator(mode="after")
    def _value_or_derived(self) -> Figure:
        if (self.value is None) == (self.derived is None):
            raise ValueError("give exactly one of value (a number) or derived (computed from another figure)")
        return self


class Speaker(_Model):
    id: Id
    name: Name
    role: Text
    affiliation: Text
    note: ShortText | None = None


class Quote(_Model):
    id: Id
    kind: Literal["quote", "paraphrase"]
    speaker: Id
    segments: list[LongText] = Field(min_length=1)
    context: ShortText | None = None
    date: dt.date
    source: Id
    places: list[Id] = Field(min_length=1)
    topic: Text

    @property
    def text(self) -> str:
        """The words for display: segments joined by an ellipsis where the source broke them."""
        return " … ".join(self.segments)


class Event(_Model):
    id: Id
    title: Name
    date: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    months_before_source: Annotated[int, Field(ge=0, le=1200)] | None = None
    precision: Literal["year", "month", "day", "approximate", "reported", "by-end"]
    source: Id
    evidence: LongText
    places: list[Id] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_date(self) -> Event:
        if (self.date is None) == (self.months_before_source is None):
            raise ValueError("give exactly one of date or months_before_source")
        return self


class MeasureFrom(_Model):
    place: Id | None = None
    layer: Id | None = None

    @model_validator(mode="after")
    def _one(self) -> MeasureFrom:
        if (self.place is None) == (self.layer is None):
            raise ValueError("give exactly one of place or layer")
        return self


class Measure(_Model):
    from_: MeasureFrom = Field(alias="from")
    label: Name


class Claim(_Model):
    id: Id
    title: Name
    evidence: LongText
    stated_km: Annotated[float, Field(gt=0, le=20000)]
    source: Id
    subject: Id
    measures: list[Measure] = Field(min_length=1)


class SceneView(_Model):
    """What the map shows in a scene: the highlighted place, the places to frame, the visible layers."""

    place: Id | None = None
    fit: list[Id] = []
    layers: list[str] | None = None

    @field_validator("layers")
    @classmethod
    def _known_layers(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and not v:
            raise ValueError("an empty list would show no layer; leave layers out to show every layer")
        if v is not None:
            bad = [x for x in v if x not in settings.LAYER_GROUP_IDS]
            if bad:
                raise ValueError(
                    f"unknown map layer group(s) {', '.join(map(repr, bad))}; use {', '.join(settings.LAYER_GROUP_IDS)}"
                )
        return v

    @model_validator(mode="after")
    def _framed(self) -> SceneView:
        if not self.fit and self.place is None:
            raise ValueError("give a place to highlight or places to fit (fit: [...])")
        return self


class SceneCard(_Model):
    """The one card a scene shows: a force-level figure or a quote, by id (never retyped)."""

    figure: Id | None = None
    quote: Id | None = None

    @model_validator(mode="after")
    def _one(self) -> SceneCard:
        if (self.figure is None) == (self.quote is None):
            raise ValueError("give exactly one of figure or quote")
        return self


class Scene(_Model):
    """One step of the briefing: a title, a headline, one to three bullets, a map view and a card."""

    id: Id
    title: Name
    headline: Text
    bullets: list[Text] = Field(min_length=1, max_length=3)
    view: SceneView
    card: SceneCard
    sources: list[Id] = Field(min_length=1)


# {figure:ID} is replaced by the figure as displayed, {distance:A:B} by the geodesic distance between two
# places, {claim:ID} by the distance a claim states: numbers in scene texts are computed, never retyped.
PLACEHOLDER = re.compile(r"\{(figure|distance|claim):([a-z0-9-]+)(?::([a-z0-9-]+))?\}")
_BRACE = re.compile(r"[{}]")


# file name -> (top-level key, model) in load order
FILES: dict[str, list[tuple[str, type[_Model]]]] = {
    "sources.yaml": [("sources", Source)],
    "places.yaml": [("places", Place)],
    "figures.yaml": [("figures", Figure)],
    "quotes.yaml": [("speakers", Speaker), ("quotes", Quote)],
    "events.yaml": [("events", Event)],
    "claims.yaml": [("claims", Claim)],
    "scenes.yaml": [("scenes", Scene)],
}


@dataclass(frozen=True)
class ContentIssue:
    """One problem in one content file, said so that an editor can fix it."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass(frozen=True)
class FigureValue:
    """A figure's number as shown: computed for derived figures, with its exact value kept."""

    figure: Figure
    value: int
    exact: float

    @property
    def qualifier_text(self) -> str:
        return {"about": "about", "more_than": "more than", "exact": ""}[self.figure.qualifier]

    def display(self, lang: str = "en") -> str:
        """'about 12,300' / 'more than 1,000,000' (약 12,300명 / 1,000,000명 이상): the qualifier is part of it."""
        if lang == "ko":
            q = self.figure.qualifier
            return {"about": f"약 {self.value:,}명", "more_than": f"{self.value:,}명 이상"}.get(q, f"{self.value:,}명")
        q = self.qualifier_text
        return f"{q} {self.value:,}".strip()

    @property
    def low(self) -> float:
        """The least the wording allows ("more than" is a lower bound, "about" a rounded value)."""
        return float(self.value) * (0.95 if self.figure.qualifier == "about" else 1.0)

    @property
    def high(self) -> float | None:
        """The most the wording allows; None where the source gives no upper bound."""
        if self.figure.qualifier == "more_than":
            return None
        return float(self.value) * (1.05 if self.figure.qualifier == "about" else 1.0)


@dataclass(frozen=True)
class EventDate:
    """An event's date as far as the source fixes it: a date to sort by, the span it may fall in, labels."""

    event: Event
    date: dt.date
    label: str
    label_ko: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def text(self, lang: str) -> str:
        return self.label_ko if lang == "ko" and self.label_ko else self.label

    @property
    def approximate(self) -> bool:
        """True where the source gives a span, not a day: the timeline draws a range, not a point."""
        return (self.start or self.date) != (self.end or self.date)


@dataclass(frozen=True)
class Story:
    """Everything the map shows, validated and cross-referenced; never mutated after loading."""

    sources: dict[str, Source]
    places: dict[str, Place]
    figures: dict[str, FigureValue]
    speakers: dict[str, Speaker]
    quotes: dict[str, Quote]
    events: dict[str, EventDate]
    claims: dict[str, Claim]
    article_id: str | None
    issues: tuple[ContentIssue, ...] = field(default=())
    scenes: dict[str, Scene] = field(default_factory=dict)

    def scene_list(self) -> list[Scene]:
        """The scenes in briefing order; scene n in a link is scene_list()[n - 1]."""
        return list(self.scenes.values())

    def fill(self, text: str, lang: str = "en") -> str:
        """A scene text with its {figure:...} and {distance:...} placeholders computed from the data."""

        def sub(m: re.Match[str]) -> str:
            kind, a, b = m.groups()
            if kind == "figure" and a in self.figures:
                return self.figures[a].display(lang)
            if kind == "distance" and a in self.places and b in self.places:
                return f"{distance_km(self.places[a].point, self.places[b].point):.0f} km"
            if kind == "claim" and a in self.claims:
                return f"{self.claims[a].stated_km:g} km"
            return m.group(0)

        return PLACEHOLDER.sub(sub, text)

    def on_map_places(self) -> list[Place]:
        return [p for p in self.places.values() if not p.offmap]

    def quotes_for(self, place_id: str) -> list[Quote]:
        return [q for q in self.quotes.values() if place_id in q.places]

    def figures_for(self, place_id: str) -> list[FigureValue]:
        return [f for f in self.figures.values() if place_id in f.figure.places]

    def events_for(self, place_id: str) -> list[EventDate]:
        return sorted((e for e in self.events.values() if place_id in e.event.places), key=lambda e: e.date)

    def source_label(self, source_id: str) -> str:
        s = self.sources.get(source_id)
        return s.short if s else source_id


def _normalise(text: str) -> str:
    """Compare texts word for word: quotes and whitespace are normalised, nothing else."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _key(part: Any) -> str:
    """A key as a message names it: never blank, never longer than a line."""
    text = str(part)
    if not text.strip():
        return repr(text)
    return text if len(text) <= 60 else text[:60] + "…"


def _loc(prefix: str, loc: Iterable[Any]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{_key(part)}"
    return out


class _BoundedLoader(yaml.SafeLoader):
    """yaml.safe_load with limits: a hostile file gets a message, not an exception (nesting) or a crash (numbers)."""

    max_depth = 64
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"nested more than {self.max_depth} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A number too long to be a figure stays text, so the schema names its field (Python will not parse it)."""
    text = loader.construct_scalar(node)
    return text if len(str(text)) > 30 else yaml.SafeLoader.construct_yaml_int(loader, node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _int_or_text)


def _read_yaml(path: Path, rel: str, issues: list[ContentIssue]) -> dict[str, Any] | None:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        issues.append(ContentIssue(rel, "(file)", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(rel, "(file)", f"cannot be read: {exc}"))
        return None
    try:
        data = yaml.load(raw, Loader=_BoundedLoader)  # a SafeLoader subclass: no arbitrary objects
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        issues.append(ContentIssue(rel, where, f"is not valid YAML: {problem}"))
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        issues.append(ContentIssue(rel, "(top level)", f"must be a mapping with keys, not a {type(data).__name__}"))
        return None
    return data


def _parse_records(
    data: dict[str, Any], rel: str, key: str, model: type[_Model], issues: list[ContentIssue], rejected: set[str]
) -> dict[str, Any]:
    records = data.get(key)
    if records is None:
        issues.append(ContentIssue(rel, key, "is missing (expected a list)"))
        return {}
    if not isinstance(records, list):
        issues.append(ContentIssue(rel, key, f"must be a list, not a {type(records).__name__}"))
        return {}
    out: dict[str, Any] = {}
    for i, rec in enumerate(records):
        where = f"{key}[{i}]"
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            where = f"{key}[{i}] (id {rec['id'][:40]!r})"
        if not isinstance(rec, dict):
            issues.append(ContentIssue(rel, where, f"must be a mapping, not a {type(rec).__name__}"))
            continue
        try:
            obj = model.model_validate(rec)
        except ValidationError as exc:
            if isinstance(rec.get("id"), str):
                rejected.add(rec["id"])
            for err in exc.errors():
                msg = err["msg"].removeprefix("Value error, ")
                msg = msg if len(msg) <= 300 else msg[:300] + "…"
                if err["type"] == "extra_forbidden":
                    msg = f"unknown field (allowed: {', '.join(_fields(model, err['loc'][:-1]))})"
                field_path = _loc(where, err["loc"]) if err["loc"] else where
                issues.append(ContentIssue(rel, field_path, msg))
            continue
        if obj.id in out:  # type: ignore[attr-defined]
            issues.append(ContentIssue(rel, f"{where}.id", f"duplicate id {obj.id!r}"))  # type: ignore[attr-defined]
            continue
        out[obj.id] = obj  # type: ignore[attr-defined]
    return out


def _fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at a location, for a helpful 'unknown field' message."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        ann = getattr(info, "annotation", None) if info else None
        sub = next(
            (a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type) and issubclass(a, BaseModel)), None
        )
        if sub is None:
            return []
        model = sub
    return [f.alias or n for n, f in model.model_fields.items()]


def _subtract_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + (d.month - 1) - months
    return dt.date(total // 12, total % 12 + 1, 1)


_MONTHS = "January February March April May June July August September October November December".split()


# "about N months ago" is drawn as this many months either side of the computed month.
APPROXIMATE_MONTHS = 3


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _event_date(ev: Event, source: Source | None) -> EventDate | None:
    if ev.months_before_source is not None:
        if source is None or source.date is None:
            return None
        d = _subtract_months(source.date, ev.months_before_source)
        lo = _subtract_months(d, APPROXIMATE_MONTHS)
        hi = _subtract_months(d, -APPROXIMATE_MONTHS)
        return EventDate(
            ev,
            d,
            f"about {_MONTHS[d.month - 1]} {d.year}",
            f"{d.year}년 {d.month}월경",
            lo,
            _month_end(hi.year, hi.month),
        )
    assert ev.date is not None
    parts = [int(x) for x in ev.date.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    d = dt.date(year, month, day)
    start, end = d, d
    if len(parts) == 1:
        end = dt.date(year, 12, 31)
    elif len(parts) == 2:
        end = _month_end(year, month)
    if ev.precision == "by-end":
        label, label_ko = f"by the end of {year}", f"{year}년 말까지"
        # a deadline: some time between the source's date and the end of the year
        start = source.date if source and source.date and source.date < d else d
        end = dt.date(year, 12, 31)
    elif len(parts) == 3:
        label, label_ko = f"{day} {_MONTHS[month - 1]} {year}", f"{year}년 {month}월 {day}일"
    elif len(parts) == 2:
        label, label_ko = f"{_MONTHS[month - 1]} {year}", f"{year}년 {month}월"
    else:
        label, label_ko = str(year), f"{year}년"
    if ev.precision == "approximate":
        label, label_ko = f"about {label}", f"{label_ko}경"
    elif ev.precision == "reported":
        label, label_ko = f"by {label} (reported)", f"{label_ko}까지 (보도)"
    return EventDate(ev, d, label, label_ko, start, end)


def _figure_values(
    figures: dict[str, Figure], rel: str, issues: list[ContentIssue], rejected: set[str]
) -> dict[str, FigureValue]:
    out: dict[str, FigureValue] = {}

    def compute(fid: str, seen: tuple[str, ...]) -> FigureValue | None:
        fv = value_of(fid, seen)
        if fv is None:
            rejected.add(fid)  # reported here or where it derives from: links to it stay quiet
        return fv

    def value_of(fid: str, seen: tuple[str, ...]) -> FigureValue | None:
        if fid in out:
            return out[fid]
        fig = figures[fid]
        if fig.derived is None:
            assert fig.value is not None
            exact = float(fig.value)
        else:
            d = fig.derived
            if d.of in seen:
                issues.append(
                    ContentIssue(rel, f"figures (id {fid!r}).derived.of", "figures derive from each other in a loop")
                )
                return None
            if d.of not in figures:
                if d.of not in rejected:
                    issues.append(ContentIssue(rel, f"figures (id {fid!r}).derived.of", f"unknown figure {d.of!r}"))
                return None
            base = compute(d.of, (*seen, fid))
            if base is None:
                return None
            if d.kind == "share":
                exact = base.exact * float(Fraction(d.fraction or "0"))
            elif d.kind == "remainder":
                exact = base.exact * float(1 - Fraction(d.fraction or "0"))
            else:
                exact = base.exact / float(d.divisor or 1)
        if not math.isfinite(exact) or abs(exact) > 1e12:
            issues.append(ContentIssue(rel, f"figures (id {fid!r}).derived", f"gives {exact:g}, not a count of people"))
            return None
        value = int(round(exact / fig.round_to) * fig.round_to)
        fv = FigureValue(fig, value, exact)
        out[fid] = fv
        return fv

    for fid in figures:
        compute(fid, ())
    return out


def load_story(content_dir: Path | None = None, layer_ids: Iterable[str] | None = None) -> Story:
    """Load and check every content file; bad records are left out and reported, the rest still loads."""
    content_dir = Path(content_dir or settings.CONTENT_DIR)
    issues: list[ContentIssue] = []
    parsed: dict[str, dict[str, Any]] = {}
    where: dict[str, str] = {}
    # ids of records left out because of a problem already reported: links to them are dropped quietly,
    # so one mistake gives one message, not one per reference
    rejected: dict[str, set[str]] = {k: set() for _, parts in FILES.items() for k, _ in parts}
    for fname, parts in FILES.items():
        rel = f"content/{fname}"
        data = _read_yaml(content_dir / fname, rel, issues)
        for key, model in parts:
            where[key] = rel
            parsed[key] = _parse_records(data, rel, key, model, issues, rejected[key]) if data is not None else {}
        if data is not None:
            for extra in sorted(set(data) - {k for k, _ in parts}):
                issues.append(
                    ContentIssue(rel, _key(extra), f"unknown section; expected {', '.join(k for k, _ in parts)}")
                )

    sources: dict[str, Source] = parsed["sources"]
    texts: dict[str, str] = {}
    for s in sources.values():
        if s.text_file:
            try:
                path = (content_dir / s.text_file).resolve()
            except (OSError, ValueError):
                issues.append(
                    ContentIssue(where["sources"], f"sources (id {s.id!r}).text_file", "is not a usable file name")
                )
                continue
            if not path.is_relative_to(content_dir.resolve()):
                issues.append(
                    ContentIssue(where["sources"], f"sources (id {s.id!r}).text_file", "must be inside content/")
                )
                continue
            try:
                texts[s.id] = _normalise(path.read_text(encoding="utf-8"))
            except OSError:
                issues.append(
                    ContentIssue(
                        where["sources"], f"sources (id {s.id!r}).text_file", f"file {s.text_file!r} not found"
                    )
                )
            except UnicodeDecodeError as exc:
                issues.append(
                    ContentIssue(
                        where["sources"],
                        f"sources (id {s.id!r}).text_file",
                        f"file {s.text_file!r} is not UTF-8 text (byte {exc.start})",
                    )
                )
    articles = [s.id for s in sources.values() if s.kind == "article"]

    known_layers = set(layer_ids) if layer_ids is not None else None

    plural = {"source": "sources", "place": "places", "speaker": "speakers", "figure": "figures", "quote": "quotes"}

    def check_refs(key: str, rid: str, refs: dict[str, tuple[Iterable[str], dict[str, Any], str]]) -> bool:
        ok = True
        for fld, (ids, table, what) in refs.items():
            for ref in ids:
                if ref not in table:
                    ok = False
                    if ref not in rejected[plural[what]]:
                        issues.append(ContentIssue(where[key], f"{key} (id {rid!r}).{fld}", f"unknown {what} {ref!r}"))
        if not ok:
            rejected[key].add(rid)
        return ok

    def live(ids: list[str], kind: str) -> list[str]:
        """Links to records already left out (and reported) are dropped; unknown ids stay to be reported."""
        return [i for i in ids if i not in rejected[kind]]

    def check_verbatim(key: str, rid: str, fld: str, source_id: str, words: Iterable[str]) -> bool:
        text = texts.get(source_id)
        if text is None:
            return True
        ok = True
        for i, w in enumerate(words):
            if _normalise(w) not in text:
                issues.append(
                    ContentIssue(
                        where[key],
                        f"{key} (id {rid!r}).{fld}" + (f"[{i}]" if fld == "segments" else ""),
                        f"not found word for word in the source text of {source_id!r}: {w[:80]!r}",
                    )
                )
                ok = False
        return ok

    places: dict[str, Place] = {}
    for p in parsed["places"].values():
        refs = {"point_source": ([p.point_source], sources, "source"), "sources": (p.sources, sources, "source")}
        if p.identification:
            refs["identification.source"] = ([p.identification.source], sources, "source")
        ok = check_refs("places", p.id, refs)
        if p.layer and known_layers is not None and p.layer not in known_layers:
            # the place is still shown, as a point: a missing area must not take its story with it
            issues.append(
                ContentIssue(
                    where["places"], f"places (id {p.id!r}).layer", f"no geodata layer {p.layer!r}; shown as a point"
                )
            )
            p = p.model_copy(update={"layer": None})
        if ok:
            places[p.id] = p
    for p in list(places.values()):
        for ref in live(p.related, "places"):
            if ref not in places:
                issues.append(ContentIssue(where["places"], f"places (id {p.id!r}).related", f"unknown place {ref!r}"))
    # a dangling related link is reported but only that link is dropped
    places = {pid: p.model_copy(update={"related": [r for r in p.related if r in places]}) for pid, p in places.items()}

    figures: dict[str, Figure] = {}
    for f in parsed["figures"].values():
        f = f.model_copy(update={"places": live(f.places, "places")})
        if check_refs(
            "figures", f.id, {"source": ([f.source], sources, "source"), "places": (f.places, places, "place")}
        ) and check_verbatim("figures", f.id, "evidence", f.source, [f.evidence]):
            figures[f.id] = f
    figure_values = _figure_values(figures, where["figures"], issues, rejected["figures"])

    speakers: dict[str, Speaker] = parsed["speakers"]
    quotes: dict[str, Quote] = {}
    for q in parsed["quotes"].values():
        q = q.model_copy(update={"places": live(q.places, "places")})
        refs = {
            "speaker": ([q.speaker], speakers, "speaker"),
            "source": ([q.source], sources, "source"),
            "places": (q.places, places, "place"),
        }
        if (
            check_refs("quotes", q.id, refs)
            and check_verbatim("quotes", q.id, "segments", q.source, q.segments)
            and check_verbatim("quotes", q.id, "context", q.source, [q.context] if q.context else [])
        ):
            quotes[q.id] = q

    events: dict[str, EventDate] = {}
    for e in parsed["events"].values():
        e = e.model_copy(update={"places": live(e.places, "places")})
        if check_refs(
            "events", e.id, {"source": ([e.source], sources, "source"), "places": (e.places, places, "place")}
        ) and check_verbatim("events", e.id, "evidence", e.source, [e.evidence]):
            try:
                ed = _event_date(e, sources.get(e.source))
            except (ValueError, OverflowError):  # a day or month out of range, a year before 1 or after 9998
                fld = "date" if e.date is not None else "months_before_source"
                issues.append(
                    ContentIssue(where["events"], f"events (id {e.id!r}).{fld}", "is not a date in years 1 to 9998")
                )
                continue
            if ed is None:
                issues.append(
                    ContentIssue(
                        where["events"],
                        f"events (id {e.id!r}).months_before_source",
                        "the source has no date to count back from",
                    )
                )
            else:
                events[e.id] = ed

    claims: dict[str, Claim] = {}
    for c in parsed["claims"].values():
        refs = {
            "source": ([c.source], sources, "source"),
            "subject": ([c.subject], places, "place"),
            "measures.from.place": ([m.from_.place for m in c.measures if m.from_.place], places, "place"),
        }
        ok = check_refs("claims", c.id, refs) and check_verbatim("claims", c.id, "evidence", c.source, [c.evidence])
        for m in c.measures:
            if m.from_.layer and known_layers is not None and m.from_.layer not in known_layers:
                issues.append(
                    ContentIssue(
                        where["claims"],
                        f"claims (id {c.id!r}).measures.from.layer",
                        f"no geodata layer {m.from_.layer!r}",
                    )
                )
                ok = False
        stated = f"{c.stated_km:g} kilomet"
        if ok and not re.search(re.escape(stated), c.evidence):
            issues.append(
                ContentIssue(
                    where["claims"],
                    f"claims (id {c.id!r}).stated_km",
                    f"{c.stated_km:g} km does not appear in the evidence text",
                )
            )
            ok = False
        if ok:
            claims[c.id] = c

    scenes: dict[str, Scene] = {}
    for sc in parsed["scenes"].values():
        refs = {
            "sources": (sc.sources, sources, "source"),
            "view.place": ([sc.view.place] if sc.view.place else [], places, "place"),
            "view.fit": (sc.view.fit, places, "place"),
            "card.figure": ([sc.card.figure] if sc.card.figure else [], figure_values, "figure"),
            "card.quote": ([sc.card.quote] if sc.card.quote else [], quotes, "quote"),
        }
        ok = check_refs("scenes", sc.id, refs)
        texts_ = [("headline", sc.headline)] + [(f"bullets[{i}]", b) for i, b in enumerate(sc.bullets)]
        for fld, t in texts_:
            for lang_, txt in (("en", t.en), ("ko", t.ko)):
                if not txt:
                    continue
                for m in PLACEHOLDER.finditer(txt):
                    kind, a, b = m.groups()
                    table = {"figure": "figures", "distance": "places", "claim": "claims"}[kind]
                    if {a, b} & rejected[table]:  # already reported where it is defined
                        ok = False
                        continue
                    if kind == "figure" and (a not in figure_values or b is not None):
                        bad = f"unknown figure {a!r}" if a not in figure_values else "takes one id"
                    elif kind == "distance" and (a not in places or b not in places):
                        bad = f"needs two known places, got {a!r} and {b!r}"
                    elif kind == "claim" and (a not in claims or b is not None):
                        bad = f"unknown claim {a!r}" if a not in claims else "takes one id"
                    else:
                        continue
                    issues.append(
                        ContentIssue(where["scenes"], f"scenes (id {sc.id!r}).{fld}.{lang_}", f"{m.group(0)}: {bad}")
                    )
                    ok = False
                if _BRACE.search(PLACEHOLDER.sub("", txt)):
                    issues.append(
                        ContentIssue(
                            where["scenes"],
                            f"scenes (id {sc.id!r}).{fld}.{lang_}",
                            "a brace that is not a placeholder; use {figure:ID}, {distance:PLACE:PLACE} or {claim:ID}",
                        )
                    )
                    ok = False
        if ok:
            scenes[sc.id] = sc
    if not parsed["scenes"] and not any(i.file == where["scenes"] for i in issues):
        issues.append(ContentIssue(where["scenes"], "scenes", "is empty; the briefing needs at least one scene"))

    return Story(
        scenes=scenes,
        sources=sources,
        places=places,
        figures=figure_values,
        speakers=speakers,
        quotes=quotes,
        events=dict(sorted(events.items(), key=lambda kv: kv[1].date)),
        claims=claims,
        article_id=articles[0] if articles else None,
        issues=tuple(issues),
    )
