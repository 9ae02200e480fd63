"""The bundle's entry point: the same `encoder-app` command pip installs (a window with no
command, every subcommand on the terminal). PyInstaller starts here; encoder_app.cli.main
calls multiprocessing.freeze_support() first, so a search-index shard writer the app spawns
runs as this program started again."""

import sys

from encoder_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
