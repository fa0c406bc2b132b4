from django.urls import path

from . import views

app_name = "exports"

# Included under /exports/. One name per file kind, so every address has its own row in the rights table.
urlpatterns = [
    path("", views.export_page, name="page"),
    path("customers.csv", views.customers_export, {"kind": "csv"}, name="customers_csv"),
    path("customers.xlsx", views.customers_export, {"kind": "xlsx"}, name="customers_xlsx"),
    path("interactions.csv", views.interactions_export, {"kind": "csv"}, name="interactions_csv"),
    path("interactions.xlsx", views.interactions_export, {"kind": "xlsx"}, name="interactions_xlsx"),
    path("followups.csv", views.followups_export, {"kind": "csv"}, name="followups_csv"),
    path("followups.xlsx", views.followups_export, {"kind": "xlsx"}, name="followups_xlsx"),
]
