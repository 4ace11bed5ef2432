"""The map page: the DMZ, Seoul and the relocation area, with a side panel per place."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

import ui
from realignment.i18n import t
from realignment.view import View
from realignment.webmap import build_map, selection_layer

model = ui.model()
story = model.story
view = replace(ui.current_view(story), scene=None)
lang = view.lang

article = story.sources.get(story.article_id or "")
st.title(t("story_title", lang), anchor=False)
if article:
    st.caption(ui.md(t("every_fact", lang, title=article.title, short=article.short)))

RETURNED = ["last_object_clicked", "last_object_clicked_tooltip"]


def on_map_click() -> None:
    """A click on a labelled place or area selects it; the map itself stays as it is."""
    data = st.session_state.get("map") or {}
    label = " ".join(str(data.get("last_object_clicked_tooltip") or "").split())
    place = model.label_index(lang).get(label)
    if place:
        ui.select_place(place, fly=False)


map_col, panel_col = st.columns([3, 2], gap="medium")

# The map first: the browser starts loading it while the panel is still being written.
with map_col:
    urls = ui.asset_urls(lang)
    if urls is not None:
        # The map's script depends on language and layers only, never on the selection,
        # so selecting a place updates the drawn map instead of reloading it.
        base_view = View(lang=view.lang, layers=view.layers)
        st_folium(
            build_map(model, base_view, urls),
            key="map",
            height=640,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=selection_layer(
                model, view.place, st.session_state.get("fly", False), st.session_state.get("nonce", 0)
            ),
            on_change=on_map_click,
        )
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(t("map_help", lang))
            ui.export_controls(model, view, key="map")

with panel_col:
    ui.place_list(story, view.place, lang)
    place = story.places.get(view.place or "")
    panel = st.container(key="panel")

with panel:
    if place is None:
        st.subheader(t("overview", lang), anchor=False)
        st.markdown(t("overview_text", lang))
        for fid in ("us-troops-2004", "us-withdrawal", "nk-army"):
            if fid in story.figures:
                ui.figure_card(story, story.figures[fid], lang, key=f"ov-{fid}")
    else:
        st.subheader(ui.md(place.name.get(lang)), anchor=False)
        st.markdown(ui.md(place.role.get(lang)))
        st.caption(
            f"{t('sources_label', lang)}: "
            + "; ".join(ui.md(story.source_label(s)) for s in place.sources)
            + f" · {t('location_label', lang)}: {ui.md(story.source_label(place.point_source))}"
        )
        if place.identification:
            st.info(
                t(
                    "from_elsewhere",
                    lang,
                    text=ui.md(place.identification.text.get(lang)),
                    source=ui.md(story.source_label(place.identification.source)),
                )
            )
        figures = story.figures_for(place.id)
        if figures:
            st.markdown(f"#### {t('force_levels', lang)}")
            for fv in figures:
                ui.figure_card(story, fv, lang, key=f"fig-{fv.figure.id}")
        quotes = story.quotes_for(place.id)
        if quotes:
            st.markdown(f"#### {t('what_was_said', lang)}")
            for q in quotes:
                ui.quote_card(story, q, lang, key=f"q-{q.id}")
        events = story.events_for(place.id)
        if events:
            st.markdown(f"#### {t('when', lang)}")
            st.markdown("\n".join(f"- **{ui.md(e.text(lang))}**: {ui.md(e.event.title.get(lang))}" for e in events))
        if place.related:
            st.markdown(f"#### {t('linked_places', lang)}")
            cols = st.columns(3)
            for i, rid in enumerate(place.related):
                cols[i % 3].button(
                    ui.md(story.places[rid].name.get(lang)),
                    key=f"rel-{rid}",
                    on_click=ui.select_place,
                    args=(rid,),
                    width="stretch",
                )

for check in model.checks(lang).values():
    with st.expander(
        t("claim_check", lang, title=ui.md(check.claim.title.get(lang))),
        expanded=view.place in (check.claim.subject, "pyeongtaek"),
    ):
        st.markdown(
            t(
                "claim_article",
                lang,
                evidence=ui.md(check.claim.evidence),
                source=ui.md(story.source_label(check.claim.source)),
            )
        )
        heads = [t(k, lang) for k in ("claim_from", "claim_to", "claim_distance", "claim_share")]
        table = ["| " + " | ".join(heads) + " |", "|---|---|--:|--:|"]
        table += [
            f"| {ui.md(m.label)} | {ui.md(check.subject_name)} | {m.km:.1f} km | {check.ratio(m):.0%} |"
            for m in check.measurements
        ]
        st.markdown("\n".join(table))
        st.markdown(f"**{t('claim_means', lang)}:** {ui.md(check.verdict(lang))}")
        st.caption(t("claim_method", lang))

ui.sync_url(view)
