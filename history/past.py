"""Pages as they stood at the end of a day (`?as_of=YYYY-MM-DD`), rebuilt from history.

django-simple-history keeps a row per version of every object, and per version a copy
of its many-to-many links. `Past` reads the latest version of each object before the
end of the day (dropping objects deleted by then) and hands back model instances whose
relations are filled from the same moment, so templates render a past version exactly
as they render the present one, with a fixed number of queries.
"""

import datetime

from django import forms
from django.shortcuts import render
from django.utils import timezone

from core import page_cache
from core.django_internals import set_prefetched


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label="As it stood at the end of",
        error_messages={"invalid": "Give the day as YYYY-MM-DD, e.g. 2026-03-01."},
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(
                "That day is still to come; leave as_of out for the current version."
            )
        return day


def as_of_day(request):
    """(day or None, error message or ""): the `as_of` parameter of a request, checked."""
    if "as_of" not in request.GET:
        return None, ""
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return None, form.errors["as_of"][0]
    return form.cleaned_data["as_of"], ""


class NotThen(Exception):
    """The object asked for did not exist at the end of the day asked for."""


class PastVersionMixin:
    """For detail views: `?as_of=YYYY-MM-DD` shows the object as it stood at the end of that day.

    Subclasses set `self.version` (the history record shown) in get_object and read
    `self.past` (None for the current version).
    """

    def get(self, request, *args, **kwargs):
        page_cache.accepts_parameters(request, {"as_of"})
        day, error = as_of_day(request)
        if error:
            return render(request, "400.html", {"message": f"as_of: {error}"}, status=400)
        self.past = Past(day) if day else None
        try:
            return super().get(request, *args, **kwargs)
        except NotThen as absent:
            return render(request, "404.html", {"message": str(absent)}, status=404)

    def get_context_data(self, **kwargs):
        return super().get_context_data(past=self.past, **kwargs)

    def current_object(self, queryset=None):
        """The object as it is now, with its latest version as the one a citation names."""
        obj = super().get_object(queryset)
        self.version = obj.history.order_by("-history_date", "-history_id").first()
        return obj


class Past:
    """Objects as they stood at the end of `day`, in the current time zone."""

    def __init__(self, day):
        self.day = day
        start_of_next_day = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time.min
        )
        self.moment = timezone.make_aware(start_of_next_day)

    def records(self, model, **filters):
        """{pk: historical record}: each matching object's last version before the moment."""
        history = model.history.filter(history_date__lt=self.moment)
        latest = {}
        # Two versions can share a timestamp (bulk edits): the higher history id is the later.
        for record in (
            history.latest_of_each().filter(**filters).order_by("history_date", "history_id")
        ):
            latest[record.id] = record
        return {pk: record for pk, record in latest.items() if record.history_type != "-"}

    def record(self, model, pk):
        return self.records(model, id=pk).get(pk)

    def instances(self, model, **filters):
        """{pk: instance} as each object stood then."""
        return {pk: as_instance(record) for pk, record in self.records(model, **filters).items()}

    def then_or_now(self, model, ids):
        """{pk: instance} as each stood then; a row with no history falls back to its current state."""
        ids = set(ids) - {None}
        found = self.instances(model, id__in=ids) if ids else {}
        missing = ids - found.keys()
        if missing:
            found.update(model.objects.in_bulk(missing))
        return found

    def linked_ids(self, records, field, target):
        """{object pk: [target pks]}: a many-to-many field as each version recorded it."""
        records = list(records)
        links = {record.id: [] for record in records}
        if not records:
            return links
        through = getattr(records[0], field).model
        by_version = {record.history_id: record.id for record in records}
        rows = through.objects.filter(history_id__in=by_version).order_by("m2m_history_id")
        for history_id, target_id in rows.values_list("history_id", f"{target}_id"):
            links[by_version[history_id]].append(target_id)
        return links


def as_instance(record):
    """The model instance a history record describes. simple-history's `record.instance` also reads
    fields kept out of history (the claims' search vector) from the current row: a query per record."""
    return record.instance_type(
        **{field.attname: getattr(record, field.attname) for field in record.tracked_fields}
    )


def attach(instance, name, related):
    """Set a foreign key's object without a query (`claim.letter`), as assigning it does.

    `None` (a target that is gone) also clears the key, so `claim.status_source_id` never
    names an object that `claim.status_source` cannot give.
    """
    setattr(instance, name, related)


def attach_many(instance, name, objects):
    """Fill a to-many relation (`claim.about.all()`) as prefetch_related would, without a query."""
    set_prefetched(instance, name, objects)


def ordered(objects, *keys):
    return sorted(objects, key=lambda obj: tuple(getattr(obj, key) for key in keys))
