"""Quotes: every voice of the article, filterable by speaker and place, each leading back to the map."""

from __future__ import annotations

import streamlit as st

import ui
from realignment.i18n import t

model = ui.model()
story = model.story
view = ui.current_view(story)
lang = view.lang

st.title(t("page_quotes", lang), anchor=False)
st.caption(f"{t('quotes_intro', lang)} {t('quote_language_note', lang)}")

quotes = list(story.quotes.values())
speaker_ids = [s for s in story.speakers if any(q.speaker == s for q in quotes)]
place_ids = [p for p in story.places if any(p in q.places for q in quotes)]

c1, c2 = st.columns(2)
speakers = c1.multiselect(
    t("filter_speaker", lang),
    speaker_ids,
    format_func=lambda s: story.speakers[s].name.get(lang),
    placeholder=t("filter_all", lang),
    key="filter-speaker",
)
# the place selected on the map is the starting filter, so "show me what was said here" is one click away
default_place = [view.place] if view.place in place_ids else []
places = c2.multiselect(
    t("filter_place", lang),
    place_ids,
    default=default_place if "filter-place" not in st.session_state else None,
    format_func=lambda p: story.places[p].name.get(lang),
    placeholder=t("filter_all", lang),
    key="filter-place",
)

shown = [q for q in quotes if (not speakers or q.speaker in speakers) and (not places or set(places) & set(q.places))]
st.caption(t("n_shown", lang, n=len(shown), total=len(quotes)))
if not shown:
    st.info(t("none_match", lang))
with st.container(key="quote-list"):
    for q in shown:
        topic = q.topic.get(lang)
        st.markdown(f"##### {ui.md(topic)}")
        ui.quote_card(story, q, lang, key=f"q-{q.id}", on_map=False)

ui.sync_url(view)
