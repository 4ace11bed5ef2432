"""Timeline: the events in order on a time axis, approximate dates drawn as the spans they are."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

import ui
from realignment.content import APPROXIMATE_MONTHS
from realignment.i18n import t

model = ui.model()
story = model.story
view = ui.current_view(story)
lang = view.lang

st.title(t("page_timeline", lang), anchor=False)
st.caption(t("timeline_intro", lang, months=APPROXIMATE_MONTHS))

events = list(story.events.values())
rows = [
    {
        "event": e.event.title.get(lang),
        "when": e.text(lang),
        "date": e.date,
        "start": e.start or e.date,
        "end": (e.end or e.date) + dt.timedelta(days=1),
        "kind": t("approx_date", lang) if e.approximate else t("exact_date", lang),
        # a point where the source fixes one: the day, the computed month of "about N months ago", the deadline
        "point": (e.end or e.date) if e.event.precision == "by-end" else e.date,
        "has_point": e.event.precision != "year",
        "source": story.source_label(e.event.source),
        "words": e.event.evidence,
    }
    for e in events
]
data = pd.DataFrame(rows)


def timeline(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    y = alt.Y("event:N", sort=None, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=13))
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=[t("exact_date", lang), t("approx_date", lang)], range=["#000000", "#E69F00"]),
        legend=alt.Legend(orient="top"),
    )
    tooltip = [
        alt.Tooltip("event:N", title=t("col_event", lang)),
        alt.Tooltip("when:N", title=t("col_date", lang)),
        alt.Tooltip("source:N", title=t("col_source", lang)),
        alt.Tooltip("words:N", title=t("col_evidence", lang)),
    ]
    spans = (
        alt.Chart(frame)
        .mark_bar(height=16, opacity=0.45)
        .encode(x=alt.X("start:T", title=None), x2="end:T", y=y, color=colour, tooltip=tooltip)
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90, shape="diamond")
        .encode(x="date:T", y=y, color=colour, tooltip=tooltip)
    )
    labels = (
        alt.Chart(frame).mark_text(align="left", dx=10, dy=-12, fontSize=12).encode(x="start:T", y=y, text="when:N")
    )
    return alt.layer(spans, points, labels).properties(title=title, height=alt.Step(46))


recent = data[data["date"] >= dt.date(2000, 1, 1)]


def alt_text(frame: pd.DataFrame, title: str) -> str:
    return f"{title}. " + "; ".join(f"{r.when}: {r.event}" for r in frame.itertuples())


if not recent.empty:
    title = t("timeline_recent", lang)
    st.altair_chart(timeline(recent, title), width="stretch", alt=alt_text(recent, title))
if len(recent) < len(data):
    title = t("timeline_all", lang)
    st.altair_chart(timeline(data, title), width="stretch", alt=alt_text(data, title))

with st.container(key="event-list"):
    for e in events:
        with st.container(border=True, key=f"event-{e.event.id}"):
            st.markdown(f"**{ui.md(e.text(lang))}** — {ui.md(e.event.title.get(lang))}")
            st.caption(
                f"“{ui.md(e.event.evidence)}” · "
                + ui.md(t("source_is", lang, source=story.source_label(e.event.source)))
            )
            ui.place_buttons(story, e.event.places, lang, key=f"ev-{e.event.id}", on_map=False)

ui.sync_url(view)
