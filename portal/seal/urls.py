from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("seal/", views.seal_history, name="seal_history"),
    path("seal/certificates.pem", views.seal_certificate, name="seal_certificate"),
]
