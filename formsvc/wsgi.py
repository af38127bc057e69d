"""The served application: `gunicorn formsvc.wsgi:app` (scripts/serve).

Unlike `create_app()` for a CLI command, the server warms the PDF pool at once, so the
first person to ask for a PDF does not wait for LibreOffice to start.
"""
from __future__ import annotations

from formsvc import create_app
from formsvc.extensions import pdf_pool

app = create_app()
with app.app_context():
    pdf_pool().start()
