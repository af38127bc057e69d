"""The roles of the Saran procedure and what each may do beyond issuing its documents.

Which roles may issue a document type is declared in its definition (`roles:`); `anyone`
there means the document may be prepared without credentials (the application, the
legal-aid request).
"""
from __future__ import annotations

CLERK = "clerk"                              # the authorized body: cases, decisions, notices
DISTRICT_COMMISSION = "district_commission"  # inspection act, district conclusion (p17)
SPECIAL_COMMISSION = "special_commission"    # the special commission's conclusion (p21)
ADMIN = "admin"                              # users and tokens
ROLES = (CLERK, DISTRICT_COMMISSION, SPECIAL_COMMISSION, ADMIN)
ANYONE = "anyone"

# Who may read cases (the procedure's bodies) and who registers them and records steps.
CASE_READERS = frozenset({CLERK, DISTRICT_COMMISSION, SPECIAL_COMMISSION})
CASE_KEEPERS = frozenset({CLERK})
