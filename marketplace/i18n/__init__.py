"""Every user-facing text of Seconde Vie, in gettext catalogues (docs/translating.md).

A leaf package: it imports nothing else of the project, so the domain, the CLI and the UI can all use it.
"""
