from django.contrib import admin

from .models import Customer, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "phone", "email", "town", "status", "assigned_to")
    list_filter = ("status", "kind", "source", "tags", "do_not_contact")
    search_fields = ("name", "company", "email", "phone_digits", "alt_phone_digits", "street", "town")
    raw_id_fields = ("referred_by",)
    autocomplete_fields = ("tags",)
    list_select_related = ("assigned_to",)
    readonly_fields = ("created_at", "updated_at")
