"""The project's own data shipped with the app (package encoder_app.codebooks when installed)."""
