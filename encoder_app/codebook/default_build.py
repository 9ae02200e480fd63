"""The default codebook: the official FY2026 ICD-10-CM Tabular List shipped in simple-icd-10-cm."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from sqlalchemy import Engine, select

from encoder_app.codebook.models import Release
from encoder_app.errors import MissingDependency
from encoder_app.importers.runner import BUILT_IN, ImportJob
from encoder_app.progress import Progress

PACKAGE = "simple-icd-10-cm"
PACKAGE_VERSION = "1.5.0"
TABULAR_FILE = "icd10c-tabular-April-1-2026.xml"


def default_tabular_path() -> Path:
    """The CDC Tabular List XML inside the pinned simple-icd-10-cm package."""
    try:
        installed = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        raise MissingDependency(
            f"the default codebook needs the {PACKAGE} package {PACKAGE_VERSION}; "
            f"install it with: pip install '{PACKAGE}=={PACKAGE_VERSION}'") from None
    # Found through the installed distribution, not resources.files(): that imports the
    # package, which parses its whole XML at import and held the interpreter lock for a second.
    path = Path(str(metadata.distribution(PACKAGE).locate_file(
        f"simple_icd_10_cm/data/{TABULAR_FILE}")))
    if not path.is_file():
        raise MissingDependency(
            f"{PACKAGE} {installed} does not contain data/{TABULAR_FILE}; the default codebook "
            f"needs version {PACKAGE_VERSION}: pip install '{PACKAGE}=={PACKAGE_VERSION}'")
    return path


def needs_default_build(engine: Engine) -> bool:
    """True when no ICD-10-CM Tabular List is loaded yet."""
    with engine.connect() as conn:
        return conn.execute(select(Release.id).where(
            Release.system == "icd10cm", Release.kind == "tabular").limit(1)).first() is None


def build_default_codebook(engine: Engine) -> Iterator[Progress]:
    """Import the bundled FY2026 Tabular List; yields progress."""
    job = ImportJob([default_tabular_path()], engine, who=BUILT_IN)  # the app's own
    yield from job.run()
