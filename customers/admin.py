from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Customer, Tag
from .search import phone_query_variants


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    # The cadence is set per tag here ("VIP: every 30 days"); customers without their own follow the shortest.
    list_display = ("name", "contact_every_days")
    list_editable = ("contact_every_days",)
    fields = ("name", "contact_every_days")
    search_fields = ["name"]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "company", "phone", "email", "town", "status", "assigned_to")
    list_filter = ("status", "kind", "source", "tags", "do_not_contact")
    search_fields = ("name", "company", "email", "phone_digits", "alt_phone_digits", "street", "town")
    raw_id_fields = ("referred_by",)
    autocomplete_fields = ("tags",)
    list_select_related = ("assigned_to",)
    readonly_fields = ("created_at", "updated_at")

    def get_search_results(self, request, queryset, search_term):
        """A number typed as "(202) 555-0123" is found too: the stored digits have no punctuation."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        for number in phone_query_variants(search_term):
            results |= queryset.filter(phone_digits__contains=number) | queryset.filter(
                alt_phone_digits__contains=number
            )
        return results, may_have_duplicates
