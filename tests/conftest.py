"""Shared fixtures: a copy of the content to break, and the loaded story and geodata."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from realignment import settings
from realignment.content import Story, load_story
from realignment.geodata import Geodata, load_geodata

from .browser import Recorder, Server, browser_context, open_page, streamlit_server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def geo() -> Geodata:
    return load_geodata()


@pytest.fixture(scope="session")
def story(geo: Geodata) -> Story:
    return load_story(layer_ids=geo.layers.keys())


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ that a test can break."""
    dst = tmp_path / "content"
    shutil.copytree(settings.ROOT / "content", dst)
    return dst


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The browser tests' real server and browser, one of each per test module (a module can define its own).
@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with streamlit_server() as s:
        yield s


@pytest.fixture(scope="module")
def ctx() -> Iterator[BrowserContext]:
    with browser_context() as c:
        yield c


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def page(ctx: BrowserContext, rec: Recorder, server: Server) -> Iterator[Page]:
    p = open_page(ctx, rec)
    yield p
    # every test: nothing but the app's own host was asked for anything, and no script ran from content
    assert rec.foreign_hosts(server.url) == set(), rec.foreign_hosts(server.url)
    assert rec.dialogs == []
    p.close()
