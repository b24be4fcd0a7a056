"""The pages that answer in a file format rather than HTML: exports, CMIF, annotations, the feed.

They sit here, above the domain apps, so that `archive` and `claims` know nothing of file
formats; their URLs and names are the domain's own (config/urls.py mounts them there).
"""

import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max, Min
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.generic import View

from archive.models import Letter
from claims.changes import recent_changes
from claims.filters import ClaimFilter
from claims.models import Claim
from core.browse import has_nul
from core.public_url import public_url

from . import claim_exports, linked_data, streaming
from .cmif.write import cmif_document


class ClaimExportView(View):
    """`/claims/export.csv` and `.json`: every claim `/claims/` lists for the same parameters."""

    format = "csv"
    CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

    def get(self, request):
        params = request.GET.copy()
        for paging in ("page", "after", "before"):
            params.pop(paging, None)  # an export is the whole list, not one page of it
        if has_nul(params):
            return self.refuse(
                {"": ["A parameter contained a NUL character; remove it and try again."]}
            )
        filterset = ClaimFilter(params, queryset=Claim.objects.published().in_list_order())
        filterset.show_headlines = False
        if not filterset.is_valid():
            return self.refuse(filterset.errors)
        permalink = request.build_absolute_uri
        if self.format == "csv":
            body = claim_exports.csv_lines(filterset.qs, permalink)
        else:
            query = {key: params.getlist(key) for key in params}
            body = claim_exports.json_chunks(
                filterset.qs, permalink, {"source": permalink(), "query": query}
            )
        if not streaming.exports.take():
            return self.busy()
        response = StreamingHttpResponse(
            streaming.Holding(iter(body), streaming.exports),
            content_type=self.CONTENT_TYPES[self.format],
        )
        filename = f"missive-claims-{timezone.localdate().isoformat()}.{self.format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def busy(self):
        """A 503 while this process streams as many exports as it may (interchange/streaming.py)."""
        response = HttpResponse(
            "Missive is sending as many exports as it can just now; please try again in a minute.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response

    def refuse(self, errors):
        """A 400 that says which parameter is wrong, in the format asked for."""
        if self.format == "json":
            body = json.dumps(
                {"errors": {field or "query": list(messages) for field, messages in errors.items()}}
            )
            return HttpResponse(body, status=400, content_type="application/json")
        lines = [
            f"{field or 'query'}: {message}"
            for field, messages in errors.items()
            for message in messages
        ]
        return HttpResponse(
            "The export was refused:\n" + "\n".join(lines) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )


class ClaimAnnotationView(View):
    """`/claims/<id>/annotation.json`: the claim as a W3C Web Annotation on its quote."""

    CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

    def get(self, request, pk):
        claim = get_object_or_404(annotated_claims(), pk=pk)
        created, modified = history_times([claim.pk]).get(claim.pk, (None, None))
        data = linked_data.annotation(
            claim,
            request.build_absolute_uri,
            created=created or claim.status_changed_at,
            modified=modified or claim.status_changed_at,
        )
        return annotation_response(data)


ANNOTATION_CONTENT_TYPE = ClaimAnnotationView.CONTENT_TYPE
ANNOTATIONS_PER_PAGE = 100


def annotated_claims():
    """Claims with everything their annotation shows."""
    return Claim.objects.published().for_list().select_related("source")


def history_times(claim_ids):
    """{claim id: (first version's time, latest version's time)}, in one query."""
    rows = (
        Claim.history.filter(id__in=claim_ids)
        .order_by()
        .values("id")
        .annotate(created=Min("history_date"), modified=Max("history_date"))
    )
    return {row["id"]: (row["created"], row["modified"]) for row in rows}


def annotation_response(data, status=200):
    return JsonResponse(
        data,
        status=status,
        content_type=ANNOTATION_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


class LetterAnnotationsView(View):
    """`/letters/<slug>/annotations.json`: an AnnotationCollection of the letter's claims, whole."""

    def get(self, request, slug):
        letter = get_object_or_404(Letter.objects.published().select_related("sender"), slug=slug)
        claims = list(annotated_claims().in_letter(letter))
        url = request.build_absolute_uri
        collection_id = url(reverse("archive:letter-annotations", args=[letter.slug]))
        page = linked_data.annotation_page(
            claims,
            url,
            history_times([c.pk for c in claims]),
            collection_id + "#page-1",
            collection_id,
            start=0,
        )
        label = f"The claims of “{letter.title}”, each attributed to its sender"
        data = linked_data.annotation_collection(collection_id, label, len(claims), page)
        return annotation_response(data)


class ArchiveAnnotationsView(View):
    """`/claims/annotations.json`: every claim's annotation as an AnnotationCollection, and with
    `?page=N` each page of it (ANNOTATIONS_PER_PAGE annotations, oldest claim first)."""

    def get(self, request):
        url = request.build_absolute_uri
        collection_id = url(reverse("claims:claim-annotations"))
        total = Claim.objects.published().count()
        pages = max(1, -(-total // ANNOTATIONS_PER_PAGE))
        page_url = f"{collection_id}?page={{}}".format
        if "page" not in request.GET:
            label = "Every claim in the archive, each attributed to its sender"
            data = linked_data.annotation_collection(
                collection_id, label, total, page_url(1), last=page_url(pages)
            )
            return annotation_response(data)
        number = request.GET["page"]
        if not (number.isascii() and number.isdigit() and 1 <= int(number) <= pages):
            message = f"page: give a whole number from 1 to {pages}."
            return annotation_response({"errors": {"page": [message]}}, status=400)
        number = int(number)
        start = (number - 1) * ANNOTATIONS_PER_PAGE
        claims = list(annotated_claims().order_by("pk")[start : start + ANNOTATIONS_PER_PAGE])
        neighbours = {
            "prev": page_url(number - 1) if number > 1 else None,
            "next": page_url(number + 1) if number < pages else None,
        }
        data = {"@context": "http://www.w3.org/ns/anno.jsonld"} | linked_data.annotation_page(
            claims,
            url,
            history_times([c.pk for c in claims]),
            page_url(number),
            collection_id,
            start,
            neighbours,
        )
        return annotation_response(data)


class CmifView(View):
    """`/letters/cmif.xml`: every letter's correspondence metadata, for correspSearch to harvest."""

    def get(self, request):
        # The file's idno and every letter's ref are the archive's own addresses, not this request's host.
        document = cmif_document(lambda path: public_url(request, path), timezone.now())
        return HttpResponse(document, content_type="application/xml; charset=utf-8")


class ChangeFeed(Feed):
    feed_type = Atom1Feed
    title = "Missive: recent changes"
    subtitle = "Letters, claims, statuses and responses as editors record and revise them."

    def link(self):
        return reverse("claims:change-list")

    def items(self):
        return recent_changes(limit=50)

    def item_title(self, change):
        return f"{change.action}: {change.label}"

    def item_description(self, change):
        # Atom summaries are HTML to feed readers; a reason is plain text typed by an editor.
        return escape(change.reason or change.action)

    def item_link(self, change):
        return change.url or f"{reverse('claims:change-list')}#{change.key}"

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def author_name(self):
        return settings.MISSIVE_EDITOR

    def author_email(self):
        return settings.MISSIVE_EDITOR_EMAIL or None

    def author_link(self):
        return settings.MISSIVE_PUBLISHER_URL or None

    def item_guid(self, change):
        # An absolute IRI (RFC 4287), permanent: the change's place in the public change record.
        return public_url(self.request, f"{reverse('claims:change-list')}#{change.key}")

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when

    def item_updateddate(self, change):
        return change.when
