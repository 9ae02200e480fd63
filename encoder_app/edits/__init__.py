"""The edits engine: pure rules over an encounter snapshot that return findings a coder can act on."""
