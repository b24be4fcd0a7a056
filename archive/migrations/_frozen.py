"""SQL and index helpers the migrations use, frozen as they were when those migrations ran.

Migrations must not import application code that may change after them, so what they
share lives here, in the migrations package (Django's loader skips names starting with
"_"). Never edit this to change a schema: write a new migration with its own SQL.
SQL holding % (format strings) is executed with params=None so the driver leaves it alone.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector

# Quote guards: an anchored quote sits at its offsets in its source's text.
POSTGRES_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION missive_quote_in_source() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_exact text; row_start integer; row_end integer; row_orphan boolean; row_source bigint;
BEGIN
    -- Deferred to commit: read the row as it stands now, not as it was at the event.
    EXECUTE format('SELECT quote_exact, quote_start, quote_end, is_orphan, source_id FROM %I WHERE id = $1',
                   TG_TABLE_NAME)
        INTO row_exact, row_start, row_end, row_orphan, row_source USING NEW.id;
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

CREATE OR REPLACE FUNCTION missive_source_quotes_anchored() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quote_table text; misplaced bigint;
BEGIN
    FOREACH quote_table IN ARRAY TG_ARGV LOOP
        EXECUTE format(
            'SELECT count(*) FROM %I q JOIN archive_source s ON s.id = q.source_id WHERE q.source_id = $1 '
            'AND NOT q.is_orphan AND substr(s.text, q.quote_start + 1, q.quote_end - q.quote_start) '
            'IS DISTINCT FROM q.quote_exact', quote_table)
            INTO misplaced USING NEW.id;
        IF misplaced > 0 THEN
            RAISE EXCEPTION 'source % changed but % quote(s) in % were not re-anchored', NEW.id, misplaced,
                quote_table USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
"""

POSTGRES_DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS missive_quote_in_source();
DROP FUNCTION IF EXISTS missive_source_quotes_anchored();
"""

SQLITE_CONDITION = (
    "NOT NEW.is_orphan AND substr((SELECT text FROM archive_source WHERE id = NEW.source_id), "
    "NEW.quote_start + 1, NEW.quote_end - NEW.quote_start) IS NOT NEW.quote_exact"
)


def add_quote_guard(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_quote_in_source AFTER INSERT OR UPDATE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missive_quote_in_source()"
        )
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_quote_in_source_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN {SQLITE_CONDITION} BEGIN "
                f"SELECT RAISE(ABORT, 'the quote is not at its offsets in the source text'); END"
            )


def remove_quote_guard(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_quote_in_source ON {table}")
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_quote_in_source_{event}")


def set_source_guard(schema_editor, quote_tables):
    """(Re)create the PostgreSQL check that a source's changed text left no quote misplaced."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS archive_source_quotes_anchored ON archive_source")
    if quote_tables:
        arguments = ", ".join(f"'{table}'" for table in quote_tables)
        schema_editor.execute(
            "CREATE CONSTRAINT TRIGGER archive_source_quotes_anchored AFTER UPDATE OF text ON archive_source "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION missive_source_quotes_anchored({arguments})"
        )


# Full-text search (PostgreSQL only).
SEARCH_CONFIG = "english"
LETTER_FIELDS = [("title", "A"), ("summary", "B")]
SOURCE_FIELDS = [("text", "D")]
CLAIM_FIELDS = [("statement", "A"), ("quote_exact", "B")]
SOURCE_TEXT_VECTOR = SearchVector("text", config=SEARCH_CONFIG)


def weighted_vector(*weighted_fields):
    """SearchVector("a", weight="A") + SearchVector("b", weight="B")…; the index uses the same expression."""
    vectors = [
        SearchVector(field, weight=weight, config=SEARCH_CONFIG)
        for field, weight in weighted_fields
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def add_search_index(schema_editor, model, name, vector):
    """For migrations: a GIN index on exactly the expression searches filter on (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, GinIndex(vector, name=name))


def remove_search_index(schema_editor, model, name, vector):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, GinIndex(vector, name=name))


def stored_vector_sql(table, column, weighted_fields):
    """SQL (PostgreSQL) for a trigger that keeps `column` equal to the weighted vector of the fields,
    a backfill, and a GIN index on it; and the SQL that undoes it."""
    expression = " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}', COALESCE(NEW.{field}, '')), '{weight}')"
        for field, weight in weighted_fields
    )
    fields = ", ".join(field for field, _ in weighted_fields)
    function, index = f"{table}_{column}_update", f"{table}_{column}_idx"
    forwards = f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.{column} := {expression}; RETURN NEW; END $$;
        CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {fields} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
        UPDATE {table} SET {column} = {expression.replace("NEW.", "")};
        SET CONSTRAINTS ALL IMMEDIATE;  -- an index cannot be built with foreign-key checks pending
        CREATE INDEX {index} ON {table} USING gin ({column});
    """
    backwards = f"""
        DROP INDEX IF EXISTS {index};
        DROP TRIGGER IF EXISTS {function} ON {table};
        DROP FUNCTION IF EXISTS {function}();
    """
    return forwards, backwards


# SQLite adds a NOT NULL column by rebuilding the table: it drops the table, and refuses to while
# triggers elsewhere (the quote guards) name it. Such a migration sets those triggers aside first
# and puts them back after, unchanged.
_set_aside = {}


def sqlite_triggers_set_aside(table):
    def set_aside(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
                [f"%{table}%"],
            )
            triggers = cursor.fetchall()
        _set_aside[table] = triggers
        for name, _ in triggers:
            schema_editor.execute(f'DROP TRIGGER "{name}"')

    def put_back(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for _, sql in _set_aside.pop(table, []):
            schema_editor.execute(sql)

    return set_aside, put_back
