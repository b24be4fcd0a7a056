"""Progress bars for long commands (imports, exports): drawn on a terminal, silent elsewhere.

A bar is made by a `progress(total, stage)` callable, so the code doing the work knows nothing
of terminals: the management commands pass `terminal_progress()`, everything else nothing.
"""

import sys

from tqdm import tqdm


def terminal_progress(unit="letter", stream=None):
    """A `progress(total, stage)` that draws a tqdm bar on `stream` (standard error), only on a terminal."""

    def start(total, stage):
        return tqdm(
            total=total,
            desc=stage,
            unit=f" {unit}s",
            file=stream or sys.stderr,
            disable=None,  # tqdm's "only on a terminal"
            leave=False,
        )

    return start
