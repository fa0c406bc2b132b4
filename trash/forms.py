from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerDeleteForm(forms.Form):
    # Unticked (the default): to the trash, restorable. Ticked: a customer's request to be forgotten.
    erase = forms.BooleanField(label=_("Erase for good at once, with their history"), required=False)
