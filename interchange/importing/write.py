"""Step 3 of an import: the checked plan written in one transaction.

Existing rows are matched by their natural keys (slugs, letter + key, …), so importing
the same file twice changes nothing.
"""

from django.contrib.auth import get_user_model

from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import Claim, Evidence, Response, VerificationStatus
from claims.statuses import change_status
from interchange.format import ImportReport


class Writer:
    """Creates or updates rows by natural key, saving only what actually changed."""

    def __init__(self, reason):
        self.reason = reason
        self.report = ImportReport()
        self.actors = {}
        self.sources = {}
        self.statuses = {}

    def upsert(self, model, lookup, values, status=None):
        """The row `lookup` names, created or updated to `values`; for a claim, `status` holds
        change_status's arguments, and the status is given through it when it differs."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            if status is not None:
                change_status(instance, **status)
            self.save(instance)
            self.report.count(self.report.created, model)
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, values[name])
        if status is not None and status_differs(instance, **status):
            change_status(instance, **status)
            changed.append("status")
        if changed:
            self.save(instance)
            self.report.count(self.report.updated, model)
        else:
            self.report.unchanged += 1
        return instance

    def save(self, instance):
        instance._change_reason = self.reason
        instance.save()

    def set_many(self, instance, name, objects):
        manager = getattr(instance, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in objects}:
            manager.set(objects)

    def quote_values(self, quote):
        return {
            "source": self.source(quote["source"]),
            "quote_exact": quote["exact"],
            "quote_prefix": quote["prefix"],
            "quote_suffix": quote["suffix"],
        }

    def actor(self, slug):
        if slug not in self.actors:
            self.actors[slug] = Actor.objects.get(slug=slug)
        return self.actors[slug]

    def status(self, planned):
        # Statuses from the file were checked against unsaved copies; claims need the saved row.
        if planned.pk is not None:
            return planned
        if planned.slug not in self.statuses:
            self.statuses[planned.slug] = VerificationStatus.objects.get(slug=planned.slug)
        return self.statuses[planned.slug]

    def reviewer(self, username):
        return get_user_model().objects.get(username=username) if username else None

    def source(self, slug):
        if slug not in self.sources:
            self.sources[slug] = Source.objects.get(slug=slug)
        return self.sources[slug]

    def write(self, plan):
        for status in plan.statuses:
            values = {
                key: status[key]
                for key in ("label", "description", "basis", "rating_value", "position")
            }
            self.upsert(VerificationStatus, {"slug": status["slug"]}, values)
        for actor in plan.actors:
            values = {
                "name": actor["name"],
                "kind": actor["kind"],
                "description": actor["description"],
            }
            self.actors[actor["slug"]] = self.upsert(Actor, {"slug": actor["slug"]}, values)
        for actor in plan.actors:  # parents may come later in the file
            instance = self.actors[actor["slug"]]
            parent = self.actor(actor["parent"]) if actor["parent"] else None
            if instance.parent_id != (parent.pk if parent else None):
                instance.parent = parent
                self.save(instance)
            for scheme, value, _ in actor["identifiers"]:
                self.upsert(
                    ActorIdentifier, {"actor": instance, "scheme": scheme}, {"value": value}
                )
        for source in plan.sources:
            values = {
                key: source[key]
                for key in (
                    "title",
                    "kind",
                    "language",
                    "author",
                    "publisher",
                    "url",
                    "published_on",
                    "note",
                    "text",
                )
            }
            self.sources[source["slug"]] = self.upsert(Source, {"slug": source["slug"]}, values)
        for letter in plan.letters:
            self.write_letter(letter)
        return self.report

    def write_letter(self, data):
        letter = self.upsert(
            Letter,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "date_edtf": data["date"],
                "date_inferred": data["date_inferred"],
                "date_note": data["date_note"],
                "sender": self.actor(data["sender"]),
                "signatory": self.actor(data["signatory"]) if data["signatory"] else None,
                "summary": data["summary"],
                **({} if data["published"] is None else {"published": data["published"]}),
            },
        )
        self.set_many(letter, "sources", [self.source(slug) for slug in data["sources"]])
        for recipient in data["recipients"]:
            self.upsert(
                Recipient,
                {
                    "letter": letter,
                    "actor": self.actor(recipient["actor"]),
                    "role": recipient["role"],
                },
                {"note": recipient["note"]},
            )
        for action in data["requested_actions"]:
            instance = self.upsert(
                RequestedAction,
                {"letter": letter, "position": action["position"]},
                {
                    "summary": action["summary"],
                    "outcome": action["outcome"],
                    "outcome_note": action["outcome_note"],
                    **self.quote_values(action["quote"]),
                },
            )
            self.set_many(
                instance, "addressees", [self.actor(slug) for slug in action["addressees"]]
            )
        for claim in data["claims"]:
            self.write_claim(letter, claim, set(data["sources"]))
        for response in data["responses"]:
            self.write_response({"letter": letter}, response)

    def write_claim(self, letter, data, letter_sources):
        words = data["status_basis"]
        claim = self.upsert(
            Claim,
            {"letter": letter, "key": data["key"]},
            {
                "position": data["position"],
                "statement": data["statement"],
                "kind": data["kind"],
                "status_note": data["status_note"],
                **self.quote_values(data["quote"]),
            },
            status={
                "status": self.status(data["status"]),
                "source": self.source(words["source"]) if words else None,
                "words": words["quote"] if words else "",
                "reviewer": self.reviewer(data["reviewed_by"]),
                # Only a file restoring a status says when it was set (status_set_at).
                "at": data["status_set_at"],
                # The claim's basis as the file gives it: its responses and evidence come next.
                "stances": [response["stance"] for response in data["responses"]],
                "evidence": [item["relation"] for item in data["evidence"]],
                "letter_sources": letter_sources,
            },
        )
        self.set_many(claim, "about", [self.actor(slug) for slug in data["about"]])
        for response in data["responses"]:
            self.write_response({"claim": claim}, response)
        for evidence in data["evidence"]:
            quote = self.quote_values(evidence["quote"])
            self.upsert(
                Evidence,
                {"claim": claim, "source": quote.pop("source"), "relation": evidence["relation"]},
                {"note": evidence["note"], **quote},
            )

    def write_response(self, target, data):
        self.upsert(
            Response,
            {**target, "actor": self.actor(data["actor"])},
            {
                "stance": data["stance"],
                "statement": data["statement"],
                "responded_on": data["responded_on"],
                **self.quote_values(data["quote"]),
            },
        )


def status_differs(claim, status, source, words, reviewer, at, **rows):
    """Whether the file gives the claim another status, basis or time than it has."""
    return (
        claim.status_id != status.pk
        or claim.status_source_id != (source.pk if source else None)
        or claim.status_quote != words
        or claim.reviewed_by_id != (reviewer.pk if reviewer else None)
        or (at is not None and claim.status_changed_at != at)
    )
