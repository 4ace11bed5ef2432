"""Router of the Korea realignment map: one Streamlit page per use, the core does the work."""

import json
import os
import sys
import time

import streamlit as st

import ui
from realignment.i18n import t

_started = time.perf_counter()
_cpu_started = time.thread_time()
st.set_page_config(page_title="US forces in Korea, June 2004", page_icon="🗺️", layout="wide")

model = ui.model()
view = ui.current_view(model.story)
lang = view.lang

pages = [
    st.Page("pages/map.py", title=t("page_map", lang), icon=":material/map:", url_path="map", default=True),
    st.Page("pages/figures.py", title=t("page_figures", lang), icon=":material/bar_chart:", url_path="figures"),
    st.Page("pages/quotes.py", title=t("page_quotes", lang), icon=":material/format_quote:", url_path="quotes"),
    st.Page("pages/timeline.py", title=t("page_timeline", lang), icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/sources.py", title=t("page_sources", lang), icon=":material/menu_book:", url_path="sources"),
    st.Page("pages/briefing.py", title=t("page_briefing", lang), icon=":material/slideshow:", url_path="briefing"),
]
page = st.navigation(pages, position="top")
if page.url_path != "briefing":
    ui.show_problems(lang)  # problems in the content or geodata files come first, above the page
page.run()

# After the page, so that its own elements (the map first) reach the browser first.
# Screen readers and hyphenation follow the page's language.
st.html(f"<script>document.documentElement.lang = {json.dumps(lang)};</script>", unsafe_allow_javascript=True)
if page.url_path != "briefing":
    # the language switch sits in the top bar, beside the page links (the briefing has its own, larger one)
    st.html(
        "<style>.st-key-lang-bar { position: fixed; top: 0.55rem; right: 4.5rem; z-index: 999991;"
        " width: auto !important; }"
        " [data-testid='stMainBlockContainer'] { padding-top: 4rem !important; }</style>"
    )
    with st.container(horizontal=True, horizontal_alignment="right", key="lang-bar"):
        ui.language_switch(view)

if os.environ.get("REALIGN_TIMING"):
    # read by bench/run.py: the server time of one script run
    # wall time, and the CPU time of this script thread alone (not inflated by a busy browser on the same cores)
    wall, cpu = 1000 * (time.perf_counter() - _started), 1000 * (time.thread_time() - _cpu_started)
    print(f"REALIGN_SCRIPT_MS {wall:.1f} CPU {cpu:.1f}", file=sys.stderr, flush=True)
