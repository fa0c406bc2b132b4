from django.urls import path

from . import views

app_name = "trash"

# Included at the site root: the customer's delete page keeps its address under /customers/.
urlpatterns = [
    path("customers/<int:pk>/delete/", views.customer_delete, name="customer_delete"),
    path("trash/", views.trash_list, name="list"),
    path("trash/<int:pk>/restore/", views.trashed_restore, name="restore"),
    path("trash/<int:pk>/erase/", views.trashed_erase, name="erase"),
]
