"""Step 2 of an import: the document checked against itself and the database.

Every error is collected with its location (``letters[1].claims[4].status: …``). This module
checks the document's head, its format and vocabulary (statuses, actors, sources), into a
Plan the writer carries out and the context each letter is checked in; check_letters.py
checks each letter with its recipients, requested actions, claims and responses.
"""

import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from archive.languages import validate_language_tag
from archive.models import Actor, ActorIdentifier, Source
from claims.models import RecurringAssertion, VerificationStatus, validate_assertion_wording
from interchange.format import FORMAT_NAME, FORMAT_VERSION, ImportFailed

from .check_letters import check_letter
from .checker import MAX_SOURCE_TEXT, at, max_length


@dataclass
class Plan:
    """The checked head of the document (its vocabulary and sources), ready to write."""

    statuses: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    recurring_assertions: list = field(default_factory=list)


def check_letter_in_file(checker, item, path, context):
    """One letter, checked, or None; a letter slug given twice in the file is refused."""
    letter = check_letter(checker, item, path, context)
    if letter and letter["slug"] in context["letter_slugs"]:
        checker.error(f"{path}.slug", f"duplicate letter slug '{letter['slug']}'")
        return None
    if letter:
        context["letter_slugs"].add(letter["slug"])
    return letter


def check_head(checker, root):
    """Everything but the letters: the file's format and its vocabulary (statuses, actors, sources).
    Returns the Plan without letters and the context each letter is checked in."""
    plan = Plan()
    root = checker.object(
        root,
        "",
        required=("format", "version", "letters"),
        optional=("statuses", "actors", "sources", "recurring_assertions"),
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

    recurring = set(RecurringAssertion.objects.values_list("slug", flat=True))
    file_recurring = set()
    for _index, item, path in checker.items(root, "recurring_assertions", ""):
        assertion = check_recurring_assertion(checker, item, path)
        if assertion and assertion["slug"] in file_recurring:
            checker.error(
                f"{path}.slug", f"duplicate recurring assertion slug '{assertion['slug']}'"
            )
        elif assertion:
            file_recurring.add(assertion["slug"])
            plan.recurring_assertions.append(assertion)

    editors = set(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True))
    context = {
        "recurring_assertions": recurring | file_recurring,
        "actors": actor_slugs,
        "sources": source_texts,
        "statuses": statuses,
        "editors": editors,
        "letter_slugs": set(),
    }
    return plan, context


def check_recurring_assertion(checker, item, path):
    """A recurring assertion's slug, title and note; which claims make it, each claim says."""
    obj = checker.object(item, path, required=("slug", "title"), optional=("note",))
    if obj is None:
        return None
    assertion = {
        "slug": checker.slug(obj, "slug", path, RecurringAssertion),
        "title": checker.length(obj, "title", path, RecurringAssertion, required=True),
        "note": checker.value(obj, "note", path, str, required=False, default=""),
    }
    if assertion["title"]:
        try:
            validate_assertion_wording(assertion["title"])
        except ValidationError as error:
            checker.error(f"{path}.title", error.messages[0])
            return None
    return assertion if assertion["slug"] and assertion["title"] else None


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


def check_language(checker, obj, path):
    """`language`: a BCP 47 tag, or empty when unknown."""
    tag = checker.length(obj, "language", path, Source)
    if tag:
        try:
            validate_language_tag(tag)
        except ValidationError as error:
            checker.error(at(path, "language"), " ".join(error.messages))
            return ""
    return tag


def check_source(checker, item, path):
    obj = checker.object(
        item,
        path,
        required=("slug", "title", "text"),
        optional=("kind", "language", "author", "publisher", "url", "published_on", "note"),
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
        "language": check_language(checker, obj, path),
        "author": checker.length(obj, "author", path, Source),
        "publisher": checker.length(obj, "publisher", path, Source),
        "url": checker.length(obj, "url", path, Source),
        "published_on": checker.iso_date(obj, "published_on", path),
        "note": checker.value(obj, "note", path, str, required=False, default=""),
        "text": checker.value(obj, "text", path, str, limit=MAX_SOURCE_TEXT),
    }
    if source["url"]:
        try:
            URLValidator()(source["url"])
        except ValidationError:
            checker.error(f"{path}.url", f"'{source['url']}' is not a web address")
    return source if source["slug"] and source["title"] and source["text"] else None
