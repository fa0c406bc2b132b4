from django.urls import path

from . import views

app_name = "merge"

# Included at the site root: the pages live under /customers/ beside the list they clean up.
urlpatterns = [
    path("customers/duplicates/", views.duplicates, name="duplicates"),
    path("customers/merge/<int:keep_pk>/<int:other_pk>/", views.merge, name="merge"),
]
