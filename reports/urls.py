from django.urls import path

from . import views
from .binder import views as binder_views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/edit/", views.edit, name="edit"),
    path("<int:year>/finalise/", views.finalise, name="finalise"),
    path("<int:year>/reopen/", views.reopen, name="reopen"),
    path("<int:year>/history/", views.history, name="history"),
    path("<int:year>/build/", views.build, name="build"),
    path("<int:year>/status/", views.status, name="status"),
    path("builds/<int:pk>/<str:fmt>/", views.download, name="download"),
    path("<int:year>/binder/", binder_views.binder, name="binder"),
    path("<int:year>/binder/build/", binder_views.binder_build, name="binder_build"),
    path("<int:year>/binder/status/", binder_views.binder_status, name="binder_status"),
    path("binders/<int:pk>/download/", binder_views.binder_download, name="binder_download"),
]
