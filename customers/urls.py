from django.urls import path

from . import views

app_name = "customers"

# Included at the site root: the quick search at the top of every page keeps its short address.
urlpatterns = [
    path("search/quick/", views.quick_search, name="quick_search"),
    path("customers/", views.customer_list, name="list"),
    path("customers/new/", views.customer_create, name="create"),
    path("customers/check-duplicates/", views.check_duplicates, name="check_duplicates"),
    path("customers/picker/", views.customer_picker, name="picker"),
    path("customers/<int:pk>/", views.customer_detail, name="detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="edit"),
    path("customers/<int:pk>/contact.vcf", views.customer_vcard, name="vcard"),
]
