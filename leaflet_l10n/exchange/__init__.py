"""Exchange: work that travels to translators and back.

Hand-off packages (PO or XLIFF, with their base), TMX export, and the import
that validates returned work and merges it three ways. Built on the core
pipeline; nothing in the core imports this package.
"""
from .handoff import export, export_tmx
from .importing import import_file, import_summary

__all__ = ["export", "export_tmx", "import_file", "import_summary"]
