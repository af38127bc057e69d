"""Default configuration. Overridden, in order, by `instance/config.py`, `FORMSVC_*`
environment variables (values parsed as JSON where possible) and `create_app(mapping)`."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

SCHEMAS_DIR = str(ROOT / "schemas")
TEMPLATES_DIR = str(ROOT / "templates_docx")
PARAMETERS_FILE = str(DATA / "parameters.yaml")
CALENDAR_FILE = str(DATA / "calendar.yaml")
TIMEZONE = "Asia/Almaty"          # Kazakhstan's "today" decides what is "in the future"
MAX_CONTENT_LENGTH = 512 * 1024   # bytes; a larger body answers 413
SECRET_KEY = "dev-only-change-me"  # set FORMSVC_SECRET_KEY in production
