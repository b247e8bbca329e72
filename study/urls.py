from django.urls import path

from portal.crud import record_urls

from . import records, views

app_name = "study"

urlpatterns: list = [
    path("overview/", views.overview, name="overview"),
    path("appstat/upload/", views.appstat_upload_view, name="appstat_upload"),
    path("appstat/export/", views.appstat_export_view, name="appstat_export"),
]
for record_type in records.RECORD_TYPES:
    urlpatterns += record_urls(record_type)
