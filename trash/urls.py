from django.urls import path

from . import views

app_name = "trash"

# Included at the site root: the customer's delete page keeps its address under /customers/.
urlpatterns = [
    path("customers/<int:pk>/delete/", views.customer_delete, name="customer_delete"),
]
