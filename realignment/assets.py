"""Offline assets: Leaflet from an installed package and the geodata layers, served by the app itself."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import settings

LEAFLET_PACKAGE = "js_lib_leaflet"
LEAFLET_DIST = "django-js-lib-leaflet"
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


class AssetError(RuntimeError):
    """An offline asset is missing; the message says which and how to get it."""


@dataclass(frozen=True)
class AssetUrls:
    """Where the browser finds each asset, with a content hash so a changed file is never stale."""

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]
    geodata: dict[str, str]


def _leaflet_source() -> Path:
    try:
        root = importlib.resources.files(LEAFLET_PACKAGE) / "static" / LEAFLET_PACKAGE
    except ModuleNotFoundError:
        raise AssetError(f"Leaflet is not installed: pip install {LEAFLET_DIST} (it is in requirements.txt)") from None
    return Path(str(root))


def leaflet_version() -> str:
    return importlib.metadata.version(LEAFLET_DIST)


def _copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and dst.read_bytes() == src.read_bytes():
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)
    return True


def prepare(static_dir: Path | None = None, geodata_dir: Path | None = None) -> list[Path]:
    """Copy Leaflet and the geodata layers under static/vendor; returns the files that changed."""
    static_dir = Path(static_dir or settings.STATIC_DIR)
    geodata_dir = Path(geodata_dir or settings.GEODATA_DIR)
    vendor = static_dir / "vendor"
    changed: list[Path] = []
    src = _leaflet_source()
    for rel in LEAFLET_FILES:
        if not (src / rel).exists():
            raise AssetError(f"{LEAFLET_DIST} has no {rel}; reinstall it")
        if _copy_if_changed(src / rel, vendor / "leaflet" / rel):
            changed.append(vendor / "leaflet" / rel)
    for layer in sorted(geodata_dir.glob("*.geojson")):
        if _copy_if_changed(layer, vendor / "geodata" / layer.name):
            changed.append(vendor / "geodata" / layer.name)
    return changed


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def urls(static_dir: Path | None = None) -> AssetUrls:
    """The URLs of the prepared assets; raises AssetError naming what is missing."""
    static_dir = Path(static_dir or settings.STATIC_DIR)
    base = settings.STATIC_URL

    def url(rel: str) -> str:
        path = static_dir / rel
        if not path.exists():
            raise AssetError(f"{path.relative_to(static_dir.parent)} is missing: run `make assets`")
        return f"{base}/{rel}?v={_hash(path)}"

    js = (("leaflet", url("vendor/leaflet/leaflet.js")), ("realign", url("realign/realign.js")))
    css = (("leaflet_css", url("vendor/leaflet/leaflet.css")), ("realign_css", url("realign/realign.css")))
    geo = {
        p.stem: url(f"vendor/geodata/{p.name}") for p in sorted((static_dir / "vendor" / "geodata").glob("*.geojson"))
    }
    return AssetUrls(js=js, css=css, geodata=geo)
