"""axe-core on every page in both languages, and inside the map's frame: no serious or critical WCAG 2.0/2.1 A/AA
violation. Full results are saved as test-artifacts/axe-<page>-<lang>.json."""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from realignment import settings
from realignment.content import Story

from .browser import MAP_IFRAME, Recorder, Server, in_map, open_page, wait_map_ready
from .test_browser_pages import PAGES

AXE_PACKAGE = "axe_playwright_python"  # PyPI axe-playwright-python==0.1.8 ships axe-core's axe.min.js
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "iframes": False,  # the map's frame is checked on its own, with axe injected into it
}
BLOCKING = ("serious", "critical")
BRIEFING_SCENES = (3, 7)
SELECTED_PLACE = "pyeongtaek"  # the fullest side panel: figures, quotes, events, linked places, an open claim check


@dataclass(frozen=True)
class Allowed:
    """A violation in Streamlit's own markup that the app cannot change: rule, where (a pattern matched against
    axe's selector of the node), and why."""

    rule: str
    target: str
    reason: str


# Streamlit's own markup that no page, theme option or stylesheet of this app can reach. Everything else fails.
# Empty: with the theme's text colour set in .streamlit/config.toml, none of Streamlit's own elements fails.
ALLOWED: tuple[Allowed, ...] = ()


def is_allowed(rule: str, target: str) -> Allowed | None:
    return next((a for a in ALLOWED if a.rule == rule and re.search(a.target, target)), None)


class AxeSource(str):
    """axe.min.js; shown by its name, not its 500 KB, when a test fails."""

    def __repr__(self) -> str:
        return f"<axe.min.js, {len(self):,} characters>"


@pytest.fixture(scope="module")
def axe_source() -> str:
    try:
        source = (importlib.resources.files(AXE_PACKAGE) / "axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-core is missing: pip install axe-playwright-python==0.1.8 (it ships axe.min.js)")
    assert source.startswith("/*! axe v4."), source[:40]
    return AxeSource(source)


# server and ctx come from tests/conftest.py; one page for the whole module, so axe is injected once per page load
@pytest.fixture(scope="module")
def page(ctx: BrowserContext, server: Server) -> Iterator[Page]:
    rec = Recorder()
    p = open_page(ctx, rec)
    yield p
    assert rec.foreign_hosts(server.url) == set()
    p.close()


def settle(page: Page) -> None:
    """Until the script has run, nothing is stale, the map has its layers and every chart is drawn."""
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-stale=true]'); }",
        timeout=60_000,
    )
    if page.locator(MAP_IFRAME).count():
        wait_map_ready(page, timeout=60)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg g, canvas'))",
        timeout=60_000,
    )
    page.wait_for_timeout(800)  # the last paint of charts and fonts


def run_axe(page: Page, source: str, in_frame: bool) -> dict:
    if not in_frame:
        page.evaluate(source)
        return page.evaluate("o => axe.run(document, o)", AXE_OPTIONS)
    page.evaluate("([sel, src]) => document.querySelector(sel).contentWindow.eval(src)", [MAP_IFRAME, source])
    return page.evaluate(
        "([sel, o]) => { const f = document.querySelector(sel);"
        " return f.contentWindow.axe.run(f.contentDocument, o); }",
        [MAP_IFRAME, AXE_OPTIONS],
    )


SCANS: dict[tuple[str, str], dict] = {}


def scan(page: Page, server: Server, source: str, artifacts: Path, path: str, heading: str, lang: str) -> dict:
    """Open the page, wait until it is drawn, run axe in it and in its map frame; once per page and language."""
    key = (path, lang)
    if key in SCANS:
        return SCANS[key]
    sep = "&" if "?" in path else "?"
    page.goto(f"{server.url}{path}" + (f"{sep}lang=ko" if lang == "ko" else ""))
    h1 = page.locator(".st-key-scene-text h1" if path.startswith("/briefing") else "h1").first
    expect(h1).to_have_text(heading, timeout=60_000)
    settle(page)
    result = {
        "url": page.url,
        "lang": page.evaluate("document.documentElement.lang"),
        "page": run_axe(page, source, False),
    }
    if page.locator(MAP_IFRAME).count():
        result["map"] = run_axe(page, source, True)
        result["map_lang"] = in_map(page, "document.documentElement.lang")
        result["legend"] = in_map(
            page,
            "[...document.querySelectorAll('.realign-legend-row')].map(r => ({group: r.getAttribute('data-group'),"
            " label: r.textContent, svg: r.querySelector('svg').innerHTML}))",
        )
    blocking, allowed = [], []
    for where in ("page", "map"):
        for v in result.get(where, {}).get("violations", []):
            for node in v["nodes"]:
                impact = node.get("impact") or v["impact"]
                if impact not in BLOCKING:
                    continue
                target = " ".join(str(t) for t in node["target"])
                entry = {
                    "where": where,
                    "rule": v["id"],
                    "impact": impact,
                    "target": target,
                    "html": node["html"][:300],
                    "summary": node.get("failureSummary", ""),
                }
                exception = is_allowed(v["id"], target)
                if exception is not None:
                    allowed.append(entry | {"reason": exception.reason})
                else:
                    blocking.append(entry)
    result["blocking"], result["allowed"] = blocking, allowed
    base, _, query = path.partition("?")
    name = "-".join(x for x in (base.strip("/") or "map", re.sub(r"[^a-z0-9]+", "-", query.lower())) if x)
    (artifacts / f"axe-{name}-{lang}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")
    counts = {w: len(result[w]["violations"]) for w in ("page", "map") if w in result}
    print(f"\naxe {path} [{lang}]: rules violated {counts}, blocking nodes {len(blocking)}, allowed {len(allowed)}")
    SCANS[key] = result
    return result


def cases() -> list:
    """Every page in English and Korean, the map with a place selected, and two briefing scenes in each."""
    out = []
    for lang in ("en", "ko"):
        for path, en, ko in PAGES:
            out.append(pytest.param(path, lang, en if lang == "en" else ko, id=f"{path.strip('/') or 'map'}-{lang}"))
        _, en, ko = PAGES[0]
        place_path = f"/?place={SELECTED_PLACE}"
        out.append(pytest.param(place_path, lang, en if lang == "en" else ko, id=f"map-{SELECTED_PLACE}-{lang}"))
        for n in BRIEFING_SCENES:
            out.append(pytest.param(f"/briefing?scene={n}", lang, None, id=f"briefing-{n}-{lang}"))
    return out


def heading_for(story: Story, path: str, lang: str, heading: str | None) -> str:
    if heading is not None:
        return heading
    n = int(path.rsplit("=", 1)[1])
    return story.scene_list()[n - 1].title.get(lang)


@pytest.mark.parametrize(("path", "lang", "heading"), cases())
def test_no_serious_or_critical_violation(
    page: Page, server: Server, axe_source: str, artifacts: Path, story: Story, path: str, lang: str, heading: str
) -> None:
    result = scan(page, server, axe_source, artifacts, path, heading_for(story, path, lang, heading), lang)
    assert result["page"]["testEngine"]["name"] == "axe-core"
    assert result["page"]["passes"], "axe checked nothing: the page was empty"
    if path.split("?")[0] in ("/", "/briefing"):
        assert "map" in result, "the map's frame was not found"
        assert result["map"]["passes"], "axe checked nothing inside the map's frame"
    lines = [
        f"{b['where']} {b['rule']} ({b['impact']}) at {b['target']}: {b['summary'][:240]}" for b in result["blocking"]
    ]
    assert not lines, f"{path} [{lang}]: {len(lines)} serious/critical node(s):\n" + "\n".join(lines)


@pytest.mark.parametrize(("path", "lang", "heading"), [c for c in cases() if c.values[0] in ("/", "/briefing?scene=3")])
def test_the_page_and_the_map_say_which_language_they_are_in(
    page: Page, server: Server, axe_source: str, artifacts: Path, story: Story, path: str, lang: str, heading: str
) -> None:
    """WCAG 3.1.1: a screen reader reads Korean labels with a Korean voice only if the document says lang="ko"."""
    result = scan(page, server, axe_source, artifacts, path, heading_for(story, path, lang, heading), lang)
    assert result["lang"].split("-")[0] == lang, f"the page says lang={result['lang']!r} while it shows {lang}"
    assert result["map_lang"].split("-")[0] == lang, f"the map's frame says lang={result['map_lang']!r}"


def test_the_legend_never_tells_two_groups_apart_by_colour_alone(
    page: Page, server: Server, axe_source: str, artifacts: Path
) -> None:
    """Legend rows with the same colour are drawn differently (shape or dash), and each row names its group."""
    result = scan(page, server, axe_source, artifacts, "/", PAGES[0][1], "en")
    rows = result["legend"]
    assert [r["group"] for r in rows] == list(settings.LAYER_GROUP_IDS)
    for r in rows:
        assert r["label"] == settings.GROUPS[r["group"]].label["en"]

    def colourless(svg: str) -> str:
        return re.sub(r"#[0-9a-fA-F]{3,6}\b", "", svg)

    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if settings.GROUPS[a["group"]].color.lower() == settings.GROUPS[b["group"]].color.lower():
                assert colourless(a["svg"]) != colourless(b["svg"]), (a, b)


def test_every_allowed_exception_is_still_needed() -> None:
    """An exception that no page produces any more is removed from ALLOWED, so the list stays honest."""
    if len(SCANS) < len(cases()):
        pytest.skip("not every page was scanned in this run")
    used = {(e["rule"], a.target) for r in SCANS.values() for e in r["allowed"] for a in ALLOWED if a.rule == e["rule"]}
    stale = [a for a in ALLOWED if (a.rule, a.target) not in used]
    assert not stale, stale
