"""Seconde Vie marketplace: the domain, its persistence and its services."""
