"""A synthetic archive of any size, for benchmarks and for trying Missive at scale.

Every row is what an editor could have entered: quotes anchored at their real offsets
in generated news reports, letters with senders, recipients and requested actions,
claims about skewed-popular parties (so one actor is far busier than the rest), the
responses and evidence behind them, statuses that respect their rules (a disputed claim
has an opposing response), and history rows for every object, with the status changes
that moved claims off "unassessed". Rows go in with bulk inserts, a batch of letters at
a time, all in one transaction: a failed seed leaves nothing behind.

Deterministic for a seed: the same arguments give the same archive.
"""

from archive.models import Letter

from .seeder import BUSY_LETTER_CLAIMS, SLUG_PREFIX, Counts, Seeder, claims_per_letter

__all__ = ["BUSY_LETTER_CLAIMS", "Counts", "claims_per_letter", "seed"]


def seed(n_letters, n_claims, seed=1, progress=None):
    """Add a synthetic archive to the database; returns the Counts of what was written."""
    if Letter.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError(
            "This database already holds a synthetic archive; seed an empty database instead."
        )
    return Seeder(n_letters, n_claims, seed, progress).run()
