"""Public texts of channels, funds and campaigns in both languages (django-modeltranslation: <field>_en and
<field>_zh_hans columns); their historical models too, whose rows copy every column of the model."""

from modeltranslation.translator import TranslationOptions, register

from .models import Campaign, Channel, Fund


@register([Channel, Channel.history.model])
class ChannelTranslation(TranslationOptions):
    fields = ("name",)


@register([Fund, Fund.history.model])
class FundTranslation(TranslationOptions):
    fields = ("name", "description")


@register([Campaign, Campaign.history.model])
class CampaignTranslation(TranslationOptions):
    fields = ("title", "summary", "story")
