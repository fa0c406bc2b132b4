"""The owner's import pages: upload, check the columns and a preview, run (with a progress bar), undo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.access import require_owner
from core.spreadsheets import csv_response

from . import readers, selectors, services
from .access import get_batch_for_user
from .forms import MappingForm, UploadForm
from .models import Phase, Status


@require_http_methods(["GET", "POST"])
def start(request):
    require_owner(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.batch_create(filename=upload.name, data=upload.read(), created_by=request.user)
        except readers.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(batch)
    return render(request, "imports/start.html", {"form": form, "batches": selectors.recent_batches()})


def _mapping_initial(batch) -> dict:
    initial = {"sheet": batch.sheet, "date_order": batch.date_order, "duplicates": batch.duplicates}
    initial.update({f"col_{index}": target for index, target in enumerate(batch.mapping)})
    return initial


@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    batch = get_batch_for_user(request.user, pk)
    if batch.status != Status.MAPPING:
        if request.method == "POST":
            return redirect(batch)
        return render(request, "imports/run.html", {"batch": batch, "counts": _counts(batch)})

    try:
        preview = selectors.preview(batch)
    except readers.ImportFileError as error:
        preview, file_error = None, str(error)
    else:
        file_error = ""
    ambiguous = bool(preview and preview.date_ambiguous)
    if request.method == "POST":
        form = MappingForm(request.POST, batch=batch, date_ambiguous=ambiguous)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.batch_choose(batch=batch, sheet=data.get("sheet") or "", mapping=data.get(
                    "mapping", batch.mapping), date_order=data.get("date_order") or "", duplicates=data["duplicates"])
                action = request.POST.get("action", "preview")
                if action in (Phase.DRY_RUN, Phase.IMPORT) and not form.sheet_changed:
                    services.run_start(batch=batch, phase=action)
            except (ValidationError, readers.ImportFileError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(batch)
    else:
        form = MappingForm(initial=_mapping_initial(batch), batch=batch, date_ambiguous=ambiguous)
    labels = selectors.target_labels()
    header_targets = [(name, labels.get(target, "")) for name, target in zip(batch.header, batch.mapping, strict=False)]
    context = {"batch": batch, "form": form, "preview": preview, "file_error": file_error,
               "header_targets": header_targets}
    return render(request, "imports/mapping.html", context)


def _counts(batch) -> list[tuple[str, int, str]]:
    return [
        (_("new customers"), batch.created_count, "new"),
        (_("customers filled in"), batch.updated_count, "updated"),
        (_("skipped"), batch.skipped_count, "skipped"),
        (_("rejected"), batch.rejected_count, "rejected"),
    ]


@require_GET
def progress(request, pk: int):
    """The progress bar, polled by htmx; once the run is over, the page reloads to show how it ended."""
    batch = get_batch_for_user(request.user, pk)
    if not batch.is_running and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"batch": batch})


@require_POST
def undo(request, pk: int):
    batch = get_batch_for_user(request.user, pk)
    try:
        services.run_start(batch=batch, phase=Phase.UNDO)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(batch)


@require_GET
def notes_csv(request, pk: int, kind: str):
    batch = get_batch_for_user(request.user, pk)
    if kind not in ("rejected", "skipped"):
        raise Http404
    dry_run = request.GET.get("check") == "1"
    notes = selectors.notes(batch, kind=kind, dry_run=dry_run)
    header = [_("Row"), _("Reason")] + list(batch.header)
    rows = ([note.row_number, note.reason, *note.cells] for note in notes.iterator(chunk_size=2000))
    return csv_response(header, rows, filename=f"import-{batch.pk}-{kind}{'-check' if dry_run else ''}.csv")
