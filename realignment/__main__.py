"""Command line: check the content, prepare the offline assets, print the measurements.

python -m realignment check      # every content/geodata problem, exit 1 if any
python -m realignment assets     # copy Leaflet and the layers under static/vendor
python -m realignment measure    # layer sizes, areas, lengths and the claim check
"""

from __future__ import annotations

import argparse
import sys

from . import assets
from .content import load_story
from .geodata import layer_summary, load_geodata


def _check(_: argparse.Namespace) -> int:
    geo = load_geodata()
    story = load_story(layer_ids=geo.layers.keys())
    problems = [str(i) for i in story.issues] + list(geo.issues)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s).", file=sys.stderr)
        return 1
    print(
        f"OK: {len(story.sources)} sources, {len(story.places)} places, {len(story.figures)} figures, "
        f"{len(story.quotes)} quotes, {len(story.events)} events, {len(story.claims)} claims, "
        f"{len(geo.layers)} geodata layers."
    )
    return 0


def _assets(_: argparse.Namespace) -> int:
    try:
        changed = assets.prepare()
    except assets.AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Offline assets ready in static/vendor (Leaflet {assets.leaflet_version()}; {len(changed)} file(s) updated)."
    )
    return 0


def _measure(_: argparse.Namespace) -> int:
    from .claims import check_claim

    geo = load_geodata()
    story = load_story(layer_ids=geo.layers.keys())
    for lid, rec in layer_summary(geo).items():
        print(lid, rec)
    for claim in story.claims.values():
        check = check_claim(claim, story, geo)
        for m in check.measurements:
            print(f"{m.label} -> {check.subject_name}: {m.km:.1f} km")
        print(check.verdict())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m realignment", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate content/ and geodata/").set_defaults(func=_check)
    sub.add_parser("assets", help="prepare the offline assets under static/vendor").set_defaults(func=_assets)
    sub.add_parser("measure", help="print layer measures and the claim check").set_defaults(func=_measure)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
