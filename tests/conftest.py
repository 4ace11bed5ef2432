"""Shared fixtures: a copy of the content to break, and the loaded story and geodata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from realignment import settings
from realignment.content import Story, load_story
from realignment.geodata import Geodata, load_geodata

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
