from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("customers/<int:customer_pk>/followups/new/", views.create, name="create"),
    path("followups/<int:pk>/edit/", views.edit, name="edit"),
    path("followups/<int:pk>/done/", views.done, name="done"),
    path("followups/<int:pk>/once-more/", views.try_again, name="try_again"),
    path("followups/<int:pk>/reopen/", views.reopen, name="reopen"),
]
