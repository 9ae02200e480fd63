"""Crosswalk tables: the CMS General Equivalence Mappings between ICD-9-CM and ICD-10-CM."""

from __future__ import annotations
