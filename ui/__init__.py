"""The PySide6 desktop window (issue #5). Calls encoder_app services; never SQL, never file parsing."""
