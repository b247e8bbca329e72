from django.urls import path

from portal.crud import record_urls

from . import records, views

app_name = "study"

urlpatterns: list = [
    path("overview/", views.overview, name="overview"),
    path("appstat/upload/", views.appstat_upload_view, name="appstat_upload"),
    path("appstat/upload/jobs/<int:pk>/", views.appstat_upload_job, name="appstat_upload_job"),
    path("appstat/upload/jobs/<int:pk>/status/", views.appstat_upload_status, name="appstat_upload_status"),
    path("appstat/upload/jobs/<int:pk>/confirm/", views.appstat_upload_confirm, name="appstat_upload_confirm"),
    path("appstat/export/", views.appstat_export_view, name="appstat_export"),
]
for record_type in records.RECORD_TYPES:
    urlpatterns += record_urls(record_type)
