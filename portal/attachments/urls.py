from django.urls import path

from . import views

urlpatterns = [
    path("<str:label>/<int:pk>/add/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
