"""Content rules: what the article says is on screen word for word, and broken files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from realignment.content import Story, load_story


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _issues(content: Path) -> list[str]:
    return [str(i) for i in load_story(content).issues]


def test_shipped_content_has_no_problems(story: Story) -> None:
    assert [str(i) for i in story.issues] == []
    assert story.article_id == "voa-2004-06-08"


def test_every_place_the_issue_names_is_there(story: Story) -> None:
    for pid in (
        "seoul",
        "yongsan",
        "dmz",
        "panmunjom",
        "camp-casey",
        "camp-red-cloud",
        "pyeongtaek",
        "camp-humphreys",
        "osan",
        "north-korea",
        "washington",
        "beijing",
        "iraq",
    ):
        assert pid in story.places, pid
    assert {p.id for p in story.places.values() if p.offmap} == {"washington", "beijing", "iraq"}


def test_kim_tae_woo_quotes_are_verbatim_with_affiliation(story: Story) -> None:
    kim = story.speakers["kim-tae-woo"]
    assert kim.affiliation.en == "South Korean Institute for Defense Analysis"
    quotes = [q for q in story.quotes.values() if q.speaker == "kim-tae-woo" and q.kind == "quote"]
    texts = " ".join(q.text for q in quotes)
    assert "If the reduction occurs too quick, then balance will be destroyed." in texts
    assert "then numbers of U.S. soldiers staying here may mean nothing." in texts
    article = Path(story.sources["voa-2004-06-08"].text_file or "")
    assert article.name.endswith(".txt")


def test_state_department_is_a_paraphrase_and_china_a_quote(story: Story) -> None:
    assert story.quotes["state-dept-commitment"].kind == "paraphrase"
    china = story.quotes["china-confidence"]
    assert china.kind == "quote" and china.text == "confidence building"


def test_withdrawal_is_computed_from_the_37000(story: Story) -> None:
    total = story.figures["us-troops-2004"]
    withdrawn = story.figures["us-withdrawal"]
    remaining = story.figures["us-remaining"]
    assert total.value == 37000 and total.display() == "about 37,000"
    assert withdrawn.figure.value is None  # never typed in
    assert withdrawn.exact == pytest.approx(37000 / 3)
    assert withdrawn.display() == "about 12,300"
    assert remaining.display() == "about 24,700"
    assert story.figures["nk-army"].display() == "more than 1,000,000"


def test_events_in_order_with_computed_start_of_talks(story: Story) -> None:
    labels = {e.event.id: e.label for e in story.events.values()}
    assert labels["talks-begin"] == "about December 2002"  # 18 months before 8 June 2004
    assert labels["us-proposal"] == "7 June 2004"
    assert labels["completion"] == "by the end of 2005"
    order = [e.event.id for e in story.events.values()]
    assert (
        order.index("truce-1953") < order.index("talks-begin") < order.index("us-proposal") < order.index("completion")
    )


def test_humphreys_identification_is_from_another_source(story: Story) -> None:
    ident = story.places["camp-humphreys"].identification
    assert ident is not None
    assert ident.source != story.article_id
    assert story.sources[ident.source].kind == "reference"


def test_misquote_is_reported_with_file_and_field(content_copy: Path) -> None:
    def misquote(d):
        d["quotes"][0]["segments"][1] = "If the reduction occurs too fast, then balance will be destroyed."

    _edit(content_copy / "quotes.yaml", misquote)
    issues = _issues(content_copy)
    assert any(
        i.startswith("content/quotes.yaml: quotes (id 'kim-schedule').segments[1]: not found word for word")
        for i in issues
    ), issues
    assert "kim-schedule" not in load_story(content_copy).quotes


def test_coordinates_outside_the_region_are_reported(content_copy: Path) -> None:
    _edit(content_copy / "places.yaml", lambda d: d["places"][0].__setitem__("point", [48.85, 2.35]))
    issues = _issues(content_copy)
    assert any(
        i.startswith("content/places.yaml: places[0] (id 'seoul')") and "outside the Korean region" in i for i in issues
    ), issues


def test_dangling_place_reference_is_reported(content_copy: Path) -> None:
    _edit(content_copy / "figures.yaml", lambda d: d["figures"][0]["places"].append("atlantis"))
    issues = _issues(content_copy)
    assert "content/figures.yaml: figures (id 'us-troops-2004').places: unknown place 'atlantis'" in issues


def test_missing_field_wrong_type_and_unknown_field(content_copy: Path) -> None:
    def breakit(d):
        del d["places"][1]["role"]
        d["places"][2]["point"] = "north of Seoul"
        d["places"][3]["colour"] = "red"

    _edit(content_copy / "places.yaml", breakit)
    issues = _issues(content_copy)
    assert any("places[1] (id 'yongsan').role: Field required" in i for i in issues), issues
    assert any("places[2] (id 'dmz').point" in i for i in issues), issues
    assert any("places[3] (id 'panmunjom').colour: unknown field" in i for i in issues), issues


def test_invalid_yaml_names_the_line(content_copy: Path) -> None:
    (content_copy / "events.yaml").write_text("events:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    issues = _issues(content_copy)
    assert any(i.startswith("content/events.yaml: line ") and "not valid YAML" in i for i in issues), issues
    # the other files still load
    assert "seoul" in load_story(content_copy).places


def test_missing_file_is_named(content_copy: Path) -> None:
    (content_copy / "claims.yaml").unlink()
    assert "content/claims.yaml: (file): file is missing" in _issues(content_copy)


def test_claim_figure_must_appear_in_its_evidence(content_copy: Path) -> None:
    _edit(content_copy / "claims.yaml", lambda d: d["claims"][0].__setitem__("stated_km", 120))
    assert any("claims (id 'base-110km').stated_km: 120 km does not appear" in i for i in _issues(content_copy))


def test_one_mistake_gives_one_message_and_links_to_it_are_dropped(content_copy: Path) -> None:
    text = (content_copy / "places.yaml").read_text(encoding="utf-8")
    (content_copy / "places.yaml").write_text(
        text.replace("point: [36.963, 127.031]", "point: [96.9, 127]"), encoding="utf-8"
    )
    story = load_story(content_copy)
    assert [str(i) for i in story.issues] == [
        "content/places.yaml: places[7] (id 'camp-humphreys').point: [96.9, 127.0] is not a [latitude, longitude] pair"
    ]
    assert "camp-humphreys" not in story.figures["us-troops-2004"].figure.places
    assert "kim-alliance" in story.quotes
