"""The `encoder-app` command line: one module per subcommand, each registering its parser."""
