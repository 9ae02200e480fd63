"""The codebook side of the window: search, the browser tabs, the code detail, favorites."""
