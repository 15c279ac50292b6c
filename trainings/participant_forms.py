"""The form correcting a cohort participant's details on the staff enrolment page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin


class ParticipantForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Role or title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
