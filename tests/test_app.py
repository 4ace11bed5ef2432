"""Page logic through Streamlit's AppTest: what each link shows, and what the map component is given."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from realignment import settings
from realignment.content import Story

CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs|code\.jquery|bootstrapcdn|fonts\.googleapis|d3js\.org")
URL = re.compile(r"https?://[^\"'\s]+")


def run(**params: str) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Headings and Markdown text of the page, as a user reads them."""
    return " ".join([h.value for h in at.subheader] + [m.value for m in at.markdown])


def map_args(at: AppTest) -> dict:
    comps = [c for c in at.get("component_instance") if c.proto.component_name == "streamlit_folium.st_folium"]
    assert len(comps) == 1
    return json.loads(comps[0].proto.json_args)


def test_default_view_shows_overview_and_key_figures() -> None:
    at = run()
    assert at.subheader[0].value == "Overview"
    md = shown_text(at)
    assert "about 37,000" in md and "about 12,300" in md and "more than 1,000,000" in md


def test_map_component_uses_only_the_apps_own_assets() -> None:
    args = map_args(run())
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/") for link in links), links
    assert not CDN.search(args["script"])
    # the only outside addresses are the optional online tile layers, which load only when a user picks one
    assert set(URL.findall(args["script"])) <= {t["url"] for t in settings.ONLINE_TILES}
    assert "realign.build(" in args["script"]
    assert len(args["script"]) < 60_000  # geometry is fetched from static files, not inlined
    assert args["returned_objects"] == ["last_object_clicked", "last_object_clicked_tooltip"]


def test_selection_does_not_change_the_map_script() -> None:
    a, b = map_args(run()), map_args(run(place="pyeongtaek"))
    assert a["script"] == b["script"] and a["key"] == b["key"]  # same map, no reload
    assert '"pyeongtaek"' in b["feature_group"]


@pytest.mark.parametrize("pid", ["pyeongtaek", "camp-humphreys", "dmz", "seoul", "washington"])
def test_place_link_opens_its_panel(pid: str, story: Story) -> None:
    at = run(place=pid)
    assert at.subheader[0].value.replace("\\", "") == story.places[pid].name.en  # shown Markdown-escaped
    assert at.query_params["place"] in (pid, [pid])


def test_relocation_panel_has_its_figures_and_quotes() -> None:
    at = run(place="pyeongtaek")
    md = shown_text(at)
    assert "about 24,700" in md
    assert "Everything hinges upon what kind of alliance we maintain" in md
    assert "Paraphrase" in md


def test_claim_check_measures_the_110_km() -> None:
    at = run(place="camp-humphreys")
    table = next(m.value for m in at.markdown if m.value.startswith("| From |"))
    km = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        km[cells[0].replace("\\", "")] = float(cells[2].removesuffix(" km"))
    assert 64 <= km["Seoul (City Hall)"] <= 68
    assert 95 <= km["Military Demarcation Line (nearest point)"] <= 115
    assert 100 <= km["Camp Casey"] <= 115
    verdict = " ".join(m.value for m in at.markdown if "What it means" in m.value)
    assert "overstates" in verdict


@pytest.mark.parametrize(
    "query",
    [{"place": "atlantis"}, {"place": "../../etc/passwd"}, {"place": "x" * 5000}, {"lang": "fr"}, {"foo": "bar"}],
)
def test_bad_link_falls_back_with_a_notice(query: dict[str, str]) -> None:
    at = run(**query)
    assert at.warning, "expected a notice"
    assert at.subheader[0].value == "Overview"


def test_editing_a_content_file_shows_at_the_next_run(content_copy, monkeypatch) -> None:
    monkeypatch.setattr(settings, "CONTENT_DIR", content_copy)
    at = run()
    assert "about 37,000" in shown_text(at)
    path = content_copy / "figures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 37000", "value: 36000"), encoding="utf-8")
    at.run()
    text = shown_text(at)
    assert "about 36,000" in text and "about 12,000" in text  # the derived share follows
