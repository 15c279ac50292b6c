"""Forms of the public application and the organization portal."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin, ModelMultipleIdsField
from empowerment.uploads import clean_image

from .credit_code import normalize
from .models import Area, Invitation, LegalForm, Organization, ProgrammeApplication, Role, Theme


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * (obj.level - 1)}{obj.display_name}"


class CreditCodeMixin:
    def clean_credit_code(self):
        code = normalize(self.cleaned_data.get("credit_code") or "")
        legal_form = self.cleaned_data.get("legal_form")
        if not code and legal_form and legal_form != LegalForm.UNREGISTERED:
            raise forms.ValidationError(
                _("A registered organization must give its unified social credit code.")
            )
        return code


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class ApplicationForm(BoundedTextMixin, CreditCodeMixin, forms.ModelForm):
    area = AreaChoiceField(queryset=Area.objects.filter(level__lte=3).order_by("code"), label=_("Area"))
    themes = ModelMultipleIdsField(
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Themes served"),
    )

    class Meta:
        model = ProgrammeApplication
        fields = [
            "name",
            "legal_form",
            "credit_code",
            "registration_date",
            "area",
            "address",
            "themes",
            "staff_count",
            "volunteer_count",
            "contact_name",
            "contact_email",
            "contact_phone",
            "motivation",
        ]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "motivation": _("Read by the programme's staff only; it is never published."),
        }

    # Legal form is cleaned before the credit code because it comes first in `fields`.

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organization.objects.filter(Q(name_zh_hans=name) | Q(name_en=name)).exists():
            raise forms.ValidationError(
                _("An organization with this name already takes part in the programme.")
            )
        return name

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        if code and Organization.objects.filter(credit_code=code).exists():
            self.add_error(
                "credit_code", _("An organization with this unified social credit code already exists.")
            )
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the application"))


class ProfileForm(BoundedTextMixin, CreditCodeMixin, forms.ModelForm):
    area = AreaChoiceField(queryset=Area.objects.order_by("code"), label=_("Area"))
    themes = ModelMultipleIdsField(
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Themes served"),
    )
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Organization
        fields = [
            "name_zh_hans",
            "name_en",
            "legal_form",
            "credit_code",
            "registration_date",
            "area",
            "address",
            "description_zh_hans",
            "description_en",
            "themes",
            "staff_count",
            "volunteer_count",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
        ]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}),
            "description_zh_hans": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name_zh_hans": _("Name in Chinese"),
            "name_en": _("Name in English"),
            "description_zh_hans": _("Description in Chinese"),
            "description_en": _("Description in English"),
        }
        help_texts = {
            "description_zh_hans": _(
                "Your public profile: once you write a description, the organization is listed in the public "
                "directory with it. Leave it empty to stay unlisted."
            ),
            "description_en": _("Shown to visitors reading in English; the Chinese one is shown when empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_zh_hans"].required = True
        self.helper = _helper(_("Save the profile"))
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        return clean_image(upload, max_side=800)

    def profile_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f != "themes"}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"), initial=Role.EDITOR)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.helper = _helper(_("Send the invitation"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class InvitationSignupForm(BoundedTextMixin, forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create my account and join"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class DecisionForm(BoundedTextMixin, forms.Form):
    note = forms.CharField(
        label=_("Note to the applicant"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


__all__ = [
    "ApplicationForm",
    "ProfileForm",
    "InvitationForm",
    "RoleForm",
    "InvitationSignupForm",
    "Invitation",
]
