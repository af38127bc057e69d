"""Reading the service's own YAML data files (definitions, parameters, calendar, acts, procedure)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from formsvc.core.errors import DefinitionError


def read_yaml(path: Path) -> Any:
    """The file's YAML value; a file that cannot be read or parsed is a DefinitionError naming it."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(path, "", f"cannot read: {exc}") from None


def instance_secret(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`, made with `make()` the first time (readable by the service only)."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as fh:
            fh.write(make())
    return path.read_text().strip()
