"""Streamed downloads, a bounded number at a time.

A claim export is written from the database while the client reads it, so it holds one of the
server's threads (config/serve.py) for as long as the client takes, or stalls. A process runs
at most MISSIVE_CONCURRENT_EXPORTS of them at once, and pages always have threads left.
"""

import threading
import weakref

from django.conf import settings


class Slots:
    """A count of streams in progress in this process, against the setting's limit."""

    def __init__(self):
        self._lock = threading.Lock()
        self.taken = 0

    def take(self):
        with self._lock:
            if self.taken >= settings.MISSIVE_CONCURRENT_EXPORTS:
                return False
            self.taken += 1
            return True

    def give_back(self):
        with self._lock:
            self.taken -= 1


exports = Slots()


class Holding:
    """chunks as they are, with a slot held until the server closes the response.

    The server closes it when the download ends, fails or is abandoned (PEP 3333); Django
    passes close() on to the content it streams. A response dropped unclosed (an error after
    the view) gives its slot back when it is collected, so no slot is ever lost.
    """

    def __init__(self, chunks, slots):
        self._chunks = chunks
        self._give_back = weakref.finalize(
            self, slots.give_back
        )  # runs once, whichever comes first

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._chunks)

    def close(self):
        self._give_back()
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
