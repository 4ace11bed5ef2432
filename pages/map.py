"""The map page: the DMZ, Seoul and the relocation area, with a side panel per place."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import ui
from realignment.view import View
from realignment.webmap import build_map, selection_layer

model = ui.model()
story = model.story
view = ui.current_view(story)
lang = view.lang

article = story.sources.get(story.article_id or "")
st.title("Realigning US forces in Korea, June 2004")
if article:
    st.caption(f"Every fact is linked to its source. Article: {ui.md(article.title)} ({ui.md(article.short)}).")

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
    urls = ui.asset_urls()
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
        st.caption(
            "Click a place or area to open its panel. Layers, legend, full screen and a measuring tool are "
            "on the map. Distances are geodesic (WGS84)."
        )

with panel_col:
    ui.place_list(story, view.place, lang)
    place = story.places.get(view.place or "")
    panel = st.container(key="panel")

with panel:
    if place is None:
        st.subheader("Overview")
        st.markdown(
            "Click a place on the map, or choose it in the list above, to see its force levels, "
            "its quotes and the places linked to it."
        )
        for fid in ("us-troops-2004", "us-withdrawal", "nk-army"):
            if fid in story.figures:
                ui.figure_card(story, story.figures[fid], lang, key=f"ov-{fid}")
    else:
        st.subheader(ui.md(place.name.get(lang)))
        st.markdown(ui.md(place.role.get(lang)))
        st.caption(
            "Sources: "
            + "; ".join(ui.md(story.source_label(s)) for s in place.sources)
            + f" · Location: {ui.md(story.source_label(place.point_source))}"
        )
        if place.identification:
            st.info(
                f"**From another source:** {ui.md(place.identification.text)} "
                f"({ui.md(story.source_label(place.identification.source))}). The article does not name the base."
            )
        figures = story.figures_for(place.id)
        if figures:
            st.markdown("#### Force levels")
            for fv in figures:
                ui.figure_card(story, fv, lang, key=f"fig-{fv.figure.id}")
        quotes = story.quotes_for(place.id)
        if quotes:
            st.markdown("#### What was said")
            for q in quotes:
                ui.quote_card(story, q, lang, key=f"q-{q.id}")
        events = story.events_for(place.id)
        if events:
            st.markdown("#### When")
            st.markdown("\n".join(f"- **{ui.md(e.label)}**: {ui.md(e.event.title.get(lang))}" for e in events))
        if place.related:
            st.markdown("#### Linked places")
            cols = st.columns(3)
            for i, rid in enumerate(place.related):
                cols[i % 3].button(
                    ui.md(story.places[rid].name.get(lang)),
                    key=f"rel-{rid}",
                    on_click=ui.select_place,
                    args=(rid,),
                    width="stretch",
                )

for check in model.claim_checks.values():
    with st.expander(
        f"Claim check: {ui.md(check.claim.title.get(lang))}", expanded=view.place in (check.claim.subject, "pyeongtaek")
    ):
        st.markdown(f"The article: “{ui.md(check.claim.evidence)}” ({ui.md(story.source_label(check.claim.source))}).")
        table = ["| From | To | Geodesic distance | Share of the stated km |", "|---|---|--:|--:|"]
        table += [
            f"| {ui.md(m.label)} | {ui.md(check.subject_name)} | {m.km:.1f} km | {check.ratio(m):.0%} |"
            for m in check.measurements
        ]
        st.markdown("\n".join(table))
        st.markdown(f"**What it means:** {ui.md(check.verdict())}")
        st.caption(
            "Straight-line (geodesic) distances on the WGS84 ellipsoid, measured when the app starts from the "
            "place coordinates and the MDL layer; the MDL distance is to its nearest point."
        )

ui.sync_url(view)
