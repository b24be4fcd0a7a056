"""How to cite a page of the archive: plain text and BibTeX, naming the exact version.

The version is the page's own history record (id and date); the URL given is the
page as of that day (`?as_of=`), so a reader of the citation sees what was cited.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .dates import plain_date

BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in BIBTEX_SPECIAL))


def bibtex_escape(text):
    text = " ".join(text.split())
    return BIBTEX_SPECIAL_RE.sub(lambda match: BIBTEX_SPECIAL[match.group()], text)


def in_words(day):
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return format_date(day, "j F Y")


@dataclass(frozen=True)
class Citation:
    key: str  # the BibTeX key, e.g. missive-claim-23
    title: str
    url: str  # the page as of the version's day
    version_id: int | None
    version_date: datetime.datetime | None
    accessed: datetime.date

    @property
    def archive(self):
        return settings.MISSIVE_TITLE

    @property
    def version(self):
        if self.version_id is None:
            return "version not recorded"
        return f"version {self.version_id} of {in_words(self.version_date)}"

    def text(self):
        return f"“{self.title}.” {self.archive}, {self.version}. {self.url} (accessed {in_words(self.accessed)})."

    def bibtex(self):
        fields = {
            "title": "{" + bibtex_escape(self.title) + "}",
            "organization": bibtex_escape(self.archive),
            "howpublished": r"\url{" + self.url + "}",
            "url": self.url,
            "year": str((self.version_date or self.accessed).year),
            "note": bibtex_escape(
                f"{self.version[0].upper()}{self.version[1:]}; accessed {in_words(self.accessed)}"
            ),
            "urldate": self.accessed.isoformat(),
        }
        width = max(len(name) for name in fields)
        lines = [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields.items()]
        return "@misc{" + self.key + ",\n" + "\n".join(lines) + "\n}"


def letter_title(letter):
    """A letter's title for a citation, with its date in words when a source does not state it in full:
    a reference manager must not take the page's year for the letter's."""
    if plain_date(letter.date_edtf.strip()) and not letter.date_inferred:
        return letter.title
    return f"{letter.title} ({letter.date_display})"


def cite(key, title, path, record, day, accessed, absolute_url):
    """A Citation for the page at `path` in the version `record` (a history row, or None).

    The URL opens the page as it stood at the end of `day`: the day of the past version
    read, or the day accessed. (Not the day of the object's own version: a response or
    a claim added later does not change that, and the page shows them.)
    """
    version_date = record.history_date if record is not None else None
    day_path = f"{path}?as_of={day.isoformat()}"
    return Citation(
        key=key,
        title=title,
        url=absolute_url(day_path),
        version_id=record.history_id if record is not None else None,
        version_date=version_date,
        accessed=accessed,
    )
