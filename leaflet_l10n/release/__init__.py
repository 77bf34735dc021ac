"""Release: what reviewers and publishers do before a language reaches patients.

Approval and publishing, bilingual review sheets, page previews. Built on the
core pipeline; nothing in the core imports this package.
"""
from .approval import approve_language, publish_language
from .preview import preview
from .review_sheet import review_sheet

__all__ = ["approve_language", "publish_language", "preview", "review_sheet"]
