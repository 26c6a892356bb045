"""Wire contracts of Seconde Vie: pydantic v2 models, no I/O."""
