from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("failed/", views.failed_list, name="failed"),
    path("failed/<int:pk>/send-again/", views.send_again, name="send_again"),
]
