"""Sources and method: the article, every other source, the map data's licences, and how things are measured."""

from __future__ import annotations

import streamlit as st

import ui
from realignment import settings
from realignment.i18n import t

model = ui.model()
story = model.story
view = ui.current_view(story)
lang = view.lang

st.title(t("page_sources", lang), anchor=False)

article = story.sources.get(story.article_id or "")
st.subheader(t("the_article", lang), anchor=False)
if article:
    with st.container(border=True, key="article"):
        st.markdown(f"**{ui.md(article.title)}**")
        when = ui.date_text(article.date, lang) if article.date else ""
        st.markdown(ui.md(t("published", lang, date=when, outlet=article.outlet)))
        if article.url:
            st.markdown(ui.link(article.url))
        if article.note:
            st.caption(ui.md(article.note))
    st.caption(
        t(
            "article_facts",
            lang,
            n_figures=len([f for f in story.figures.values() if f.figure.source == article.id]),
            n_quotes=len([q for q in story.quotes.values() if q.source == article.id]),
            n_events=len([e for e in story.events.values() if e.event.source == article.id]),
        )
    )

st.subheader(t("other_sources", lang), anchor=False)
with st.container(key="other-sources"):
    for s in story.sources.values():
        if article and s.id == article.id:
            continue
        with st.container(border=True, key=f"source-{s.id}"):
            st.markdown(f"**{ui.md(s.title)}** — {ui.md(s.outlet)}")
            if s.note:
                st.caption(ui.md(s.note))
            if s.url:
                st.markdown(ui.link(s.url))

st.subheader(t("in_article", lang), anchor=False)
added = []
for p in story.places.values():
    name = p.name.get(lang)
    if p.identification:
        added.append(
            t(
                "added_item",
                lang,
                what=t("added_identification", lang),
                text=p.identification.text.get(lang),
                source=story.source_label(p.identification.source),
            )
        )
    if p.point_source != story.article_id:
        note = p.point_note.get(lang) if p.point_note else f"{p.point[0]:.3f}, {p.point[1]:.3f}"
        added.append(
            t(
                "added_item",
                lang,
                what=t("added_location", lang, name=name),
                text=note,
                source=story.source_label(p.point_source),
            )
        )
st.markdown("\n".join(f"- {ui.md(a)}" for a in added))

st.subheader(t("geodata_sources", lang), anchor=False)
summary = model.layer_summary
heads = [t(k, lang) for k in ("col_layer", "col_source", "col_licence", "col_attribution", "col_size")]
rows = ["| " + " | ".join(heads) + " |", "|---|---|---|---|--:|"]
for lid, info in sorted(model.geo.info.items()):
    rec = summary.get(lid, {})
    size = (
        f"{rec['area_km2']:,.1f} km²"
        if "area_km2" in rec
        else f"{rec['length_km']:,.1f} km"
        if "length_km" in rec
        else ""
    )
    cells = [f"{info.title} ({lid})", info.source, info.licence, info.attribution, size]
    rows.append("| " + " | ".join(ui.md(c) for c in cells) + " |")
st.markdown("\n".join(rows))

st.subheader(t("method", lang), anchor=False)
dmz, mdl = summary.get("dmz", {}), summary.get("mdl", {})
seoul, pt = summary.get("seoul", {}), summary.get("pyeongtaek", {})
crs = settings.METRIC_CRS
method = [
    t("method_distances", lang),
    t(
        "method_dmz",
        lang,
        km=f"{settings.DMZ_HALF_WIDTH_M / 1000:g}",
        crs=crs,
        area=f"{dmz.get('area_km2', float('nan')):,.1f}",
        length=f"{mdl.get('length_km', float('nan')):,.1f}",
    ),
    t(
        "method_areas",
        lang,
        crs=crs,
        seoul=f"{seoul.get('area_km2', float('nan')):,.1f}",
        pt=f"{pt.get('area_km2', float('nan')):,.1f}",
    ),
    t("method_bands", lang, bands=", ".join(str(b) for b in settings.DISTANCE_BANDS_KM), crs=crs),
    t("method_numbers", lang),
]
st.markdown("\n".join(f"- {ui.md(m)}" for m in method))

ui.sync_url(view)
