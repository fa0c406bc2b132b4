from django.contrib import admin

from followups.models import FollowUp

from .models import Interaction


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ("description", "due_date", "assigned_to", "attempts", "done_at")


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "customer", "channel", "direction", "user", "duration_seconds", "attitude")
    list_filter = ("channel", "direction", "attitude", "resolved_first_contact", "asked_for_sale", "asked_for_referral")
    search_fields = ("customer__name", "customer__company", "asked_for", "we_said_did")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("customer",)
    list_select_related = ("customer", "user")
    inlines = [FollowUpInline]

    def save_formset(self, request, form, formset, change):
        # A follow-up added here belongs to the interaction's customer; the inline does not ask for it.
        for followup_form in formset.forms:
            followup = followup_form.instance
            if followup.pk is None and followup.customer_id is None:
                followup.customer = form.instance.customer
                followup.created_by = request.user
        super().save_formset(request, form, formset, change)
