from django.contrib import admin

from .models import Feedback, FeedbackItem, FeedbackRequest


class FeedbackItemInline(admin.TabularInline):
    model = FeedbackItem
    extra = 0
    raw_id_fields = ("followup",)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("customer", "received_at", "channel", "rating", "recorded_by")
    list_filter = ("channel", "rating")
    search_fields = ("customer__name", "items__text")
    date_hierarchy = "received_at"
    raw_id_fields = ("customer",)
    list_select_related = ("customer", "recorded_by")
    inlines = [FeedbackItemInline]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):
    # The nonce is the secret behind the link: never shown.
    list_display = ("customer", "email", "created_at", "sent_at", "answered_at")
    list_filter = ("answered_at",)
    search_fields = ("customer__name", "email")
    fields = ("customer", "email", "requested_by", "created_at", "sent_at", "answered_at", "feedback")
    readonly_fields = fields
    list_select_related = ("customer",)

    def has_add_permission(self, request):
        return False
