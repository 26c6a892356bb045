"""Pure domain: no I/O, fully unit-tested."""
