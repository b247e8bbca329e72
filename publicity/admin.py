from django.apps import apps
from django.contrib import admin

from portal.admin import RecordAdmin
from portal.models import Record

for model in apps.get_app_config("publicity").get_models():
    if model._meta.model_name.startswith("historical") or admin.site.is_registered(model):
        continue
    admin.site.register(model, RecordAdmin if issubclass(model, Record) else admin.ModelAdmin)
