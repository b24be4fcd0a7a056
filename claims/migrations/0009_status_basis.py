"""Every status says whose it is (its basis), and the database holds claims to it.

Statuses gain a basis (none, a source's report, a party's response, the editors' own
assessment, the editors' classification) in place of requires_dispute; claims gain the
source's words and the reviewing editor. Claims that cannot show the basis their status
needs are set to "Not yet assessed", with a history row and a note saying what they were.
The dispute trigger of 0003 becomes one trigger for every basis (PostgreSQL, at commit);
SQLite checks the parts a claim row holds itself as it is written.

The SQL and values are written out here, not imported: a migration must not change when
the application's code does.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone



# The seeded vocabulary, worded by what each status records and whose it is. A label or
# description an editor changed since 0002 is left as it is.
SEED_DESCRIPTIONS = {
    "unassessed": "The editors have not yet assessed this claim. It is recorded as the letter states it.",
    "unverified": "The claim was checked but could not be confirmed or refuted from independent sources.",
    "disputed": "A named party rejects, denies or disputes the claim; its response is recorded beside it.",
    "corroborated": "Independent sources support the claim; the evidence is listed beside it.",
    "contradicted": "Independent sources contradict the claim; the evidence is listed beside it.",
    "not-checkable": "An opinion, characterisation, appeal, warning or prediction: not a statement of fact that can be checked.",
}
VOCABULARY = {  # slug: (basis, description)
    "unassessed": ("none", "No source, party or editor has assessed this claim in the archive. It is recorded "
                   "as the letter makes it, attributed to the letter."),
    "unverified": ("source", "A source reports that the claim could not be independently verified; the source "
                   "and its words are shown with the status. The archive itself has not checked the claim."),
    "disputed": ("response", "A party rejects, denies or disputes the claim; its response, and the source that "
                 "reports it, are shown with the status. The archive takes no side."),
    "corroborated": ("editors", "The editors' own assessment: evidence the editors list with the claim supports "
                     "it. The reviewing editor is named."),
    "contradicted": ("editors", "The editors' own assessment: evidence the editors list with the claim "
                     "contradicts it. The reviewing editor is named."),
    "not-checkable": ("classification", "The editors classify the claim as a characterisation or a prediction "
                      "(a judgement, label, motive, warning or promise), which no record could settle, by the "
                      "rule on this page. It says nothing of whether the claim is right."),
}
LABELS = {"unassessed": "Not yet assessed", "unverified": "Could not be independently verified",
          "disputed": "Disputed", "corroborated": "Corroborated", "contradicted": "Contradicted",
          "not-checkable": "Not checkable"}


def seed(apps, schema_editor):
    """The vocabulary as this migration leaves it, for a database flushed by transactional tests."""
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    for position, (slug, (basis, description)) in enumerate(VOCABULARY.items(), start=1):
        VerificationStatus.objects.update_or_create(
            slug=slug,
            defaults={"label": LABELS[slug], "basis": basis, "description": description, "position": position * 10},
        )


ASSESSING = ("supports", "contradicts")
NOT_CHECKABLE_KINDS = ("characterisation", "prediction")


def record(apps, claim, reason):
    """A history row for a change the migration makes, as a save would have written."""
    Claim = apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    values = {field.attname: getattr(claim, field.attname) for field in Claim._meta.concrete_fields}
    values.pop("search_document", None)
    HistoricalClaim.objects.create(
        **values, history_date=timezone.now(), history_type="~", history_change_reason=reason
    )


def give_statuses_a_basis(apps, schema_editor):
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    Claim = apps.get_model("claims", "Claim")
    for status in VerificationStatus.objects.all():
        if status.slug in VOCABULARY:
            status.basis, description = VOCABULARY[status.slug]
            if status.description == SEED_DESCRIPTIONS[status.slug]:
                status.description = description
        else:  # an editors' own status: a dispute if it needed one, else their assessment
            status.basis = "response" if status.requires_dispute else "editors"
        status.rating_value = None  # no rating was the editors' choice: ClaimReview carries the label
        status.save()

    unassessed = VerificationStatus.objects.filter(slug="unassessed").first()
    for claim in Claim.objects.select_related("status").exclude(status__basis__in=["none", "response"]):
        basis, reason = claim.status.basis, None
        if basis == "source":
            # The shipped archive kept the report's caveat as a "context" evidence row: it is the status's basis.
            caveat = claim.evidence.order_by("-relation", "pk").filter(relation="context").first()
            if caveat is not None:
                claim.status_source_id, claim.status_quote = caveat.source_id, caveat.quote_exact
                caveat.delete()
                reason = "The source's words the status rests on, moved from its evidence"
        elif basis == "editors":
            HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
            editor = HistoricalClaim.objects.filter(id=claim.pk).exclude(history_user=None).order_by("-history_date").values_list(
                "history_user_id", flat=True).first()
            if editor is not None and claim.evidence.filter(relation__in=ASSESSING).exists():
                claim.reviewed_by_id = editor
                reason = "The reviewing editor, from the claim's history"
        elif basis == "classification" and claim.kind in NOT_CHECKABLE_KINDS:
            continue
        if reason is None:
            if unassessed is None:
                raise RuntimeError("No 'unassessed' status to give claims without a basis.")
            claim.status_note = (
                f"Was “{claim.status.label}” until every status had to say whose it is; no basis for it was "
                f"recorded. {claim.status_note}"
            ).strip()
            claim.status = unassessed
            claim.status_changed_at = timezone.now()
            reason = "Status without a recorded basis: set to not yet assessed"
        claim.save()
        record(apps, claim, reason)


def back_to_requires_dispute(apps, schema_editor):
    VerificationStatus = apps.get_model("claims", "VerificationStatus")
    VerificationStatus.objects.filter(basis="response").update(requires_dispute=True)


POSTGRES_BASIS = r"""
DROP TRIGGER IF EXISTS claims_claim_status_backed ON claims_claim;
DROP TRIGGER IF EXISTS claims_response_status_backed ON claims_response;
DROP FUNCTION IF EXISTS missive_claim_status_backed();

CREATE OR REPLACE FUNCTION missive_claim_status_basis() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint; lacking text;
BEGIN
    IF TG_TABLE_NAME = 'claims_claim' THEN target := NEW.id; ELSE target := OLD.claim_id; END IF;
    IF target IS NULL THEN
        RETURN NULL;
    END IF;
    -- Deferred to commit: read the claim as it stands now (gone, if it was deleted).
    SELECT CASE s.basis
        WHEN 'source' THEN CASE WHEN c.status_quote = '' OR strpos(src.text, c.status_quote) = 0
            THEN 'the words of the source that reports it' END
        WHEN 'response' THEN CASE WHEN NOT EXISTS (SELECT 1 FROM claims_response r
            WHERE r.claim_id = c.id AND r.stance IN ('rejects', 'denies', 'disputes'))
            THEN 'a response that rejects, denies or disputes it' END
        WHEN 'editors' THEN CASE WHEN c.reviewed_by_id IS NULL OR NOT EXISTS (SELECT 1 FROM claims_evidence e
            WHERE e.claim_id = c.id AND e.relation IN ('supports', 'contradicts'))
            THEN 'the reviewing editor and evidence that supports or contradicts it' END
        WHEN 'classification' THEN CASE WHEN c.kind NOT IN ('characterisation', 'prediction')
            THEN 'a kind no record could settle' END
        END
    INTO lacking
    FROM claims_claim c JOIN claims_verificationstatus s ON s.id = c.status_id
        LEFT JOIN archive_source src ON src.id = c.status_source_id
    WHERE c.id = target;
    IF lacking IS NOT NULL THEN
        RAISE EXCEPTION 'claim % has a status without its basis: it needs %', target, lacking
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER claims_claim_status_basis
    AFTER INSERT OR UPDATE OF status_id, kind, status_source_id, status_quote, reviewed_by_id ON claims_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_claim_status_basis();
CREATE CONSTRAINT TRIGGER claims_response_status_basis AFTER UPDATE OR DELETE ON claims_response
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_claim_status_basis();
CREATE CONSTRAINT TRIGGER claims_evidence_status_basis AFTER UPDATE OR DELETE ON claims_evidence
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_claim_status_basis();

CREATE OR REPLACE FUNCTION missive_status_basis_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.basis IS DISTINCT FROM OLD.basis AND EXISTS (SELECT 1 FROM claims_claim WHERE status_id = NEW.id) THEN
        RAISE EXCEPTION 'status % is in use: its basis cannot change', NEW.slug USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER claims_status_basis_fixed BEFORE UPDATE OF basis ON claims_verificationstatus
    FOR EACH ROW EXECUTE FUNCTION missive_status_basis_fixed();
"""

POSTGRES_DROP_BASIS = """
DROP TRIGGER IF EXISTS claims_claim_status_basis ON claims_claim;
DROP TRIGGER IF EXISTS claims_response_status_basis ON claims_response;
DROP TRIGGER IF EXISTS claims_evidence_status_basis ON claims_evidence;
DROP FUNCTION IF EXISTS missive_claim_status_basis();
DROP TRIGGER IF EXISTS claims_status_basis_fixed ON claims_verificationstatus;
DROP FUNCTION IF EXISTS missive_status_basis_fixed();
"""

# SQLite has no deferred triggers: it checks what the claim row itself holds, as it is written.
SQLITE_LACKS_BASIS = (
    "(SELECT basis FROM claims_verificationstatus WHERE id = NEW.status_id) = 'source' AND (NEW.status_quote = '' "
    "OR NEW.status_source_id IS NULL "
    "OR instr((SELECT text FROM archive_source WHERE id = NEW.status_source_id), NEW.status_quote) = 0) "
    "OR (SELECT basis FROM claims_verificationstatus WHERE id = NEW.status_id) = 'editors' AND NEW.reviewed_by_id IS NULL "
    "OR (SELECT basis FROM claims_verificationstatus WHERE id = NEW.status_id) = 'classification' "
    "AND NEW.kind NOT IN ('characterisation', 'prediction')"
)


def add_basis_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BASIS, params=None)
    elif vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(
                f"CREATE TRIGGER claims_claim_status_basis_{event} BEFORE {event.upper()} ON claims_claim "
                f"WHEN {SQLITE_LACKS_BASIS} BEGIN "
                "SELECT RAISE(ABORT, 'the claim''s status lacks the basis it needs'); END"
            )


def remove_basis_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP_BASIS)
    elif vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS claims_claim_status_basis_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0007_stored_search_documents'),
        ('claims', '0008_reviewers_group'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='verificationstatus',
            name='claims_status_rating_1_to_5',
        ),
        migrations.AddField(
            model_name='claim',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, help_text="For the editors' own assessment: the editor who set it.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_claims', to=settings.AUTH_USER_MODEL, verbose_name='reviewing editor'),
        ),
        migrations.AddField(
            model_name='claim',
            name='status_quote',
            field=models.TextField(blank=True, help_text='Copied exactly from that source, e.g. “These claims could not be independently verified.”', verbose_name="the source's words"),
        ),
        migrations.AddField(
            model_name='claim',
            name='status_source',
            field=models.ForeignKey(blank=True, help_text='For a status a source reports: the source that says it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='status_reports', to='archive.source', verbose_name='source reporting the status'),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text="For the editors' own assessment: the editor who set it.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewing editor'),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='status_quote',
            field=models.TextField(blank=True, help_text='Copied exactly from that source, e.g. “These claims could not be independently verified.”', verbose_name="the source's words"),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='status_source',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='For a status a source reports: the source that says it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.source', verbose_name='source reporting the status'),
        ),
        migrations.AddField(
            model_name='historicalverificationstatus',
            name='basis',
            field=models.CharField(choices=[('none', "Nobody's yet"), ('source', "A source's report"), ('response', "A party's response"), ('editors', "The editors' own assessment"), ('classification', "The editors' classification")], default='none', help_text='Whose the status is, and so what a claim must have to take it. Cannot change while in use.', max_length=16),
        ),
        migrations.AddField(
            model_name='verificationstatus',
            name='basis',
            field=models.CharField(choices=[('none', "Nobody's yet"), ('source', "A source's report"), ('response', "A party's response"), ('editors', "The editors' own assessment"), ('classification', "The editors' classification")], default='none', help_text='Whose the status is, and so what a claim must have to take it. Cannot change while in use.', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalverificationstatus',
            name='description',
            field=models.TextField(help_text='What the status records, shown on the public vocabulary page.'),
        ),
        migrations.AlterField(
            model_name='historicalverificationstatus',
            name='rating_value',
            field=models.PositiveSmallIntegerField(blank=True, help_text="ratingValue on a 1 (worst) to 5 (best) scale, only for the editors' own assessments and only if the editors adopt such a scale; leave empty otherwise (ClaimReview then carries the label alone).", null=True, verbose_name='ClaimReview rating'),
        ),
        migrations.AlterField(
            model_name='verificationstatus',
            name='description',
            field=models.TextField(help_text='What the status records, shown on the public vocabulary page.'),
        ),
        migrations.AlterField(
            model_name='verificationstatus',
            name='rating_value',
            field=models.PositiveSmallIntegerField(blank=True, help_text="ratingValue on a 1 (worst) to 5 (best) scale, only for the editors' own assessments and only if the editors adopt such a scale; leave empty otherwise (ClaimReview then carries the label alone).", null=True, verbose_name='ClaimReview rating'),
        ),
        migrations.RunPython(give_statuses_a_basis, back_to_requires_dispute),
        migrations.RemoveField(
            model_name='historicalverificationstatus',
            name='requires_dispute',
        ),
        migrations.RemoveField(
            model_name='verificationstatus',
            name='requires_dispute',
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status_quote', ''), ('status_source__isnull', True)), models.Q(('status_source__isnull', False), models.Q(('status_quote', ''), _negated=True)), _connector='OR'), name='claims_claim_status_source_with_words', violation_error_message='A source reporting the status needs its words, and its words their source.'),
        ),
        migrations.AddConstraint(
            model_name='verificationstatus',
            constraint=models.CheckConstraint(condition=models.Q(('rating_value__isnull', True), models.Q(('basis', 'editors'), ('rating_value__gte', 1), ('rating_value__lte', 5)), _connector='OR'), name='claims_status_rating_editors_1_to_5', violation_error_message="A ClaimReview rating is between 1 and 5, and only for the editors' own assessments."),
        ),
        migrations.RunPython(add_basis_guards, remove_basis_guards),
    ]
