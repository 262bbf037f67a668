"""Process settings every calfcoach entry point shares (the CLI, the web server, the benches).

The cyclic garbage collector: a plan is thousands of small linked objects, and the default
thresholds (a young collection every 700 allocations, a full one every ~100 young ones)
rescan everything alive again and again while plans are built — issue 13 measured ~29 % of
the planning benchmark and 60–90 ms pauses in the web server's p99. calfcoach makes few
reference cycles, so it collects far less often, and freezes what start-up loaded (modules,
the catalog, the norms) so no collection ever rescans it.
"""

from __future__ import annotations

import gc

# Young collections every 100,000 net allocations instead of 700; the older generations as
# CPython's defaults scale from there. Memory stays bounded: cycles are still collected.
YOUNG_THRESHOLD = 100_000
MIDDLE_THRESHOLD = 50
OLD_THRESHOLD = 1_000


def tune_collector() -> None:
    """Collect less often and move everything alive now out of the collector's sight."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


def freeze_for_exit() -> None:
    """Before a command-line process exits: freeze everything alive, so the full collection
    the interpreter runs at exit has nothing to walk (the memory goes back to the system with
    the process; a cycle left now is freed the same)."""
    gc.freeze()
