"""Exports for reports and briefings: print-resolution figures (PNG, SVG, PDF), a PDF handout, a stand-alone HTML map.

    render_figure(model, view, preset="a4", fmt="png", dpi=300) -> bytes
    render_handout(model, lang="en") -> bytes      # one PDF page per briefing scene
    render_html(model, view) -> str                # the interactive map, opening from disk with no internet
    alt_text(model, view) -> str                   # the figure in words (embedded in every figure)

Everything is drawn from the same MapModel and View as the screen; no Streamlit in here.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from . import settings
from .content import Quote
from .figure import (
    LAYER_URL,
    PRESETS,
    FontMissing,
    MapPainter,
    Measure,
    Preset,
    alt_text,
    caption_text,
    draw_legend,
    draw_scale_and_north,
    figure_context,
    figure_subtitle,
    figure_title,
    format_date,
    max_zoom,
    measure_for,
    points_transform,
    spec_for,
)
from .i18n import t
from .view import View
from .webmap import MapModel, js_json

__all__ = [
    "FORMATS",
    "PRESETS",
    "ExportError",
    "FontMissing",
    "alt_text",
    "export",
    "render_figure",
    "render_handout",
    "render_html",
]

FORMATS = ("png", "svg", "pdf")
# what `export` (and the command line) can write
ALL_FORMATS = (*FORMATS, "html", "handout")
CREATOR = "realignment export"
MIN_DPI, MAX_DPI = 50, 1200


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why."""


def _check(preset: str, fmt: str | None = None, dpi: int | None = None) -> Preset:
    if preset not in PRESETS:
        raise ExportError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if dpi is not None and not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(f"dpi {dpi} is out of range ({MIN_DPI}–{MAX_DPI})")
    return PRESETS[preset]


def _size_in(preset: Preset, fmt: str, dpi: int) -> tuple[float, float]:
    """Exact page size for vector output; for PNG a size whose pixel count is exactly the preset's."""
    if fmt != "png":
        return preset.width_in, preset.height_in
    w, h = preset.pixels(dpi)
    # matplotlib truncates the canvas size to whole pixels: a tenth of a pixel more keeps it exact
    return (w + 0.1) / dpi, (h + 0.1) / dpi


def compose_figure(
    model: MapModel, view: View, preset: Preset, today: dt.date, size_in: tuple[float, float]
) -> tuple[Figure, MapPainter]:
    """Title, map, legend column (legend, north arrow, scale bar) and caption, laid out on one page.

    Call inside figure_context(view.lang)."""
    fig = Figure(figsize=size_in)
    fig.patch.set_facecolor("#FFFFFF")
    family = list(matplotlib.rcParams["font.family"])
    measure = measure_for(family)
    W, H = size_in
    m = preset.margin_in
    full_pt = (W - 2 * m) * 72
    PT = points_transform(fig)

    title_lines = measure.wrap(figure_title(model, view), full_pt, preset.title_pt, "bold")[:2]
    subtitle = figure_subtitle(model, view)
    sub_lines = measure.wrap(subtitle, full_pt, preset.subtitle_pt)[:3] if subtitle else []
    header_pt = len(title_lines) * preset.title_pt * 1.2 + (len(sub_lines) * preset.subtitle_pt * 1.3 + 4)
    # the caption's length does not depend on the latitude printed in it: wrap it once with a stand-in
    cap_lines = measure.wrap(caption_text(model, view, today, 38.0), full_pt, preset.caption_pt)
    caption_pt = len(cap_lines) * preset.caption_pt * 1.4

    gap = 0.2
    map_bottom = m + caption_pt / 72 + 0.15
    map_top = H - m - header_pt / 72 - 0.12
    map_w = W - 2 * m - preset.side_in - gap
    box = (m, map_bottom, map_w, map_top - map_bottom)
    painter = MapPainter(fig, model, view, box, preset, measure)
    painter.paint()

    side_x = m + map_w + gap
    scale_h = 0.95 if preset.id != "slide" else 1.1
    draw_legend(fig, painter, (side_x, map_bottom + scale_h, preset.side_in, map_top - map_bottom - scale_h), view.lang)
    sb = draw_scale_and_north(fig, painter, (side_x, map_bottom, preset.side_in, scale_h), view.lang)

    y = H * 72 - m * 72
    fig.text(m * 72, y, "\n".join(title_lines), transform=PT, fontsize=preset.title_pt, fontweight="bold", va="top")
    y -= len(title_lines) * preset.title_pt * 1.2 + 4
    if sub_lines:
        fig.text(m * 72, y, "\n".join(sub_lines), transform=PT, fontsize=preset.subtitle_pt, color="#333333", va="top")
    caption = measure.wrap(caption_text(model, view, today, sb.lat), full_pt, preset.caption_pt)
    fig.text(
        m * 72,
        m * 72,
        "\n".join(caption),
        transform=PT,
        fontsize=preset.caption_pt,
        color="#222222",
        va="bottom",
        linespacing=1.15,  # in units of matplotlib's line height (about 1.2 × the size): 1.4 × size, as reserved
    )
    return fig, painter


def _svg_with_title(svg: bytes, title: str, desc: str, lang: str) -> bytes:
    """SVG <title> and <desc> as the root's first children: what screen readers announce for the image."""
    text = svg.decode("utf-8")
    start = text.index("<svg ")
    end = text.index(">", start)
    head = text[start:end]
    attrs = f'role="img" aria-labelledby="figure-title figure-desc" xml:lang="{html.escape(lang)}"'
    opening = head.replace("<svg ", f"<svg {attrs} ", 1)
    inject = (
        f'\n <title id="figure-title">{html.escape(title, quote=False)}</title>'
        f'\n <desc id="figure-desc">{html.escape(desc, quote=False)}</desc>'
    )
    return (text[:start] + opening + ">" + inject + text[end + 1 :]).encode("utf-8")


def _save(fig: Figure, fmt: str, dpi: int, title: str, desc: str, credits: str, lang: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        meta = {"Title": title, "Description": desc, "Source": credits, "Software": CREATOR}
        fig.savefig(buf, format="png", dpi=dpi, metadata=meta, pil_kwargs={"compress_level": 3})
        return buf.getvalue()
    if fmt == "svg":
        meta = {"Title": title, "Description": desc, "Source": credits, "Creator": CREATOR, "Date": None}
        fig.savefig(buf, format="svg", dpi=dpi, metadata=meta)
        return _svg_with_title(buf.getvalue(), title, desc, lang)
    meta = {"Title": title, "Subject": desc, "Keywords": credits, "Creator": CREATOR, "CreationDate": None}
    fig.savefig(buf, format="pdf", dpi=dpi, metadata=meta)
    return buf.getvalue()


def _credits(model: MapModel) -> str:
    story = model.story
    parts = [story.source_label(story.article_id)] if story.article_id else []
    return "; ".join(parts + model.geo.attributions())


def render_figure(
    model: MapModel,
    view: View,
    preset: str = "a4",
    fmt: str = "png",
    dpi: int = 300,
    today: dt.date | None = None,
) -> bytes:
    """A static map of the view: the screen's layers, styles and selection, titled, with legend, scale bar,
    north arrow and a caption with the sources. PNG at `dpi` (in its metadata too); SVG and PDF vector."""
    p = _check(preset, fmt, dpi)
    today = today or dt.date.today()
    with figure_context(view.lang):
        fig, painter = compose_figure(model, view, p, today, _size_in(p, fmt, dpi))
        desc = alt_text(model, view, painter.frame)
        return _save(fig, fmt, dpi, figure_title(model, view), desc, _credits(model), view.lang)


# --- the handout ---------------------------------------------------------------------------------------------

HANDOUT = Preset("handout", "A4 landscape handout page", 297 / 25.4, 210 / 25.4, 20, 12, 7.5, 7, 7.5, 0.5, 0, 0.45)


@dataclass(frozen=True)
class Card:
    """A scene's card as printed: a figure or a quote, with its source."""

    kind: str  # "figure", "quote" or "paraphrase"
    heading: str  # the figure's label, or the paraphrase notice ("" for a direct quote)
    main: str  # the number as displayed, or the words of the quote
    detail: str  # what the number counts / who said it
    source: str


@dataclass(frozen=True)
class HandoutPage:
    """One briefing scene's text, placeholders filled: what its handout page says beside the map."""

    number: int
    total: int
    view: View
    title: str
    headline: str
    bullets: tuple[str, ...]
    card: Card | None
    sources: tuple[str, ...] = field(default=())


def _derivation(kind: str, fraction: str | None, divisor: float | None, lang: str) -> str:
    """How a derived figure was computed, in the app's words."""
    if kind == "share":
        return t("how_share", lang, fraction=fraction)
    if kind == "remainder":
        return t("how_remainder", lang, fraction=fraction)
    return t("how_ratio", lang, divisor=f"{divisor:g}")


def _card(model: MapModel, figure_id: str | None, quote_id: str | None, lang: str) -> Card | None:
    """The scene's card with the words of the app's own cards (i18n), so print and screen say the same."""
    story = model.story
    if figure_id and figure_id in story.figures:
        fv = story.figures[figure_id]
        f = fv.figure
        detail = t("counts", lang, counts=f.counts.get(lang), as_of=f.as_of.get(lang))
        if f.derived is not None and f.derived.of in story.figures:
            d = f.derived
            detail += " " + t(
                "computed",
                lang,
                how=_derivation(d.kind, d.fraction, d.divisor, lang),
                base=story.figures[d.of].display(lang),
                exact=f"{fv.exact:,.0f}",
                round_to=f"{f.round_to:,}",
            )
        return Card("figure", f.label.get(lang), fv.display(lang), detail, story.source_label(f.source))
    if quote_id and quote_id in story.quotes:
        q: Quote = story.quotes[quote_id]
        speaker = story.speakers.get(q.speaker)
        who = (
            ", ".join([speaker.name.get(lang), speaker.role.get(lang), speaker.affiliation.get(lang)])
            if speaker
            else q.speaker
        )
        detail = f"— {who} · {format_date(q.date, lang)}"
        source = story.source_label(q.source)
        if q.kind == "paraphrase":
            return Card("paraphrase", t("paraphrase_badge", lang), q.text, detail, source)
        lead = f"{q.context} " if q.context else ""
        return Card("quote", "", f"{lead}“{q.text}”", detail, source)
    return None


def handout_pages(model: MapModel, lang: str = "en") -> list[HandoutPage]:
    """The text of every handout page, in briefing order, numbers filled in from the data."""
    story = model.story
    scenes = story.scene_list()
    pages: list[HandoutPage] = []
    for n, sc in enumerate(scenes, 1):
        view = model.scene_view(n, lang)
        assert view is not None
        pages.append(
            HandoutPage(
                number=n,
                total=len(scenes),
                view=view,
                title=sc.title.get(lang),
                headline=story.fill(sc.headline.get(lang), lang),
                bullets=tuple(story.fill(b.get(lang), lang) for b in sc.bullets),
                card=_card(model, sc.card.figure, sc.card.quote, lang),
                sources=tuple(story.source_label(s) for s in sc.sources),
            )
        )
    return pages


@dataclass
class _Block:
    text: str
    size: float
    weight: str = "normal"
    style: str = "normal"
    color: str = "#111111"
    indent: float = 0.0
    bullet: str = ""
    before: float = 0.0
    card: bool = False


def _column_blocks(page: HandoutPage, lang: str, scale: float) -> list[_Block]:
    s = scale
    blocks = [_Block(page.headline, 13 * s, "bold", before=0)]
    for b in page.bullets:
        blocks.append(_Block(b, 10.5 * s, indent=12 * s, bullet="•", before=7 * s))
    c = page.card
    if c is not None:
        first = True
        if c.heading:
            color = "#8A4B00" if c.kind == "paraphrase" else "#111111"
            blocks.append(_Block(c.heading, 9.5 * s, "bold", color=color, before=18 * s, card=True))
            first = False
        if c.kind == "figure":
            blocks.append(_Block(c.main, 24 * s, "bold", before=(18 if first else 4) * s, card=True))
        else:
            style = "italic" if c.kind == "paraphrase" else "normal"
            blocks.append(_Block(c.main, 11 * s, style=style, before=(18 if first else 5) * s, card=True))
        blocks.append(_Block(c.detail, 8.5 * s, color="#333333", before=5 * s, card=True))
        blocks.append(_Block(t("source_is", lang, source=c.source), 8.5 * s, color="#333333", before=3 * s, card=True))
    blocks.append(
        _Block(f"{t('sources_label', lang)}: {'; '.join(page.sources)}.", 8 * s, color="#444444", before=18 * s)
    )
    return blocks


def _layout_column(
    measure: Measure, blocks: list[_Block], width: float
) -> tuple[list[tuple[_Block, list[str]]], float]:
    laid = []
    height = 0.0
    for b in blocks:
        lines = measure.wrap(b.text, width - b.indent - (8 if b.card else 0) * 2, b.size, b.weight, b.style)
        laid.append((b, lines))
        height += b.before + len(lines) * b.size * 1.3
    return laid, height


def compose_handout_page(model: MapModel, page: HandoutPage, lang: str, today: dt.date) -> Figure:
    """One A4 landscape page: scene title, the scene's map with its legend, the text and the card, the sources."""
    p = HANDOUT
    fig = Figure(figsize=(p.width_in, p.height_in))
    fig.patch.set_facecolor("#FFFFFF")
    measure = measure_for(list(matplotlib.rcParams["font.family"]))
    PT = points_transform(fig)
    W, H, m = p.width_in, p.height_in, p.margin_in
    full = (W - 2 * m) * 72
    top = (H - m) * 72
    counter = t("progress", lang, n=page.number, total=page.total)
    story_title = t("story_title", lang)
    fig.text(m * 72, top, f"{counter} · {story_title}", transform=PT, fontsize=9, color="#555555", va="top")
    title_lines = measure.wrap(page.title, full, p.title_pt, "bold")[:2]
    fig.text(m * 72, top - 14, "\n".join(title_lines), transform=PT, fontsize=p.title_pt, fontweight="bold", va="top")
    header = (14 + len(title_lines) * p.title_pt * 1.2 + 8) / 72

    view = page.view
    cap_lines = measure.wrap(caption_text(model, view, today, 38.0), full, p.caption_pt)
    cap_h = len(cap_lines) * p.caption_pt * 1.3 / 72
    body_bottom = m + cap_h + 0.15
    body_top = H - m - header
    left_w = 6.75
    legend_h = 1.25
    map_box = (m, body_bottom + legend_h, left_w, body_top - body_bottom - legend_h)
    painter = MapPainter(fig, model, view, map_box, p, measure)
    painter.paint()
    draw_legend(fig, painter, (m, body_bottom, left_w - 2.2, legend_h - 0.12), lang, columns=2)
    sb = draw_scale_and_north(fig, painter, (m + left_w - 2.1, body_bottom, 2.1, 0.8), lang)
    caption = measure.wrap(caption_text(model, view, today, sb.lat), full, p.caption_pt)
    fig.text(m * 72, m * 72, "\n".join(caption), transform=PT, fontsize=p.caption_pt, color="#222222", va="bottom")

    # the text column: shrink the type until it fits
    col_x = (m + left_w + 0.3) * 72
    col_w = (W - m) * 72 - col_x
    avail = (body_top - body_bottom) * 72
    scale = 1.0
    while True:
        laid, height = _layout_column(measure, _column_blocks(page, lang, scale), col_w)
        if height <= avail or scale < 0.6:
            break
        scale *= 0.93
    y = body_top * 72
    card_top = card_bottom = None
    for b, lines in laid:
        y -= b.before
        if b.card and card_top is None:
            card_top = y + 8
        x = col_x + b.indent + (8 if b.card else 0)
        if b.bullet:
            fig.text(col_x + 2, y, b.bullet, transform=PT, fontsize=b.size, va="top", color=b.color)
        fig.text(
            x,
            y,
            "\n".join(lines),
            transform=PT,
            fontsize=b.size,
            fontweight=b.weight,
            fontstyle=b.style,
            color=b.color,
            va="top",
            linespacing=1.3 * 0.87,
        )
        y -= len(lines) * b.size * 1.3
        if b.card:
            card_bottom = y - 4
    if card_top is not None and card_bottom is not None:
        paraphrase = page.card is not None and page.card.kind == "paraphrase"
        fig.add_artist(
            FancyBboxPatch(
                (col_x, card_bottom),
                col_w,
                card_top - card_bottom,
                boxstyle="round,pad=0,rounding_size=4",
                transform=PT,
                facecolor="#FFF7E6" if paraphrase else "#F4F6F8",
                edgecolor="#E69F00" if paraphrase else "#9AA5B1",
                linewidth=1.0,
                zorder=-1,
            )
        )
    return fig


def render_handout(
    model: MapModel,
    lang: str = "en",
    today: dt.date | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> bytes:
    """One PDF with a page per briefing scene: its map, title, headline, bullets, card and sources."""
    if lang not in settings.LANGUAGES:
        raise ExportError(f"unknown language {lang!r}; use one of {', '.join(settings.LANGUAGES)}")
    pages = handout_pages(model, lang)
    if not pages:
        raise ExportError("the story has no briefing scenes (content/scenes.yaml): nothing to put in a handout")
    today = today or dt.date.today()
    buf = io.BytesIO()
    title = f"{t('story_title', lang)} — {t('page_briefing', lang)}"
    subject = " / ".join(f"{pg.number}. {pg.title}" for pg in pages)
    meta = {"Title": title, "Subject": subject, "Keywords": _credits(model), "Creator": CREATOR, "CreationDate": None}
    with figure_context(lang), PdfPages(buf, metadata=meta) as pdf:
        for pg in pages:
            pdf.savefig(compose_handout_page(model, pg, lang, today))
            if on_page is not None:
                on_page(pg.number, len(pages))
    return buf.getvalue()


# --- the stand-alone HTML map --------------------------------------------------------------------------------

_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def _inline_css(path: Path) -> str:
    """A stylesheet with its relative images turned into data: URIs, so nothing is fetched."""
    css = path.read_text(encoding="utf-8")

    def sub(m: re.Match[str]) -> str:
        img = path.parent / m.group(2)
        if not img.exists():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(img.read_bytes()).decode("ascii") + ")"

    return _CSS_URL.sub(sub, css)


def _safe_in(tag: str, text: str, name: str) -> str:
    """Asset text put inside <script>/<style> must not be able to end that element."""
    if re.search(rf"</{tag}|<!--", text, re.IGNORECASE):
        raise ExportError(f"{name} contains '</{tag}' or '<!--' and cannot be inlined")
    return text


def render_html(model: MapModel, view: View, today: dt.date | None = None) -> str:
    """The view's interactive map as one HTML file: Leaflet, the map plugin and every layer inlined."""
    static = settings.STATIC_DIR
    leaflet_js = static / "vendor" / "leaflet" / "leaflet.js"
    leaflet_css = static / "vendor" / "leaflet" / "leaflet.css"
    if not leaflet_js.exists() or not leaflet_css.exists():
        raise ExportError("static/vendor/leaflet is missing: run `python -m realignment assets` (make assets)")
    today = today or dt.date.today()
    spec = spec_for(model, view)
    preloaded: dict[str, Any] = {}
    for lid, gdf in model.geo.layers.items():
        url = LAYER_URL + lid
        used = spec["basemap"]["url"] == url or any(i.get("url") == url for i in spec["items"])
        if used:
            preloaded[url] = json.loads(gdf.to_json(drop_id=True))
    spec["preloaded"] = preloaded  # realign.js reads layers from here instead of fetching them
    spec["legendOpen"] = True
    bounds = model.view_bounds(view)
    # framed as the app frames it: a scene as the briefing does, a place as a selection does
    fit: dict[str, Any] = {"padding": [24, 24] if view.scene is not None else [30, 30]}
    if view.scene is not None or view.place:
        fit["maxZoom"] = max_zoom(model, view)
    title = figure_title(model, view)
    subtitle = figure_subtitle(model, view)
    lang = view.lang
    caption = caption_text(model, view, today)
    boot = (
        "(function () {\n"
        f"  var spec = {js_json(spec)};\n"
        '  var map = L.map("map", {zoomSnap: 0.25, minZoom: 5, maxZoom: 14});\n'
        "  L.control.scale({imperial: false}).addTo(map);\n"
        f"  map.fitBounds({js_json(bounds)}, {js_json(fit)});\n"
        "  realign.build(map, spec);\n"
        f"  var place = {js_json(view.place)};\n"
        "  if (place) realign.select(map, place, {fly: false});\n"
        "})();\n"
    )
    sub_html = f'<p class="sub">{html.escape(subtitle)}</p>' if subtitle else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta name="description" content="{html.escape(alt_text(model, view))}">\n'
        f"<style>\n{_safe_in('style', _inline_css(leaflet_css), 'leaflet.css')}\n</style>\n"
        f"<style>\n{_safe_in('style', (static / 'realign' / 'realign.css').read_text(encoding='utf-8'), 'realign.css')}"
        "\n</style>\n"
        "<style>\n"
        "html, body { margin: 0; height: 100%; font-family: system-ui, 'Noto Sans', 'Noto Sans CJK KR', sans-serif; }\n"
        "body { display: flex; flex-direction: column; }\n"
        "header { padding: 8px 14px 4px; } header h1 { margin: 0; font-size: 20px; }\n"
        "header .sub { margin: 2px 0 0; color: #333; }\n"
        "#map { flex: 1; min-height: 300px; }\n"
        "footer { padding: 4px 14px 6px; font-size: 12px; color: #333; }\n"
        "</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1>{sub_html}</header>\n"
        f'<div id="map" role="region" aria-label="{html.escape(title)}"></div>\n'
        f"<footer>{html.escape(caption)}</footer>\n"
        f"<script>\n{_safe_in('script', leaflet_js.read_text(encoding='utf-8'), 'leaflet.js')}\n</script>\n"
        "<script>\n"
        f"{_safe_in('script', (static / 'realign' / 'realign.js').read_text(encoding='utf-8'), 'realign.js')}\n"
        "</script>\n"
        f"<script>\n{boot}</script>\n</body>\n</html>\n"
    )


# --- one call for the command line and the app --------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """What was written: where, how big, and in what shape."""

    path: Path
    size: int
    fmt: str
    detail: str

    def describe(self) -> str:
        kb = self.size / 1024
        size = f"{kb / 1024:.1f} MB" if kb >= 1024 else f"{kb:.0f} KB"
        return f"wrote {self.path} ({size}; {self.detail})"


def _write(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a failed export never leaves half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(out_path: Path) -> None:
    """Fail before the work if the output cannot be written."""
    parent = out_path.parent if str(out_path.parent) else Path(".")
    if out_path.is_dir():
        raise ExportError(f"cannot write {out_path}: it is a directory")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out_path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write {out_path}: directory {parent} is not writable")
    if out_path.exists() and not os.access(out_path, os.W_OK):
        raise ExportError(f"cannot write {out_path}: the file is read-only")


def export(
    model: MapModel,
    view: View,
    fmt: str,
    preset: str,
    out_path: str | Path,
    *,
    dpi: int = 300,
    today: dt.date | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> Exported:
    """Render the view in a format (png, svg, pdf, html, or handout: the whole briefing) and write it."""
    out = Path(out_path)
    if fmt not in ALL_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(ALL_FORMATS)}")
    p = _check(preset, None, dpi if fmt == "png" else None)
    check_writable(out)
    if fmt == "html":
        data = render_html(model, view, today).encode("utf-8")
        detail = "stand-alone HTML, opens offline"
    elif fmt == "handout":
        data = render_handout(model, view.lang, today, on_page)
        pages = len(model.story.scenes)
        detail = f"PDF handout, {pages} page{'s' if pages != 1 else ''}, {HANDOUT.label}"
    else:
        data = render_figure(model, view, preset, fmt, dpi, today)
        if fmt == "png":
            w, h = p.pixels(dpi)
            detail = f"PNG {w}×{h} px at {dpi} dpi, {p.label}"
        else:
            detail = f"{fmt.upper()} vector, {p.label}"
    try:
        _write(out, data)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return Exported(out, len(data), fmt, detail)


def view_for(model: MapModel, scene: int | None, place: str | None, lang: str, layers: tuple[str, ...] | None) -> View:
    """The View the command line asks for, or an ExportError saying what is wrong with the request."""
    if lang not in settings.LANGUAGES:
        raise ExportError(f"unknown language {lang!r}; use one of {', '.join(settings.LANGUAGES)}")
    if layers is not None:
        bad = [g for g in layers if g not in settings.LAYER_GROUP_IDS]
        if bad:
            raise ExportError(
                f"unknown layer(s) {', '.join(map(repr, bad))}; use any of {', '.join(settings.LAYER_GROUP_IDS)}"
            )
        layers = tuple(g for g in settings.LAYER_GROUP_IDS if g in layers)
    if scene is not None:
        n = len(model.story.scenes)
        v = model.scene_view(scene, lang)
        if v is None:
            raise ExportError(
                f"no scene {scene}: the briefing has {n} scene{'s' if n != 1 else ''} (1–{n})"
                if n
                else f"no scene {scene}: the briefing has no scenes"
            )
        return replace(v, layers=layers) if layers is not None else v
    if place is not None and place not in model.story.places:
        known = ", ".join(sorted(model.story.places))
        raise ExportError(f"unknown place {place!r}; known places: {known}")
    return View(place=place, lang=lang, layers=layers)
