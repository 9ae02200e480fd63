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
import re
from importlib import resources
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from encoder_app.search.text import FILLER, words

FILE_NAME = "brand_names.tsv.gz"

#: Salt and form words a descriptor may leave out of a substance's name.
SALT_WORDS = frozenset("""sodium potassium calcium magnesium hydrochloride hcl dihydrochloride
    acetate succinate tromethamine phosphate sulfate citrate maleate tartrate bitartrate
    mesylate besylate bromide hydrobromide chloride fumarate disodium dihydrate monohydrate
    anhydrous trihydrate lactate gluconate hyclate nitrate dipropionate propionate valerate
    decanoate enanthate cypionate""".split())


#: Brands (one a line) of letters, digits, spaces and hyphens; what words() leaves out between
#: the words of others; runs of spaces, and spaces at a line's ends, words() leaves out too.
_PLAIN = re.compile(r"[a-z0-9 \n-]*")
_NOT_WORD = re.compile(r"[^a-z0-9\n]+")
_SPACES = re.compile(r" {2,}")
_LINE_ENDS = re.compile(r" \n ?|\n ")


def brand_names_path() -> Path:
    """The top-level codebooks/ folder in a checkout, or its installed copy."""
    in_checkout = Path(__file__).resolve().parents[2] / "codebooks" / FILE_NAME
    if in_checkout.is_file():
        return in_checkout
    return Path(str(resources.files("encoder_app.codebooks").joinpath(FILE_NAME)))


class BrandNames:
    """brand words -> the word readings of its generic names."""

    def __init__(self, rows: dict[str, tuple[str, ...]] | None = None):
        # brand words joined by spaces -> its generics joined by "; " (as the file has them:
        # a search splits only the few it meets)
        self._generics: dict[str, str] = {" ".join(words(brand)): "; ".join(generics)
                                          for brand, generics in (rows or {}).items()}
        self._longest()

    def _longest(self) -> None:
        """The most words a brand has (a brand of no words, were there one, counts one)."""
        self.longest = max(map(str.count, self._generics, repeat(" ")), default=-1) + 1

    @classmethod
    def from_lines(cls, lines: list[str]) -> BrandNames:
        """From the file's lines after its header ("brand<TAB>generic; generic"); a line with
        no generic is left out, and of two lines for one brand the later one counts."""
        flat = "\t".join(lines).split("\t")
        brands, generics = flat[0::2], flat[1::2]
        block = "\n".join(brands)
        if len(flat) != 2 * len(lines) or not block.isascii() or \
                len(set(brands)) != len(brands):
            # Not one tab a line, accents to fold, or a brand twice: read a line at a time.
            rows = {}
            for line in lines:
                brand, _, written = line.partition("\t")
                if written:
                    rows[brand] = tuple(written.split("; "))
            return cls(rows)
        # The brands' words (search/text.py words()) for all of them at once: loading 21,771
        # brands one at a time held up a search from the command line by 30 ms. Brands are
        # written in letters, digits, spaces and hyphens (tools/build_brand_names.py).
        keys = block.lower()
        keys = keys.replace("-", " ") if _PLAIN.fullmatch(keys) else _NOT_WORD.sub(" ", keys)
        if "  " in keys:
            keys = _SPACES.sub(" ", keys)
        if " \n" in keys or "\n " in keys:
            keys = _LINE_ENDS.sub("\n", keys)
        found = cls()
        found._generics = dict(filter(itemgetter(1), zip(keys.strip(" ").split("\n"), generics,
                                                         strict=True)))
        found._longest()
        return found

    def match(self, tokens: list[str], start: int) -> tuple[int, tuple[str, ...]]:
        """The longest brand starting at ``tokens[start]``: (its word count, its generics);
        (0, ()) when none does."""
        for n in range(min(self.longest, len(tokens) - start), 0, -1):
            generics = self._generics.get(" ".join(tokens[start:start + n]))
            if generics:
                return n, tuple(generics.split("; "))
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
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return BrandNames()
    text = gzip.decompress(data).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")[1:]  # after the header
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return BrandNames.from_lines(lines)
