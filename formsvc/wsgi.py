"""The served application: `gunicorn formsvc.wsgi:app` (scripts/serve).

Unlike `create_app()` for a CLI command, the server compiles every template and warms the PDF
pool at once, so the first person to ask for a document does not wait for either. Checking
and compiling read every Word package in full once; the memory that took goes back to the
system before the first request (glibc keeps freed memory otherwise).
"""
from __future__ import annotations

import ctypes
import gc

from formsvc import create_app
from formsvc.extensions import documents, pdf_pool


def _give_back_memory() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to give back this way
        pass


app = create_app()
with app.app_context():
    documents().templates.warm()
    _give_back_memory()
    pdf_pool().start()
