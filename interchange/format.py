"""The Missive letters file: its name, its version, and how an import reports back.

A leaf: every reader and writer of the format imports it, and it imports nothing of Missive's.
The format itself is documented in docs/import-format.md.
"""

from dataclasses import dataclass, field

FORMAT_NAME = "missive-letters"
FORMAT_VERSION = 1
# A file found this wrong is not worth reading further: the first hundred say what to fix.
MAX_ERRORS = 100


class ImportFailed(Exception):
    """The file was refused; nothing was written. ``errors`` lists every problem found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} error(s)")


@dataclass
class ImportReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: int = 0
    unmapped: list = field(default_factory=list)  # what a CMIF file says that Missive cannot hold
    refused: list = field(default_factory=list)  # (letter, [errors]) left out by --skip-invalid

    def count(self, bucket, model):
        name = model._meta.verbose_name_plural
        bucket[name] = bucket.get(name, 0) + 1

    def summary(self):
        def listed(bucket):
            return (
                ", ".join(f"{number} {name}" for name, number in sorted(bucket.items()))
                or "nothing"
            )

        return f"created {listed(self.created)}; updated {listed(self.updated)}; {self.unchanged} unchanged"
