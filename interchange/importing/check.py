"""Step 2 of an import: the whole document checked against itself and the database.

Every error is collected with its location (``letters[1].claims[4].status: …``); the
result is a Plan the writer carries out, or ImportFailed with every error.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug

from archive.anchoring import is_ambiguous, locate
from archive.dates import edtf_bounds
from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus, basis_problems
from interchange.format import FORMAT_NAME, FORMAT_VERSION, MAX_ERRORS, ImportFailed


class Checker:
    """Walks the document, collecting errors with their paths instead of stopping."""

    TYPE_NAMES = {
        str: "a string",
        list: "a list",
        dict: "an object",
        bool: "true or false",
        int: "a whole number",
    }

    class TooMany(Exception):
        pass

    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path or '$'}: {message}")
        if len(self.errors) >= MAX_ERRORS:
            raise Checker.TooMany

    def object(self, value, path, required=(), optional=()):
        """value as a dict with only the known keys, or None (error recorded)."""
        if not isinstance(value, dict):
            self.error(path, f"expected an object, got {describe(value)}")
            return None
        for key in value.keys() - set(required) - set(optional):
            self.error(
                at(path, key), "unknown field (check its spelling against the import format)"
            )
        for key in required:
            if key not in value:
                self.error(at(path, key), "missing")
            elif value[key] is None:
                self.error(at(path, key), "is null; a value is required")
        return value

    def value(self, obj, key, path, kind, required=True, default=None):
        """obj[key] if present and of the right type; errors for wrong types or empty strings."""
        if obj is None or key not in obj or obj[key] is None:
            return default
        value = obj[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.error(at(path, key), f"expected {self.TYPE_NAMES[kind]}, got {describe(value)}")
            return default
        if kind is str and required and not value.strip():
            self.error(at(path, key), "must not be empty")
            return default
        return value

    def items(self, obj, key, path):
        """The list under key, as (index, item, item_path); empty when absent or wrong."""
        values = self.value(obj, key, path, list, default=[])
        return [(index, item, f"{at(path, key)}[{index}]") for index, item in enumerate(values)]

    def choice(self, obj, key, path, choices, default=None):
        value = self.value(obj, key, path, str, default=None)
        if value is None:
            return default
        if value not in choices:
            allowed = ", ".join(f"'{choice}'" for choice in choices)
            self.error(at(path, key), f"unknown value '{value}'; expected one of {allowed}")
            return default
        return value

    def slug(self, obj, key, path, model):
        """obj[key] as a slug that fits the `model` field of that name."""
        value = self.value(obj, key, path, str)
        if value is not None:
            try:
                validate_slug(value)
            except ValidationError:
                self.error(
                    at(path, key),
                    f"'{value}' is not a slug (letters, digits, hyphens, underscores)",
                )
                return None
            if len(value) > (maximum := max_length(model, key)):
                self.error(at(path, key), f"longer than {maximum} characters")
                return None
        return value

    def length(self, obj, key, path, model, required=False):
        """obj[key] as text that fits the `model` field of that name, cut to fit (error recorded)."""
        maximum = max_length(model, key)
        value = self.value(obj, key, path, str, required=required, default="")
        if len(value) > maximum:
            self.error(at(path, key), f"longer than {maximum} characters ({len(value)})")
            return value[:maximum]
        return value

    def iso_date(self, obj, key, path):
        value = self.value(obj, key, path, str, required=False)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(at(path, key), f"'{value}' is not a date in YYYY-MM-DD form")
            return None


def max_length(model, field):
    """The longest text the model's field holds: every length the import checks comes from the models."""
    return model._meta.get_field(field).max_length


def at(path, key):
    """The location of key inside path, as in letters[1].claims[4].status."""
    return f"{path}.{key}" if path else key


def describe(value):
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


@dataclass
class Plan:
    """The checked document, ready to write."""

    statuses: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    letters: list = field(default_factory=list)


def check(document):
    """Validate the whole document; return a Plan or raise ImportFailed with every error (the first 100)."""
    checker = Checker()
    try:
        return check_document(checker, document)
    except Checker.TooMany:
        raise ImportFailed(
            [
                *checker.errors,
                f"$: stopped after {MAX_ERRORS} errors; correct these and import again",
            ]
        )


def check_document(checker, document):
    plan = Plan()
    root = checker.object(
        document,
        "",
        required=("format", "version", "letters"),
        optional=("statuses", "actors", "sources"),
    )
    if root is None:
        raise ImportFailed(checker.errors)
    if root.get("format") is not None and root.get("format") != FORMAT_NAME:
        checker.error("format", f"expected '{FORMAT_NAME}', got {json.dumps(root.get('format'))}")
    if root.get("version") is not None and (
        type(root["version"]) is not int or root["version"] != FORMAT_VERSION
    ):
        checker.error(
            "version", f"expected {FORMAT_VERSION}, got {json.dumps(root.get('version'))}"
        )

    actor_slugs = set(Actor.objects.values_list("slug", flat=True))
    source_texts = dict(Source.objects.values_list("slug", "text"))
    statuses = {status.slug: status for status in VerificationStatus.objects.all()}
    labels = {status.label: status.slug for status in statuses.values()}
    for _index, item, path in checker.items(root, "statuses", ""):
        status = check_status(checker, item, path)
        if status is None:
            continue
        if any(planned["slug"] == status["slug"] for planned in plan.statuses):
            checker.error(f"{path}.slug", f"duplicate status slug '{status['slug']}'")
            continue
        if labels.setdefault(status["label"], status["slug"]) != status["slug"]:
            checker.error(
                f"{path}.label",
                f"the label '{status['label']}' belongs to status '{labels[status['label']]}'",
            )
            continue
        plan.statuses.append(status)
        statuses[status["slug"]] = VerificationStatus(
            **{key: value for key, value in status.items() if key != "path"}
        )

    file_actor_slugs = set()
    for _index, item, path in checker.items(root, "actors", ""):
        actor = check_actor(checker, item, path)
        if actor and actor["slug"] in file_actor_slugs:
            checker.error(f"{path}.slug", f"duplicate actor slug '{actor['slug']}'")
        elif actor:
            file_actor_slugs.add(actor["slug"])
            plan.actors.append(actor)
    actor_slugs |= file_actor_slugs
    identified = {
        (scheme, value): slug
        for scheme, value, slug in ActorIdentifier.objects.values_list(
            "scheme", "value", "actor__slug"
        )
    }
    for actor in plan.actors:
        for scheme, value, identifier_path in actor["identifiers"]:
            owner = identified.setdefault((scheme, value), actor["slug"])
            if owner != actor["slug"]:
                checker.error(
                    f"{identifier_path}.value",
                    f"{scheme} '{value}' already identifies actor '{owner}'",
                )
    for actor in plan.actors:
        if actor["parent"] and actor["parent"] not in actor_slugs:
            checker.error(f"{actor['path']}.parent", f"unknown actor '{actor['parent']}'")

    file_source_slugs = set()
    for _index, item, path in checker.items(root, "sources", ""):
        source = check_source(checker, item, path)
        if source and source["slug"] in file_source_slugs:
            checker.error(f"{path}.slug", f"duplicate source slug '{source['slug']}'")
        elif source:
            file_source_slugs.add(source["slug"])
            source_texts[source["slug"]] = source["text"]
            plan.sources.append(source)

    context = {"actors": actor_slugs, "sources": source_texts, "statuses": statuses}
    letter_slugs = set()
    if root.get("letters") == [] and not any(
        root.get(key) for key in ("statuses", "actors", "sources")
    ):
        checker.error("letters", "the list is empty; nothing to import")
    for _index, item, path in checker.items(root, "letters", ""):
        letter = check_letter(checker, item, path, context)
        if letter and letter["slug"] in letter_slugs:
            checker.error(f"{path}.slug", f"duplicate letter slug '{letter['slug']}'")
        elif letter:
            letter_slugs.add(letter["slug"])
            plan.letters.append(letter)

    if checker.errors:
        raise ImportFailed(checker.errors)
    return plan


def check_status(checker, item, path):
    obj = checker.object(
        item,
        path,
        required=("slug", "label", "description"),
        optional=("basis", "rating_value", "requires_dispute", "position"),
    )
    if obj is None:
        return None
    Basis = VerificationStatus.Basis
    # A file written before statuses had a basis (an older Missive's backup) says requires_dispute instead.
    legacy = "requires_dispute" in obj and "basis" not in obj
    slug = obj.get("slug")
    if legacy and isinstance(slug, str) and VerificationStatus.objects.filter(slug=slug).exists():
        return None  # the archive's own vocabulary is newer: its status stands as it is
    disputes = checker.value(obj, "requires_dispute", path, bool, required=False)
    status = {
        "path": path,
        "slug": checker.slug(obj, "slug", path, VerificationStatus),
        "label": checker.length(obj, "label", path, VerificationStatus, required=True),
        "description": checker.value(obj, "description", path, str),
        # An older file's own status: a dispute if it needed one, else the editors' assessment (as migrated).
        "basis": checker.choice(
            obj,
            "basis",
            path,
            Basis.values,
            default=(Basis.NONE if not legacy else Basis.RESPONSE if disputes else Basis.EDITORS),
        ),
        "rating_value": checker.value(obj, "rating_value", path, int),
        "position": checker.value(obj, "position", path, int, default=0),
    }
    if disputes is not None and not legacy and disputes != (status["basis"] == Basis.RESPONSE):
        checker.error(f"{path}.requires_dispute", "contradicts basis; give basis alone")
    if legacy and status["basis"] != Basis.EDITORS:
        status["rating_value"] = (
            None  # an older file's rating was never the editors' choice for this basis
        )
    in_use = VerificationStatus.objects.filter(
        slug=status["slug"], claims__isnull=False
    ).values_list("basis", flat=True)
    if status["basis"] and (used := in_use.first()) is not None and used != status["basis"]:
        checker.error(
            f"{path}.basis",
            f"claims have status '{status['slug']}' with basis '{used}'; it cannot change",
        )
    if status["rating_value"] is not None and status["basis"] != VerificationStatus.Basis.EDITORS:
        checker.error(
            f"{path}.rating_value",
            "a ClaimReview rating is only for the editors' own assessments (basis 'editors')",
        )
    if status["rating_value"] is not None and not 1 <= status["rating_value"] <= 5:
        checker.error(f"{path}.rating_value", "a ClaimReview rating is between 1 and 5")
    if not 0 <= status["position"] <= 32767:
        checker.error(f"{path}.position", "expected a whole number from 0 to 32767")
    return (
        status
        if status["slug"] and status["label"] and status["description"] and status["basis"]
        else None
    )


def check_position(checker, obj, path, index, taken=None):
    """An explicit `position` (from 1; unique in the letter when `taken` is given) or the item's place in its list."""
    position = checker.value(obj, "position", path, int, default=index + 1)
    if not 1 <= position <= 32767:
        checker.error(f"{path}.position", "expected a whole number from 1 to 32767")
    elif taken is not None:
        if position in taken:
            checker.error(
                f"{path}.position", f"position {position} is already taken in this letter"
            )
        taken.add(position)
    return position


def check_actor(checker, item, path):
    obj = checker.object(
        item,
        path,
        required=("slug", "name", "kind"),
        optional=("parent", "description", "identifiers"),
    )
    if obj is None:
        return None
    actor = {
        "path": path,
        "slug": checker.slug(obj, "slug", path, Actor),
        "name": checker.value(obj, "name", path, str),
        "kind": checker.choice(obj, "kind", path, Actor.Kind.values),
        "parent": checker.value(obj, "parent", path, str, default=""),
        "description": checker.value(obj, "description", path, str, required=False, default=""),
        "identifiers": [],
    }
    if actor["name"] and len(actor["name"]) > (maximum := max_length(Actor, "name")):
        checker.error(f"{path}.name", f"longer than {maximum} characters")
    schemes = set()
    for _, identifier, identifier_path in checker.items(obj, "identifiers", path):
        entry = checker.object(identifier, identifier_path, required=("scheme", "value"))
        if entry is None:
            continue
        scheme = checker.choice(entry, "scheme", identifier_path, ActorIdentifier.Scheme.values)
        value = checker.value(entry, "value", identifier_path, str)
        if scheme and value:
            try:
                ActorIdentifier.VALIDATORS[scheme](value)
            except ValidationError as error:
                checker.error(f"{identifier_path}.value", f"'{value}': {error.messages[0]}")
                continue
            if scheme in schemes:
                checker.error(
                    f"{identifier_path}.scheme", f"a second '{scheme}' identifier for this actor"
                )
                continue
            schemes.add(scheme)
            actor["identifiers"].append((scheme, value, identifier_path))
    return actor if actor["slug"] and actor["name"] and actor["kind"] else None


def check_source(checker, item, path):
    obj = checker.object(
        item,
        path,
        required=("slug", "title", "text"),
        optional=("kind", "publisher", "url", "published_on", "note"),
    )
    if obj is None:
        return None
    source = {
        "path": path,
        "slug": checker.slug(obj, "slug", path, Source),
        "title": checker.length(obj, "title", path, Source, required=True),
        "kind": checker.choice(
            obj, "kind", path, Source.Kind.values, default=Source.Kind.NEWS_REPORT
        ),
        "publisher": checker.length(obj, "publisher", path, Source),
        "url": checker.length(obj, "url", path, Source),
        "published_on": checker.iso_date(obj, "published_on", path),
        "note": checker.value(obj, "note", path, str, required=False, default=""),
        "text": checker.value(obj, "text", path, str),
    }
    if source["url"]:
        try:
            URLValidator()(source["url"])
        except ValidationError:
            checker.error(f"{path}.url", f"'{source['url']}' is not a web address")
    return source if source["slug"] and source["title"] and source["text"] else None


def check_actor_list(checker, obj, key, path, known):
    slugs = []
    for _, slug, item_path in checker.items(obj, key, path):
        if not isinstance(slug, str):
            checker.error(item_path, f"expected an actor slug, got {describe(slug)}")
        elif slug not in known:
            checker.error(item_path, f"unknown actor '{slug}'")
        elif slug in slugs:
            checker.error(item_path, f"actor '{slug}' listed twice")
        else:
            slugs.append(slug)
    return slugs


def check_actor_ref(checker, obj, key, path, known):
    slug = checker.value(obj, key, path, str, default=None)
    if slug is not None and slug not in known:
        checker.error(at(path, key), f"unknown actor '{slug}'")
        return None
    return slug


def check_quote(checker, obj, path, context, allowed_sources=None):
    """The quote object under obj['quote'], anchored in its source's text."""
    if obj.get("quote") is None:
        return None  # reported as missing by the caller's required fields
    quote = checker.object(
        obj.get("quote"),
        f"{path}.quote",
        required=("source", "exact"),
        optional=("prefix", "suffix", "orphan"),
    )
    if quote is None:
        return None
    quote_path = f"{path}.quote"
    source = checker.value(quote, "source", quote_path, str)
    exact = checker.value(quote, "exact", quote_path, str)
    prefix = checker.value(quote, "prefix", quote_path, str, required=False, default="")
    suffix = checker.value(quote, "suffix", quote_path, str, required=False, default="")
    if source is None or exact is None:
        return None
    if source not in context["sources"]:
        checker.error(f"{quote_path}.source", f"unknown source '{source}'")
        return None
    if allowed_sources is not None and source not in allowed_sources:
        checker.error(f"{quote_path}.source", f"'{source}' is not one of this letter's sources")
        return None
    if checker.value(quote, "orphan", quote_path, bool, default=False):
        # Exported from an archive where the source text changed after the quote was made:
        # kept as an orphan, for editors to re-anchor, exactly as it was.
        return {"source": source, "exact": exact, "prefix": prefix, "suffix": suffix}
    text = context["sources"][source]
    found = locate(text, exact, prefix, suffix)
    if found is None:
        checker.error(
            f"{quote_path}.exact",
            f"not found in the text of source '{source}': {json.dumps(exact[:80])}",
        )
        return None
    if is_ambiguous(text, exact, prefix, suffix):
        checker.error(
            f"{quote_path}.exact",
            f"occurs more than once in source '{source}'; add a prefix or suffix to say which",
        )
        return None
    # Store the context the quote is found in, as saving would, so re-imports change nothing.
    return {
        "source": source,
        "exact": exact,
        "prefix": prefix or found.prefix,
        "suffix": suffix or found.suffix,
    }


def check_letter(checker, item, path, context):
    obj = checker.object(
        item,
        path,
        required=("slug", "title", "date", "sender", "summary", "sources"),
        optional=(
            "date_inferred",
            "date_note",
            "signatory",
            "recipients",
            "requested_actions",
            "claims",
            "responses",
        ),
    )
    if obj is None:
        return None
    letter = {
        "path": path,
        "slug": checker.slug(obj, "slug", path, Letter),
        "title": checker.length(obj, "title", path, Letter, required=True),
        "date": checker.value(obj, "date", path, str),
        "date_inferred": checker.value(obj, "date_inferred", path, bool, default=False),
        "date_note": checker.length(obj, "date_note", path, Letter),
        "sender": check_actor_ref(checker, obj, "sender", path, context["actors"]),
        "signatory": check_actor_ref(checker, obj, "signatory", path, context["actors"]),
        "summary": checker.value(obj, "summary", path, str),
        "sources": [],
    }
    if letter["date"] is not None:
        try:
            edtf_bounds(letter["date"])
        except ValidationError as error:
            checker.error(f"{path}.date", error.messages[0])
    if letter["date_inferred"] and not letter["date_note"]:
        checker.error(f"{path}.date_note", "say how the inferred date is known")
    for _, slug, item_path in checker.items(obj, "sources", path):
        if not isinstance(slug, str):
            checker.error(item_path, f"expected a source slug, got {describe(slug)}")
        elif slug not in context["sources"]:
            checker.error(item_path, f"unknown source '{slug}'")
        else:
            letter["sources"].append(slug)
    if "sources" in obj and isinstance(obj["sources"], list) and not obj["sources"]:
        checker.error(f"{path}.sources", "a letter needs at least one source")
    own_sources = set(letter["sources"])

    letter["recipients"] = []
    seen = set()
    for _, entry, entry_path in checker.items(obj, "recipients", path):
        recipient = checker.object(
            entry, entry_path, required=("actor",), optional=("role", "note")
        )
        if recipient is None:
            continue
        actor = check_actor_ref(checker, recipient, "actor", entry_path, context["actors"])
        role = checker.choice(
            recipient, "role", entry_path, Recipient.Role.values, default=Recipient.Role.TO
        )
        note = checker.length(recipient, "note", entry_path, Recipient)
        if actor and role:
            if (actor, role) in seen:
                checker.error(
                    f"{entry_path}.actor", f"'{actor}' is already a recipient with role '{role}'"
                )
            seen.add((actor, role))
            letter["recipients"].append({"actor": actor, "role": role, "note": note})

    letter["requested_actions"] = []
    positions = set()
    for index, entry, entry_path in checker.items(obj, "requested_actions", path):
        action = checker.object(
            entry,
            entry_path,
            required=("summary", "quote"),
            optional=("position", "addressees", "outcome", "outcome_note"),
        )
        if action is None:
            continue
        letter["requested_actions"].append(
            {
                "position": check_position(checker, action, entry_path, index, positions),
                "summary": checker.value(action, "summary", entry_path, str),
                "addressees": check_actor_list(
                    checker, action, "addressees", entry_path, context["actors"]
                ),
                "outcome": checker.choice(
                    action,
                    "outcome",
                    entry_path,
                    RequestedAction.Outcome.values,
                    default=RequestedAction.Outcome.NOT_REPORTED,
                ),
                "outcome_note": checker.value(
                    action, "outcome_note", entry_path, str, required=False, default=""
                ),
                "quote": check_quote(checker, action, entry_path, context, own_sources),
            }
        )

    letter["claims"] = []
    keys = set()
    for index, entry, entry_path in checker.items(obj, "claims", path):
        claim = check_claim(checker, entry, entry_path, context, own_sources)
        if claim is None:
            continue
        if claim["key"] in keys:
            checker.error(
                f"{entry_path}.key", f"duplicate claim key '{claim['key']}' in this letter"
            )
        keys.add(claim["key"])
        # Claims may share a position (the admin allows it); only actions are numbered uniquely.
        claim["position"] = check_position(checker, entry, entry_path, index)
        letter["claims"].append(claim)

    letter["responses"] = check_responses(checker, obj, path, context)
    return letter


def check_claim(checker, entry, path, context, own_sources):
    obj = checker.object(
        entry,
        path,
        required=("key", "statement", "kind", "status", "quote"),
        optional=(
            "position",
            "about",
            "status_note",
            "status_basis",
            "reviewed_by",
            "status_set_at",
            "responses",
            "evidence",
        ),
    )
    if obj is None:
        return None
    claim = {
        "key": checker.slug(obj, "key", path, Claim),
        "statement": checker.value(obj, "statement", path, str),
        "kind": checker.choice(obj, "kind", path, Claim.Kind.values),
        "status": None,
        "status_note": checker.value(obj, "status_note", path, str, required=False, default=""),
        "status_set_at": check_datetime(checker, obj, "status_set_at", path),
        "status_basis": check_status_words(checker, obj, path, context),
        "reviewed_by": check_reviewer(checker, obj, path),
        "about": check_actor_list(checker, obj, "about", path, context["actors"]),
        "quote": check_quote(checker, obj, path, context, own_sources),
        "responses": check_responses(checker, obj, path, context),
        "evidence": [],
    }
    status = checker.value(obj, "status", path, str)
    if status is not None:
        claim["status"] = context["statuses"].get(status)
        if claim["status"] is None:
            checker.error(
                f"{path}.status",
                f"unknown status '{status}'; known: {', '.join(context['statuses'])}",
            )
    relations = set()
    for _, item, item_path in checker.items(obj, "evidence", path):
        evidence = checker.object(
            item, item_path, required=("relation", "quote"), optional=("note",)
        )
        if evidence is None:
            continue
        relation = checker.choice(evidence, "relation", item_path, Evidence.Relation.values)
        quote = check_quote(checker, evidence, item_path, context)
        if relation and quote:
            if (quote["source"], relation) in relations:
                checker.error(
                    f"{item_path}.relation",
                    f"a second '{relation}' entry from source '{quote['source']}'",
                )
                continue
            relations.add((quote["source"], relation))
            claim["evidence"].append(
                {
                    "relation": relation,
                    "note": checker.value(
                        evidence, "note", item_path, str, required=False, default=""
                    ),
                    "quote": quote,
                }
            )
    if claim["status"] is not None and claim["kind"]:
        check_claim_basis(checker, claim, path, context, own_sources)
    if not (
        claim["key"] and claim["statement"] and claim["kind"] and claim["status"] and claim["quote"]
    ):
        return None
    return claim


def check_status_words(checker, obj, path, context):
    """`status_basis`: the source that reports the claim's status and its words, as {"source", "quote"}."""
    basis_path = at(path, "status_basis")
    words = (
        checker.object(obj.get("status_basis"), basis_path, required=("source", "quote"))
        if "status_basis" in obj
        else None
    )
    if words is None:
        return None
    source = checker.value(words, "source", basis_path, str)
    quote = checker.value(words, "quote", basis_path, str)
    if source is None or not quote:
        if quote == "":
            checker.error(f"{basis_path}.quote", "empty; copy the source's words")
        return None
    if source not in context["sources"]:
        checker.error(f"{basis_path}.source", f"unknown source '{source}'")
        return None
    return {"source": source, "quote": quote}


def check_reviewer(checker, obj, path):
    """`reviewed_by`: the username of the editor whose own assessment the status is."""
    username = checker.value(obj, "reviewed_by", path, str, required=False)
    if not username:
        return None
    if not get_user_model().objects.filter(username=username, is_staff=True).exists():
        checker.error(
            at(path, "reviewed_by"),
            f"no editor '{username}' in this archive; create the editor first "
            "(manage.py create_editor)",
        )
        return None
    return username


def check_claim_basis(checker, claim, path, context, own_sources):
    """The claim as it would be saved, asked whether its status has the basis it needs (models.basis_problems)."""
    words = claim["status_basis"]
    candidate = Claim(kind=claim["kind"], status_quote=words["quote"] if words else "")
    if words:
        candidate.status_source = Source(
            slug=words["source"], title=words["source"], text=context["sources"][words["source"]]
        )
    if claim["reviewed_by"]:
        candidate.reviewed_by = get_user_model()(username=claim["reviewed_by"])
    problems = basis_problems(
        claim["status"],
        candidate,
        stances=[response["stance"] for response in claim["responses"]],
        evidence=[item["relation"] for item in claim["evidence"]],
        letter_sources=own_sources,
    )
    basis = claim["status"].basis
    # A claim keeps only the basis its status uses (change_status clears the rest): one the file gives
    # for another status would be dropped, and the claim reported as updated on every import.
    if words and basis != VerificationStatus.Basis.SOURCE:
        checker.error(
            at(path, "status_basis"),
            f"status '{claim['status'].slug}' does not rest on a source's "
            "words; remove status_basis",
        )
    if claim["reviewed_by"] and basis != VerificationStatus.Basis.EDITORS:
        checker.error(
            at(path, "reviewed_by"),
            f"status '{claim['status'].slug}' is not the editors' own "
            "assessment; remove reviewed_by",
        )
    where = {"status_quote": "status_basis", "kind": "status"}
    for part, message in problems.items():
        if part == "reviewed_by":
            message = "the editors' own assessment needs the reviewing editor: give reviewed_by (an editor's login)"
        checker.error(at(path, where.get(part, part)), message)


def check_datetime(checker, obj, key, path):
    """An ISO 8601 date and time with its offset (2026-02-11T09:30:00+00:00), or None."""
    value = checker.value(obj, key, path, str, required=False)
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        checker.error(
            at(path, key), f"'{value}' is not a date and time like 2026-02-11T09:30:00+00:00"
        )
        return None
    if moment.tzinfo is None:
        checker.error(at(path, key), f"'{value}' has no time zone offset; add one, e.g. +00:00")
        return None
    return moment


def check_responses(checker, obj, path, context):
    responses = []
    actors = set()
    for _, item, item_path in checker.items(obj, "responses", path):
        response = checker.object(
            item,
            item_path,
            required=("actor", "stance", "quote"),
            optional=("statement", "responded_on"),
        )
        if response is None:
            continue
        entry = {
            "actor": check_actor_ref(checker, response, "actor", item_path, context["actors"]),
            "stance": checker.choice(response, "stance", item_path, Response.Stance.values),
            "statement": checker.value(
                response, "statement", item_path, str, required=False, default=""
            ),
            "responded_on": checker.iso_date(response, "responded_on", item_path),
            "quote": check_quote(checker, response, item_path, context),
        }
        if entry["actor"] is not None and entry["actor"] in actors:
            checker.error(f"{item_path}.actor", f"'{entry['actor']}' already has a response here")
            continue
        actors.add(entry["actor"])
        if entry["actor"] and entry["stance"] and entry["quote"]:
            responses.append(entry)
    return responses


# --- writing ------------------------------------------------------------------------
