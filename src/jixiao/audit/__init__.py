"""The report auditor: find every figure in a self-evaluation report that does not add up.

Standalone: it reads any report text (ours or uploaded) and imports nothing from the other
areas of jixiao except :mod:`jixiao.errors`.

>>> from jixiao.audit import audit_text
>>> r = audit_text("共受理100件，办结90件，办结率95%。")
>>> r.verdict, r.findings[0].code
('error', 'AUD-RATIO')
"""

from __future__ import annotations

from jixiao.audit.core import audit_text
from jixiao.audit.readers import audit_file, read_text
from jixiao.audit.result import AuditResult, Finding

__all__ = ["AuditResult", "Finding", "audit_file", "audit_text", "read_text"]
