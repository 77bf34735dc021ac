"""The human steps of a release: a reviewer approves a language, a publisher publishes it."""
from __future__ import annotations

from . import approval
from .checks import Checker
from .config import Approval, Project
from .errors import GateError
from .review_sheet import write_snapshot

_APPROVAL_CODES = {"not-approved", "approval-stale"}


def approve_language(project: Project, code: str, by: str) -> Approval:
    """Record an approval of the current English; refused while the language has errors."""
    approval.reviewer_name(by)          # before the checks: a bad name is bad input whatever they find
    checker = Checker(project)
    language = project.language(code)
    problems = [f for f in checker.check(language).errors if f.code not in _APPROVAL_CODES]
    if problems:
        first = problems[0]
        raise GateError(f"{code} cannot be approved: {len(problems)} error(s), the first: "
                        f"{first.code}: {first.msgid}", path=first.path, line=first.line,
                        hint=f"run `invoke check --lang {code}` and fix every error first")
    recorded = approval.approve(project, code, by, checker.fingerprint)
    write_snapshot(project, language, checker.fingerprint)
    return recorded


def publish_language(project: Project, code: str) -> None:
    approval.publish(project, code, Checker(project).fingerprint)
