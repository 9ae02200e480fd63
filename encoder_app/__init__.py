"""Offline medical-coding encoder core: codebooks, importers and services (no Qt here)."""

__version__ = "0.1.0"
