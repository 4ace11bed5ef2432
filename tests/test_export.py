"""Exports as a user gets them: real files in real formats, the right words on them, nothing fetched from outside.

Golden images: tests/golden/*.png. After a deliberate change to the figure, regenerate them with
    REALIGN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export.py -k golden
and look at them before committing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import struct
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from realignment import figure as fig_mod
from realignment import settings
from realignment.__main__ import main
from realignment.content import Story, load_story
from realignment.export import (
    PRESETS,
    alt_text,
    compose_figure,
    handout_pages,
    render_figure,
    render_handout,
    render_html,
)
from realignment.figure import Frame, figure_context, from_map, scale_bar, to_map
from realignment.geodata import Geodata
from realignment.geodesy import GEOD, distance_km
from realignment.view import View
from realignment.webmap import MapModel

from .browser import Recorder, browser_context, open_page

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
TODAY = dt.date(2026, 11, 29)
SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> $x$"


@pytest.fixture(scope="module")
def model(story: Story, geo: Geodata) -> MapModel:
    return MapModel(story, geo)


@pytest.fixture(scope="module")
def scene4(model: MapModel) -> View:
    """The claim check: Camp Humphreys highlighted, the measured lines drawn."""
    view = model.scene_view(4)
    assert view is not None and view.place == "camp-humphreys"
    return view


@pytest.fixture(scope="module")
def scene4_svg(model: MapModel, scene4: View) -> bytes:
    return render_figure(model, scene4, "a4", "svg", today=TODAY)


# --- helpers: read the files the way a viewer would ----------------------------------------------------------


def png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    chunks: dict[bytes, list[bytes]] = {}
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return chunks


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    assert root.tag == SVG_NS + "svg"
    return ["".join(el.itertext()) for el in root.iter(SVG_NS + "text")]


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, from its MediaBox."""
    assert data.startswith(b"%PDF-"), "not a PDF file"
    sizes = []
    for m in re.finditer(rb"/Type /Page\b(?!s)(.*?)>>", data, re.S):
        box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]", m.group(1))
        assert box, "a page without a MediaBox"
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def pdf_info(data: bytes, key: str) -> str:
    """A document-information string (literal or UTF-16 hex), as a PDF reader shows it."""
    m = re.search(rb"/" + key.encode() + rb" (\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)", data)
    assert m, f"no /{key} in the PDF"
    raw = m.group(1)
    if raw.startswith(b"<"):
        b = bytes.fromhex(raw[1:-1].decode())
        return b[2:].decode("utf-16-be") if b.startswith(b"\xfe\xff") else b.decode("latin-1")
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def unescape(m: re.Match[bytes]) -> bytes:
        c = m.group(1)
        return bytes([int(c, 8)]) if c[:1].isdigit() else escapes.get(c, c)

    b = re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw[1:-1], flags=re.S)
    return b[2:].decode("utf-16-be") if b.startswith(b"\xfe\xff") else b.decode("latin-1")


def hostile_model(content_copy: Path, geo: Geodata) -> MapModel:
    places = content_copy / "places.yaml"
    data = yaml.safe_load(places.read_text(encoding="utf-8"))
    for p in data["places"]:
        if p["id"] == "pyeongtaek":
            p["name"] = {"en": HOSTILE, "ko": HOSTILE}
    places.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    story = load_story(content_copy, layer_ids=geo.layers.keys())
    assert story.places["pyeongtaek"].name.en == HOSTILE
    return MapModel(story, geo)


# --- formats -------------------------------------------------------------------------------------------------


def test_png_is_print_resolution_with_exact_pixels_and_alt_text(model: MapModel, scene4: View) -> None:
    data = render_figure(model, scene4, "a4", "png", 300, today=TODAY)
    chunks = png_chunks(data)
    width, height = struct.unpack(">II", chunks[b"IHDR"][0][:8])
    assert (width, height) == (3508, 2480)  # A4 at 300 dpi
    ppm_x, ppm_y, unit = struct.unpack(">IIB", chunks[b"pHYs"][0])
    assert unit == 1 and ppm_x == ppm_y == round(300 / 0.0254)
    img = Image.open(io.BytesIO(data))
    assert img.info["Description"].startswith("Map: “About 110 km south”, checked.")
    assert "Camp Humphreys (highlighted)" in img.info["Description"]
    assert img.info["Title"] == "“About 110 km south”, checked"
    assert "VOA, 8 June 2004" in img.info["Source"]
    # not blank: sea, land, areas, lines and labels give many colours
    small = np.asarray(img.convert("RGB").resize((350, 248)))
    assert len({tuple(c // 16) for c in small.reshape(-1, 3)}) > 40


def test_slide_png_has_the_slide_pixel_size(model: MapModel) -> None:
    data = render_figure(model, View(), "slide", "png", 150, today=TODAY)
    width, height = struct.unpack(">II", png_chunks(data)[b"IHDR"][0][:8])
    assert (width, height) == PRESETS["slide"].pixels(150) == (2000, 1125)


def test_svg_is_vector_xml_with_the_words_of_the_screen(model: MapModel, story: Story, scene4_svg: bytes) -> None:
    texts = svg_texts(scene4_svg)
    joined = " ".join(texts)
    assert "“About 110 km south”, checked" in texts  # the scene's title
    for name in ("Camp Humphreys", "Seoul", "Camp Casey", "Osan Air Base", "Pyeongtaek (relocation area)"):
        assert name in texts, name
    km = f"{distance_km(story.places['seoul'].point, story.places['camp-humphreys'].point):.0f} km"
    assert km in texts  # the claim line's label, computed
    assert f"Source: {story.sources['voa-2004-06-08'].short}." in joined
    assert "© OpenStreetMap contributors" in joined and "Exported: 29 November 2026." in joined
    assert "Legend" in texts and "Claim check: measured distances" in joined
    assert not any("Yongsan (US HQ in 2004)" in t for t in texts), "a layer the scene hides is in the legend"
    root = ET.fromstring(scene4_svg)
    assert root.find(SVG_NS + "title").text == "“About 110 km south”, checked"
    assert "Camp Humphreys" in root.find(SVG_NS + "desc").text
    assert root.find(f".//{SVG_NS}image") is None, "the SVG holds a raster image"


def test_svg_highlights_the_selected_place(scene4_svg: bytes) -> None:
    root = ET.fromstring(scene4_svg)
    styles = {"".join(t.itertext()): t.get("style", "") for t in root.iter(SVG_NS + "text")}
    assert "fill: #ffffff" in styles["Camp Humphreys"]  # white on black with a yellow ring, as on screen
    assert "fill: #ffffff" not in styles["Seoul"]


def test_layers_choose_what_is_drawn(model: MapModel) -> None:
    texts = svg_texts(render_figure(model, View(layers=("dmz", "mdl")), "a4", "svg", today=TODAY))
    assert "Demilitarized Zone (DMZ)" in texts and "Panmunjom" in texts  # places of the dmz group
    assert "DMZ (MDL ± 2 km)" in texts and "Military Demarcation Line" in texts
    for hidden in ("Camp Casey", "Seoul", "Camp Humphreys", "North Korea (Pyongyang)", "Washington (State Department)"):
        assert hidden not in texts, hidden
    assert "Front-line camps" not in " ".join(texts)


def test_korean_figure_uses_the_cjk_font_and_has_no_missing_glyphs(model: MapModel, monkeypatch) -> None:
    view = View(place="pyeongtaek", lang="ko")
    svg = render_figure(model, view, "a4", "svg", today=TODAY)
    root = ET.fromstring(svg)
    styles = {"".join(t.itertext()): t.get("style", "") for t in root.iter(SVG_NS + "text")}
    assert "평택 (이전 지역)" in styles and "캠프 험프리스" in styles and "범례" in styles
    assert "font-family: 'Noto Sans CJK KR'" in styles["평택 (이전 지역)"]
    assert any(t.startswith("출처: VOA, 8 June 2004.") for t in styles)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_figure(model, view, "a4", "png", 60, today=TODAY)
    assert not [w for w in caught if "missing from font" in str(w.message)], "Korean drawn as empty boxes"
    # the check above can fail: with a Latin-only font the same figure misses its Korean glyphs
    monkeypatch.setattr(fig_mod, "font_family", lambda lang: ["DejaVu Sans"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_figure(model, view, "a4", "png", 60, today=TODAY)
    assert [w for w in caught if "missing from font" in str(w.message)]


def test_missing_cjk_font_is_named(model: MapModel, monkeypatch) -> None:
    monkeypatch.setattr(fig_mod, "CJK_FONT", "Noto Sans CJK ZZ")
    with pytest.raises(fig_mod.FontMissing, match=r"Noto Sans CJK ZZ.*fonts-noto-cjk"):
        render_figure(model, View(lang="ko"), "a4", "png", 60)


def test_pdf_figure_is_one_vector_a4_page_with_metadata(model: MapModel) -> None:
    view = View(place="pyeongtaek")
    data = render_figure(model, view, "a4", "pdf", today=TODAY)
    [(w, h)] = pdf_pages(data)
    assert (round(w, 1), round(h, 1)) == (841.9, 595.3)  # 297 × 210 mm
    assert b"/Subtype /Image" not in data
    assert pdf_info(data, "Title") == "Pyeongtaek (relocation area)"
    assert pdf_info(data, "Subject").startswith("Map: Pyeongtaek (relocation area). Layers shown:")
    assert b"/CreationDate" not in data


def test_exports_are_deterministic(model: MapModel, scene4_svg: bytes, scene4: View) -> None:
    assert render_figure(model, scene4, "a4", "svg", today=TODAY) == scene4_svg
    view = View(place="seoul", layers=("seoul", "yongsan"))
    assert render_figure(model, view, "slide", "pdf", today=TODAY) == render_figure(
        model, view, "slide", "pdf", today=TODAY
    )


def test_hostile_content_is_drawn_as_text(content_copy: Path, geo: Geodata) -> None:
    m = hostile_model(content_copy, geo)
    view = View(place="pyeongtaek")
    svg = render_figure(m, view, "a4", "svg", today=TODAY)
    assert b"<script" not in svg and b"&lt;script&gt;alert(1)&lt;/script&gt; $x$" in svg
    texts = svg_texts(svg)
    assert texts.count(HOSTILE) >= 2  # the title and the place's label, dollar signs and all
    assert ET.fromstring(svg).find(SVG_NS + "title").text == HOSTILE
    render_figure(m, view, "a4", "png", 60, today=TODAY)  # no mathtext error, no TeX
    page = render_html(m, view, today=TODAY)
    assert "<script>alert(1)" not in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; $x$</h1>" in page


# --- the handout ---------------------------------------------------------------------------------------------


def test_handout_has_a_page_per_scene_with_filled_text(model: MapModel, story: Story) -> None:
    calls: list[tuple[int, int]] = []
    data = render_handout(model, "en", today=TODAY, on_page=lambda i, n: calls.append((i, n)))
    n = len(story.scenes)
    assert n >= 5
    sizes = pdf_pages(data)
    assert len(sizes) == n
    assert all((round(w, 1), round(h, 1)) == (841.9, 595.3) for w, h in sizes)
    assert calls == [(i, n) for i in range(1, n + 1)]
    assert pdf_info(data, "Title") == "Realigning US forces in Korea, June 2004 — Briefing"

    pages = handout_pages(model, "en")
    for page in pages:
        text = " ".join([page.headline, *page.bullets])
        assert "{" not in text and "}" not in text, text
    claim = pages[3]
    km = distance_km(story.places["seoul"].point, story.places["camp-humphreys"].point)
    assert f"measured, it is {km:.0f} km from Seoul City Hall" in claim.headline
    first = pages[0]
    assert first.card is not None and first.card.kind == "figure"
    assert first.card.main == story.figures["us-troops-2004"].display("en") == "about 37,000"
    hq = pages[2]
    assert hq.card is not None and hq.card.kind == "paraphrase" and hq.card.heading.startswith("Paraphrase")
    assert hq.card.main == story.quotes["sk-not-final"].text
    kim = next(p for p in pages if p.card and p.card.kind == "quote")
    assert kim.card.main.startswith("“") and "Kim Tae-woo" in kim.card.detail


# --- the command line ----------------------------------------------------------------------------------------


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--scene", "99", "--format", "png"], 1, "error: no scene 99: the briefing has {n} scenes (1–{n})"),
        (["--place", "nowhere", "--format", "svg"], 1, "error: unknown place 'nowhere'; known places: beijing"),
        (["--format", "gif"], 2, "error: argument --format: invalid choice: 'gif'"),
        (["--format", "png", "--preset", "letter"], 2, "error: argument --preset: invalid choice: 'letter'"),
        (["--format", "png", "--layers", "dmz,bogus"], 1, "error: unknown layer(s) 'bogus'"),
    ],
)
def test_cli_refuses_bad_requests_in_one_line(
    args: list[str], code: int, message: str, story: Story, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "figure.out"
    try:
        rc = main(["export", *args, "--out", str(out)])
    except SystemExit as exc:
        rc = exc.code
    assert rc == code
    captured = capsys.readouterr()
    assert _one_line(captured.err).startswith(message.format(n=len(story.scenes)))
    assert captured.out == "" and not out.exists()


def test_cli_refuses_an_unwritable_output(tmp_path: Path, capsys) -> None:
    rc = main(["export", "--format", "png", "--out", str(tmp_path / "missing" / "x.png")])
    assert rc == 1
    assert _one_line(capsys.readouterr().err) == f"error: cannot write {tmp_path / 'missing' / 'x.png'}: directory " + (
        f"{tmp_path / 'missing'} does not exist"
    )


def test_cli_writes_and_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "pyeongtaek.png"
    cmd = [sys.executable, "-m", "realignment", "export", "--place", "pyeongtaek", "--lang", "ko"]
    ok = subprocess.run(
        [*cmd, "--format", "png", "--dpi", "100", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().startswith(f"wrote {out} (")
    assert "PNG 1169×827 px at 100 dpi, A4 landscape" in ok.stdout
    assert Image.open(out).size == (1169, 827)
    bad = subprocess.run(
        [sys.executable, "-m", "realignment", "export", "--scene", "0", "--format", "png", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: no scene 0")


# --- scale, frame, words -------------------------------------------------------------------------------------


def test_scale_bar_is_true_at_the_maps_latitude(model: MapModel, scene4: View) -> None:
    frame = fig_mod.frame_for(model, scene4, 1.3)
    sb = scale_bar(frame, 600.0, 150.0)
    assert 0 < sb.length_pt <= 150 and sb.km in (1, 2, 3, 5, 10, 20, 30, 50, 100, 200)
    # measure the bar on the ground: its ends at the centre latitude, geodesic distance on WGS84
    cx, cy = (frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2
    half = sb.length_pt / 600.0 * frame.width / 2
    (lon0, lat0), (lon1, lat1) = from_map(cx - half, cy), from_map(cx + half, cy)
    ground_km = GEOD.inv(lon0, lat0, lon1, lat1)[2] / 1000
    assert ground_km == pytest.approx(sb.km, rel=0.002)
    assert abs(sb.lat - 37.4) < 0.3


def test_frame_holds_the_views_places_at_the_page_aspect(model: MapModel, scene4: View) -> None:
    frame: Frame = fig_mod.frame_for(model, scene4, 1.5)
    assert frame.width / frame.height == pytest.approx(1.5)
    for pid in ("seoul", "camp-casey", "camp-humphreys"):
        lat, lon = model.story.places[pid].point
        x, y = to_map(lon, lat)
        assert frame.x0 < x < frame.x1 and frame.y0 < y < frame.y1, pid


def test_labels_do_not_pile_up_or_leave_the_map(model: MapModel) -> None:
    """Place names, distance labels and edge callouts each get their own spot inside the map, in every view."""
    views = [View(), View(lang="ko"), View(place="camp-casey"), View(place="seoul", lang="ko")]
    views += [model.scene_view(n) for n in range(1, len(model.story.scenes) + 1)]
    for view in views:
        for preset in PRESETS.values():
            with figure_context(view.lang):
                _, painter = compose_figure(model, view, preset, TODAY, (preset.width_in, preset.height_in))
            labels = painter.drawn.labels
            assert len(labels) >= 3, (view, preset.id)
            for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
                assert box_a.overlap(box_b) < 1.0, f"{preset.id} {view}: {a!r} covers {b!r}"
            for a, box in labels:
                assert box.inside(painter.box), f"{preset.id} {view}: {a!r} sticks out of the map"


def test_alt_text_says_what_the_figure_shows(model: MapModel, story: Story, scene4: View) -> None:
    text = alt_text(model, scene4)
    assert text.startswith("Map: “About 110 km south”, checked.")
    assert "Camp Humphreys (highlighted)" in text and "Seoul" in text
    km = distance_km(story.places["seoul"].point, story.places["camp-humphreys"].point)
    assert f"{km:.0f} km" in text and "the article says 110 km" in text
    assert "Yongsan Garrison" not in text.split("Places:")[1].split(".")[0]  # hidden in this scene
    assert text.endswith("Source: VOA, 8 June 2004.")
    ko = alt_text(model, View(place="pyeongtaek", lang="ko"))
    assert ko.startswith("지도: 평택 (이전 지역).") and "평택 (이전 지역) (강조)" in ko


# --- the stand-alone HTML ------------------------------------------------------------------------------------


class _Loads(HTMLParser):
    """Every URL an HTML page asks the browser to load as it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action") and value:
                self.urls.append(value)


def test_html_needs_nothing_from_outside(model: MapModel, scene4: View) -> None:
    page = render_html(model, scene4, today=TODAY)
    parser = _Loads()
    parser.feed(page)
    assert "link" not in parser.tags and parser.urls == []  # no <script src>, no <link href>, no <img>
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
    assert css_urls and all(u.startswith(("data:", "#")) for u in css_urls), css_urls
    assert "@import" not in page
    # the online tile layers are offered in the layer switcher's configuration, not loaded (see the browser test)
    assert all(t["url"] in page for t in settings.ONLINE_TILES)
    # every layer travels inside the file
    for layer in ("land", "mdl", "dmz", "seoul", "pyeongtaek"):
        assert f'"layer:{layer}":{{"type":"FeatureCollection"' in page, layer


def test_html_opens_from_disk_offline_and_draws_the_map(
    model: MapModel, scene4: View, tmp_path: Path, artifacts: Path
) -> None:
    path = tmp_path / "scene4.html"
    path.write_text(render_html(model, scene4, today=TODAY), encoding="utf-8")
    rec = Recorder()
    with browser_context() as ctx:
        page = open_page(ctx, rec)
        page.goto(path.as_uri())
        page.wait_for_selector(".leaflet-container[data-layers-loaded='true']", timeout=20_000)
        page.wait_for_timeout(300)
        n_paths = page.evaluate("document.querySelectorAll('path.leaflet-interactive').length")
        labels = page.evaluate("Array.from(document.querySelectorAll('.realign-label')).map(e => e.textContent)")
        selected = page.evaluate("document.querySelector('.leaflet-container').getAttribute('data-selected')")
        problems = page.evaluate("document.querySelectorAll('.realign-problem').length")
        title = page.evaluate("document.querySelector('h1').textContent")
        shot = artifacts / "export-html-scene4.png"
        page.screenshot(path=shot)
    assert n_paths >= 15  # DMZ, MDL, Seoul, Pyeongtaek, bands, claim lines, markers
    assert {"Camp Humphreys", "Seoul", "Camp Casey", "Pyeongtaek (relocation area)"} <= set(labels)
    assert selected == "camp-humphreys" and problems == 0
    assert title == "“About 110 km south”, checked"
    schemes = {u.split(":", 1)[0] for u in rec.requests}
    assert schemes <= {"file", "data"}, rec.requests
    assert rec.console_errors == [] and rec.dialogs == []
    img = np.asarray(Image.open(shot).convert("RGB").resize((200, 125)))
    assert len({tuple(c // 16) for c in img.reshape(-1, 3)}) > 25, "the map looks blank"


# --- golden images -------------------------------------------------------------------------------------------

GOLDEN_VIEWS = {
    "scene4-en-slide": ("slide", lambda m: m.scene_view(4, "en")),
    "pyeongtaek-ko-a4": ("a4", lambda m: View(place="pyeongtaek", lang="ko")),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_VIEWS))
def test_golden_image(name: str, model: MapModel, artifacts: Path) -> None:
    preset, make_view = GOLDEN_VIEWS[name]
    data = render_figure(model, make_view(model), preset, "png", 100, today=TODAY)
    ref = GOLDEN / f"{name}.png"
    if os.environ.get("REALIGN_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        ref.write_bytes(data)
        pytest.skip(f"golden image {ref.name} rewritten: look at it before committing")
    assert ref.exists(), f"{ref} is missing: run with REALIGN_UPDATE_GOLDEN=1 and look at the result"
    actual = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(np.int16)
    expected = np.asarray(Image.open(ref).convert("RGB")).astype(np.int16)
    problem = None
    if actual.shape != expected.shape:
        problem = f"size {actual.shape[1]}×{actual.shape[0]} instead of {expected.shape[1]}×{expected.shape[0]}"
    else:
        diff = np.abs(actual - expected)
        mean = float(diff.mean())
        share = float((diff.max(axis=2) > 48).mean())
        if mean > 1.5 or share > 0.005:
            problem = f"mean difference {mean:.2f}/255, {share:.2%} of pixels differ"
            Image.fromarray((255 - np.clip(diff.max(axis=2) * 4, 0, 255)).astype(np.uint8)).save(
                artifacts / f"golden-{name}-diff.png"
            )
    if problem:
        (artifacts / f"golden-{name}-actual.png").write_bytes(data)
        pytest.fail(f"{name}: {problem}; see test-artifacts/golden-{name}-actual.png and -diff.png")


def test_golden_check_can_fail(model: MapModel) -> None:
    """The tolerance is tight enough to see a moved label: another view differs from the reference."""
    ref = GOLDEN / "scene4-en-slide.png"
    if not ref.exists():
        pytest.skip("no golden image yet")
    other = render_figure(model, model.scene_view(2, "en"), "slide", "png", 100, today=TODAY)
    a = np.asarray(Image.open(io.BytesIO(other)).convert("RGB")).astype(np.int16)
    b = np.asarray(Image.open(ref).convert("RGB")).astype(np.int16)
    diff = np.abs(a - b)
    assert diff.mean() > 1.5 or (diff.max(axis=2) > 48).mean() > 0.005
