"""Included at the site root: a service worker controls only the paths below its own URL."""

from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline_page, name="page"),
    path("offline/precache/", views.precache, name="precache"),
    path("offline/customers/<int:pk>/", views.saved_customer, name="saved_customer"),
    path("offline/sync/interaction/", views.sync_interaction, name="sync_interaction"),
]
