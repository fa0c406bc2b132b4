"""Who may open which import: the owner, who alone imports."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import ImportBatch


def get_batch_for_user(user, pk: int) -> ImportBatch:
    if not getattr(user, "is_owner", False):
        raise PermissionDenied
    batch = ImportBatch.objects.filter(pk=pk).select_related("created_by").first()
    if batch is None:
        raise Http404
    return batch
