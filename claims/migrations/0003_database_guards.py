from django.db import migrations

from archive.migrations import _frozen as db_guards

QUOTE_TABLES = ["claims_claim", "claims_response", "claims_evidence"]

# A status that names a party (requires_dispute) must have a rejecting, denying or
# disputing response, checked at commit so a claim and its response can be saved together.
STATUS_BACKED = r"""
CREATE OR REPLACE FUNCTION missive_claim_status_backed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint;
BEGIN
    IF TG_TABLE_NAME = 'claims_claim' THEN target := NEW.id; ELSE target := OLD.claim_id; END IF;
    IF target IS NOT NULL AND EXISTS (
        SELECT 1 FROM claims_claim c JOIN claims_verificationstatus s ON s.id = c.status_id
        WHERE c.id = target AND s.requires_dispute AND NOT EXISTS (
            SELECT 1 FROM claims_response r
            WHERE r.claim_id = c.id AND r.stance IN ('rejects', 'denies', 'disputes'))
    ) THEN
        RAISE EXCEPTION 'claim % has a status that needs a response rejecting, denying or disputing it',
            target USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER claims_claim_status_backed AFTER INSERT OR UPDATE OF status_id ON claims_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_claim_status_backed();
CREATE CONSTRAINT TRIGGER claims_response_status_backed AFTER UPDATE OR DELETE ON claims_response
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_claim_status_backed();
"""

DROP_STATUS_BACKED = """
DROP TRIGGER IF EXISTS claims_claim_status_backed ON claims_claim;
DROP TRIGGER IF EXISTS claims_response_status_backed ON claims_response;
DROP FUNCTION IF EXISTS missive_claim_status_backed();
"""


def forwards(apps, schema_editor):
    for table in QUOTE_TABLES:
        db_guards.add_quote_guard(schema_editor, table)
    db_guards.set_source_guard(schema_editor, ["archive_requestedaction", *QUOTE_TABLES])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATUS_BACKED, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_STATUS_BACKED)
    db_guards.set_source_guard(schema_editor, ["archive_requestedaction"])
    for table in QUOTE_TABLES:
        db_guards.remove_quote_guard(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_seed_statuses"), ("archive", "0002_quote_guards")]
    operations = [migrations.RunPython(forwards, backwards)]
