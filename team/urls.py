from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/invite-again/", views.invite_again, name="invite_again"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("lockouts/lift/", views.lockout_lift, name="lockout_lift"),
]
