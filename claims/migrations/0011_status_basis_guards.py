"""The database holds claims to their status's basis (see 0009, 0010).

requires_dispute gives way to the basis; the dispute trigger of 0003 becomes one trigger
for every basis (PostgreSQL, at commit); SQLite checks the parts a claim row holds itself
as it is written. The SQL is written out here, not imported: a migration must not change
when the application's code does.
"""

from django.db import migrations, models

# The values each basis rests on, as they stood when this migration was written: the responses'
# stances that oppose a claim (Response.Stance.opposing()), the evidence relations an editors'
# assessment rests on (Evidence.Relation.assessing()) and the kinds no record could settle
# (Claim.Kind.not_checkable()). tests/claims/test_status_basis_guards.py holds them to those lists.
OPPOSING_STANCES = ("rejects", "denies", "disputes")
ASSESSING_RELATIONS = ("supports", "contradicts")
NOT_CHECKABLE_KINDS = ("characterisation", "prediction")


def sql_values(values):
    """('a', 'b'): an SQL list of string literals."""
    return ", ".join(f"'{value}'" for value in values)


POSTGRES_BASIS = rf"""
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
            WHERE r.claim_id = c.id AND r.stance IN ({sql_values(OPPOSING_STANCES)}))
            THEN 'a response that rejects, denies or disputes it' END
        WHEN 'editors' THEN CASE WHEN c.reviewed_by_id IS NULL OR NOT EXISTS (SELECT 1 FROM claims_evidence e
            WHERE e.claim_id = c.id AND e.relation IN ({sql_values(ASSESSING_RELATIONS)}))
            THEN 'the reviewing editor and evidence that supports or contradicts it' END
        WHEN 'classification' THEN CASE WHEN c.kind NOT IN ({sql_values(NOT_CHECKABLE_KINDS)})
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
    f"AND NEW.kind NOT IN ({sql_values(NOT_CHECKABLE_KINDS)})"
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
    dependencies = [("claims", "0010_status_basis_data")]

    operations = [
        migrations.RemoveField(
            model_name="historicalverificationstatus",
            name="requires_dispute",
        ),
        migrations.RemoveField(
            model_name="verificationstatus",
            name="requires_dispute",
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status_quote", ""), ("status_source__isnull", True)),
                    models.Q(
                        ("status_source__isnull", False),
                        models.Q(("status_quote", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="claims_claim_status_source_with_words",
                violation_error_message="A source reporting the status needs its words, and its words their source.",
            ),
        ),
        migrations.AddConstraint(
            model_name="verificationstatus",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rating_value__isnull", True),
                    models.Q(
                        ("basis", "editors"), ("rating_value__gte", 1), ("rating_value__lte", 5)
                    ),
                    _connector="OR",
                ),
                name="claims_status_rating_editors_1_to_5",
                violation_error_message="A ClaimReview rating is between 1 and 5, and only for the editors' own assessments.",
            ),
        ),
        migrations.RunPython(add_basis_guards, remove_basis_guards),
    ]
