"""Briefing scenes: every id they name must exist, numbers in their text are computed, mistakes are named."""

from __future__ import annotations

from pathlib import Path

import yaml

from realignment import settings
from realignment.content import Story, load_story
from realignment.geodata import Geodata
from realignment.geodesy import distance_km
from realignment.webmap import MapModel


def _edit_scenes(content: Path, fn) -> None:
    path = content / "scenes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data["scenes"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _load(content: Path, geo: Geodata) -> tuple[Story, list[str]]:
    story = load_story(content, layer_ids=geo.layers.keys())
    return story, [str(i) for i in story.issues]


def test_shipped_scenes_load_in_order(story: Story) -> None:
    ids = [s.id for s in story.scene_list()]
    assert ids[:4] == ["front-line", "one-third", "headquarters", "claim-110km"]
    assert not [i for i in story.issues if i.file == "content/scenes.yaml"]


def test_unknown_place_in_view_is_named_and_the_scene_left_out(content_copy: Path, geo: Geodata) -> None:
    def edit(scenes: list) -> None:
        scenes[0]["view"]["place"] = "atlantis"

    _edit_scenes(content_copy, edit)
    story, issues = _load(content_copy, geo)
    assert "content/scenes.yaml: scenes (id 'front-line').view.place: unknown place 'atlantis'" in issues
    assert "front-line" not in story.scenes and "one-third" in story.scenes


def test_unknown_place_in_fit_is_named(content_copy: Path, geo: Geodata) -> None:
    _edit_scenes(content_copy, lambda scenes: scenes[1]["view"].update(fit=["camp-casey", "nowhere"]))
    _, issues = _load(content_copy, geo)
    assert "content/scenes.yaml: scenes (id 'one-third').view.fit: unknown place 'nowhere'" in issues


def test_unknown_card_figure_and_quote_are_named(content_copy: Path, geo: Geodata) -> None:
    def edit(scenes: list) -> None:
        scenes[0]["card"] = {"figure": "no-such-figure"}
        scenes[2]["card"] = {"quote": "no-such-quote"}

    _edit_scenes(content_copy, edit)
    story, issues = _load(content_copy, geo)
    assert "content/scenes.yaml: scenes (id 'front-line').card.figure: unknown figure 'no-such-figure'" in issues
    assert "content/scenes.yaml: scenes (id 'headquarters').card.quote: unknown quote 'no-such-quote'" in issues
    assert len(story.scenes) == 7


def test_a_card_needs_exactly_one_of_figure_or_quote(content_copy: Path, geo: Geodata) -> None:
    _edit_scenes(content_copy, lambda scenes: scenes[0].update(card={"figure": "nk-army", "quote": "kim-schedule"}))
    _, issues = _load(content_copy, geo)
    assert issues == ["content/scenes.yaml: scenes[0] (id 'front-line').card: give exactly one of figure or quote"]


def test_empty_scenes_file_is_reported(content_copy: Path, geo: Geodata) -> None:
    (content_copy / "scenes.yaml").write_text("scenes: []\n", encoding="utf-8")
    story, issues = _load(content_copy, geo)
    assert issues == ["content/scenes.yaml: scenes: is empty; the briefing needs at least one scene"]
    assert story.scene_list() == [] and MapModel(story, geo).scene_view(1) is None


def test_bad_placeholder_is_named(content_copy: Path, geo: Geodata) -> None:
    def edit(scenes: list) -> None:
        scenes[0]["headline"]["en"] = "US troops: {figure:no-such-figure}."
        scenes[1]["bullets"][0]["ko"] = "{distance:seoul:atlantis}"
        scenes[2]["headline"]["en"] = "A stray {brace here."

    _edit_scenes(content_copy, edit)
    story, issues = _load(content_copy, geo)
    assert (
        "content/scenes.yaml: scenes (id 'front-line').headline.en: {figure:no-such-figure}: "
        "unknown figure 'no-such-figure'"
    ) in issues
    assert any(
        i.startswith("content/scenes.yaml: scenes (id 'one-third').bullets[0].ko: {distance:seoul:atlantis}")
        for i in issues
    ), issues
    assert any("(id 'headquarters').headline.en: a brace that is not a placeholder" in i for i in issues), issues
    assert {"front-line", "one-third", "headquarters"}.isdisjoint(story.scenes)


def test_placeholders_are_filled_from_the_data(story: Story) -> None:
    text = story.fill("{figure:us-withdrawal} of {figure:us-troops-2004}; {distance:seoul:camp-humphreys}", "en")
    km = distance_km(story.places["seoul"].point, story.places["camp-humphreys"].point)
    assert text == f"about 12,300 of about 37,000; {km:.0f} km"
    assert story.fill("{claim:base-110km}") == "110 km"
    assert story.fill("{figure:us-troops-2004}", "ko") == "약 37,000명"


def test_scene_view_sets_place_layers_and_frame(story: Story, geo: Geodata) -> None:
    model = MapModel(story, geo)
    n = len(story.scenes)
    assert model.scene_view(0) is None and model.scene_view(n + 1) is None
    view = model.scene_view(4, "ko")
    assert view is not None and view.scene == 4 and view.lang == "ko" and view.place == "camp-humphreys"
    assert view.layers == tuple(g for g in settings.LAYER_GROUP_IDS if g in story.scene_list()[3].view.layers)
    (s, w), (nn, e) = model.view_bounds(view)
    for pid in story.scene_list()[3].view.fit:
        lat, lon = story.places[pid].point
        assert s <= lat <= nn and w <= lon <= e, pid
    last = model.scene_view(n)
    assert last is not None and last.layers is None  # a scene without `layers` shows every layer
