"""Imported first in the parse workers' forkserver (etl.store.ingest._pool preloads it), before the slow imports.

The forkserver is started by the ingest; if the ingest is killed while the forkserver is still importing the parser,
nothing would tell it for seconds. PR_SET_PDEATHSIG makes the kernel kill it the moment the ingest dies, and the
parent check covers an ingest that died before this line ran. (Workers forked from here set their own guard:
etl.store.ingest.die_with.)
"""

from __future__ import annotations

import ctypes
import os
import signal

INGEST_PID_ENV = "ETL_INGEST_PID"


def _guard() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    expected = os.environ.get(INGEST_PID_ENV)
    if expected and expected.isdigit() and os.getppid() != int(expected):
        os._exit(1)


_guard()
