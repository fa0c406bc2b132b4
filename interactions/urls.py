from django.urls import path

from . import views

app_name = "interactions"

urlpatterns = [
    path("customers/<int:customer_pk>/log/", views.interaction_create, name="create"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="delete"),
]
