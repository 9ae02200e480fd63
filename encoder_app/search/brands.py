"""Drug brand names as a coder types them ("Lovenox 40 mg", "Keytruda"), read as the generic
names HCPCS descriptors and the Drug Table use (enoxaparin sodium, pembrolizumab).

The list is codebooks/brand_names.tsv.gz, built by tools/build_brand_names.py from the FDA's
UNII Names file (public domain). A brand is read as its generic only when the word is not one
the codebook itself uses, so a brand that is also an ordinary word ("Life", "Tilt") never
rewrites a query. Each generic gives two readings: as written (methylprednisolone acetate,
Depo-Medrol's J1030 wording), and without its salt (hydromorphone for "hydromorphone
hydrochloride", which J1170 writes bare), weighed a little lower.
"""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

from encoder_app.search.text import FILLER, words

FILE_NAME = "brand_names.tsv.gz"

#: Salt and form words a descriptor may leave out of a substance's name.
SALT_WORDS = frozenset("""sodium potassium calcium magnesium hydrochloride hcl dihydrochloride
    acetate succinate tromethamine phosphate sulfate citrate maleate tartrate bitartrate
    mesylate besylate bromide hydrobromide chloride fumarate disodium dihydrate monohydrate
    anhydrous trihydrate lactate gluconate hyclate nitrate dipropionate propionate valerate
    decanoate enanthate cypionate""".split())


def brand_names_path() -> Path:
    """The top-level codebooks/ folder in a checkout, or its installed copy."""
    in_checkout = Path(__file__).resolve().parents[2] / "codebooks" / FILE_NAME
    if in_checkout.is_file():
        return in_checkout
    return Path(str(resources.files("encoder_app.codebooks").joinpath(FILE_NAME)))


class BrandNames:
    """brand words -> the word readings of its generic names."""

    def __init__(self, rows: dict[str, tuple[str, ...]] | None = None):
        self.generics: dict[tuple[str, ...], tuple[str, ...]] = {}
        for brand, generics in (rows or {}).items():
            self.generics[tuple(words(brand))] = generics
        self.longest = max((len(k) for k in self.generics), default=0)

    def match(self, tokens: list[str], start: int) -> tuple[int, tuple[str, ...]]:
        """The longest brand starting at ``tokens[start]``: (its word count, its generics);
        (0, ()) when none does."""
        for n in range(min(self.longest, len(tokens) - start), 0, -1):
            generics = self.generics.get(tuple(tokens[start:start + n]))
            if generics:
                return n, generics
        return 0, ()

    @staticmethod
    def readings(generic: str) -> list[tuple[tuple[str, ...], float]]:
        """A generic's words as written, then without salt words (when that leaves any)."""
        full = tuple(w for w in words(generic) if w not in FILLER)
        bare = tuple(w for w in full if w not in SALT_WORDS)
        out = [(full, 0.95)]
        if bare and bare != full:
            out.append((bare, 0.9))
        return out


def load_brand_names(path: Path | None = None) -> BrandNames:
    """The shipped list; an empty one when it is missing (search works without brands)."""
    path = path or brand_names_path()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            next(f, None)  # header
            rows = {}
            for line in f:
                brand, _, generics = line.rstrip("\n").partition("\t")
                if generics:
                    rows[brand] = tuple(generics.split("; "))
    except FileNotFoundError:
        return BrandNames()
    return BrandNames(rows)
