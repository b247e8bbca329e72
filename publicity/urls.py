from django.urls import path

from portal.crud import record_urls

from . import records, views

app_name = "publicity"

urlpatterns: list = [
    path("channel/<int:pk>/checks/new/", views.channel_check_add_view, name="channel_check_add"),
    path("channel/<int:pk>/checks/<int:check_pk>/delete/", views.channel_check_remove_view, name="channel_check_remove"),
    path("activity/<int:pk>/photos/new/", views.activity_photo_add_view, name="activity_photo_add"),
    path(
        "activity/<int:pk>/photos/<int:photo_pk>/delete/", views.activity_photo_remove_view, name="activity_photo_remove"
    ),
]
for record_type in records.RECORD_TYPES:
    if record_type.form is not None:
        urlpatterns += record_urls(record_type)
