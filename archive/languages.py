"""A source's language: a BCP 47 tag (RFC 5646), and the direction its script is written in."""

import re

from django.core.exceptions import ValidationError

# The shape of a tag: a language subtag, then script, region and variant subtags. Enough to
# refuse what is not a tag ("Urdu", "ur_PK"); the registry itself is not consulted.
TAG = re.compile(
    r"[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-([a-zA-Z\d]{5,8}|\d[a-zA-Z\d]{3}))*"
)
# Languages written right to left in their usual script, and the right-to-left scripts themselves.
RIGHT_TO_LEFT_LANGUAGES = {
    "ar",
    "arc",
    "ckb",
    "dv",
    "fa",
    "he",
    "ps",
    "sd",
    "syr",
    "ug",
    "ur",
    "yi",
}
RIGHT_TO_LEFT_SCRIPTS = {"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"}
LEFT_TO_RIGHT_SCRIPTS = {"latn", "cyrl", "deva", "grek"}


def validate_language_tag(value):
    if not TAG.fullmatch(value or ""):
        raise ValidationError(
            "“%(value)s” is not a BCP 47 language tag: give one such as en, ur, fa or pa-Arab.",
            params={"value": value},
            code="language_tag",
        )


def direction(tag):
    """ "rtl" or "ltr" for text in the language `tag` names."""
    parts = (tag or "").lower().split("-")
    script = next((part for part in parts[1:] if len(part) == 4 and part.isalpha()), None)
    if script in RIGHT_TO_LEFT_SCRIPTS:
        return "rtl"
    if script in LEFT_TO_RIGHT_SCRIPTS:
        return "ltr"
    return "rtl" if parts[0] in RIGHT_TO_LEFT_LANGUAGES else "ltr"


# PostgreSQL's text search configurations, by the language subtag they parse. A text in any
# other language, or in none stated, is parsed with `simple`: lower-cased words, no stems and
# no stop words. Migration archive 0012 holds a frozen copy as the SQL function
# missive_search_config(tag); a test keeps the two equal.
SEARCH_CONFIGURATIONS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
UNSTEMMED = "simple"


def search_configuration(tag):
    """The PostgreSQL text search configuration for text in the language `tag` names."""
    return SEARCH_CONFIGURATIONS.get((tag or "").split("-")[0].lower(), UNSTEMMED)
