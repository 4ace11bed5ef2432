"""Command line: check the content, prepare the offline assets, print the measurements.

python -m realignment check      # every content/geodata problem, exit 1 if any
python -m realignment assets     # copy Leaflet and the layers under static/vendor
python -m realignment measure    # layer sizes, areas, lengths and the claim check
python -m realignment export --scene 4 --format png --preset a4 --out figure.png   # a figure for a report
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from . import assets, settings
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


EXPORT_HELP = """Write the map of one view as a print figure (png, svg, pdf), a stand-alone HTML map that opens with
no internet (html), or the whole briefing as a PDF handout with a page per scene (handout; A4 landscape,
it takes only --lang). PNG, SVG and PDF figures come in two sizes: a4 (A4 landscape, 297 × 210 mm) and
slide (16:9, 13.333 × 7.5 in).

examples:
  python -m realignment export --scene 4 --format png --preset slide --out scene4.png
  python -m realignment export --place pyeongtaek --lang ko --format pdf --out pyeongtaek-ko.pdf
  python -m realignment export --format handout --out briefing.pdf
"""


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import export as ex
    from .webmap import MapModel

    out = Path(args.out)
    layers = tuple(x.strip() for x in args.layers.split(",") if x.strip()) if args.layers is not None else None
    try:
        ex.check_writable(out)
        geo = load_geodata()
        story = load_story(layer_ids=geo.layers.keys())
        model = MapModel(story, geo)
        view = ex.view_for(model, args.scene, args.place, args.lang, layers)
        done = ex.export(model, view, args.format, args.preset, out, dpi=args.dpi)
    except (ex.ExportError, ex.FontMissing) as exc:
        return _fail(str(exc))
    problems = len(story.issues) + len(geo.issues)
    if problems:
        print(f"warning: {problems} content/geodata problem(s); see `python -m realignment check`", file=sys.stderr)
    print(done.describe())
    return 0


class _Parser(argparse.ArgumentParser):
    """Mistakes on the command line in one line on stderr (exit code 2), not a usage screen."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m realignment", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("check", help="validate content/ and geodata/").set_defaults(func=_check)
    sub.add_parser("assets", help="prepare the offline assets under static/vendor").set_defaults(func=_assets)
    sub.add_parser("measure", help="print layer measures and the claim check").set_defaults(func=_measure)
    exp = sub.add_parser(
        "export",
        help="write a figure (png/svg/pdf), a stand-alone HTML map or the briefing handout",
        description=EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = exp.add_mutually_exclusive_group()
    which.add_argument("--scene", type=int, metavar="N", help="a briefing scene, 1 = the first")
    which.add_argument("--place", metavar="ID", help="a place to highlight, e.g. pyeongtaek")
    exp.add_argument("--lang", default=settings.DEFAULT_LANGUAGE, choices=settings.LANGUAGES, help="label language")
    exp.add_argument(
        "--layers", metavar="A,B", help=f"visible layers (default all): {','.join(settings.LAYER_GROUP_IDS)}"
    )
    exp.add_argument("--format", required=True, choices=("png", "svg", "pdf", "html", "handout"), help="what to write")
    exp.add_argument("--preset", default="a4", choices=("a4", "slide"), help="page: a4 (A4 landscape) or slide (16:9)")
    exp.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    exp.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    exp.set_defaults(func=_export)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
