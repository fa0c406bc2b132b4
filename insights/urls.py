from django.urls import path

from . import views, views_at_risk

app_name = "insights"

urlpatterns = [
    path("", views.insights_page, name="page"),
    path("csv/<str:table>/", views.insights_csv, name="csv"),
    path("at-risk/", views_at_risk.at_risk_list, name="at_risk"),
]
