from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("export/", views.export_page, name="export"),
    path("export/download/", views.export_download, name="export_download"),
    path("template/", views.template_download, name="template"),
]
