"""The edits engine: pure rules over an encounter snapshot, returning findings a coder acts on."""
