"""The same database guards and search vectors, without SQL planned afresh for every row.

Two triggers ran a query PostgreSQL could not cache (#19, measured on a 10,000-claim import):

- the quote guard (archive 0002, claims 0003) served every quoting table with one function,
  so it built its query from the table's name with EXECUTE, planned again for each row
  (18,776 rows: 2.0 s at commit). Each table now has its own function with static SQL.
- the claim's search vector (0012) passed a subquery to missive_search_config, which stops
  PostgreSQL inlining that function, so it ran through the SQL-function executor per row
  (10,000 claims: 2.2 s). The source's language is now read first, into a variable.

What each guard checks and each vector holds is unchanged. The SQL is written out here,
not imported: a migration must not change when the application's code does.
"""

from django.db import migrations

QUOTE_TABLES = ["archive_requestedaction", "claims_claim", "claims_response", "claims_evidence"]

STATIC_QUOTE_GUARD = r"""
CREATE FUNCTION missive_quote_in_source_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_exact text; row_start integer; row_end integer; row_orphan boolean; row_source bigint;
BEGIN
    -- Deferred to commit: read the row as it stands now, not as it was at the event.
    SELECT quote_exact, quote_start, quote_end, is_orphan, source_id
        INTO row_exact, row_start, row_end, row_orphan, row_source FROM {table} WHERE id = NEW.id;
    IF row_exact IS NULL OR row_orphan THEN
        RETURN NULL;
    END IF;
    IF substr((SELECT text FROM archive_source WHERE id = row_source), row_start + 1, row_end - row_start)
            IS DISTINCT FROM row_exact THEN
        RAISE EXCEPTION 'the quote of % % is not at characters % to % of source %',
            TG_TABLE_NAME, NEW.id, row_start, row_end, row_source USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER {table}_quote_in_source ON {table};
CREATE CONSTRAINT TRIGGER {table}_quote_in_source AFTER INSERT OR UPDATE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_quote_in_source_{table}();
"""

DYNAMIC_QUOTE_GUARD = """
DROP TRIGGER {table}_quote_in_source ON {table};
CREATE CONSTRAINT TRIGGER {table}_quote_in_source AFTER INSERT OR UPDATE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_quote_in_source();
DROP FUNCTION missive_quote_in_source_{table}();
"""

CLAIM_VECTOR = """
CREATE OR REPLACE FUNCTION claims_claim_search_document_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE source_language text;
    BEGIN
        SELECT language INTO source_language FROM archive_source WHERE id = NEW.source_id;
        NEW.search_document :=
            setweight(to_tsvector('english', COALESCE(NEW.statement, '')), 'A') ||
            setweight(to_tsvector(missive_search_config(source_language), COALESCE(NEW.quote_exact, '')), 'B');
        RETURN NEW;
    END $$;
"""

CLAIM_VECTOR_0012 = """
CREATE OR REPLACE FUNCTION claims_claim_search_document_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN NEW.search_document :=
        setweight(to_tsvector('english', COALESCE(NEW.statement, '')), 'A') ||
        setweight(to_tsvector(missive_search_config((SELECT language FROM archive_source WHERE id = NEW.source_id)), COALESCE(NEW.quote_exact, '')), 'B');
    RETURN NEW; END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in QUOTE_TABLES:
            schema_editor.execute(STATIC_QUOTE_GUARD.format(table=table), params=None)
        schema_editor.execute(CLAIM_VECTOR, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CLAIM_VECTOR_0012, params=None)
        for table in QUOTE_TABLES:
            schema_editor.execute(DYNAMIC_QUOTE_GUARD.format(table=table), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_quote_searched_in_its_language"),
        ("archive", "0014_historical_drafts_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
