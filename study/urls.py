from django.urls import path

from . import views
from .records import MaterialHandoutViews, StudyAppStatViews, StudySessionViews

app_name = "study"

urlpatterns: list = [
    path("overview/", views.overview, name="overview"),
    path("appstat/upload/", views.appstat_upload_view, name="appstat_upload"),
    path("appstat/export/", views.appstat_export_view, name="appstat_export"),
    *StudySessionViews().urlpatterns(),
    *StudyAppStatViews().urlpatterns(),
    *MaterialHandoutViews().urlpatterns(),
]
