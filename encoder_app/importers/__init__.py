"""Importers for the official CMS/CDC release files: one module per format, one shared runner."""

from encoder_app.importers.runner import ImportJob, ImportOutcome, import_paths

__all__ = ["ImportJob", "ImportOutcome", "import_paths"]
