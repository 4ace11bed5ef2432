"""Force levels: every number of the story as a chart, honest about 'about' and 'more than', and a what-if."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import altair as alt
import pandas as pd
import streamlit as st

import ui
from realignment.content import FigureValue
from realignment.i18n import t
from realignment.whatif import month_end, schedule

model = ui.model()
story = model.story
view = ui.current_view(story)
lang = view.lang

st.title(t("page_figures", lang), anchor=False)
st.caption(t("figures_intro", lang))

# How far past a lower bound the faded bar runs: it says "more", not how much more.
OPEN_END = 1.2


def chart_rows(ids: list[str]) -> pd.DataFrame:
    rows = []
    for fid in ids:
        fv: FigureValue | None = story.figures.get(fid)
        if fv is None:
            continue
        f = fv.figure
        rows.append(
            {
                "figure": f.label.get(lang),
                "shown": fv.display(lang),
                "value": fv.value,
                "low": fv.low,
                "high": fv.high if fv.high is not None else fv.value * OPEN_END,
                "open": fv.high is None,
                "source": story.source_label(f.source),
                "words": f.evidence,
                "as_of": f.as_of.get(lang),
            }
        )
    return pd.DataFrame(rows)


def figure_chart(ids: list[str], title: str) -> alt.LayerChart | None:
    """Bars to the stated number; 'about' gets a ±5 % range, 'more than' a bar that fades out (no upper bound)."""
    data = chart_rows(ids)
    if data.empty:
        return None
    tooltip = [
        alt.Tooltip("figure:N", title=t("col_figure", lang)),
        alt.Tooltip("shown:N", title=t("col_value", lang)),
        alt.Tooltip("as_of:N", title=t("col_as_of", lang)),
        alt.Tooltip("source:N", title=t("col_source", lang)),
        alt.Tooltip("words:N", title=t("col_evidence", lang)),
    ]
    y = alt.Y("figure:N", sort=None, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=13))
    x_title = t("soldiers", lang)
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0072B2", height=26)
        .encode(x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=",d")), y=y, tooltip=tooltip)
    )
    open_end = (
        alt.Chart(data[data["open"]])
        .mark_bar(height=26, color="#0072B2", opacity=0.25, strokeDash=[4, 3], stroke="#0072B2")
        .encode(x="value:Q", x2="high:Q", y=y, tooltip=tooltip)
    )
    ranges = (
        alt.Chart(data[~data["open"]])
        .mark_rule(color="#000000", strokeWidth=2)
        .encode(x="low:Q", x2="high:Q", y=y, tooltip=tooltip)
    )
    ticks = alt.Chart(data[~data["open"]]).mark_tick(color="#000000", thickness=2, size=18)
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=14, fontWeight="bold", color="#000000")
        .encode(x="high:Q", y=y, text="shown:N")
    )
    # only the marks that have data: an empty layer leaves an unlabelled group in the chart's SVG
    layers = [bars]
    if data["open"].any():
        layers.append(open_end)
    if (~data["open"]).any():
        layers += [ranges, ticks.encode(x="low:Q", y=y), ticks.encode(x="high:Q", y=y)]
    return (
        alt.layer(*layers, labels)
        .properties(title=title, height=alt.Step(44))
        .configure_title(fontSize=16, anchor="start")
    )


def alt_text(title: str, ids: list[str]) -> str:
    """The chart in words, for a screen reader: each bar's label and number as the source words it."""
    items = [
        f"{story.figures[i].figure.label.get(lang)}: {story.figures[i].display(lang)}"
        for i in ids
        if i in story.figures
    ]
    return f"{title}. " + "; ".join(items)


left, right = st.columns(2, gap="large")
with left:
    ids = ["us-troops-2004", "us-withdrawal", "us-remaining"]
    chart = figure_chart(ids, t("us_troops_chart", lang))
    if chart is not None:
        st.altair_chart(chart, width="stretch", alt=alt_text(t("us_troops_chart", lang), ids))
with right:
    ids = ["nk-army", "sk-army"]
    chart = figure_chart(ids, t("armies_chart", lang))
    if chart is not None:
        st.altair_chart(chart, width="stretch", alt=alt_text(t("armies_chart", lang), ids))
st.caption(f"— {t('range_about', lang)} · ▒ {t('lower_bound', lang)}")

# What if: the plan's numbers and dates come from the content, so the default is the article's plan.
st.subheader(t("whatif", lang), anchor=False)
st.markdown(t("whatif_intro", lang))
base_fv = story.figures.get("us-troops-2004")
plan_fv = story.figures.get("us-withdrawal")
proposal = story.events.get("us-proposal")
completion = story.events.get("completion")
if base_fv and plan_fv and plan_fv.figure.derived and proposal and completion:
    plan_share = Fraction(plan_fv.figure.derived.fraction or "0")
    plan_end = completion.end or completion.date
    shares = sorted({Fraction(k, 20) for k in range(21)} | {plan_share})

    def share_label(f: Fraction) -> str:
        text = f"{float(f):.0%}" if f.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100) else f"{float(f):.1%} ({f})"
        return t("plan_marker", lang, value=text) if f == plan_share else text

    months = []
    y, m = proposal.date.year, proposal.date.month
    for _ in range(12 * 6):
        m += 1
        if m > 12:
            y, m = y + 1, 1
        months.append(month_end(y, m))

    def month_label(d: dt.date) -> str:
        text = f"{d.year}년 {d.month}월" if lang == "ko" else f"{d:%B %Y}"
        return t("plan_marker", lang, value=text) if d == plan_end else text

    c1, c2 = st.columns(2)
    share = c1.select_slider(
        t("share_withdrawn", lang), options=shares, value=plan_share, format_func=share_label, key="whatif-share"
    )
    end = c2.select_slider(
        t("completion", lang),
        options=months,
        value=plan_end if plan_end in months else months[-1],
        format_func=month_label,
        key="whatif-end",
    )
    plan = schedule(base_fv.exact, share, proposal.date, end)
    st.caption(
        ui.md(t("whatif_base", lang, base=base_fv.display(lang), source=story.source_label(base_fv.figure.source)))
    )

    def rounded(x: float) -> str:
        return f"{round(x / 10) * 10:,.0f}"

    with st.container(horizontal=True, key="whatif-metrics"):
        st.metric(t("withdrawn_metric", lang), rounded(plan.withdrawn), border=True)
        st.metric(t("remaining_metric", lang), rounded(plan.remaining), border=True)
        st.metric(t("months_metric", lang), f"{plan.months}", border=True)
        st.metric(t("per_month_metric", lang), rounded(plan.per_month), border=True)
    table = pd.DataFrame(
        {
            t("month", lang): [s.month for s in plan.steps],
            t("remaining_col", lang): [round(s.remaining / 10) * 10 for s in plan.steps],
            t("withdrawn_col", lang): [round(s.withdrawn / 10) * 10 for s in plan.steps],
        }
    )
    line = (
        alt.Chart(table)
        .mark_line(point=True, color="#009E73", strokeWidth=3)
        .encode(
            x=alt.X(f"{t('month', lang)}:T", title=None, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y(
                f"{t('remaining_col', lang)}:Q",
                scale=alt.Scale(domain=[0, base_fv.value]),
                axis=alt.Axis(format=",d"),
            ),
            tooltip=list(table.columns),
        )
        .properties(height=260, title=t("schedule", lang))
    )
    st.altair_chart(
        line,
        width="stretch",
        alt=f"{t('schedule', lang)}: {rounded(plan.base)} → {rounded(plan.remaining)}, "
        f"{plan.months} {t('months_metric', lang)}",
    )
    with st.expander(t("schedule", lang)):
        st.dataframe(
            table,
            hide_index=True,
            column_config={t("month", lang): st.column_config.DateColumn(format="YYYY-MM")},
        )

st.subheader(t("all_figures", lang), anchor=False)
cols = [2, 1.3, 3, 3, 1.5]
with st.container(key="figure-table"):
    head = st.columns(cols)
    for c, k in zip(head, ("col_figure", "col_value", "col_evidence", "col_source", "col_places"), strict=True):
        c.markdown(f"**{t(k, lang)}**")
    for fid, fv in story.figures.items():
        f = fv.figure
        row = st.container(key=f"fig-row-{fid}").columns(cols, vertical_alignment="top")
        row[0].markdown(ui.md(f.label.get(lang)))
        row[1].markdown(f"**{ui.md(fv.display(lang))}**")
        row[2].markdown(f"“{ui.md(f.evidence)}”")
        row[3].markdown(
            ui.md(
                story.source_label(f.source)
                + " · "
                + t("counts", lang, counts=f.counts.get(lang), as_of=f.as_of.get(lang))
            )
        )
        with row[4]:
            for pid in f.places:
                if pid in story.places:
                    ui.map_link(pid, ui.md(story.places[pid].name.get(lang)), lang, key=f"figlink-{fid}-{pid}")

ui.sync_url(view)
