"""Whether the provider typed on an encounter is the one the practice has on file for that NPI.

The NPI is what a payer pays by, so a superbill prints the rendering provider as the practice
lists that NPI (name and credentials). When the name typed on the encounter is someone else's,
the coder is told, never silently overruled: a wrong name may mean a wrong NPI, and the claim
would go out under another provider. This module is the one place that decides; the edits
engine reports it as a finding (with a fix: use the name on file), `encoder-app superbill`
prints it as a note, and the window shows the finding and says it again before printing.

A name agrees however it is written: case, punctuation and word order aside ("Roe, Jane"),
with or without "Dr." and the listed credentials ("Dr. Jane Roe, MD" is Jane Roe, MD). An
initial for a first name ("J. Roe") or another name is a different name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import EncounterSnapshot, Provider
from encoder_app.practice.types import Practice, PracticeProvider

RULE = "claim.provider_name"
SOURCE = ("Practice set-up: rendering providers (CMS-1500 item 24J / 837 rendering provider "
          "name and NPI)")
#: Words before a name that are not part of it.
_HONORIFICS = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof"})
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def same_name(typed: str, listed: PracticeProvider) -> bool:
    """Whether ``typed`` names the listed provider (see the module's note)."""
    expected = sorted(_words(listed.name))
    said = f" {' '.join(w for w in _words(typed) if w not in _HONORIFICS)} "
    for credential in set(_words(listed.credentials)) - set(expected):
        # "MD" is also written "M.D.": its letters one by one
        for written in (credential, " ".join(credential)):
            said = said.replace(f" {written} ", " ")
    return sorted(said.split()) == expected


@dataclass(frozen=True)
class NameOnFile:
    """A typed provider name the superbill prints as the name on file for the NPI."""

    typed: str
    listed: PracticeProvider

    @property
    def printed(self) -> str:
        """The provider as the superbill prints them: "Jane Roe, MD"."""
        p = self.listed
        return f"{p.name}, {p.credentials}" if p.credentials else p.name

    @property
    def note(self) -> str:
        """One line for the terminal or a message."""
        return (f'provider "{self.typed}" printed as "{self.printed}", the name on file for '
                f"NPI {self.listed.npi}")

    def finding(self) -> Finding:
        return Finding(
            RULE, "warning", (),
            f'The provider "{self.typed}" is not the name on file for NPI {self.listed.npi}, '
            f'"{self.printed}"; the superbill prints the name on file. If the NPI is right, '
            "use the name on file; if not, correct the NPI.", SOURCE,
            {"action": "set_provider_name", "name": self.listed.name})


def name_on_file(provider: Provider, practice: Practice | None) -> NameOnFile | None:
    """The name on file the superbill prints instead of the typed one; None when they agree,
    nothing was typed (the name on file fills it) or the NPI is not the practice's."""
    listed = practice.provider_by_npi(provider.npi) if practice else None
    typed = " ".join(provider.name.split())
    if listed is None or not typed or same_name(typed, listed):
        return None
    return NameOnFile(typed, listed)


def provider_findings(encounter: EncounterSnapshot, practice: Practice | None) -> list[Finding]:
    """The edits engine's finding for a provider name that is not the one on file."""
    differs = name_on_file(encounter.provider, practice)
    return [differs.finding()] if differs else []
