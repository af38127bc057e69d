"""Default configuration. Overridden, in order, by `instance/config.py`, `FORMSVC_*`
environment variables (values parsed as JSON where possible) and `create_app(mapping)`."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "regulation" / "data"

SCHEMAS_DIR = str(ROOT / "schemas")
TEMPLATES_DIR = str(ROOT / "templates_docx")
EXAMPLES_DIR = str(ROOT / "schemas" / "examples")   # a valid sample input per type (previews, docs, tests)
PARAMETERS_FILE = str(DATA / "parameters.yaml")
CALENDAR_FILE = str(DATA / "calendar.yaml")
PROCEDURE_FILE = str(DATA / "procedure.yaml")   # the steps of the procedure, their documents and deadlines
AUTHORITY = "saran"        # whose register this is: registration numbers are unique per authority and year
TIMEZONE = "Asia/Almaty"          # Kazakhstan's "today" decides what is "in the future"
MAX_CONTENT_LENGTH = 512 * 1024   # bytes; a larger body answers 413
SECRET_KEY = "dev-only-change-me"  # set FORMSVC_SECRET_KEY in production

# Database: SQLite under instance/ unless DATABASE_URL is set, e.g.
# FORMSVC_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
DATABASE_URL = None
MIGRATIONS_DIR = str(ROOT / "migrations")
PUBLIC_URL = ""            # base of the verification links on printed pages; default: request host

# PDF: a pool of LibreOffice processes run through unoserver (formsvc/documents/pdf.py),
# started on first use, or at once by the server (formsvc/wsgi.py)
PDF_WORKERS = os.cpu_count() or 1   # LibreOffice processes of the whole service; 0 switches PDF off
SERVER_PROCESSES = 1                # gunicorn worker processes (scripts/serve sets it); each runs its
                                    # share of PDF_WORKERS (at least one), on LibreOffice profiles of its own
PDF_QUEUE = 16                      # requests that may wait for a worker; more get 503
PDF_TIMEOUT = 60                    # seconds before a conversion counts as hung
PDF_START_TIMEOUT = 90              # seconds a worker may take to start
PDF_RECYCLE_AFTER = 200             # conversions before a worker is restarted
UNO_PYTHON = str(ROOT / ".venv-uno" / "bin" / "python")   # Debian's Python with uno + unoserver
SOFFICE = "soffice"
