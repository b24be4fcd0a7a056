"""Checking each letter of an import: recipients, requested actions, claims, their status and basis, responses."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from archive.anchoring import is_ambiguous, locate
from archive.dates import edtf_bounds
from archive.models import Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus, basis_problems

from .checker import at, check_datetime, check_position, describe

# Each vocabulary once: an enum's .values builds a new list on every call, and a file asks per row.
ROLES = Recipient.Role.values
OUTCOMES = RequestedAction.Outcome.values
CLAIM_KINDS = Claim.Kind.values
RELATIONS = Evidence.Relation.values
STANCES = Response.Stance.values


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
        "start": found.start,  # where the writer anchors it again, without searching
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
            "published",
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
        # Absent: a new letter is published, and a letter already here keeps its state (a file
        # made before an editor withdrew a letter does not publish it again).
        "published": checker.value(obj, "published", path, bool),
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
        role = checker.choice(recipient, "role", entry_path, ROLES, default=Recipient.Role.TO)
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
                    OUTCOMES,
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
            "recurs_as",
        ),
    )
    if obj is None:
        return None
    claim = {
        "recurs_as": check_recurrence(checker, obj, path, context),
        "key": checker.slug(obj, "key", path, Claim),
        "statement": checker.value(obj, "statement", path, str),
        "kind": checker.choice(obj, "kind", path, CLAIM_KINDS),
        "status": None,
        "status_note": checker.value(obj, "status_note", path, str, required=False, default=""),
        "status_set_at": check_datetime(checker, obj, "status_set_at", path),
        "status_basis": check_status_words(checker, obj, path, context),
        "reviewed_by": check_reviewer(checker, obj, path, context["editors"]),
        "reviewed_by_given": bool(obj.get("reviewed_by")),
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
        relation = checker.choice(evidence, "relation", item_path, RELATIONS)
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


def check_recurrence(checker, obj, path, context):
    """`recurs_as`: the recurring assertion the claim makes, why, and who confirmed it when."""
    if obj.get("recurs_as") is None:
        return None
    recurrence_path = at(path, "recurs_as")
    given = checker.object(
        obj["recurs_as"],
        recurrence_path,
        required=("assertion", "reason"),
        optional=("confirmed_by", "confirmed_at"),
    )
    if given is None:
        return None
    assertion = checker.value(given, "assertion", recurrence_path, str)
    reason = checker.value(given, "reason", recurrence_path, str)
    recurrence = {
        "assertion": assertion,
        "reason": reason,
        "confirmed_by": check_reviewer(
            checker, given, recurrence_path, context["editors"], key="confirmed_by"
        ),
        "confirmed_at": check_datetime(checker, given, "confirmed_at", recurrence_path),
    }
    if assertion is not None and assertion not in context["recurring_assertions"]:
        checker.error(
            f"{recurrence_path}.assertion",
            f"unknown recurring assertion '{assertion}'; list it in \"recurring_assertions\"",
        )
        return None
    return recurrence if assertion and reason else None


def check_reviewer(checker, obj, path, editors, key="reviewed_by"):
    """`reviewed_by`: the username of the editor (one of `editors`) whose own assessment the status is."""
    username = checker.value(obj, key, path, str, required=False)
    if not username:
        return None
    if username not in editors:
        checker.error(
            at(path, key),
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
            if claim["reviewed_by_given"]:
                continue  # an unknown editor, already reported by check_reviewer
            message = "the editors' own assessment needs the reviewing editor: give reviewed_by (an editor's login)"
        checker.error(at(path, where.get(part, part)), message)


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
            "stance": checker.choice(response, "stance", item_path, STANCES),
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
