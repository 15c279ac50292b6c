"""Public texts of organizations and themes in both languages (django-modeltranslation: <field>_en and
<field>_zh_hans columns; reading `name` gives the visitor's language, falling back to the other). A
model with history registers its historical model too, whose rows copy every column of the model."""

from modeltranslation.translator import TranslationOptions, register

from .models import Organization, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)


@register([Organization, Organization.history.model])  # the history keeps both languages too
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")
