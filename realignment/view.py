"""The View: the one value that says what is on screen, and its round trip through the URL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from . import settings
from .i18n import t

MAX_PARAM_LENGTH = 200
# Parameters Streamlit itself understands; they are not ours to complain about.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})


@dataclass(frozen=True)
class View:
    """Selected place, language, visible layers and briefing scene."""

    place: str | None = None
    lang: str = settings.DEFAULT_LANGUAGE
    layers: tuple[str, ...] | None = None  # None: every layer
    scene: int | None = None

    def visible_layers(self) -> tuple[str, ...]:
        return self.layers if self.layers is not None else settings.LAYER_GROUP_IDS

    def with_place(self, place: str | None) -> View:
        return replace(self, place=place)

    def to_query(self) -> dict[str, str]:
        """Only what differs from the default goes in the link, so links stay short."""
        q: dict[str, str] = {}
        if self.place:
            q["place"] = self.place
        if self.lang != settings.DEFAULT_LANGUAGE:
            q["lang"] = self.lang
        if self.layers is not None:
            q["layers"] = ",".join(self.layers)
        if self.scene is not None:
            q["scene"] = str(self.scene)
        return q


def _first(value: str | Iterable[str]) -> str:
    if isinstance(value, str):
        return value
    values = list(value)
    return values[0] if values else ""


def _shown(value: str) -> str:
    """A parameter value quoted in a notice: short, and only printable characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in value)
    return clean if len(clean) <= 40 else clean[:40] + "…"


def view_from_query(
    params: Mapping[str, str | Iterable[str]],
    place_ids: Iterable[str],
    scene_count: int = 0,
) -> tuple[View, list[str]]:
    """Read a View from URL parameters; anything unknown or malformed falls back to the default, with a notice."""
    places = set(place_ids)
    notices: list[tuple[str, dict[str, object]]] = []
    view = View()
    for key, raw in params.items():
        value = _first(raw).strip()
        if key in STREAMLIT_PARAMS:
            continue
        if len(value) > MAX_PARAM_LENGTH:
            notices.append(("notice_too_long", {"param": repr(_shown(key)), "n": len(value)}))
            continue
        if key == "place":
            if value in places:
                view = replace(view, place=value)
            elif value:
                notices.append(("notice_place", {"value": repr(_shown(value))}))
        elif key == "lang":
            if value in settings.LANGUAGES:
                view = replace(view, lang=value)
            else:
                notices.append(("notice_lang", {"value": repr(_shown(value))}))
        elif key == "layers":
            wanted = [v.strip() for v in value.split(",") if v.strip()]
            good = tuple(v for v in settings.LAYER_GROUP_IDS if v in wanted)
            bad = [v for v in wanted if v not in settings.LAYER_GROUP_IDS]
            if bad:
                notices.append(("notice_layers", {"value": ", ".join(_shown(b) for b in bad[:5])}))
            view = replace(view, layers=good if good else None)
        elif key == "scene":
            if value.isdecimal() and 1 <= int(value) <= max(scene_count, 0):  # isdigit() accepts "²"
                view = replace(view, scene=int(value))
            else:
                notices.append(("notice_scene", {"value": repr(_shown(value))}))
        else:
            notices.append(("notice_param", {"param": repr(_shown(key))}))
    # said in the language the link asks for (the notice about a bad language is in English)
    return view, [t(key, view.lang, **fields) for key, fields in notices]
