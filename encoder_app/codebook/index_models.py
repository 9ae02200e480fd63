"""Alphabetic Index tables: index terms (with their see/see-also) and table cells (Neoplasm, Drug)."""

from __future__ import annotations
