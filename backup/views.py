"""The owner's backup download and one customer's data. Owner only: field workers get 403."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.access import require_owner
from customers.access import get_customer_for_user

from . import dump
from .selectors import customer_rows

ZIP_CONTENT_TYPE = "application/zip"


def _zip_response(chunks, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=ZIP_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _get_customer_for_owner(request, pk: int):
    """The customer, if the one asking is the owner (403 for anyone else, 404 when there is none)."""
    require_owner(request)
    return get_customer_for_user(request.user, pk)


@require_GET
def backup_page(request):
    require_owner(request)
    return render(request, "backup/backup.html")


@require_GET
def backup_download(request):
    require_owner(request)
    filename = f"servicecrm-backup-{timezone.localtime():%Y-%m-%d-%H%M}.zip"
    return _zip_response(dump.backup_stream(), filename=filename)


@require_GET
def customer_data(request, pk: int):
    customer = _get_customer_for_owner(request, pk)
    contents = [
        {"name": model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural, "count": count}
        for model, queryset in customer_rows(customer).items()
        # A many-to-many link table (their tags' links) reads as nothing to a person: the tags are listed.
        if not model._meta.auto_created and (count := queryset.count())
    ]
    return render(request, "backup/customer_data.html", {"customer": customer, "contents": contents})


@require_GET
def customer_data_zip(request, pk: int):
    customer = _get_customer_for_owner(request, pk)
    filename = f"{slugify(customer.name) or 'customer'}-{customer.pk}-data.zip"
    return _zip_response(dump.customer_data_stream(customer), filename=filename)
