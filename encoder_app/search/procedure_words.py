"""What a coder's procedure words mean in ICD-10-PCS descriptors.

PCS descriptors are built from axis values ("Excision Sigmoid Colon, Via Natural or Artificial
Opening Endoscopic"); coders type the procedure's name ("colonoscopy with polypectomy sigmoid
colon"). Two readings bridge them:

- **Root operations from the PCS Index.** The Index leads a procedure name to its table:
  "Polypectomy, gastrointestinal: see Excision, Gastrointestinal System", "Endarterectomy:
  see Extirpation", "Meniscectomy, knee: 0SBC" (an Excision table row). A typed word that is a
  main term of the Index also reads as each root operation its entries lead to (the first word
  of the "see"/"use" text, else of the descriptor its code or table begins). Looked up per word
  when a query first uses it, from the newest PCS Index loaded, and remembered.
- **Approaches from the scope named.** "Laparoscopic", "arthroscopic" are the Percutaneous
  Endoscopic approach (4); "colonoscopy", "EGD", "cystoscopy" go through a natural opening with
  an endoscope (8). These words say how, not what: a code need not have them to be found (the
  coder may write "laparoscopic" of a code whose table has no such approach), and they score
  where a descriptor has the approach's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from encoder_app.codebook.reading import (
    DBAPIConnection,
    ReadOnlyCodebook,
    marks,
    reading,
    rows,
)
from encoder_app.codes import ICD10PCS
from encoder_app.search.text import words

if TYPE_CHECKING:
    from sqlalchemy import Engine

_PERC_ENDO = ("percutaneous", "endoscopic")
_NATURAL_ENDO = ("via", "natural", "artificial", "opening", "endoscopic")
_NATURAL = ("via", "natural", "artificial", "opening")

#: Coder words naming a scope or a route, and the words of the PCS approach they mean
#: (ICD-10-PCS Official Guidelines, approach definitions: 4 Percutaneous Endoscopic, 7 Via
#: Natural or Artificial Opening, 8 Via Natural or Artificial Opening Endoscopic).
APPROACHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("""laparoscopic laparoscopy laparoscopically arthroscopic arthroscopy
        thoracoscopic thoracoscopy endoscopically mediastinoscopy""".split(), _PERC_ENDO),
    **dict.fromkeys("""colonoscopy colonoscopic egd esophagogastroduodenoscopy cystoscopy
        cystoscopic hysteroscopy hysteroscopic bronchoscopy bronchoscopic sigmoidoscopy
        ureteroscopy ureteroscopic proctoscopy anoscopy endoscopy transurethral
        laryngoscopy""".split(), _NATURAL_ENDO),
    **dict.fromkeys("transvaginal vaginal transanal".split(), _NATURAL),
}


#: The root operations of the Medical and Surgical section (and the measuring ones of section
#: 4), as "see"/"use" texts name them without a code.
ROOT_OPERATIONS = frozenset("""alteration bypass change control creation destruction detachment
    dilation division drainage excision extirpation extraction fragmentation fusion insertion
    inspection map occlusion reattachment release removal repair replacement reposition
    resection restriction revision supplement transfer transplantation measurement
    monitoring""".split())


class ProcedureWords:
    """Root operations a word leads to in the newest PCS Index, looked up once per word."""

    MAX_KNOWN = 20_000

    def __init__(self, engine: Engine | ReadOnlyCodebook | None = None):
        self.engine = engine
        self._release: int | None | bool = False  # False: not looked up yet
        self._known: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._readings: dict[str, tuple[str, ...]] = {}  # table or row prefix -> its words

    def root_operations(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The descriptor words a procedure name leads to: 'appendectomy' -> (('excision',
        'appendix'), ('resection', 'appendix')), where the Index names a table row; the root
        operation alone where it names only a table ('polypectomy' -> (('excision',),));
        () for a word that is no PCS Index main term."""
        if self.engine is None or len(word) < 4 or not word.isalpha() or \
                word in ROOT_OPERATIONS or word in APPROACHES:
            return ()
        found = self._known.get(word)
        if found is None:
            if len(self._known) > self.MAX_KNOWN:
                self._known.clear()
            found = self._known[word] = self._look_up(word)
        return found

    def _look_up(self, word: str) -> tuple[tuple[str, ...], ...]:
        with reading(self.engine) as db:
            release = self._index_release(db)
            if release is None:
                return ()
            # the main term is the word itself, maybe with a site after a comma
            # ("Meniscectomy, knee"); "Heart Assist System" is no reading of "heart"
            mains = [m for m, title in rows(
                db, "SELECT id, title FROM index_terms WHERE release_id = ? AND level = ? "
                    "AND title_key >= ? AND title_key < ?", (release, 0, word, word + "\uffff"))
                if words(title.split(",")[0]) == [word]]
            if not mains:
                return ()
            entries = rows(db, "SELECT see, use, code, codes, tab FROM index_terms "
                               f"WHERE main_term_id IN ({marks(mains)})", mains)
            readings: list[tuple[str, ...]] = []
            for see, use, code, codes, tab in entries:
                leads_to = self._reading(db, see, use, code or codes or tab)
                if leads_to and word not in leads_to and leads_to not in readings:
                    readings.append(leads_to)
        # a table row's words are enough; the root operation alone only where nothing names
        # the body part
        specific = [r for r in readings if len(r) > 1]
        return tuple((specific or readings)[:6])

    def _index_release(self, db: DBAPIConnection) -> int | None:
        if self._release is False:
            newest = rows(db, "SELECT id FROM releases WHERE system = ? AND kind = ? "
                              "ORDER BY effective_from DESC, id DESC", (ICD10PCS, "index"))
            self._release = newest[0][0] if newest else None
        return self._release

    def _reading(self, db: DBAPIConnection, see: str | None, use: str | None,
                 pointer: str | None) -> tuple[str, ...]:
        """What an entry leads to, in descriptor words: for a code or a table row (4
        characters), the root operation and body part its descriptor begins with ("Excision
        Knee Joint, Right, ..." -> excision knee joint); for a table, or a see/use naming a
        root operation ("see Excision, Gastrointestinal System"), the root operation."""
        if pointer:
            pointer = pointer.strip().upper()
            key = pointer[:4] if len(pointer) >= 4 else pointer[:3]
            if key not in self._readings:
                # by the code range alone (the code index; a system filter makes SQLite walk
                # every PCS code), the system checked here: ICD-10-CM has B41 too
                title = next((t for t, system in rows(
                    db, "SELECT title, system FROM codes WHERE code >= ? AND code < ? "
                        "LIMIT ?", (key, key + "\uffff", 50))
                    if system == ICD10PCS), "")
                head = words(title.split(",")[0])
                self._readings[key] = tuple(head if len(key) == 4 else head[:1])
            return self._readings[key]
        for text in (see, use):
            first = words(text or "")[:1]
            if first and first[0] in ROOT_OPERATIONS:
                return (first[0],)
        return ()
