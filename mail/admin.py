from django.contrib import admin

from .models import SentEmail


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "period", "status", "attempts", "claimed_at", "sent_at", "next_attempt_at", "give_up_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username", "user__email", "period"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in SentEmail._meta.fields]

    def has_add_permission(self, request):
        return False
