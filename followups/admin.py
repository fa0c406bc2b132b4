from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("description", "customer", "due_date", "assigned_to", "attempts", "done_at")
    list_filter = ("assigned_to", ("done_at", admin.EmptyFieldListFilter), "due_date")
    search_fields = ("description", "customer__name", "outcome")
    date_hierarchy = "due_date"
    raw_id_fields = ("customer", "interaction")
    list_select_related = ("customer", "assigned_to")
