from django.urls import path

from . import views

app_name = "interactions"

urlpatterns = [
    path("customers/<int:customer_pk>/log/", views.interaction_create, name="create"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="delete"),
    path("customers/<int:customer_pk>/followups/new/", views.followup_create, name="followup_create"),
    path("followups/<int:pk>/edit/", views.followup_edit, name="followup_edit"),
    path("followups/<int:pk>/done/", views.followup_done, name="followup_done"),
    path("followups/<int:pk>/once-more/", views.followup_try_again, name="followup_try_again"),
    path("followups/<int:pk>/reopen/", views.followup_reopen, name="followup_reopen"),
]
