"""Printable PDFs: superbills, check-off forms and day sheets (ReportLab)."""
