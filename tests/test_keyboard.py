"""Keyboard alone: Tab reaches every control of the map page (inside the map's frame too) and of the briefing;
Enter and Space work them. The focus trail of each test is saved as test-artifacts/keyboard-*.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from realignment.content import Story
from realignment.i18n import t

from .browser import MAP_IFRAME, Server, in_map, wait_map_ready

BOUND = 120  # Tab presses allowed to reach everything; the map page has about 50 stops

# What has the focus, described the same way in the page and inside the map's frame.
FOCUSED = """() => {
  const describe = (el, frame) => {
    if (el && el.tagName === 'IFRAME' && el.contentDocument) {
      const inner = el.contentDocument.activeElement;
      const frame = el.matches(__MAP_IFRAME__) ? 'map' : 'frame';
      if (inner && inner !== el.contentDocument.body) return describe(inner, frame);
    }
    if (!el) return null;
    const key = el.closest('[class*="st-key-"]');
    const control = el.closest('.leaflet-control');
    const cls = el.getAttribute('class') || '';
    return {frame, tag: el.tagName, role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
      title: el.getAttribute('title'), text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
      cls: cls.slice(0, 120), control: control ? control.getAttribute('class') : null,
      key: key ? [...key.classList].find(c => c.startsWith('st-key-')).slice(7) : null,
      expanded: el.getAttribute('aria-expanded'), pressed: el.getAttribute('aria-pressed')};
  };
  return describe(document.activeElement, 'page');
}""".replace("__MAP_IFRAME__", json.dumps(MAP_IFRAME))

Want = Callable[[dict], bool]


# server, ctx and page (no request off 127.0.0.1, no dialog) come from tests/conftest.py


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED) or {}


def press_until(page: Page, want: Want, trail: list[dict], key: str = "Tab", bound: int = BOUND) -> dict | None:
    for _ in range(bound):
        page.keyboard.press(key)
        now = focused(page)
        trail.append(now)
        if want(now):
            return now
    return None


def idle(page: Page) -> None:
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=60_000,
    )


def in_page(key_prefix: str) -> Want:
    return lambda f: f.get("frame") == "page" and (f.get("key") or "").startswith(key_prefix)


def in_map_control(cls: str) -> Want:
    return lambda f: f.get("frame") == "map" and cls in f.get("cls", "") + " " + (f.get("control") or "")


MAP_TARGETS: dict[str, Want] = {
    "language switch": in_page("lang-switch"),
    "place list button": lambda f: in_page("pick-")(f) and f.get("tag") == "BUTTON",
    "layer control": in_map_control("leaflet-control-layers-toggle"),
    "legend toggle": in_map_control("realign-legend-title"),
    "full screen": in_map_control("realign-fullscreen"),
    "measure": in_map_control("realign-measure"),
}


def open_map_page(page: Page, server: Server, story: Story) -> None:
    page.goto(f"{server.url}/")
    expect(page.locator(".st-key-panel h3").first).to_have_text(t("overview", "en"), timeout=60_000)
    wait_map_ready(page, timeout=60)
    idle(page)
    page.wait_for_timeout(500)


def test_tab_reaches_every_control_of_the_map_page(page: Page, server: Server, story: Story, artifacts: Path) -> None:
    open_map_page(page, server, story)
    trail: list[dict] = []
    found: dict[str, int] = {}
    for i in range(BOUND):
        page.keyboard.press("Tab")
        now = focused(page)
        trail.append(now)
        for name, want in MAP_TARGETS.items():
            if name not in found and want(now):
                found[name] = i + 1
                if name == "legend toggle":  # Enter folds and unfolds the legend
                    before = now["expanded"]
                    page.keyboard.press("Enter")
                    assert focused(page)["expanded"] == {"true": "false", "false": "true"}[before]
                    page.keyboard.press("Enter")
                    assert focused(page)["expanded"] == before
                if name == "measure":  # Space switches the measuring tool on and off, like a button
                    page.keyboard.press(" ")
                    assert focused(page)["pressed"] == "true"
                    page.keyboard.press(" ")
                    assert focused(page)["pressed"] == "false"
        if len(found) == len(MAP_TARGETS):
            break
    (artifacts / "keyboard-map.json").write_text(json.dumps(trail, indent=1, ensure_ascii=False), "utf-8")
    print(f"\nTab presses to reach each control: {found}")
    missing = sorted(set(MAP_TARGETS) - set(found))
    assert not missing, f"not reached in {BOUND} Tab presses: {missing}; see test-artifacts/keyboard-map.json"
    # every stop inside the map has a name a screen reader can say (the map itself excepted: it is the region)
    unnamed = [
        f
        for f in trail
        if f.get("frame") == "map"
        and "leaflet-container" not in f.get("cls", "")
        and not (f.get("label") or f.get("title") or f.get("text"))
    ]
    assert not unnamed, f"Tab stops in the map without a name: {unnamed}"


def test_enter_and_space_select_a_place_from_the_list(page: Page, server: Server, story: Story) -> None:
    open_map_page(page, server, story)
    panel = page.locator(".st-key-panel h3").first
    trail: list[dict] = []
    lost = []
    for pid, key in (("seoul", "Enter"), ("camp-humphreys", " ")):
        name = story.places[pid].name.get("en")
        got = press_until(page, in_page(f"pick-{pid}"), trail)
        assert got is not None, f"Tab did not reach the {name} button"
        assert got["text"] == name
        page.keyboard.press(key)
        expect(panel).to_have_text(name, timeout=30_000)
        page.wait_for_function(
            f"() => document.querySelector('{MAP_IFRAME}').contentDocument"
            f".querySelector('.leaflet-container').getAttribute('data-selected') === '{pid}'",
            timeout=30_000,
        )
        idle(page)
        after = focused(page)
        if after.get("key") != f"pick-{pid}":
            lost.append(f"{key!r} on {name}: the focus went to <{after.get('tag')}> {after.get('key') or ''}")
    # the focus stays where the user was, so the next Tab goes on from here, not from the top of the page
    assert not lost, "selecting a place from the keyboard loses the focus: " + "; ".join(lost)


def test_enter_on_a_place_drawn_on_the_map_selects_it(page: Page, server: Server, story: Story) -> None:
    open_map_page(page, server, story)
    name = story.places["pyeongtaek"].name.get("en")
    trail: list[dict] = []
    got = press_until(page, lambda f: f.get("frame") == "map" and f.get("label") == name, trail)
    assert got is not None, f"Tab did not reach the {name} area on the map: {trail}"
    assert got["role"] == "button"
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-panel h3").first).to_have_text(name, timeout=30_000)
    assert in_map(page, "realign.state.map.getContainer().getAttribute('data-selected')") == "pyeongtaek"


def test_tab_reaches_the_briefing_controls_and_enter_moves_on(
    page: Page, server: Server, story: Story, artifacts: Path
) -> None:
    scenes = story.scene_list()
    page.goto(f"{server.url}/briefing?scene=3")
    expect(page.locator(".st-key-scene-text h1")).to_have_text(scenes[2].title.get("en"), timeout=60_000)
    wait_map_ready(page, timeout=60)
    idle(page)
    targets: dict[str, Want] = {
        "previous": lambda f: in_page("scene-prev")(f) and f.get("tag") == "BUTTON",
        "next": lambda f: in_page("scene-next")(f) and f.get("tag") == "BUTTON",
        "scene list": lambda f: in_page("scene-pick")(f) and f.get("tag") == "INPUT",
    }
    trail: list[dict] = []
    found: dict[str, int] = {}
    for i in range(BOUND):
        page.keyboard.press("Tab")
        now = focused(page)
        trail.append(now)
        found |= {name: i + 1 for name, want in targets.items() if name not in found and want(now)}
        if len(found) == len(targets):
            break
    (artifacts / "keyboard-briefing.json").write_text(json.dumps(trail, indent=1, ensure_ascii=False), "utf-8")
    print(f"\nTab presses to reach each briefing control: {found}")
    assert set(found) == set(targets), f"not reached in {BOUND} Tab presses: {sorted(set(targets) - set(found))}"
    assert found["previous"] < found["next"] < found["scene list"]  # in reading order
    back = press_until(page, targets["next"], trail, key="Shift+Tab", bound=10)
    assert back is not None, "Shift+Tab did not go back to Next"
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-scene-text h1")).to_have_text(scenes[3].title.get("en"), timeout=30_000)
    expect(page.locator(".st-key-scene-progress")).to_have_text(t("progress", "en", n=4, total=len(scenes)))
