from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlan, ActionStep


class ActionStepInline(admin.TabularInline):
    model = ActionStep
    extra = 0
    fields = ["position", "what", "due_date", "assignee", "is_creative", "done_at", "done_by"]
    raw_id_fields = ["assignee", "done_by"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "audience_kind", "owner", "start_date", "end_date"]
    list_filter = ["status", "audience_kind"]
    search_fields = ["title", "purpose"]
    raw_id_fields = ["customer"]
    list_select_related = ["owner"]
    inlines = [ActionStepInline]


@admin.register(ActionStep)
class ActionStepAdmin(SimpleHistoryAdmin):
    list_display = ["what", "plan", "due_date", "assignee", "is_creative", "done_at"]
    list_filter = ["is_creative"]
    search_fields = ["what"]
    raw_id_fields = ["plan", "assignee", "done_by"]
    list_select_related = ["plan", "assignee"]
