from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts, committee, files, records, trash, views
from .crud import record_urls

org_patterns = [pattern for record_type in records.RECORD_TYPES for pattern in record_urls(record_type)]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("committee/", views.switch_committee, name="committee_switch"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("session/extend/", accounts.session_extend, name="session_extend"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("files/<str:label>/<int:pk>/<str:field>/", files.file_download, name="file_download"),
    path("attachments/", include("portal.attachments.urls")),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("trash/", trash.trash_list, name="trash"),
    path("trash/<str:label>/<int:pk>/restore/", trash.trash_restore_view, name="trash_restore"),
    path("trash/<str:label>/<int:pk>/purge/", trash.trash_purge_view, name="trash_purge"),
    path("org/committee/", committee.committee_detail, name="committee"),
    path("org/committee/edit/", committee.committee_edit, name="committee_edit"),
    path("org/committee/history/", committee.committee_history, name="committee_history"),
    path("org/committee/<int:pk>/history/<int:history_id>/restore/", committee.committee_restore,
         name="committee_history_restore"),
    path("org/", include((org_patterns, "portal"), namespace="portal")),
    path("responsibility/", include("responsibility.urls")),
    path("study/", include("study.urls")),
    path("publicity/", include("publicity.urls")),
    path("reports/", include("reports.urls")),
    path("assessment/", include("reports.assessment.urls")),
    path("ledger/", include(("portal.ledger.urls", "ledger"), namespace="ledger")),
    path("", include("portal.seal.urls")),
    path("admin/", admin.site.urls),
]
