"""The PySide6 desktop window (issue #5): calls encoder_app services; no SQL, no file parsing."""
