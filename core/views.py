from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .business import business_settings
from .forms import BusinessSettingsForm
from .services import business_settings_update


@require_http_methods(["GET", "POST"])
def business_settings_edit(request):
    """The owner's page for the business's own settings (administration: field workers get 403)."""
    if not request.user.is_owner:
        raise PermissionDenied
    row = business_settings()
    form = BusinessSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        business_settings_update(row=row, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("business_settings")
    return render(request, "core/business_settings.html", {"form": form})
