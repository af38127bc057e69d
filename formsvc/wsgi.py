"""The served application: `gunicorn formsvc.wsgi:app` (scripts/serve).

Unlike `create_app()` for a CLI command, the server compiles every template and warms the PDF
pool at once, so the first person to ask for a document does not wait for either.
"""
from __future__ import annotations

from formsvc import create_app
from formsvc.extensions import documents, pdf_pool

app = create_app()
with app.app_context():
    documents().templates.warm()
    pdf_pool().start()
