from django.urls import path

from . import views

app_name = "backup"

# Included at the site root: the backup sits with the settings, a customer's data beside their card.
urlpatterns = [
    path("settings/backup/", views.backup_page, name="page"),
    path("settings/backup/download.zip", views.backup_download, name="download"),
    path("customers/<int:pk>/data/", views.customer_data, name="customer_data"),
    path("customers/<int:pk>/data.zip", views.customer_data_zip, name="customer_data_zip"),
]
