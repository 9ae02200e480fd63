"""Encounters: the visit a coder codes (patient, provider, diagnoses, procedure lines)."""
