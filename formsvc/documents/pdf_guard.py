"""Keeps a LibreOffice worker from outliving the service that started it.

Run as `python pdf_guard.py COMMAND...` in a new session (so it leads the process group that
unoserver and LibreOffice join). It starts COMMAND and, once a second, checks that the process
that started it is still its parent; when that process is gone (killed, timed out, or stopped
without cleaning up) or sends SIGTERM, it kills the whole group. Standard library only: it runs
under Debian's Python beside unoserver.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main(command: list[str]) -> int:
    """Run `command` until it ends or the parent is gone; then nothing of the group is left."""
    parent = os.getppid()
    child = subprocess.Popen(command)

    def end(*_: object) -> None:
        os.killpg(os.getpgrp(), signal.SIGKILL)   # unoserver, LibreOffice and this guard

    signal.signal(signal.SIGTERM, end)
    while child.poll() is None:
        if os.getppid() != parent:
            end()
        time.sleep(1)
    return child.returncode or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
