from django.db import models


class Revision(models.Model):
    """The archive's revision number: one row, bumped whenever anything editors keep changes.

    Cached pages are stored under the number they were rendered at, so a change makes
    every earlier page unreachable at once, in every server process (core/page_cache.py).
    The table keeps the name it had before the model moved here from `archive`.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "archive_revision"

    def __str__(self):
        return f"Revision {self.number}"
