from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    label = "notify"
    verbose_name = "GOV.UK Notify"
    default_auto_field = "django.db.models.BigAutoField"
