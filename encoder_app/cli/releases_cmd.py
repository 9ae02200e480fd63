"""`encoder-app releases`: what is loaded, with effective dates, source file, sha256 and counts."""

from __future__ import annotations

from encoder_app.cli.common import open_codebook, print_json
from encoder_app.codebook.releases import list_releases
from encoder_app.codes import SYSTEM_NAMES


def register(subparsers) -> None:
    p = subparsers.add_parser("releases", help="list the loaded releases")
    p.add_argument("--system", help="only this code system")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=run)


def run(args) -> int:
    releases = list_releases(open_codebook(), args.system)
    if args.json:
        print_json([r.to_json() for r in releases])
        return 0
    for r in releases:
        until = f"to {r.effective_to}" if r.effective_to else "onward"
        counts = ", ".join(f"{v:,} {k}" for k, v in sorted(r.counts.items()))
        print(f"#{r.id} {SYSTEM_NAMES.get(r.system, r.system)} {r.kind}: {r.label}")
        print(f"    effective {r.effective_from} {until}; {counts}")
        print(f"    {r.source_file}  sha256 {r.sha256}")
    if not releases:
        print("No releases loaded.")
    return 0
