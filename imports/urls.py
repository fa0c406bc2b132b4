from django.urls import path

from . import views

app_name = "imports"

# Included at the site root: the pages live under /customers/ beside the list they fill.
urlpatterns = [
    path("customers/import/", views.start, name="start"),
    path("customers/import/<int:pk>/", views.detail, name="detail"),
    path("customers/import/<int:pk>/progress/", views.progress, name="progress"),
    path("customers/import/<int:pk>/undo/", views.undo, name="undo"),
    path("customers/import/<int:pk>/<str:kind>.csv", views.notes_csv, name="notes"),
]
