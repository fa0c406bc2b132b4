from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("customer/<int:customer_pk>/new/", views.feedback_create, name="create"),
    path("customer/<int:customer_pk>/ask/", views.feedback_request_create, name="request_create"),
    path("improvement/<int:pk>/follow-up/", views.improvement_followup_create, name="improvement_followup"),
    # The customer's private link: the only page that needs no sign-in (feedback.views.feedback_answer).
    path("answer/<str:token>/", views.feedback_answer, name="answer"),
]
