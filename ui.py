"""Streamlit pieces shared by every page: the cached story, the View in the URL, problem notices, cards."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from realignment import assets, settings
from realignment.content import Derived, FigureValue, Quote, Story, load_story
from realignment.geodata import load_geodata
from realignment.i18n import t
from realignment.view import View, view_from_query
from realignment.webmap import MapModel

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: str) -> str:
    """Content text shown as literal text in Markdown: no link, emphasis or HTML can come through."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def link(url: str) -> str:
    """A source's web address as a Markdown link; the address was checked to be plain http(s) when loaded."""
    return f"[{md(url)}](<{url}>)"


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


def _use_the_router() -> None:
    """Run every page through app.py's st.navigation, even the first request of a fresh server.

    Streamlit treats a folder named pages/ next to the main script as a legacy page list until the main
    script has called st.navigation once; a briefing link opened first on a fresh server would then run its
    page alone, without the router (no language bar, no top navigation). Switch that mode off and rerun.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def model() -> MapModel:
    """The story and geodata, loaded and checked once per change of the files, shared by all sessions."""
    _use_the_router()
    return _model(_stamp(settings.CONTENT_DIR, settings.GEODATA_DIR))[0]


def show_problems(lang: str) -> None:
    """Every problem in the content or geodata files, said once at the top of the page; the rest still works."""
    problems = _model(_stamp(settings.CONTENT_DIR, settings.GEODATA_DIR))[1]
    if problems:
        with st.expander(f"⚠️ {t('problems', lang, n=len(problems))}", expanded=True):
            st.markdown("\n".join(f"- {md(p)}" for p in problems[:50]))
            if len(problems) > 50:
                st.caption(t("problems_more", lang, n=len(problems) - 50))


def asset_urls(lang: str = settings.DEFAULT_LANGUAGE) -> assets.AssetUrls | None:
    """URLs of the offline assets, or None with a clear message when they are missing."""
    try:
        return _asset_urls(_stamp(settings.GEODATA_DIR, settings.STATIC_DIR / "realign"))
    except assets.AssetError as exc:
        st.error(t("map_unavailable", lang, error=exc))
        return None


def current_view(story: Story) -> View:
    """The View of this session: read from the link on arrival, or when a link inside the app changes it."""
    query = st.query_params.to_dict()
    # A link followed inside the app (a page link with ?place=) changes the URL: the URL wins then.
    # Moving between pages with the navigation clears the URL: the session's view is kept and written back.
    if "view" not in st.session_state or (query and query != st.session_state.get("synced_query")):
        view, notices = view_from_query(query, story.places.keys(), len(story.scenes))
        st.session_state["view"] = view
        st.session_state["notices"] = notices
        st.session_state["place"] = view.place or ""
        st.session_state["fly"] = view.place is not None
        st.session_state["nonce"] = st.session_state.get("nonce", 0) + 1
        st.session_state["synced_query"] = query
    for notice in st.session_state.pop("notices", []):
        st.warning(notice, icon="ℹ️")
    view: View = st.session_state["view"]
    place = st.session_state.get("place") or None
    if place not in story.places:
        place = None
    return view.with_place(place)


def set_view(view: View) -> None:
    """Remember a changed view (language, scene) for this session; the page writes it to the URL."""
    st.session_state["view"] = view
    st.session_state["place"] = view.place or ""


def sync_url(view: View) -> None:
    """Keep the address bar equal to the view, so every view is a link."""
    wanted = view.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["synced_query"] = wanted


LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


def _on_language() -> None:
    lang = st.session_state.get("lang-switch") or settings.DEFAULT_LANGUAGE
    view: View = st.session_state.get("view") or View()
    st.session_state["view"] = replace(view, lang=lang)


def language_switch(view: View) -> None:
    """English / 한국어: changes every label, name and unit on every page and on the map; kept in the URL."""
    st.session_state["lang-switch"] = view.lang
    st.segmented_control(
        t("language", view.lang),
        list(settings.LANGUAGES),
        format_func=LANGUAGE_NAMES.get,
        key="lang-switch",
        required=True,
        on_change=_on_language,
        label_visibility="collapsed",
    )


def select_place(place_id: str | None, fly: bool = True) -> None:
    """Callback: select a place (from a list, a card or a link) and move the map to it."""
    st.session_state["place"] = place_id or ""
    st.session_state["fly"] = fly
    st.session_state["nonce"] = st.session_state.get("nonce", 0) + 1


def place_list(story: Story, selected: str | None, lang: str) -> None:
    """Every place as a button: one click or one key press to select it, no map needed."""
    st.caption(t("places_caption", lang))
    with st.container(horizontal=True, gap="small", key="place-list"):
        # the type never changes (a changed button is rebuilt and loses the keyboard focus): a tick marks the choice
        st.button(
            t("overview", lang),
            key="pick-overview",
            on_click=select_place,
            args=(None,),
            type="tertiary",
            icon=":material/check:" if selected is None else None,
        )
        for p in story.places.values():
            st.button(
                md(p.name.get(lang)),
                key=f"pick-{p.id}",
                on_click=select_place,
                args=(p.id,),
                type="tertiary",
                icon=":material/check:" if p.id == selected else None,
            )


def figure_card(story: Story, fv: FigureValue, lang: str, key: str, on_map: bool = True, links: bool = True) -> None:
    """A force-level figure: the number with its qualifier, what it counts, when, and the source."""
    f = fv.figure
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**{md(f.label.get(lang))}**")
        st.subheader(fv.display(lang), anchor=False)
        parts = [t("counts", lang, counts=f.counts.get(lang), as_of=f.as_of.get(lang))]
        if f.derived is not None and f.derived.of in story.figures:
            base = story.figures[f.derived.of]
            parts.append(
                t(
                    "computed",
                    lang,
                    how=derivation(f.derived, lang),
                    base=base.display(lang),
                    exact=f"{fv.exact:,.0f}",
                    round_to=f"{f.round_to:,}",
                )
            )
        parts.append(t("source_is", lang, source=story.source_label(f.source)))
        st.caption(md(" ".join(parts)))
        if links:
            place_buttons(story, f.places, lang, key, on_map)


def derivation(d: Derived, lang: str) -> str:
    """How a derived figure was computed, in words."""
    if d.kind == "share":
        return t("how_share", lang, fraction=d.fraction)
    if d.kind == "remainder":
        return t("how_remainder", lang, fraction=d.fraction)
    return t("how_ratio", lang, divisor=f"{d.divisor:g}")


def quote_card(story: Story, q: Quote, lang: str, key: str, on_map: bool = True, links: bool = True) -> None:
    """A quote, verbatim in quotation marks, or a paraphrase plainly marked as not a quotation."""
    speaker = story.speakers.get(q.speaker)
    with st.container(border=True, key=f"card-{key}"):
        if q.kind == "quote":
            lead = f"{md(q.context)} " if q.context else ""
            st.markdown(f"{lead}“{md(q.text)}”")
        else:
            st.markdown(f":orange-badge[{md(t('paraphrase_badge', lang))}]")
            st.markdown(f"*{md(q.text)}*")
        who = (
            f"{md(speaker.name.get(lang))}, {md(speaker.role.get(lang))}, {md(speaker.affiliation.get(lang))}"
            if speaker
            else md(q.speaker)
        )
        st.caption(
            f"— {who} · {date_text(q.date, lang)} · {md(t('source_is', lang, source=story.source_label(q.source)))}"
        )
        if links:
            place_buttons(story, q.places, lang, key, on_map)


def date_text(d: dt.date, lang: str) -> str:
    return f"{d.year}년 {d.month}월 {d.day}일" if lang == "ko" else f"{d.day} {d:%B %Y}"


MAP_PAGE = "pages/map.py"


def map_link(place_id: str, label: str, lang: str, key: str, primary: bool = False) -> None:
    """A link to the map with the place selected: the place and the language travel in the URL."""
    query = {"place": place_id} | ({"lang": lang} if lang != settings.DEFAULT_LANGUAGE else {})
    st.page_link(MAP_PAGE, label=label, query_params=query, icon=":material/map:" if primary else None)


def place_buttons(story: Story, place_ids: list[str], lang: str, key: str, on_map: bool = True) -> None:
    """'Show on map' for the first place, then the other places the item is linked to."""
    places = [story.places[p] for p in place_ids if p in story.places]
    if not places:
        return
    with st.container(horizontal=True, gap="small"):
        for i, p in enumerate(places[:8]):
            name = md(p.name.get(lang))
            label = t("show_on_map", lang, name=name) if i == 0 else name
            if not on_map:
                map_link(p.id, label, lang, key=f"{key}-{p.id}", primary=i == 0)
                continue
            st.button(
                label,
                key=f"{key}-{p.id}",
                on_click=select_place,
                args=(p.id,),
                type="primary" if i == 0 else "secondary",
                width="content",
            )


MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
}


def _file_stem(story: Story, view: View) -> str:
    if view.scene is not None:
        return f"korea-2004-scene-{view.scene}"
    return f"korea-2004-{view.place or 'overview'}"


def export_controls(model: MapModel, view: View, key: str, handout: bool = False) -> None:
    """Download the current view as a print figure (PNG 300 dpi, SVG, PDF) or a stand-alone HTML map."""
    try:
        from realignment import export
    except ImportError as exc:  # pragma: no cover - the exporter is part of the package
        st.caption(t("export_failed", view.lang, error=exc))
        return

    lang = view.lang
    with st.popover(t("exports", lang), icon=":material/download:", key=f"{key}-exports"):
        preset = st.segmented_control(
            t("preset", lang),
            list(export.PRESETS),
            default="slide" if handout else "a4",
            format_func=lambda p: t(f"preset_{p}", lang),
            key=f"{key}-preset",
            required=True,
        )
        stem = f"{_file_stem(model.story, view)}-{lang}"

        def render(fmt: str) -> bytes:
            return export.render_figure(model, view, preset=preset or "a4", fmt=fmt, dpi=300)

        with st.container(horizontal=True, key=f"{key}-downloads"):
            for fmt in ("png", "svg", "pdf"):
                st.download_button(
                    t(f"download_{fmt}", lang),
                    data=lambda fmt=fmt: render(fmt),
                    file_name=f"{stem}-{preset}.{fmt}",
                    mime=MIME[fmt],
                    on_click="ignore",
                    key=f"{key}-{fmt}",
                    icon=":material/image:" if fmt == "png" else None,
                )
            st.download_button(
                t("download_html", lang),
                data=lambda: export.render_html(model, view).encode("utf-8"),
                file_name=f"{stem}.html",
                mime=MIME["html"],
                on_click="ignore",
                key=f"{key}-html",
            )
        if handout:
            handout_controls(model, lang, key)


def handout_controls(model: MapModel, lang: str, key: str) -> None:
    """The briefing as one PDF, a page per scene; rendering shows its progress page by page."""
    from realignment import export

    slot = f"{key}-handout-{lang}"
    if st.button(t("handout", lang), key=f"{key}-make-handout", icon=":material/picture_as_pdf:"):
        bar = st.progress(0.0, text=t("rendering", lang, n=0, total=len(model.story.scenes)))
        try:
            st.session_state[slot] = export.render_handout(
                model,
                lang=lang,
                on_page=lambda i, n: bar.progress(i / max(n, 1), text=t("rendering", lang, n=i, total=n)),
            )
        except Exception as exc:  # a broken export must not take the briefing down
            st.error(t("export_failed", lang, error=exc))
        bar.empty()
    if slot in st.session_state:
        st.download_button(
            t("download_pdf", lang) + " — " + t("handout", lang),
            data=st.session_state[slot],
            file_name=f"korea-2004-handout-{lang}.pdf",
            mime=MIME["pdf"],
            on_click="ignore",
            key=f"{key}-handout-download",
            type="primary",
        )
