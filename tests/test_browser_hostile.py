"""Script injection through content: markup in names, quotes, labels and sources is shown as text, never run.

The real server runs on a copy of content/ whose strings carry HTML/JS payloads; the real browser loads each page in
PAGES and checks what a user sees: the payloads as literal text wherever the string is shown, no dialog, no injected
element, no console error about them, no request leaving 127.0.0.1. Add a page by adding a row to PAGES.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page, expect

from realignment import settings
from realignment.content import load_story

from .browser import Recorder, Server, browser_context, in_map, open_page, streamlit_server, wait_map_ready

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
# Markdown, for the places that render content as Markdown: it must stay text too (no link, no bold)
MD = "[click](javascript:alert(4)) **bold**"
# what an injected payload would leave behind in a console message
TELLTALES = ("onerror", "onload", "alert(", "<svg", "<img", "<script", "</script")


@dataclass(frozen=True)
class Hostile:
    """One hostile string: a marker a user can find, then the payload. Wherever the marker shows, the payload
    must follow it character for character; markup that was parsed, stripped or cut would break the pair."""

    marker: str
    text: str


@dataclass(frozen=True)
class Injected:
    """Which records carry the payloads, and the hostile strings by what they are and language."""

    place: str
    quote: str
    figure: str
    source: str
    strings: dict[str, dict[str, Hostile]]

    def get(self, what: str, lang: str) -> Hostile:
        return self.strings[what].get(lang) or self.strings[what]["en"]

    def all(self) -> list[Hostile]:
        return [h for by_lang in self.strings.values() for h in by_lang.values()]


@dataclass(frozen=True)
class HostilePage:
    """A page to load with the hostile content, and what on it must carry the payloads as text."""

    name: str
    path: str  # "{place}" is replaced by the id of the place that carries the payloads
    lang: str = "en"
    shows: tuple[str, ...] = ()  # hostile strings (place_name, figure_label, quote_context, source_short) it shows
    map_frame: bool = False  # it draws the map: its labels, tooltips and elements are checked too
    heading: str | None = None  # an element whose whole text is the hostile place name


ALL = ("place_name", "figure_label", "quote_context", "source_short")
PAGES: list[HostilePage] = [
    HostilePage("map", "/?place={place}", "en", ALL, map_frame=True, heading=".st-key-panel h3"),
    HostilePage("map-ko", "/?place={place}&lang=ko", "ko", ALL, map_frame=True, heading=".st-key-panel h3"),
    HostilePage("figures", "/figures", "en", ("figure_label",)),
    HostilePage("quotes", "/quotes", "en", ("quote_context",)),
    HostilePage("timeline", "/timeline", "en", ("place_name",)),
    HostilePage("sources", "/sources", "en", ("place_name",)),
    HostilePage("briefing", "/briefing", "en", ("source_short",), map_frame=True),
]
# where on the map frame a text is drawn: place labels (permanent Leaflet tooltips) and the attribution
MAP_TEXTS = {"place_name": ".realign-label", "source_short": ".leaflet-control-attribution"}


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _inject(content: Path) -> Injected:
    """Payloads in a place name (en and ko), a quote's context, a figure label (en and ko) and a source's short name.

    The place is an area (it has a map layer, so it also has a hover tooltip) named by a quote, and the figure and
    the quote are the ones its panel shows.
    """
    story = load_story(content)
    quote, place = next(
        (q, story.places[p])
        for q in story.quotes.values()
        if q.kind == "quote"
        for p in q.places
        if p in story.places and story.places[p].layer and not story.places[p].offmap
    )
    figure = next(f.figure for f in story.figures.values() if place.id in f.figure.places)
    source = story.sources[quote.source]

    def hostile(marker: str, before: str, payload: str) -> Hostile:
        return Hostile(marker, f"{before} {marker} {payload}".strip())

    strings = {
        "place_name": {"en": hostile("Ⓟ1", place.name.en, IMG), "ko": hostile("Ⓟ2", place.name.ko, SCRIPT)},
        "figure_label": {"en": hostile("Ⓕ1", figure.label.en, SVG), "ko": hostile("Ⓕ2", figure.label.ko, IMG)},
        "quote_context": {"en": hostile("Ⓠ1", "", f"{SVG} {SCRIPT}")},
        "source_short": {"en": hostile("Ⓢ1", source.short, f"{SCRIPT} {MD}")},
    }

    def rec(data: dict, section: str, rid: str) -> dict:
        return next(r for r in data[section] if r.get("id") == rid)

    def text(what: str) -> dict[str, str]:
        return {lang: h.text for lang, h in strings[what].items()}

    _edit(content / "places.yaml", lambda d: rec(d, "places", place.id).update(name=text("place_name")))
    _edit(content / "figures.yaml", lambda d: rec(d, "figures", figure.id).update(label=text("figure_label")))
    _edit(content / "quotes.yaml", lambda d: rec(d, "quotes", quote.id).update(context=text("quote_context")["en"]))
    _edit(content / "sources.yaml", lambda d: rec(d, "sources", source.id).update(short=text("source_short")["en"]))
    # a quote's context is checked word for word against the source text: the hostile words are put there too
    assert source.text_file
    with (content / source.text_file).open("a", encoding="utf-8") as f:
        f.write("\n" + text("quote_context")["en"] + "\n")
    return Injected(place.id, quote.id, figure.id, source.id, strings)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[tuple[Server, Injected]]:
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(settings.ROOT / "content", content)
    injected = _inject(content)
    # the payloads are valid content: nothing is rejected, so every one of them reaches the pages
    before = {str(i) for i in load_story(settings.ROOT / "content").issues}
    after = [str(i) for i in load_story(content).issues if str(i) not in before]
    assert after == [], after
    story = load_story(content)
    assert story.quotes[injected.quote].context == injected.get("quote_context", "en").text
    assert story.places[injected.place].name.ko == injected.get("place_name", "ko").text
    with streamlit_server(env={"REALIGN_CONTENT_DIR": str(content)}) as server:
        yield server, injected


@pytest.fixture(scope="module")
def ctx() -> Iterator[BrowserContext]:
    with browser_context() as c:
        yield c


# elements a payload would have made, in the page or in the map frame
INJECTED_ELEMENTS = (
    'document.querySelectorAll(\'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"]\').length'
    " + Array.from(document.scripts).filter(s => /^\\s*alert\\(\\d\\)\\s*$/.test(s.textContent)).length"
)


def _squash(text: str) -> str:
    return " ".join(text.split())


def broken_pairs(text: str, injected: Injected) -> list[str]:
    """Markers shown without their payload right after them: markup that was parsed, stripped or cut.

    A chart may shorten a long label with an ellipsis ("… <svg onload…"): still text, so that counts as whole.
    """
    text = _squash(text)
    broken = []
    for h in injected.all():
        tail = _squash(h.text[h.text.index(h.marker) :])
        at = text.find(h.marker)
        while at >= 0:
            rest = text[at : at + len(tail)]
            shortened = rest.split("…")[0]
            if rest != tail and not ("…" in rest and len(shortened) > len(h.marker) + 1 and tail.startswith(shortened)):
                broken.append(text[at : at + len(tail) + 20])
            at = text.find(h.marker, at + 1)
    return broken


def show_broken(page: Page, injected: Injected, path: Path) -> None:
    """Scroll to the first element that shows a marker without its payload, and take its picture."""
    for h in injected.all():
        tail = h.text[h.text.index(h.marker) :]
        found = page.evaluate(
            """([marker, tail]) => { const e = Array.from(document.querySelectorAll('p, li, span, h1, h2, h3, button'))
                 .find(e => e.textContent.includes(marker) && !e.textContent.includes(tail));
               if (e) { e.scrollIntoView({block: 'center'}); e.style.outline = '3px solid red'; } return !!e; }""",
            [h.marker, tail],
        )
        if found:
            page.screenshot(path=path)
            return


def _map_texts(page: Page, selector: str) -> list[str]:
    return in_map(page, f"Array.from(document.querySelectorAll('{selector}')).map(e => e.textContent)") or []


def _wait_for_map_text(page: Page, selector: str, text: str, timeout: float = 30.0) -> list[str]:
    deadline = time.monotonic() + timeout
    found = _map_texts(page, selector)
    while not any(text in t for t in found) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        found = _map_texts(page, selector)
    return found


def check_map_frame(page: Page, hp: HostilePage, injected: Injected) -> None:
    """Labels, attribution and the area's hover tooltip show the payloads as text; nothing was injected there."""
    wait_map_ready(page, timeout=60)
    for what, selector in MAP_TEXTS.items():
        if what in hp.shows:
            want = injected.get(what, hp.lang).text
            found = _wait_for_map_text(page, selector, want)
            assert any(want in t for t in found), (what, found)
    if "place_name" in hp.shows:
        # the area's tooltip, opened the way a hover opens it, says the hostile name as text
        opened = in_map(
            page,
            f"(() => {{ const p = realign.state.places[{injected.place!r}]; let n = 0;"
            " (p ? p.layers : []).filter(e => e.item.type === 'geojson').forEach(e => e.layer.eachLayer(l => {"
            " l.openTooltip(l.getBounds().getCenter()); n += 1; })); return n; })()",
        )
        assert opened and opened > 0, "the place's area has no tooltip to open"
        tips = _map_texts(page, ".realign-tip")
        assert injected.get("place_name", hp.lang).text in tips, tips
    assert in_map(page, INJECTED_ELEMENTS) == 0  # None (no frame to read) fails too
    frame_text = in_map(page, "document.body.innerText")
    assert frame_text and broken_pairs(frame_text, injected) == [], broken_pairs(frame_text or "", injected)


@pytest.mark.parametrize("hp", PAGES, ids=[p.name for p in PAGES])
def test_markup_in_content_is_shown_as_text_and_never_runs(
    ctx: BrowserContext, hostile: tuple[Server, Injected], artifacts: Path, hp: HostilePage
) -> None:
    server, injected = hostile
    rec = Recorder()
    page = open_page(ctx, rec)
    try:
        page.goto(server.url + hp.path.format(place=injected.place), timeout=60_000)
        body = page.locator("body")
        # each payload the page shows is there character for character: shown, not parsed
        for what in hp.shows:
            expect(body).to_contain_text(injected.get(what, hp.lang).text, timeout=60_000)
        if hp.heading:
            expect(page.locator(hp.heading).first).to_have_text(injected.get("place_name", hp.lang).text)
        if hp.map_frame:
            check_map_frame(page, hp, injected)
        page.wait_for_timeout(1500)  # time for a late onerror/onload to fire, had anything been injected
        # the screenshot first, so that a failure below has its picture in test-artifacts/
        page.get_by_text(injected.get(hp.shows[0], hp.lang).marker).first.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"hostile-{hp.name}.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        assert page.evaluate(INJECTED_ELEMENTS) == 0
        # wherever a hostile string shows on the page, all of it shows, as typed
        broken = broken_pairs(body.inner_text(), injected)
        if broken:
            show_broken(page, injected, artifacts / f"hostile-{hp.name}-broken.png")
        assert broken == []
        assert rec.dialogs == [], rec.dialogs
        assert [m for m in rec.console_errors if any(t in m for t in TELLTALES)] == []
        assert rec.foreign_hosts(server.url) == set(), rec.foreign_hosts(server.url)
        # an injected <img src=x> would have asked the server for "x"
        assert [u for u in rec.requests if urlparse(u).path.rstrip("/").endswith("/x")] == []
    finally:
        page.close()
