"""Pause CPython's cyclic garbage collector while the generator builds its model.

Validation and rendering create hundreds of thousands of small objects that
live until the end of the run (a record's YAML nodes, the typed model, the
pages). The collector rescans every surviving object each time its
generations fill, which doubled the time of reading 10,000 records
(docs/scaling.md). Those structures hold no reference cycles worth
collecting, and reference counting still frees everything else at once.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
