"""Pure functions that build components; no state of their own."""
