"""Exchange: documents that come in from outside, and work that travels to translators and back.

Leaflets a publisher already has, converted through pandoc; hand-off packages
(PO or XLIFF, with their base), TMX export, and the import that validates
returned work and merges it three ways. Built on the core pipeline; nothing in
the core imports this package.
"""
from .documents import conversion_summary, new_leaflet
from .handoff import export, export_tmx
from .importing import import_file, import_summary

__all__ = ["conversion_summary", "export", "export_tmx", "import_file", "import_summary", "new_leaflet"]
