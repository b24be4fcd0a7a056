"""A claim's quote is indexed (PostgreSQL) with its source's language configuration.

The statement is the editors' own English and stays parsed as English. The quote is the
source's words, so it is parsed as the source's language (archive 0012); when an editor
changes a source's language, its claims' stored vectors follow.
"""

from django.db import migrations

CLAIM_VECTOR = (
    "setweight(to_tsvector('english', COALESCE({row}statement, '')), 'A') || "
    "setweight(to_tsvector(missive_search_config({language}), COALESCE({row}quote_exact, '')), 'B')"
)
SOURCE_LANGUAGE = "(SELECT language FROM archive_source WHERE id = {row}source_id)"
OLD_CLAIM_VECTOR = (
    "setweight(to_tsvector('english', COALESCE({row}statement, '')), 'A') || "
    "setweight(to_tsvector('english', COALESCE({row}quote_exact, '')), 'B')"
)

FORWARDS = f"""
    CREATE OR REPLACE FUNCTION claims_claim_search_document_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN NEW.search_document := {CLAIM_VECTOR.format(row="NEW.", language=SOURCE_LANGUAGE.format(row="NEW."))};
        RETURN NEW; END $$;
    DROP TRIGGER claims_claim_search_document_update ON claims_claim;
    CREATE TRIGGER claims_claim_search_document_update
        BEFORE INSERT OR UPDATE OF statement, quote_exact, source_id ON claims_claim
        FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document_update();

    CREATE FUNCTION claims_follow_source_language() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE claims_claim SET search_document = {CLAIM_VECTOR.format(row="", language="NEW.language")}
            WHERE source_id = NEW.id;
            RETURN NULL;
        END $$;
    CREATE TRIGGER claims_follow_source_language AFTER UPDATE OF language ON archive_source
        FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
        EXECUTE FUNCTION claims_follow_source_language();

    UPDATE claims_claim SET search_document = {CLAIM_VECTOR.format(row="claims_claim.", language="archive_source.language")}
    FROM archive_source WHERE archive_source.id = claims_claim.source_id;
"""

BACKWARDS = f"""
    DROP TRIGGER claims_follow_source_language ON archive_source;
    DROP FUNCTION claims_follow_source_language();
    CREATE OR REPLACE FUNCTION claims_claim_search_document_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN NEW.search_document := {OLD_CLAIM_VECTOR.format(row="NEW.")}; RETURN NEW; END $$;
    DROP TRIGGER claims_claim_search_document_update ON claims_claim;
    CREATE TRIGGER claims_claim_search_document_update
        BEFORE INSERT OR UPDATE OF statement, quote_exact ON claims_claim
        FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document_update();
    UPDATE claims_claim SET search_document = {OLD_CLAIM_VECTOR.format(row="")};
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_status_basis_guards"),
        ("archive", "0012_search_in_the_source_language"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
