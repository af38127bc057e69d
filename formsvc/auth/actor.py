"""Who acts: an application's token, a signed-in person, or someone without credentials."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The one who asks; written to records and case events as `kind:name`."""

    kind: str            # "token", "user" or "anonymous"
    name: str
    role: str | None     # None without credentials

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


ANONYMOUS = Actor("anonymous", "-", None)
