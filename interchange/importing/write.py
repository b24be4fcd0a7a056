"""Step 3 of an import: the checked plan written in one transaction, in bulk.

Existing rows are matched by their natural keys (slugs, letter + key, …), so importing
the same file twice changes nothing. Letters are written a batch at a time: for each
model, one query finds the batch's existing rows, then one bulk insert and one bulk
update write what is new or changed, each row with one version in its history (the
file's reason, the signed-in editor) and its many-to-many links copied into that version,
as a save would. A row the file leaves as it is gets no version.

Bulk writes call no save() and send no signals, so what the models' save() does is done
here by the same methods (quotes anchored, dates bounded, statuses through change_status),
and the page cache is bumped once.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from archive.dates import edtf_bounds
from archive.models import Actor, ActorIdentifier, Letter, Recipient, RequestedAction, Source
from claims.models import (
    Claim,
    Evidence,
    Recurrence,
    RecurringAssertion,
    Response,
    VerificationStatus,
)
from claims.statuses import change_status
from core.bulk import insert, insert_values
from core.page_cache import bump
from history.bulk import record_links, record_versions
from interchange.format import ImportReport

LETTER_BATCH = 500  # letters (with all their rows) matched and written at a time


class Rows:
    """One model's rows in a batch: each matched by its natural key, then written in bulk."""

    def __init__(self, writer, model, key, existing=(), links=None):
        self.writer, self.model, self.key_fields = writer, model, key
        self.existing = {self.key_of(row): row for row in existing}
        self.created, self.updated, self.fields, self.untouched = [], [], set(), []
        # A many-to-many field's wanted links: [(instance, {target pks})].
        self.links_field = model._meta.get_field(links) if links else None
        self.wanted_links = []

    def key_of(self, row):
        return tuple(
            getattr(row, self.model._meta.get_field(name).attname) for name in self.key_fields
        )

    def upsert(self, lookup, values, prepare=None, links=None):
        """The row `lookup` names, created or set to `values`. `prepare(instance, existing)` does
        what the model's save() would; `links` are the targets of the many-to-many field."""
        key = tuple(
            value.pk if hasattr(value, "_meta") else value
            for value in (lookup[name] for name in self.key_fields)
        )
        instance = self.existing.get(key)
        if instance is None:
            instance = self.model(**lookup, **values)
            if prepare:
                prepare(instance, None)
            self.created.append(instance)
            self.existing[key] = instance  # a second mention in the file is the same row
        else:
            before = self.field_values(instance)
            # The lookup's rows are the ones already there: set, they are at hand (an anchored
            # quote reads its source's text) instead of fetched one query at a time.
            for name, value in {**lookup, **values}.items():
                setattr(instance, name, value)
            if prepare:
                prepare(instance, before)
            changed = {
                name for name, value in self.field_values(instance).items() if value != before[name]
            }
            if changed:
                self.fields |= changed
                self.updated.append(instance)
            else:
                self.untouched.append(instance)
        if links is not None:
            self.wanted_links.append((instance, {target.pk for target in links}))
        return instance

    def field_values(self, instance):
        return {
            field.name: getattr(instance, field.attname)
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.name != "search_document"
        }

    def write(self):
        """Insert and update in bulk, set the links, and give each written row its version."""
        model, report = self.model, self.writer.report
        created = insert(model, self.created)
        updated = list(dict.fromkeys(self.updated))  # a row changed twice is updated once
        if updated:
            model.objects.bulk_update(updated, sorted(self.fields), batch_size=500)
        relinked = self.write_links()
        written = set(updated)
        relinked_only = [row for row in relinked if row not in written]
        changed = updated + relinked_only
        for _ in created:
            report.count(report.created, model)
        for _ in changed:
            report.count(report.updated, model)
        report.unchanged += len(set(self.untouched)) - len(relinked_only)
        versions = self.writer.versions(model, created, update=False)
        versions += self.writer.versions(model, [row for row in changed if row.pk], update=True)
        if self.links_field is not None:
            version_of = dict(versions)
            record_links(model, self.links_field.name, version_of)
        self.created, self.updated, self.fields, self.untouched = [], [], set(), []
        return created

    def write_links(self):
        """The many-to-many links as the file gives them; returns the existing rows they changed."""
        if self.links_field is None or not self.wanted_links:
            return []
        through = self.links_field.remote_field.through
        mine, theirs = self.links_field.m2m_column_name(), self.links_field.m2m_reverse_name()
        new_rows = set(self.created)  # saved by now, so hashable
        had = {}
        for link_id, owner, target in through.objects.filter(
            **{f"{mine}__in": [row.pk for row, _ in self.wanted_links if row not in new_rows]}
        ).values_list("pk", mine, theirs):
            had.setdefault(owner, {})[target] = link_id
        added, removed, relinked = [], [], []
        for row, targets in self.wanted_links:
            current = had.get(row.pk, {})
            if set(current) == targets:
                continue
            added += [[row.pk, target] for target in targets - set(current)]
            removed += [link_id for target, link_id in current.items() if target not in targets]
            if row not in new_rows:
                relinked.append(row)
        through.objects.filter(pk__in=removed).delete()
        insert_values(through, [mine, theirs], added)
        self.wanted_links = []
        return relinked


class Writer:
    """Creates or updates rows by natural key, writing only what actually changed."""

    def __init__(self, reason):
        self.reason = reason
        self.report = ImportReport()
        self.actors = {}
        self.sources = {}
        self.statuses = {}
        self.reviewers = {}
        self.recurring = {}
        self.now = timezone.now()

    # The vocabulary: few rows, each through its model's save().
    def upsert(self, model, lookup, values, existing):
        """The row `existing` (or None: a new one) set to `values`, through its save()."""
        instance = existing
        if instance is None:
            instance = model(**lookup, **values)
            self.save(instance)
            self.report.count(self.report.created, model)
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, values[name])
        if changed:
            self.save(instance)
            self.report.count(self.report.updated, model)
        else:
            self.report.unchanged += 1
        return instance

    def save(self, instance):
        instance._change_reason = self.reason
        instance.save()

    def versions(self, model, rows, update):
        """One version of each row, as it now is, with the import's reason and editor."""
        if not rows:
            return []
        return record_versions(model, rows, update=update, reason=self.reason, when=self.now)

    def quote_values(self, quote):
        return {
            "source": self.source(quote["source"]),
            "quote_exact": quote["exact"],
            "quote_prefix": quote["prefix"],
            "quote_suffix": quote["suffix"],
            # Where the check found it (absent for an orphan): anchor() confirms it there.
            "quote_start": quote.get("start"),
        }

    def actor(self, slug):
        if slug not in self.actors:  # one the file refers to without listing it
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
        if username and username not in self.reviewers:
            self.reviewers[username] = get_user_model().objects.get(username=username)
        return self.reviewers.get(username)

    def recurring_assertion(self, slug):
        if slug not in self.recurring:  # one already in the archive, not listed in the file
            self.recurring[slug] = RecurringAssertion.objects.get(slug=slug)
        return self.recurring[slug]

    def source(self, slug):
        if slug not in self.sources:
            self.sources[slug] = Source.objects.get(slug=slug)
        return self.sources[slug]

    def finish(self):
        bump()  # bulk writes send no signals
        return self.report

    def write_head(self, plan):
        """The vocabulary (statuses, actors and their identifiers) and the sources."""
        statuses = VerificationStatus.objects.in_bulk(field_name="slug")
        for status in plan.statuses:
            values = {
                key: status[key]
                for key in ("label", "description", "basis", "rating_value", "position")
            }
            self.upsert(
                VerificationStatus, {"slug": status["slug"]}, values, statuses.get(status["slug"])
            )
        actors = Actor.objects.in_bulk([actor["slug"] for actor in plan.actors], field_name="slug")
        for actor in plan.actors:
            values = {
                "name": actor["name"],
                "kind": actor["kind"],
                "description": actor["description"],
            }
            self.actors[actor["slug"]] = self.upsert(
                Actor, {"slug": actor["slug"]}, values, actors.get(actor["slug"])
            )
        identifiers = {
            (identifier.actor_id, identifier.scheme): identifier
            for identifier in ActorIdentifier.objects.filter(
                actor__in=[actor.pk for actor in actors.values()]
            )
        }
        for actor in plan.actors:  # parents may come later in the file
            instance = self.actors[actor["slug"]]
            parent = self.actor(actor["parent"]) if actor["parent"] else None
            if instance.parent_id != (parent.pk if parent else None):
                instance.parent = parent
                self.save(instance)
            for scheme, value, _ in actor["identifiers"]:
                self.upsert(
                    ActorIdentifier,
                    {"actor": instance, "scheme": scheme},
                    {"value": value},
                    identifiers.get((instance.pk, scheme)),
                )
        self.write_sources(plan.sources)
        assertions = RecurringAssertion.objects.in_bulk(
            [assertion["slug"] for assertion in plan.recurring_assertions], field_name="slug"
        )
        for assertion in plan.recurring_assertions:
            self.recurring[assertion["slug"]] = self.upsert(
                RecurringAssertion,
                {"slug": assertion["slug"]},
                {"title": assertion["title"], "note": assertion["note"]},
                assertions.get(assertion["slug"]),
            )

    def write_sources(self, planned):
        """New sources in bulk; a changed one through its save(), which re-anchors quotes in it."""
        fields = ("title", "kind", "language", "author", "publisher", "url", "published_on")
        existing = Source.objects.in_bulk([source["slug"] for source in planned], field_name="slug")
        new = []
        for source in planned:
            values = {key: source[key] for key in (*fields, "note", "text")}
            instance = existing.get(source["slug"])
            if instance is None:
                instance = Source(slug=source["slug"], **values)
                instance.prepare_text()
                new.append(instance)
            elif any(getattr(instance, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(instance, name, value)
                self.save(instance)
                self.report.count(self.report.updated, Source)
            else:
                self.report.unchanged += 1
            self.sources[source["slug"]] = instance
        insert(Source, new)
        for _ in new:
            self.report.count(self.report.created, Source)
        self.versions(Source, new, update=False)

    def write_letters(self, batch):
        letters = Rows(
            self,
            Letter,
            ("slug",),
            Letter.objects.filter(slug__in=[data["slug"] for data in batch]),
            links="sources",
        )
        for data in batch:
            data["letter"] = letters.upsert(
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
                prepare=bound_dates,
                links=[self.source(slug) for slug in data["sources"]],
            )
        letters.write()

        ids = [data["letter"].pk for data in batch]
        recipients = Rows(
            self, Recipient, ("letter", "actor", "role"), Recipient.objects.filter(letter__in=ids)
        )
        actions = Rows(
            self,
            RequestedAction,
            ("letter", "position"),
            RequestedAction.objects.filter(letter__in=ids),
            links="addressees",
        )
        claims = Rows(
            self, Claim, ("letter", "key"), Claim.objects.filter(letter__in=ids), links="about"
        )
        for data in batch:
            letter = data["letter"]
            for recipient in data["recipients"]:
                recipients.upsert(
                    {
                        "letter": letter,
                        "actor": self.actor(recipient["actor"]),
                        "role": recipient["role"],
                    },
                    {"note": recipient["note"]},
                )
            for action in data["requested_actions"]:
                actions.upsert(
                    {"letter": letter, "position": action["position"]},
                    {
                        "summary": action["summary"],
                        "outcome": action["outcome"],
                        "outcome_note": action["outcome_note"],
                        **self.quote_values(action["quote"]),
                    },
                    prepare=anchor,
                    links=[self.actor(slug) for slug in action["addressees"]],
                )
            for claim in data["claims"]:
                claim["claim"] = self.write_claim(claims, letter, claim, set(data["sources"]))
        for rows in (recipients, actions, claims):
            rows.write()

        claim_ids = [claim["claim"].pk for data in batch for claim in data["claims"]]
        responses = Rows(
            self,
            Response,
            ("letter", "claim", "actor"),
            [
                *Response.objects.filter(letter__in=ids),
                *Response.objects.filter(claim__in=claim_ids),
            ],
        )
        evidence = Rows(
            self,
            Evidence,
            ("claim", "source", "relation"),
            Evidence.objects.filter(claim__in=claim_ids),
        )
        for data in batch:
            for response in data["responses"]:
                self.write_response(responses, {"letter": data["letter"], "claim": None}, response)
            for claim in data["claims"]:
                for response in claim["responses"]:
                    self.write_response(
                        responses, {"letter": None, "claim": claim["claim"]}, response
                    )
                for item in claim["evidence"]:
                    quote = self.quote_values(item["quote"])
                    evidence.upsert(
                        {
                            "claim": claim["claim"],
                            "source": quote.pop("source"),
                            "relation": item["relation"],
                        },
                        {"note": item["note"], **quote},
                        prepare=anchor,
                    )
        responses.write()
        evidence.write()

        self.write_recurrences(
            [
                (claim["claim"], claim["recurs_as"])
                for data in batch
                for claim in data["claims"]
                if claim["recurs_as"]
            ]
        )

    def write_recurrences(self, given):
        """Each (claim, `recurs_as`): the recurring assertion the claim makes, and why. A batch
        without any asks nothing."""
        if not given:
            return
        recurrences = Rows(
            self,
            Recurrence,
            ("claim",),
            Recurrence.objects.filter(claim__in=[claim.pk for claim, _ in given]),
        )
        for claim, data in given:
            recurrences.upsert(
                {"claim": claim},
                {
                    "assertion": self.recurring_assertion(data["assertion"]),
                    "reason": data["reason"],
                    "confirmed_by": self.reviewer(data["confirmed_by"]),
                    # Only a file restoring a confirmation says when it was made.
                    **({"confirmed_at": at} if (at := data["confirmed_at"]) else {}),
                },
            )
        recurrences.write()

    def write_claim(self, claims, letter, data, letter_sources):
        words = data["status_basis"]
        status = {
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
        }

        def take_status(claim, before):
            if before is None:
                change_status(claim, **status)
            elif status_differs(claim, **status):
                # A status that changes and the file does not say when was set now.
                changed_now = before["status"] != status["status"].pk and status["at"] is None
                change_status(claim, **{**status, "at": self.now if changed_now else status["at"]})
            anchor(claim, before)

        return claims.upsert(
            {"letter": letter, "key": data["key"]},
            {
                "position": data["position"],
                "statement": data["statement"],
                "kind": data["kind"],
                "status_note": data["status_note"],
                **self.quote_values(data["quote"]),
            },
            prepare=take_status,
            links=[self.actor(slug) for slug in data["about"]],
        )

    def write_response(self, responses, target, data):
        responses.upsert(
            {**target, "actor": self.actor(data["actor"])},
            {
                "stance": data["stance"],
                "statement": data["statement"],
                "responded_on": data["responded_on"],
                **self.quote_values(data["quote"]),
            },
            prepare=anchor,
        )


def anchor(quotation, before):
    quotation.anchor()


def bound_dates(letter, before):
    letter.date_earliest, letter.date_latest = edtf_bounds(letter.date_edtf)


def status_differs(claim, status, source, words, reviewer, at, **rows):
    """Whether the file gives the claim another status, basis or time than it has."""
    return (
        claim.status_id != status.pk
        or claim.status_source_id != (source.pk if source else None)
        or claim.status_quote != words
        or claim.reviewed_by_id != (reviewer.pk if reviewer else None)
        or (at is not None and claim.status_changed_at != at)
    )
