"""import_letters reads CMIF too: letters and correspondents, all or nothing, and says what it left out."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import Actor, Letter, Recipient
from claims.models import Claim
from interchange.importing import ImportFailed, import_file

from .test_archive_export import empty_the_database

pytestmark = pytest.mark.django_db

# A small list of letters in CMIF, written for these tests: a dated letter with a cc and
# authority URIs, a letter whose date is a conjectured range, and the parts Missive does not hold.
CMIF = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letters of a test edition</title><editor>A. Editor</editor></titleStmt>
      <publicationStmt>
        <publisher><ref target="https://edition.example/">Test edition</ref></publisher>
        <idno type="url">https://edition.example/cmif.xml</idno>
        <date when="2026-01-01T00:00:00+00:00"/>
        <availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC-BY 4.0</licence></availability>
      </publicationStmt>
      <sourceDesc>
        <bibl type="online" xml:id="ab2f1c3e-0000-4000-8000-000000000001">Test edition of letters,
          <ref target="https://edition.example/">https://edition.example/</ref></bibl>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc ref="https://edition.example/letters/1" source="#ab2f1c3e-0000-4000-8000-000000000001">
        <correspAction type="sent">
          <persName ref="http://d-nb.info/gnd/118540238">Goethe, Johann Wolfgang von</persName>
          <placeName ref="http://www.geonames.org/2812482">Weimar</placeName>
          <date when="1805-05-09"/>
        </correspAction>
        <correspAction type="received">
          <persName ref="http://viaf.org/viaf/96994048">Schiller, Friedrich</persName>
        </correspAction>
        <correspAction type="received" subtype="cc">
          <orgName ref="https://www.wikidata.org/entity/Q1065">United Nations</orgName>
        </correspAction>
      </correspDesc>
      <correspDesc ref="https://edition.example/letters/2" source="#ab2f1c3e-0000-4000-8000-000000000001">
        <correspAction type="sent">
          <persName ref="http://viaf.org/viaf/96994048">Schiller, Friedrich</persName>
          <persName>A second writer</persName>
          <date notBefore="1805-04-01" notAfter="1805-04-30" cert="low" evidence="conjecture"/>
        </correspAction>
        <correspAction type="received">
          <persName ref="http://id.loc.gov/authorities/names/n79021383">Goethe, Johann Wolfgang von</persName>
        </correspAction>
        <correspAction type="forwarded"><persName>Someone</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><p/></body></text>
</TEI>
"""


def write(tmp_path, text, name="letters.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cmif_file_becomes_letters_with_their_correspondents(tmp_path, db):
    report = import_file(write(tmp_path, CMIF))
    assert Letter.objects.count() == 2 and Claim.objects.count() == 0
    goethe = Actor.objects.get(identifiers__scheme="gnd", identifiers__value="118540238")
    schiller = Actor.objects.get(identifiers__scheme="viaf", identifiers__value="96994048")
    assert (goethe.name, goethe.kind) == ("Goethe, Johann Wolfgang von", "person")
    first = Letter.objects.get(sender=goethe)
    assert first.date_edtf == "1805-05-09" and not first.date_inferred
    assert {(r.actor.name, r.role) for r in first.recipients.all()} == {
        ("Schiller, Friedrich", "to"),
        ("United Nations", "cc"),
    }
    assert Actor.objects.get(name="United Nations").kind == "organisation"
    assert "https://edition.example/letters/1" in first.summary
    source = first.sources.get()
    assert source.url == "https://edition.example/" and source.title.startswith(
        "Test edition of letters"
    )
    second = Letter.objects.get(sender=schiller)
    assert second.date_edtf == "1805-04-01/1805-04-30" and second.date_inferred
    assert second.signatory is None  # two people: the second is no signatory, and is reported
    # The LoC URI is not one Missive keeps, so the recipient is matched by name to Goethe.
    assert list(second.recipients.values_list("actor", flat=True)) == [goethe.pk]
    assert report.created["letters"] == 2


def test_what_could_not_be_mapped_is_reported(tmp_path, db):
    unmapped = import_file(write(tmp_path, CMIF)).unmapped
    assert (
        "correspDesc[0]/correspAction[@type='sent']/placeName: places are not recorded in Missive ('Weimar')"
        in unmapped
    )
    assert any("a further sender is not recorded ('A second writer')" in item for item in unmapped)
    assert any("http://id.loc.gov/authorities/names/n79021383" in item for item in unmapped)
    assert (
        "correspDesc[1]/correspAction[@type='forwarded']: only 'sent' and 'received' actions are recorded"
        in unmapped
    )


def test_the_command_prints_the_report(tmp_path, db):
    out = io.StringIO()
    call_command("import_letters", str(write(tmp_path, CMIF)), stdout=out)
    assert "could not be recorded in Missive" in out.getvalue()
    assert "Weimar" in out.getvalue()


def test_importing_the_same_cmif_twice_changes_nothing(tmp_path, db):
    path = write(tmp_path, CMIF)
    import_file(path)
    second = import_file(path)
    assert second.created == {} and second.updated == {}
    assert Letter.objects.count() == 2 and Actor.objects.count() == 4


def letters_as_cmif_has_them():
    return {
        (
            letter.sender.name,
            letter.date_edtf,
            tuple(sorted((r.actor.name, r.role) for r in letter.recipients.all())),
        )
        for letter in Letter.objects.all()
    }


def test_missive_reads_back_its_own_cmif(client, tmp_path, shipped_letters):
    # As a deployed archive would serve it: the test server's host name is no web address.
    cmif = (
        client.get(reverse("archive:letter-cmif"))
        .content.decode()
        .replace("http://testserver/", "https://missive.example/")
    )
    expected = {row for row in letters_as_cmif_has_them() if row[1] != "XXXX-02-11"}
    empty_the_database()
    report = import_file(write(tmp_path, cmif))
    assert letters_as_cmif_has_them() == expected
    nato = Letter.objects.get(date_edtf="2026-01-04")
    assert not nato.date_inferred
    assert nato.signatory.name == "Mir Yar Baloch"
    # The 11 February letter's CMIF date is words alone, with no day an index could read: there is
    # nothing to date it by, and the importer says it left it out rather than invent a year.
    assert "correspDesc[0]: no date Missive can read: letter skipped" in report.unmapped
    assert any("only the words '11 February, year unknown'" in line for line in report.unmapped)
    assert Letter.objects.count() == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("<TEI", "not well-formed XML"),
        (
            '<?xml version="1.0"?><html/>',
            "not a CMIF file: the root element must be TEI in the TEI namespace",
        ),
        ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', "no correspDesc"),
        (
            '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc/></teiHeader><x>&b;</x></TEI>',
            "no correspDesc",
        ),
    ],
)
def test_a_bad_cmif_file_is_refused_and_nothing_is_written(tmp_path, db, text, message):
    with pytest.raises(ImportFailed) as failure:
        import_file(write(tmp_path, text))
    assert message in failure.value.errors[0]
    assert Actor.objects.count() == Letter.objects.count() == 0


def test_a_cmif_letter_the_importer_refuses_refuses_the_whole_file(tmp_path, db):
    broken = CMIF.replace('<date when="1805-05-09"/>', '<date when="1805-02-30"/>')
    with pytest.raises(CommandError):
        call_command(
            "import_letters",
            str(write(tmp_path, broken)),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Letter.objects.count() == Actor.objects.count() == Recipient.objects.count() == 0


def test_unknown_recipients_and_same_day_letters_without_a_ref(tmp_path, db):
    letter = """<correspDesc>
        <correspAction type="sent"><persName>Ada</persName><date when="1900-01-01"/></correspAction>
        <correspAction type="received"><persName>Unknown</persName></correspAction>
      </correspDesc>"""
    text = (
        CMIF.split("<profileDesc>")[0]
        + "<profileDesc>"
        + letter * 2
        + "</profileDesc></teiHeader></TEI>"
    )
    import_file(write(tmp_path, text))
    assert Letter.objects.count() == 2
    assert not Actor.objects.filter(name="Unknown").exists()
    import_file(write(tmp_path, text))
    assert Letter.objects.count() == 2


def row_counts():
    from archive.models import Source

    return {model.__name__: model.objects.count() for model in (Letter, Actor, Source, Recipient)}


def test_importing_its_own_cmif_into_the_archive_that_made_it_changes_nothing(
    client, tmp_path, shipped_letters
):
    cmif = client.get(reverse("archive:letter-cmif")).content.decode()
    before = row_counts()

    report = import_file(write(tmp_path, cmif))

    assert row_counts() == before
    nato = Letter.objects.get(date_edtf="2026-01-04")
    assert any(
        f"already in this archive as the letter '{nato.slug}'" in line for line in report.unmapped
    )


def test_a_letter_of_another_archive_at_the_same_path_is_imported(
    client, tmp_path, shipped_letters, settings
):
    settings.MISSIVE_PUBLIC_URL = "https://missive.example"
    cmif = client.get(reverse("archive:letter-cmif")).content.decode()
    cmif = cmif.replace("https://missive.example/", "https://another-archive.example/")
    letters = Letter.objects.count()

    import_file(write(tmp_path, cmif))

    assert Letter.objects.count() == letters + 1  # the dated one; the yearless one has no CMIF date


PEOPLE_OF_ONE_NAME = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc><titleStmt><title>Two Müllers</title></titleStmt>
      <sourceDesc><bibl xml:id="b1">Two Müllers</bibl></sourceDesc></fileDesc>
    <profileDesc>
      <correspDesc ref="https://edition.example/1" source="#b1">
        <correspAction type="sent"><persName ref="http://d-nb.info/gnd/118585347">Müller, Johann</persName>
          <date when="1801-01-01"/></correspAction>
        <correspAction type="received">
          <persName ref="http://d-nb.info/gnd/116887508">Müller, Johann</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
</TEI>
"""


def test_two_people_of_one_name_with_different_authority_ids_stay_two(tmp_path, db):
    report = import_file(write(tmp_path, PEOPLE_OF_ONE_NAME))

    people = Actor.objects.filter(name="Müller, Johann").order_by("pk")
    assert [actor.identifiers.get().value for actor in people] == ["118585347", "116887508"]
    letter = Letter.objects.get()
    assert letter.sender != Recipient.objects.get(letter=letter).actor
    assert any("its authority IDs differ" in line for line in report.unmapped)


@pytest.mark.parametrize(
    "link, url, note",
    [
        (
            "https://doi.org/10.5281/ zenodo.1234",
            "https://doi.org/10.5281/zenodo.1234",
            "spaces taken out",
        ),
        ("doi:10.5281/zenodo.1234", "", "not a web address and is left out"),
    ],
)
def test_a_damaged_link_in_a_cmif_file_is_mended_or_left_out_and_said_so(
    tmp_path, db, link, url, note
):
    from archive.models import Source

    cmif = CMIF.replace(
        '<ref target="https://edition.example/">https://edition.example/</ref></bibl>',
        f'<ref target="{link}">{link}</ref></bibl>',
    )
    report = import_file(write(tmp_path, cmif))

    assert Source.objects.get().url == url
    assert any(note in line for line in report.unmapped)
    assert Letter.objects.count() == 2


def test_a_cmif_file_with_a_letter_dated_impossibly_imports_the_rest_when_asked(tmp_path, db):
    cmif = CMIF.replace('<date when="1805-05-09"/>', '<date from="1840-04-01" to="1804-04-08"/>')
    with pytest.raises(ImportFailed):
        import_file(write(tmp_path, cmif))

    report = import_file(write(tmp_path, cmif), skip_invalid=True)

    assert Letter.objects.count() == 1
    [(letter, errors)] = report.refused
    assert letter.startswith("letters[0] “Letter from Goethe")
    assert errors[0].startswith("letters[0].date")


def test_the_editions_words_for_a_date_are_kept_and_a_doubtful_name_is_reported(tmp_path, db):
    cmif = CMIF.replace('<date when="1805-05-09"/>', '<date when="1805-05-09">9. Mai 1805</date>')
    schiller = '<persName ref="http://viaf.org/viaf/96994048">Schiller, Friedrich</persName>'
    doubtful = schiller.replace("<persName ", '<persName cert="low" ')
    first_letter_end = cmif.index("</correspDesc>")
    cmif = cmif[:first_letter_end].replace(schiller, doubtful) + cmif[first_letter_end:]
    report = import_file(write(tmp_path, cmif))

    letter = Letter.objects.get(date_edtf="1805-05-09")
    assert letter.date_note == "As the CMIF file gives it: “9. Mai 1805”."
    assert any("@cert='low'" in line and "Schiller" in line for line in report.unmapped)
