"""Full-text search (PostgreSQL) parses a source's text with its own language's configuration.

Until now every text was parsed as English: an Urdu, Persian or French text was indexed
with English stop words and stems. `missive_search_config(tag)` names the configuration
for a BCP 47 tag: the language's own where PostgreSQL ships one, `simple` (no stems, no
stop words) otherwise and for a text whose language nobody stated. The source trigger
uses it and now also fires when the language changes.
"""

from django.db import migrations

# Frozen copy of archive.languages.SEARCH_CONFIGURATIONS as this migration wrote it.
CONFIGURATIONS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
CASES = " ".join(f"WHEN '{tag}' THEN '{name}'" for tag, name in CONFIGURATIONS.items())
SOURCE_VECTOR = (
    "setweight(to_tsvector(missive_search_config({row}language), COALESCE({row}text, '')), 'D')"
)

FORWARDS = f"""
    CREATE FUNCTION missive_search_config(tag text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
        SELECT (CASE lower(split_part(COALESCE(tag, ''), '-', 1)) {CASES} ELSE 'simple' END)::regconfig
    $$;
    CREATE OR REPLACE FUNCTION archive_source_search_document_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN NEW.search_document := {SOURCE_VECTOR.format(row="NEW.")}; RETURN NEW; END $$;
    DROP TRIGGER archive_source_search_document_update ON archive_source;
    CREATE TRIGGER archive_source_search_document_update
        BEFORE INSERT OR UPDATE OF text, language ON archive_source
        FOR EACH ROW EXECUTE FUNCTION archive_source_search_document_update();
    UPDATE archive_source SET search_document = {SOURCE_VECTOR.format(row="")};
"""

BACKWARDS = """
    CREATE OR REPLACE FUNCTION archive_source_search_document_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN NEW.search_document := setweight(to_tsvector('english', COALESCE(NEW.text, '')), 'D');
        RETURN NEW; END $$;
    DROP TRIGGER archive_source_search_document_update ON archive_source;
    CREATE TRIGGER archive_source_search_document_update
        BEFORE INSERT OR UPDATE OF text ON archive_source
        FOR EACH ROW EXECUTE FUNCTION archive_source_search_document_update();
    UPDATE archive_source SET search_document = setweight(to_tsvector('english', COALESCE(text, '')), 'D');
    DROP FUNCTION missive_search_config(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("archive", "0011_source_language")]

    operations = [migrations.RunPython(forwards, backwards)]
