"""`seconde-vie bench`: measured figures of the running product, printed, never asserted."""
