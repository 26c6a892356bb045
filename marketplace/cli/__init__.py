"""The `seconde-vie` command: `main.py` parses it; one module per operator command that needs more than a line."""
