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
ACTS_FILE = str(DATA / "acts.yaml")          # the acts documents cite (name, number, date), dated
PROCEDURE_FILE = str(DATA / "procedure.yaml")   # the steps of the procedure, their documents and deadlines
CASE_LANGUAGES = ["kk", "ru"]    # a case document is issued in each of these (the first is the record's own)
CASE_FORMATS = ["docx", "pdf"]   # ... as each of these, all made and kept at issue (PDF only while PDF is on)
AUTHORITY = "saran"        # whose register this is: registration numbers are unique per authority and year
TIMEZONE = "Asia/Almaty"          # Kazakhstan's "today" decides what is "in the future"
MAX_CONTENT_LENGTH = 512 * 1024   # bytes; a larger body answers 413
SECRET_KEY = None   # FORMSVC_SECRET_KEY; unset: a random key made once in instance/secret_key (0600).
                    # It signs sessions and keys the IIN search digest: keep it when moving machines.

# People's sessions (the clerk pages): they end after this long without a request, and in any
# case this long after signing in.
PERMANENT_SESSION_LIFETIME = 30 * 60     # seconds of inactivity
SESSION_MAX_AGE = 10 * 60 * 60          # seconds after signing in
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_RATE_LIMIT = "10 per minute"       # sign-in attempts per client address (and per username)
VERIFY_RATE_LIMIT = "60 per minute"      # verification look-ups per client address
RATELIMIT_STORAGE_URI = "memory://"      # e.g. redis://127.0.0.1:6379/0 when several processes serve

# Database: SQLite under instance/ unless DATABASE_URL is set, e.g.
# FORMSVC_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
DATABASE_URL = None
MIGRATIONS_DIR = str(ROOT / "migrations")
PUBLIC_URL = "http://127.0.0.1:8000"   # base of the verification links printed on documents (never the
                                       # request's Host header); https:// also makes cookies Secure
DATA_KEYS = None           # keys that encrypt personal data at rest, newest first (FORMSVC_DATA_KEYS='["k2","k1"]');
                           # unset: a key made once in instance/data_key (0600). See SECURITY.md.
RETENTION_DAYS = 5 * 365   # `flask purge`: closed cases and stand-alone records older than this
PROXY_COUNT = 0            # trusted reverse proxies in front (their X-Forwarded-For/-Proto are believed)
API_RATE_LIMIT = "120 per minute"      # documents, validations and case writes per token (else per address)

# PDF: a pool of LibreOffice processes run through unoserver (formsvc/documents/pdf.py),
# started on first use, or at once by the server (formsvc/wsgi.py)
PDF_WORKERS = os.cpu_count() or 1   # LibreOffice processes of the whole service; 0 switches PDF off
SERVER_PROCESSES = 1                # gunicorn worker processes (scripts/serve sets it); each runs its
                                    # share of PDF_WORKERS (at least one), on LibreOffice profiles of its own
PDF_QUEUE = None                    # requests that may wait for a worker in one process, more get 503 at
                                    # once; default: 2 per worker, and fewer than THREADS (or never reached)
PDF_PROBE_SECONDS = 30              # /health converts a small document at most this often
THREADS = 8                         # request threads of one server process (scripts/serve: FORMSVC_THREADS)
PDF_TIMEOUT = 60                    # seconds before a conversion counts as hung
PDF_START_TIMEOUT = 90              # seconds a worker may take to start
PDF_RECYCLE_AFTER = 200             # conversions before a worker is restarted
UNO_PYTHON = str(ROOT / ".venv-uno" / "bin" / "python")   # Debian's Python with uno + unoserver
SOFFICE = "soffice"
