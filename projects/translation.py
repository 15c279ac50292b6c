"""A project's public texts in both languages (django-modeltranslation: <field>_en and <field>_zh_hans)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Project


@register([Project, Project.history.model])  # the history keeps both languages too
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary")
