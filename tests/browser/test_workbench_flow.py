"""From a new source to a published, tagged letter, in Chromium, through the admin's pages alone.

An editor pastes a report and uploads an HTML page as sources, makes the letter from the
report, tags five claims (one with the keyboard alone), a requested action and a response
by selecting their words, and publishes the letter with a reason. A researcher then finds
the claims highlighted on the public letter page; a reviewer may read the workbench but not
add to it. axe-core scans the workbench's pages. Every click and keystroke the editor makes,
beyond typing statements, is counted and printed, beside the same claim tagged the old way,
with the letter's inline form (issue #18, item 7).
"""

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission, User

from archive.models import Actor, Letter, Source
from claims.models import Claim, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase-for-tests"
REPORT = (
    "Harbour Council writes to the League of Ports\n"
    "The self-declared Harbour Council wrote to the League of Ports on 3 March 2026.\n"
    "The letter says that the old lighthouse was seized in 1951.\n"
    "It says that tolls in the bay rose by 40 per cent last year.\n"
    "It says that the fishing fleet has shrunk to 120 boats.\n"
    "It says that the neighbouring port blocks supply ships.\n"
    "It says that storms will close the harbour within a decade.\n"
    "The letter asks the League of Ports to send observers.\n"
    "The Neighbouring Port rejected the blockade claim."
)
CLAIMS = [  # (quote, statement, kind)
    (
        "the old lighthouse was seized in 1951",
        "the old lighthouse was seized in 1951.",
        "Historical",
    ),
    (
        "tolls in the bay rose by 40 per cent last year",
        "tolls in the bay rose by 40% last year.",
        "Statistical",
    ),
    (
        "the fishing fleet has shrunk to 120 boats",
        "the fishing fleet has shrunk to 120 boats.",
        "Statistical",
    ),
    (
        "storms will close the harbour within a decade",
        "storms will close the harbour within ten years.",
        "Prediction or warning",
    ),
]
KEYBOARD_CLAIM = (
    "the neighbouring port blocks supply ships",
    "the Neighbouring Port blocks supply ships.",
)
ACTION_QUOTE = "asks the League of Ports to send observers"
RESPONSE_QUOTE = "The Neighbouring Port rejected the blockade claim"
HTML_PAGE = b"""<!doctype html><html lang="en"><head><title>Ports weekly: the harbour dispute</title>
<meta name="author" content="Ada Reporter"></head><body><nav>Home | News</nav>
<article><h1>Ports weekly: the harbour dispute</h1>
<p>The Harbour Council's letter reached the League of Ports this week, its officials said.</p>
<p>The council repeated that the old lighthouse was seized in 1951.</p></article>
<script>alert("never run")</script></body></html>"""


class Editor:
    """The editor's hands: every click (a drag is one) and every key, counted as made.

    Typing a statement or a summary is the editor's own writing, not the tool's cost:
    `write` types it uncounted. Pasting is two keys (Ctrl+V and the click into the field).
    """

    def __init__(self, page):
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, target):
        self.page.locator(target).first.click()
        self.clicks += 1

    def type(self, target, text):
        self.page.locator(target).first.fill(text)
        self.keys += len(text)

    def paste(self, target, text):
        self.page.locator(target).first.fill(text)
        self.clicks += 1
        self.keys += 1

    def write(self, target, text):
        self.page.locator(target).first.fill(text)

    def choose(self, target, label):
        """A native menu: open it, pick one."""
        self.page.locator(target).first.select_option(label=label)
        self.clicks += 2

    def autocomplete(self, field_id, search, option):
        """The admin's autocomplete: open it, type a few letters, pick the match."""
        self.page.locator(f"#{field_id} + .select2").click()
        self.clicks += 1
        self.page.keyboard.type(search)
        self.keys += len(search)
        self.page.locator(".select2-results__option", has_text=option).first.click()
        self.clicks += 1

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
        self.keys += times

    def tab_to(self, selector, limit=120):
        """Tab until `selector` has the focus, as a keyboard user would."""
        for _ in range(limit):
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            self.press("Tab")
        raise AssertionError(f"{selector} never took the focus")

    def drag_select(self, scope, quote):
        """Select `quote` in the element `scope` with the mouse, from its first letter to its last."""
        box = self.page.evaluate(CHARACTER_BOXES, [scope, quote])
        assert box, f"“{quote}” is not in {scope}"
        self.page.mouse.move(box["x1"], box["y1"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y2"], steps=5)
        self.page.mouse.up()
        self.clicks += 1

    def measure(self):
        return self.clicks, self.keys


# Where on screen the first and last characters of a quote are, found through the text nodes.
CHARACTER_BOXES = """([scope, quote]) => {
  const root = document.querySelector(scope);
  const at = root.textContent.indexOf(quote);
  if (at < 0) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let seen = 0;
  while (walker.nextNode()) { nodes.push([walker.currentNode, seen]); seen += walker.currentNode.length; }
  const box = (offset) => {
    const [node, start] = nodes.filter(([n, s]) => s <= offset && offset < s + n.length)[0];
    const range = document.createRange();
    range.setStart(node, offset - start);
    range.setEnd(node, offset - start + 1);
    return range.getBoundingClientRect();
  };
  const first = box(at), last = box(at + quote.length - 1);
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}"""


@pytest.fixture
def actors(db):
    return {
        "council": Actor.objects.create(
            name="Harbour Council", slug="harbour-council", kind="group"
        ),
        "league": Actor.objects.create(
            name="League of Ports", slug="league-of-ports", kind="organisation"
        ),
        "port": Actor.objects.create(
            name="Neighbouring Port", slug="neighbouring-port", kind="state"
        ),
    }


def member(group, username):
    """A staff user of the group, made with the permissions its migration gives it (a transactional
    test's flush empties the groups table; permissions come back by themselves)."""
    editors = importlib.import_module("claims.migrations.0004_editors_group")
    reviewers = importlib.import_module("claims.migrations.0008_reviewers_group")
    if group == "Editors":
        codenames = [
            (app, f"{action}_{model}")
            for app, models in editors.EDITABLE.items()
            for model in models
            for action in ("add", "change", "delete", "view")
        ] + [
            (app, f"view_{model}") for app, models in editors.VIEW_ONLY.items() for model in models
        ]
        codenames.append(("claims", "set_claim_status"))
    else:
        codenames = [
            (app, f"view_{model}") for app, models in reviewers.READABLE.items() for model in models
        ] + reviewers.REVIEWER_CHANGES
    role, _ = Group.objects.get_or_create(name=group)
    role.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
    )
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(role)
    return user


def sign_in(page, base, username, editor=None):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def no_csp_refusals(page):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    return refused


@pytest.fixture
def scan_as_editor(new_page, assert_accessible):
    """axe-core on a page as the signed-in editor sees it, in a second tab that lets axe in (the
    editor's own tab keeps the Content-Security-Policy, whose refusals the test counts)."""

    def scan(page, url, prepare=None):
        scanner = new_page(
            bypass_csp=True,
            storage_state=page.context.storage_state(),
            viewport={"width": 1400, "height": 1000},
        )
        scanner.goto(url)
        if prepare is not None:
            prepare(scanner)
        assert_accessible(scanner)
        scanner.context.close()

    return scan


def quotes_page_of(source):
    return f"/admin/archive/source/{source.pk}/quotes/"


def back_on_the_workbench(page):
    """Wait for the save to bring the editor back to the source's text; fail with the form's errors."""
    page.wait_for_selector("#source-text, .errornote")
    errors = page.locator(".errornote, .errorlist").all_text_contents()
    assert not errors, errors


def tag_claim_by_mouse(editor, page, quote, statement, kind, scan_as_editor):
    editor.drag_select("#source-text", quote)
    panel = page.locator("#annotate-panel")
    panel.wait_for(state="visible")
    assert page.locator(".annotate-quote").text_content() == quote
    editor.click("#annotate-panel a:has-text('New claim')")
    page.wait_for_selector("#id_statement")
    assert page.input_value("#id_quote_exact") == quote
    if statement == CLAIMS[0][1]:
        scan_as_editor(page, page.url)
    editor.write("#id_statement", statement)
    page.locator("output.statement-preview").filter(
        has_text=f"Reads: “The letter from Harbour Council claims that {statement}”"
    ).wait_for()
    editor.choose("#id_kind", kind)
    editor.click("input[name=_save]")
    back_on_the_workbench(page)


def test_an_editor_tags_a_report_and_publishes_it_and_a_researcher_finds_it(
    new_page, live_server, actors, scan_as_editor, capsys
):
    member("Editors", "editor")
    page = new_page(viewport={"width": 1400, "height": 1000})
    refused = no_csp_refusals(page)
    base = live_server.url
    sign_in(page, base, "editor")
    editor = Editor(page)
    counts = {}

    # 1. The pasted report becomes a source.
    page.goto(base + "/admin/archive/source/add/")
    scan_as_editor(page, page.url)
    editor.type("#id_title", "Harbour Council writes to the League of Ports")
    editor.paste("#id_text", REPORT)
    editor.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    report = Source.objects.get(title="Harbour Council writes to the League of Ports")
    assert report.text == REPORT
    counts["the pasted report"] = editor.measure()

    # 2. An HTML page becomes a source: its article alone, its title and author filled in.
    page.goto(base + "/admin/archive/source/add/")
    page.set_input_files(
        "#id_original", files=[{"name": "ports.html", "mimeType": "text/html", "buffer": HTML_PAGE}]
    )
    editor.clicks += 1  # choosing the file
    editor.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    page_source = Source.objects.get(title="Ports weekly: the harbour dispute")
    assert page_source.author == "Ada Reporter"
    assert "the old lighthouse was seized in 1951" in page_source.text
    assert "alert" not in page_source.text and "Home | News" not in page_source.text

    # 3. The letter, made from the report's page: a draft.
    start = editor.measure()
    page.goto(base + f"/admin/archive/source/{report.pk}/change/")
    editor.click("a:has-text('Make a letter from this source')")
    page.wait_for_selector("#id_title")
    scan_as_editor(page, page.url)
    editor.type("#id_title", "Harbour Council to the League of Ports")
    editor.type("#id_date_edtf", "2026-03-03")
    page.locator("output.date-preview").filter(has_text="3 March 2026").wait_for()
    editor.autocomplete("id_sender", "Harb", "Harbour Council")
    editor.autocomplete("id_recipients-0-actor", "Leag", "League of Ports")
    # A copied-to party the archive does not know yet: made in place, in the admin's popup.
    editor.click("#recipients-group .add-row a")
    with page.expect_popup() as opened:
        editor.click("#add_id_recipients-1-actor")
    popup = opened.value
    popup.wait_for_selector("#id_name")
    popup.fill("#id_name", "Port Observers' Union")
    editor.keys += len("Port Observers' Union")
    popup.select_option("#id_kind", label="Organisation")
    editor.clicks += 2
    popup.click("input[name=_save]")
    editor.clicks += 1
    popup.wait_for_event("close")
    page.locator("#select2-id_recipients-1-actor-container", has_text="Port Observers").wait_for()
    editor.choose("#id_recipients-1-role", "Copied to")
    editor.write("#id_summary", "The Harbour Council asks the League of Ports to send observers.")
    assert not page.is_checked("#id_published")
    editor.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    letter = Letter.objects.get(title="Harbour Council to the League of Ports")
    assert letter.published is False
    assert list(letter.sources.all()) == [report]
    assert {(r.actor.name, r.role) for r in letter.recipients.all()} == {
        ("League of Ports", "to"),
        ("Port Observers' Union", "cc"),
    }
    counts["the letter"] = tuple(b - a for a, b in zip(start, editor.measure(), strict=True))

    # 4. Four claims by selecting their words with the mouse.
    page.goto(base + quotes_page_of(report))
    before = editor.measure()
    quote, statement, kind = CLAIMS[0]
    tag_claim_by_mouse(editor, page, quote, statement, kind, scan_as_editor)
    counts["one claim, by the workbench"] = tuple(
        b - a for a, b in zip(before, editor.measure(), strict=True)
    )

    # The panel, open on a selection, is part of the page axe scans.
    def open_the_panel(scanner):
        Editor(scanner).drag_select("#source-text", CLAIMS[1][0])
        scanner.locator("#annotate-panel").wait_for(state="visible")

    scan_as_editor(page, page.url, open_the_panel)
    for quote, statement, kind in CLAIMS[1:]:
        tag_claim_by_mouse(editor, page, quote, statement, kind, scan_as_editor)

    # 5. A fifth claim with the keyboard alone.
    page.goto(base + quotes_page_of(report))
    keys_before = editor.measure()
    editor.press("Tab")  # the admin's "Skip to main content" link
    editor.press("Enter")
    editor.tab_to("button.annotate-keyboard")
    editor.press("Enter")  # the text takes the caret
    line = REPORT.split("\n").index("It says that the neighbouring port blocks supply ships.")
    editor.press("ArrowDown", line)
    editor.press("Home")
    editor.press("ArrowRight", len("It says that "))
    editor.press("Shift+End")
    editor.press("Shift+ArrowLeft")  # leave the full stop out
    editor.press("Enter")
    page.locator("#annotate-panel").wait_for(state="visible")
    expected = REPORT.index(KEYBOARD_CLAIM[0])
    assert page.locator(".annotate-quote").text_content() == KEYBOARD_CLAIM[0]
    assert page.get_attribute("#annotate-panel", "data-start") == str(expected)
    editor.tab_to("#annotate-panel a[data-new-quote]")
    editor.press("Enter")
    page.wait_for_selector("#id_statement")
    editor.tab_to("#id_statement")  # the admin puts the caret in the first field, the key
    editor.write("#id_statement", KEYBOARD_CLAIM[1])
    editor.press("Tab")  # to the kind
    editor.press("f")  # Factual
    editor.press("Shift+Tab", 2)  # back to the position, a one-line field:
    editor.press("Enter")  # Enter there saves, as in any form
    back_on_the_workbench(page)
    counts["one claim, by the keyboard alone"] = tuple(
        b - a for a, b in zip(keys_before, editor.measure(), strict=True)
    )
    keyboard_claim = Claim.objects.get(quote_exact=KEYBOARD_CLAIM[0])
    assert (keyboard_claim.quote_start, keyboard_claim.kind) == (expected, "factual")

    # 6. A requested action and a response, the same way.
    editor.drag_select("#source-text", ACTION_QUOTE)
    editor.click("#annotate-panel a:has-text('New requested action')")
    page.wait_for_selector("#id_summary")
    editor.write("#id_summary", "the League of Ports to send observers.")
    editor.click("input[name=_save]")
    back_on_the_workbench(page)
    editor.drag_select("#source-text", RESPONSE_QUOTE)
    editor.click("#annotate-panel a:has-text('New response')")
    page.wait_for_selector("#id_stance")
    editor.autocomplete("id_claim", "blocks", "blocks supply ships")
    editor.autocomplete("id_actor", "Neigh", "Neighbouring Port")
    editor.choose("#id_stance", "Rejects")
    editor.click("input[name=_save]")
    back_on_the_workbench(page)
    assert page.locator("a.quote-ref").count() == 7
    scan_as_editor(page, page.url)

    claims = Claim.objects.filter(letter=letter).order_by("position")
    assert [c.position for c in claims] == [1, 2, 3, 4, 5]
    assert {c.quote_exact for c in claims} == {q for q, _, _ in CLAIMS} | {KEYBOARD_CLAIM[0]}
    assert all(c.quote_start == REPORT.index(c.quote_exact) for c in claims)
    assert all(c.history.first().history_user.username == "editor" for c in claims)
    response = Response.objects.get()
    assert (response.claim, response.actor, response.stance) == (
        keyboard_claim,
        actors["port"],
        "rejects",
    )
    assert letter.requested_actions.get().quote_exact == ACTION_QUOTE

    # 7. A researcher cannot find the draft; the editor publishes it with a reason.
    researcher = new_page()
    assert researcher.goto(base + f"/letters/{letter.slug}/").status == 404
    page.goto(base + f"/admin/archive/letter/{letter.pk}/change/")
    editor.click("#id_published")
    editor.type("#id_change_reason", "Tagged and checked against the report")
    editor.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    letter.refresh_from_db()
    assert letter.published is True
    assert letter.history.first().history_change_reason == "Tagged and checked against the report"

    # 8. The researcher finds each claim highlighted on the public letter page.
    assert researcher.goto(base + f"/letters/{letter.slug}/").status == 200
    text = researcher.locator(".source-text").first
    for claim in claims:
        assert text.locator(f"a.quote-ref[href='/claims/{claim.pk}/']").count() == 1
    marked = " ".join(text.locator("mark").all_text_contents())
    assert all(c.quote_exact.split()[1] in marked for c in claims)
    assert refused == []

    # The same claim, tagged the old way: the letter's inline form, the quote copied by hand.
    before = editor.measure()
    page.goto(base + f"/admin/archive/letter/{letter.pk}/change/")
    editor.click("#claims-group .add-row a")
    row = "#id_claims-5-"
    editor.type(f"{row}key", "lighthouse-seized-again")
    editor.type(f"{row}position", "6")
    editor.write(f"{row}statement", CLAIMS[0][1])
    editor.choose(f"{row}kind", "Historical")
    editor.choose(f"{row}status", "Not yet assessed")
    editor.choose(f"{row}source", report.title)
    # Copying the quote from the source: select it in the source's tab (a drag), Ctrl+C, back to
    # this tab (a click), into the field (a click), Ctrl+V. It occurs once, so no prefix or suffix.
    editor.clicks += 1
    editor.keys += 1
    editor.clicks += 1
    editor.paste(f"{row}quote_exact", CLAIMS[0][0])
    editor.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    assert Claim.objects.filter(key="lighthouse-seized-again").exists()
    counts["one claim, by the letter's inline form"] = tuple(
        b - a for a, b in zip(before, editor.measure(), strict=True)
    )

    with capsys.disabled():
        print("\nThe editor's clicks and keystrokes, beyond typing statements:")
        for what, (clicks, keys) in counts.items():
            print(f"  {what}: {clicks} clicks, {keys} keystrokes")
        workbench, inline = (
            counts["one claim, by the workbench"],
            counts["one claim, by the letter's inline form"],
        )
        print(
            f"  20 claims: workbench {20 * workbench[0]} clicks, {20 * workbench[1]} keystrokes; "
            f"inline forms {20 * inline[0]} clicks, {20 * inline[1]} keystrokes"
        )
    assert sum(workbench) < sum(inline)


def test_a_reviewer_may_add_a_response_from_the_workbench_but_not_a_claim(
    new_page, live_server, actors, assert_accessible
):
    member("Reviewers", "reviewer")
    report = Source.objects.create(title="A report", slug="a-report", text=REPORT)
    page = new_page(bypass_csp=True)
    sign_in(page, live_server.url, "reviewer")

    page.goto(live_server.url + quotes_page_of(report))
    assert page.locator("#source-text").text_content() == REPORT
    # Reviewers record responses; claims, requested actions and evidence are the editors'.
    assert page.locator("a[data-new-quote]").all_text_contents() == ["New response"]
    assert_accessible(page)
    assert page.goto(live_server.url + "/admin/claims/claim/add/").status == 403
