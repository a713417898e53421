"""The handlers of the `practicebot` sub-commands (the parser and dispatch are bot/cli.py's)."""
