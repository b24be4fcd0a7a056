"""What each API resource gives: plain, read-only serializers over the querysets the pages use.

A claim is the claim exports' record (claim_exports.records), so the API, the CSV and the JSON
export say the same thing the same way: attributed to its sender, with its status, whose
status it is, and the responses. Every resource links to its page (`page`) and to itself
(`url`); text written by editors is named as theirs.
"""

import datetime

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.dates import year_stated
from archive.models import Actor, Recipient, RequestedAction
from claims.models import Response, VerificationStatus


class Link(serializers.Field):
    """An absolute address: the object's page, or an API address by URL name and the object's key."""

    def __init__(self, api=None, key="slug", **kwargs):
        self.api, self.key = api, key
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        request = self.context["request"]
        if self.api is None:
            return request.build_absolute_uri(obj.get_absolute_url())
        return request.build_absolute_uri(reverse(self.api, args=[getattr(obj, self.key)]))


extend_schema_field({"type": "string", "format": "uri"})(Link)


class ActorRef(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = Link("api:actor-detail")


class Identifier(serializers.Serializer):
    scheme = serializers.CharField()
    value = serializers.CharField()
    uri = serializers.CharField()


class ActorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    parent = ActorRef(allow_null=True)
    description = serializers.CharField(help_text="The editors' description.")
    identifiers = Identifier(many=True, help_text="Authority records: VIAF, Wikidata, GND, …")
    url = Link("api:actor-detail")
    page = Link()


class RecipientSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Recipient.Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    actor = ActorRef()
    note = serializers.CharField()


class LetterDate(serializers.Serializer):
    edtf = serializers.CharField(source="date_edtf", help_text="As EDTF: 2026-01-04, XXXX-02-11.")
    display = serializers.CharField(
        source="date_display",
        help_text="In words, with what is not known: “11 February, year unknown”.",
    )
    earliest = serializers.SerializerMethodField(
        help_text="The earliest day it could have been written; null when no source states the year."
    )
    latest = serializers.SerializerMethodField(
        help_text="The latest day it could have been written; null when no source states the year."
    )
    inferred = serializers.BooleanField(source="date_inferred")
    note = serializers.CharField(source="date_note", help_text="How the date is known.")

    # The bounds of a date whose year no source states are the calendar's ends (0001, 9999):
    # given as days, a program would read them as years. null says what is known.
    def get_earliest(self, letter) -> datetime.date | None:
        return letter.date_earliest if self.year_stated(letter) else None

    def get_latest(self, letter) -> datetime.date | None:
        return letter.date_latest if self.year_stated(letter) else None

    @staticmethod
    def year_stated(letter):
        return year_stated(letter.date_earliest, letter.date_latest)


class SourceRef(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class LetterSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(help_text="The editors' title for the letter.")
    date = LetterDate(source="*")
    sender = ActorRef()
    signatory = ActorRef(allow_null=True)
    recipients = RecipientSerializer(many=True, source="recipients.all")
    summary = serializers.CharField(help_text="The editors' summary of what the letter says.")
    claim_count = serializers.IntegerField()
    sources = SourceRef(many=True, source="sources.all")
    claims = serializers.SerializerMethodField()
    requested_actions = serializers.SerializerMethodField()
    url = Link("api:letter-detail")
    page = Link()

    def list_url(self, name, letter):
        request = self.context["request"]
        return request.build_absolute_uri(f"{reverse(name)}?letter={letter.slug}")

    def get_claims(self, letter) -> str:
        return self.list_url("api:claim-list", letter)

    def get_requested_actions(self, letter) -> str:
        return self.list_url("api:requested-action-list", letter)


class LetterRef(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = Link("api:letter-detail")


class RequestedActionSerializer(serializers.Serializer):
    letter = LetterRef()
    position = serializers.IntegerField()
    attributed_summary = serializers.CharField(
        help_text="The request as the letter's: “The letter asks for …”."
    )
    summary = serializers.CharField()
    addressees = ActorRef(many=True, source="addressees.all")
    outcome = serializers.ChoiceField(choices=RequestedAction.Outcome.choices)
    outcome_label = serializers.CharField(source="get_outcome_display")
    outcome_note = serializers.CharField()
    quote = serializers.CharField(
        source="quote_exact", help_text="The letter's words, as the source gives them."
    )
    quote_source = serializers.CharField(source="source.title")
    page = Link()


class StatusSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.ChoiceField(
        choices=VerificationStatus.Basis.choices,
        help_text="Whose status it is: a source's report, a party's response, the editors' "
        "assessment, a classification, or nobody's yet.",
    )
    basis_label = serializers.CharField(source="get_basis_display")
    description = serializers.CharField()
    claim_count = serializers.IntegerField(help_text="Published claims with this status.")
    claims = serializers.SerializerMethodField()
    page = Link()

    def get_claims(self, status) -> str:
        url = f"{reverse('api:claim-list')}?status={status.slug}"
        return self.context["request"].build_absolute_uri(url)


class ResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    party = ActorRef(source="actor")
    stance = serializers.ChoiceField(choices=Response.Stance.choices)
    stance_label = serializers.CharField(source="get_stance_display")
    statement = serializers.CharField(help_text="The party's position as the source reports it.")
    responded_on = serializers.DateField(
        allow_null=True, help_text="Empty when the source gives no date."
    )
    to_claim = serializers.SerializerMethodField()
    to_letter = serializers.SerializerMethodField()
    source = serializers.CharField(
        source="source.title", help_text="Where the response is reported."
    )
    quote = serializers.CharField(source="quote_exact")
    page = Link()

    def get_to_claim(self, response) -> str | None:
        if response.claim_id is None:
            return None
        url = reverse("api:claim-detail", args=[response.claim_id])
        return self.context["request"].build_absolute_uri(url)

    def get_to_letter(self, response) -> str | None:
        if response.letter_id is None:
            return None
        url = reverse("api:letter-detail", args=[response.letter.slug])
        return self.context["request"].build_absolute_uri(url)


class Party(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ClaimResponse(serializers.Serializer):
    party = serializers.CharField()
    party_slug = serializers.CharField()
    stance = serializers.ChoiceField(choices=Response.Stance.choices)
    stance_label = serializers.CharField()
    statement = serializers.CharField()
    source = serializers.CharField()
    quote = serializers.CharField()


class ClaimEvidence(serializers.Serializer):
    relation = serializers.CharField()
    relation_label = serializers.CharField()
    note = serializers.CharField()
    source = serializers.CharField()
    quote = serializers.CharField()


# The claim exports' record (docs/interchange.md), built by claim_exports.records: this
# serializer only describes it, for the OpenAPI document.
class ClaimSerializer(serializers.Serializer):
    """A claim: the letter's assertion, with its status, whose status it is, and the responses."""

    attributed_statement = serializers.CharField(
        help_text="The statement as its sender's: “The letter from … claims that …”."
    )
    id = serializers.IntegerField()
    permalink = serializers.URLField()
    url = serializers.URLField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    status_basis = serializers.ChoiceField(choices=VerificationStatus.Basis.choices)
    status_with_basis = serializers.CharField(
        help_text="The status with whose it is: “Disputed: Iran denies it”."
    )
    status_source = serializers.CharField()
    status_quote = serializers.CharField()
    status_note = serializers.CharField()
    reviewed_by = serializers.CharField()
    kind = serializers.CharField()
    about = Party(many=True)
    responses = ClaimResponse(many=True)
    quote = serializers.CharField()
    quote_source = serializers.CharField()
    statement = serializers.CharField()
    letter = serializers.CharField()
    letter_slug = serializers.CharField()
    letter_date = serializers.CharField()
    letter_date_edtf = serializers.CharField()
    sender = serializers.CharField()
    evidence = ClaimEvidence(many=True)
    evidence_count = serializers.IntegerField()
    recurring_assertion = serializers.CharField()
    recurring_assertion_url = serializers.CharField()


class RecurrenceSerializer(serializers.Serializer):
    claim = ClaimSerializer(
        source="claim_record", help_text="The claim, as /api/v1/claims/ gives it."
    )
    reason = serializers.CharField(help_text="The editor's reason for linking the claim.")
    confirmed_at = serializers.DateTimeField(allow_null=True)


class RecurringAssertionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(
        help_text="The editors' wording of what the letters assert: theirs to assert, never the archive's."
    )
    attributed_title = serializers.SerializerMethodField(
        help_text="The title as the letters' claim: “2 letters from … claim that …”."
    )
    note = serializers.CharField(help_text="The editors' note.")
    recurrences = RecurrenceSerializer(many=True, source="published_recurrences")
    url = Link("api:recurring-assertion-detail")
    page = Link()

    def get_attributed_title(self, assertion) -> str:
        return assertion.attributed_title([r.claim for r in assertion.published_recurrences])


class Errors(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each parameter that is wrong (or query, for the whole query; cursor, for a page "
        "link) with what is wrong with it.",
    )


class Detail(serializers.Serializer):
    detail = serializers.CharField()
