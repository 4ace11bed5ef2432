"""Streamlit pieces shared by every page: the cached story, the View in the URL, problem notices, cards."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from realignment import assets, settings
from realignment.content import Derived, FigureValue, Quote, Story, load_story
from realignment.geodata import load_geodata
from realignment.view import View, view_from_query
from realignment.webmap import MapModel

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: str) -> str:
    """Content text shown as literal text in Markdown: no link, emphasis or HTML can come through."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


Stamp = tuple[tuple[str, int, int], ...]


def _stamp(*dirs: Path) -> Stamp:
    """Names, sizes and modification times of the files: editing a content or geodata file reloads the story."""
    out = []
    for d in dirs:
        for p in d.glob("**/*"):
            if p.is_file():
                st_ = p.stat()
                out.append((str(p), st_.st_size, st_.st_mtime_ns))
    return tuple(sorted(out))


# The stamp is a hashed argument (no leading underscore), so a new stamp is a new cache entry.
@st.cache_resource(show_spinner=False, max_entries=2)
def _model(stamp: Stamp) -> tuple[MapModel, tuple[str, ...]]:
    geo = load_geodata()
    story = load_story(layer_ids=geo.layers.keys())
    model = MapModel(story, geo)
    model.bands  # noqa: B018 - measure once per process, not per session
    model.claim_checks  # noqa: B018
    return model, tuple(str(i) for i in story.issues) + geo.issues


@st.cache_resource(show_spinner=False, max_entries=2)
def _asset_urls(stamp: Stamp) -> assets.AssetUrls:
    assets.prepare()
    return assets.urls()


def model() -> MapModel:
    """The story and geodata, loaded and checked once per change of the files, shared by all sessions."""
    m, problems = _model(_stamp(settings.CONTENT_DIR, settings.GEODATA_DIR))
    if problems:
        with st.expander(
            f"⚠️ {len(problems)} problem(s) in the content or geodata files — the rest is shown", expanded=True
        ):
            st.markdown("\n".join(f"- {md(p)}" for p in problems[:50]))
            if len(problems) > 50:
                st.caption(f"… and {len(problems) - 50} more. Run `python -m realignment check` for the full list.")
    return m


def asset_urls() -> assets.AssetUrls | None:
    """URLs of the offline assets, or None with a clear message when they are missing."""
    try:
        return _asset_urls(_stamp(settings.GEODATA_DIR, settings.STATIC_DIR / "realign"))
    except assets.AssetError as exc:
        st.error(f"The map cannot be drawn: {exc}")
        return None


def current_view(story: Story, scene_count: int = 0) -> View:
    """The View of this session, read from the link once, then kept in session state."""
    if "view" not in st.session_state:
        view, notices = view_from_query(st.query_params.to_dict(), story.places.keys(), scene_count)
        st.session_state["view"] = view
        st.session_state["notices"] = notices
        st.session_state["place"] = view.place or ""
        st.session_state["fly"] = view.place is not None
        st.session_state["nonce"] = 0
    for notice in st.session_state.pop("notices", []):
        st.warning(notice, icon="ℹ️")
    view: View = st.session_state["view"]
    place = st.session_state.get("place") or None
    if place not in story.places:
        place = None
    return view.with_place(place)


def sync_url(view: View) -> None:
    """Keep the address bar equal to the view, so every view is a link."""
    wanted = view.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def select_place(place_id: str | None, fly: bool = True) -> None:
    """Callback: select a place (from a list, a card or a link) and move the map to it."""
    st.session_state["place"] = place_id or ""
    st.session_state["fly"] = fly
    st.session_state["nonce"] = st.session_state.get("nonce", 0) + 1


def place_list(story: Story, selected: str | None, lang: str) -> None:
    """Every place as a button: one click or one key press to select it, no map needed."""
    st.caption("Places: click one here or on the map")
    with st.container(horizontal=True, gap="small", key="place-list"):
        st.button(
            "Overview",
            key="pick-overview",
            on_click=select_place,
            args=(None,),
            type="primary" if selected is None else "tertiary",
        )
        for p in story.places.values():
            st.button(
                md(p.name.get(lang)),
                key=f"pick-{p.id}",
                on_click=select_place,
                args=(p.id,),
                type="primary" if p.id == selected else "tertiary",
            )


def figure_card(story: Story, fv: FigureValue, lang: str, key: str) -> None:
    """A force-level figure: the number with its qualifier, what it counts, when, and the source."""
    f = fv.figure
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**{md(f.label.get(lang))}**")
        st.subheader(fv.display(), anchor=False)
        derived = ""
        if f.derived is not None and f.derived.of in story.figures:
            base = story.figures[f.derived.of]
            how = _derivation(f.derived)
            derived = f" Computed: {how} {base.display()} = {fv.exact:,.0f}, rounded to the nearest {f.round_to:,}."
        st.caption(
            f"Counts {md(f.counts)}; as of {md(f.as_of)}.{md(derived)} Source: {md(story.source_label(f.source))}."
        )
        place_buttons(story, f.places, lang, key)


def _derivation(d: Derived) -> str:
    """How a derived figure was computed, in words."""
    if d.kind == "share":
        return f"{d.fraction} of"
    if d.kind == "remainder":
        return f"what remains after taking {d.fraction} of"
    return "half of" if d.divisor == 2 else f"1/{d.divisor:g} of"


def quote_card(story: Story, q: Quote, lang: str, key: str) -> None:
    """A quote, verbatim in quotation marks, or a paraphrase plainly marked as not a quotation."""
    speaker = story.speakers.get(q.speaker)
    with st.container(border=True, key=f"card-{key}"):
        if q.kind == "quote":
            lead = f"{md(q.context)} " if q.context else ""
            st.markdown(f"{lead}“{md(q.text)}”")
        else:
            st.markdown(":orange-badge[Paraphrase — the article's reported speech, not a direct quote]")
            st.markdown(f"*{md(q.text)}*")
        who = (
            f"{md(speaker.name.get(lang))}, {md(speaker.role)}, {md(speaker.affiliation)}" if speaker else md(q.speaker)
        )
        st.caption(f"— {who} · {q.date:%-d %B %Y} · Source: {md(story.source_label(q.source))}")
        place_buttons(story, q.places, lang, key)


def place_buttons(story: Story, place_ids: list[str], lang: str, key: str) -> None:
    """'Show on map' for the first place, then the other places the item is linked to."""
    places = [story.places[p] for p in place_ids if p in story.places]
    if not places:
        return
    with st.container(horizontal=True, gap="small"):
        for i, p in enumerate(places[:8]):
            name = md(p.name.get(lang))
            label = f"Show on map: {name}" if i == 0 else name
            st.button(
                label,
                key=f"{key}-{p.id}",
                on_click=select_place,
                args=(p.id,),
                type="primary" if i == 0 else "secondary",
                width="content",
            )
