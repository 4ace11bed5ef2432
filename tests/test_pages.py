"""The force levels, quotes, timeline and sources pages through AppTest, in English and Korean."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd
import pyarrow as pa
import pytest
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from realignment import settings
from realignment.content import Story, Text
from realignment.figure import WORDS
from realignment.geodata import Geodata, layer_summary
from realignment.i18n import TEXT
from realignment.whatif import schedule

PAGES = ["map", "figures", "quotes", "timeline", "sources", "briefing"]
KOREAN_TITLES = {
    "map": "주한미군 재배치, 2004년 6월",
    "figures": "병력 규모",
    "quotes": "발언",
    "timeline": "연표",
    "sources": "출처와 방법",
}


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def text_of(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info") for e in at.get(kind)]
    # Markdown escapes (content text is shown literally) are not what a reader sees
    return "\n".join(str(p) for p in parts).replace("\\", "")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_switches_to_korean(page: str, story: Story) -> None:
    en, ko = open_page(page), open_page(page, lang="ko")
    if page == "briefing":
        first = story.scene_list()[0]
        assert en.title[0].value == first.title.en and ko.title[0].value == first.title.ko
    else:
        assert ko.title[0].value == KOREAN_TITLES[page]
        assert en.title[0].value != ko.title[0].value
    # the language switch shows the current language, and the choice stays in the link
    assert ko.query_params.get("lang") == ["ko"] or ko.query_params.get("lang") == "ko"
    headings_ko = [h.value for h in ko.subheader]
    assert all(not any(w in h for w in ("Overview", "Force levels", "What if", "The article")) for h in headings_ko)


def test_force_levels_show_the_articles_numbers_honestly() -> None:
    at = open_page("figures")
    shown = text_of(at)
    for number in ("about 37,000", "about 12,300", "about 24,700", "more than 1,000,000", "more than 500,000"):
        assert number in shown, number
    # every figure's words in the source are in the table, verbatim
    assert "Communist North Korea's Army has more than one million soldiers" in shown
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # two figure charts and the schedule
    rows = pd.concat([chart_data(c) for c in charts[:2]])
    rows = rows.drop_duplicates("figure").set_index("figure")
    # "about" is a range around the number; "more than" is a lower bound with no upper end
    us = rows.loc["US troops in South Korea"]
    assert us.low < us.value == 37000 < us.high and not us.open
    nk = rows.loc["North Korean army"]
    assert nk.low == nk.value == 1_000_000 and nk.open
    assert set(rows.source) == {"VOA, 8 June 2004"}  # shown on hover
    for c in charts:
        assert c.proto.alt, "a chart without alternative text"


def chart_data(chart) -> pd.DataFrame:
    return pd.concat(pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets)


def test_what_if_defaults_to_the_articles_plan() -> None:
    at = open_page("figures")
    m = metrics(at)
    assert m["Withdrawn"] == "12,330" and m["Remaining"] == "24,670" and m["Months"] == "18"


@pytest.mark.parametrize(
    ("share", "withdrawn", "remaining"),
    [(Fraction(0), "0", "37,000"), (Fraction(1), "37,000", "0"), (Fraction(1, 2), "18,500", "18,500")],
)
def test_what_if_arithmetic_at_the_edges(share: Fraction, withdrawn: str, remaining: str) -> None:
    at = open_page("figures")
    at.select_slider(key="whatif-share").set_value(share).run()
    m = metrics(at)
    assert m["Withdrawn"] == withdrawn and m["Remaining"] == remaining


def test_what_if_completion_date_changes_the_pace() -> None:
    at = open_page("figures")
    at.select_slider(key="whatif-end").set_value(dt.date(2004, 12, 31)).run()
    m = metrics(at)
    assert m["Months"] == "6"
    assert m["Per month"] == f"{round(37000 / 3 / 6 / 10) * 10:,}"


def test_schedule_unit_edges() -> None:
    start = dt.date(2004, 6, 7)
    s = schedule(37000, Fraction(1, 3), start, dt.date(2005, 12, 31))
    assert s.months == 18 and s.steps[-1].month == dt.date(2005, 12, 31)
    assert s.steps[-1].remaining == pytest.approx(37000 * 2 / 3)
    assert schedule(37000, 0, start, dt.date(2004, 7, 31)).steps[-1].remaining == 37000
    assert schedule(37000, 1, start, dt.date(2004, 7, 31)).steps[-1].remaining == 0
    with pytest.raises(ValueError, match="after June 2004"):
        schedule(37000, Fraction(1, 3), start, dt.date(2004, 6, 30))
    with pytest.raises(ValueError, match="between 0 and 1"):
        schedule(37000, Fraction(3, 2), start, dt.date(2005, 12, 31))


def test_quotes_filter_by_speaker_and_place(story: Story) -> None:
    at = open_page("quotes")
    assert at.caption[1].value.startswith(f"{len(story.quotes)} of {len(story.quotes)}")
    at.multiselect(key="filter-speaker").set_value(["kim-tae-woo"]).run()
    kim = [q for q in story.quotes.values() if q.speaker == "kim-tae-woo"]
    assert f"{len(kim)} of {len(story.quotes)} shown." in text_of(at)
    shown = text_of(at)
    assert "Reduction of U.S. troops should take place according to our schedule" in shown
    assert "confidence building" not in shown
    at.multiselect(key="filter-speaker").set_value([]).run()
    at.multiselect(key="filter-place").set_value(["beijing"]).run()
    shown = text_of(at)
    assert "confidence building" in shown and "Reduction of U.S. troops" not in shown


def test_quotes_mark_paraphrases(story: Story) -> None:
    shown = text_of(open_page("quotes"))
    n_para = sum(q.kind == "paraphrase" for q in story.quotes.values())
    assert shown.count("Paraphrase — the article's reported speech, not a direct quote") == n_para


def test_quotes_page_starts_filtered_on_the_selected_place() -> None:
    at = open_page("quotes", place="beijing")
    assert at.multiselect(key="filter-place").value == ["beijing"]


def test_timeline_in_order_with_approximate_dates_marked(story: Story) -> None:
    shown = text_of(open_page("timeline"))
    labels = ["1953", "about December 2002", "7 June 2004", "by 8 June 2004 (reported)", "by the end of 2005"]
    positions = [shown.index(f"**{lab}**") for lab in labels]
    assert positions == sorted(positions)
    ko = text_of(open_page("timeline", lang="ko"))
    assert "2002년 12월경" in ko and "2005년 말까지" in ko


def test_sources_page_lists_licences_and_measured_method(geo: Geodata) -> None:
    shown = text_of(open_page("sources"))
    assert "South Korea Resists US Troop Reduction" in shown
    for info in geo.info.values():
        assert info.licence in shown, info.licence
    dmz_area = layer_summary(geo)["dmz"]["area_km2"]
    assert f"{dmz_area:,.1f}" in shown
    assert "2 km either side" in shown
    assert "Camp Humphreys" in shown  # the identification is listed as added from elsewhere


def test_unknown_page_parameter_falls_back_with_a_notice() -> None:
    at = open_page("figures", place="../../etc/passwd")
    assert any("No place" in w.value for w in at.warning)
    assert "about 37,000" in text_of(at)


def test_every_label_has_a_korean_translation() -> None:
    missing = [k for k, v in TEXT.items() if not v.get("ko") or not v.get("en")]
    missing += [k for k, v in settings.UI_TEXT.items() if not v.get("ko")]
    missing += [g.id for g in settings.LAYER_GROUPS if not g.label.get("ko")]
    missing += [k for k, v in WORDS.items() if not v.get("ko") or not v.get("en")]  # words of the print figures
    assert not missing, f"untranslated labels: {missing}"


def test_every_content_text_has_a_korean_translation(story: Story) -> None:
    missing: list[str] = []

    def walk(obj: object, path: str) -> None:
        if isinstance(obj, Text):
            if not obj.ko:
                missing.append(path)
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), f"{path}.{name}")
        elif isinstance(obj, (list, tuple)):
            for i, x in enumerate(obj):
                walk(x, f"{path}[{i}]")

    for table in ("places", "speakers", "quotes", "claims", "scenes"):
        for rid, rec in getattr(story, table).items():
            walk(rec, f"{table}.{rid}")
    for rid, fv in story.figures.items():
        walk(fv.figure, f"figures.{rid}")
    for rid, ev in story.events.items():
        walk(ev.event, f"events.{rid}")
    assert not missing, f"content without Korean: {missing}"
