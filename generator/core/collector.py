"""When CPython's cyclic garbage collector runs during a build.

Validation creates hundreds of thousands of small objects that live until the
end of the run (a record's YAML nodes, the typed model). The collector
rescans every surviving object each time its generations fill, which doubled
the time of reading 10,000 records (docs/scaling.md), and those structures
hold no cycles worth collecting: `paused` keeps it off while they are built.

Rendering is different: Jinja's contexts, frames and the Markdown parser's
trees do leave reference cycles behind, about 200,000 objects (30 MB) per
2,800 pages, which a paused collector never frees (~1 GB at 100,000 records).
`frozen` moves everything alive when the model is ready into the permanent
generation (`gc.freeze`), so the collector runs again but never rescans the
model: it only looks at what the later stages make.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """The collector off; reference counting still frees everything outside a cycle at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen():
    """The collector on, for new objects only: what is alive now is left out of every collection."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()
        gc.unfreeze()
