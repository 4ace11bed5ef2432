"""Briefing: the story in scenes, large type, one link per scene, keyboard and clicker navigation."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

import ui
from realignment.i18n import t
from realignment.view import View
from realignment.webmap import build_map, scene_layer

model = ui.model()
story = model.story
scenes = story.scene_list()
view = ui.current_view(story)
lang = view.lang

# Presentation layout: no app chrome, large type, everything on one 1920×1080 screen.
st.html(
    """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-lang-bar { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 0.8rem !important;
  padding-bottom: 0 !important; max-width: 100% !important; }
.st-key-scene-text h1 { font-size: 2.6rem; line-height: 1.15; padding-top: 0; }
.st-key-scene-headline p { font-size: 1.65rem; line-height: 1.3; font-weight: 600; }
.st-key-scene-text li, .st-key-scene-text li p { font-size: 1.35rem; line-height: 1.35; }
.st-key-scene-card p { font-size: 1.25rem; }
.st-key-scene-card h3 { font-size: 2.4rem; }
.st-key-scene-controls kbd { opacity: 1; }
.st-key-scene-progress p { font-size: 1.2rem; font-weight: 600; margin: 0; }
</style>"""
)
# Arrow keys as well as the PageUp/PageDown a presentation clicker sends (those are the buttons' own shortcuts).
st.html(
    """<script>
(function () {
  if (window.__realignBriefingKeys) return;
  window.__realignBriefingKeys = true;
  document.addEventListener("keydown", function (e) {
    var t = e.target && e.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || e.altKey || e.ctrlKey || e.metaKey) return;
    var which = e.key === "ArrowRight" ? "next" : e.key === "ArrowLeft" ? "prev" : null;
    if (!which) return;
    var b = document.querySelector(".st-key-scene-" + which + " button");
    if (b && !b.disabled) { e.preventDefault(); b.click(); }
  });
})();
</script>""",
    unsafe_allow_javascript=True,
)

if not scenes:
    st.error(t("problems", lang, n=len(story.issues)))
    ui.show_problems(lang)
    st.stop()

n = view.scene if view.scene and 1 <= view.scene <= len(scenes) else 1
scene = scenes[n - 1]
scene_view = model.scene_view(n, lang) or View(lang=lang)


def go(to: int) -> None:
    """Callback: move to scene `to` (1-based); the map follows without reloading."""
    current: View = st.session_state.get("view") or View()
    target = model.scene_view(to, current.lang)
    if target is None:
        return
    st.session_state["view"] = replace(current, scene=to)
    st.session_state["place"] = target.place or ""
    st.session_state["nonce"] = st.session_state.get("nonce", 0) + 1


def on_pick() -> None:
    go(int(st.session_state["scene-pick"]))


with st.container(horizontal=True, vertical_alignment="center", key="scene-controls", gap="small"):
    st.button(
        t("prev", lang),
        key="scene-prev",
        icon=":material/arrow_back:",
        on_click=go,
        args=(n - 1,),
        disabled=n <= 1,
        shortcut="PageUp",
    )
    with st.container(key="scene-progress", width="content"):
        st.markdown(t("progress", lang, n=n, total=len(scenes)))
    st.button(
        t("next", lang),
        key="scene-next",
        icon=":material/arrow_forward:",
        icon_position="right",
        on_click=go,
        args=(n + 1,),
        disabled=n >= len(scenes),
        type="primary",
        shortcut="PageDown",
    )
    st.session_state["scene-pick"] = n
    st.selectbox(
        t("scene_list", lang),
        list(range(1, len(scenes) + 1)),
        format_func=lambda i: f"{i}. {scenes[i - 1].title.get(lang)}",
        key="scene-pick",
        on_change=on_pick,
        label_visibility="collapsed",
        width=420,
    )
    ui.language_switch(view)
    ui.export_controls(model, scene_view, key="brief", handout=True)
    st.page_link("pages/map.py", label=t("page_map", lang), icon=":material/map:")

map_col, text_col = st.columns([3, 2], gap="large")
with map_col:
    urls = ui.asset_urls(lang)
    if urls is not None:
        # one map for the whole briefing: a scene change moves it and switches its layers, never reloads it
        st_folium(
            build_map(model, View(lang=lang), urls, presenter=True),
            key="brief-map",
            height=880,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=scene_layer(model, scene_view, st.session_state.get("nonce", 0)),
        )
with text_col:
    with st.container(key="scene-text"):
        st.title(ui.md(scene.title.get(lang)), anchor=False)
        with st.container(key="scene-headline"):
            st.markdown(ui.md(story.fill(scene.headline.get(lang), lang)))
        st.markdown("\n".join(f"- {ui.md(story.fill(b.get(lang), lang))}" for b in scene.bullets))
    with st.container(key="scene-card"):
        if scene.card.figure and scene.card.figure in story.figures:
            ui.figure_card(story, story.figures[scene.card.figure], lang, key="scene-fig", on_map=False, links=False)
        elif scene.card.quote and scene.card.quote in story.quotes:
            ui.quote_card(story, story.quotes[scene.card.quote], lang, key="scene-quote", on_map=False, links=False)
    st.caption(
        ui.md(t("sources_label", lang) + ": " + "; ".join(story.source_label(s) for s in scene.sources))
        + " · "
        + t("keys_help", lang)
    )

ui.sync_url(View(lang=lang, scene=n))
