from django.urls import path

from portal.crud import record_urls

from . import records
from .views import letters, pages

app_name = "responsibility"

urlpatterns: list = [
    path("task/month/", pages.task_month, name="task_month"),
    path("task/<int:pk>/done/", pages.task_tick_off, name="task_done"),
    path("analysis/matrix/", pages.analysis_matrix, name="analysis_matrix"),
]
for record_type in records.RECORD_TYPES:
    if record_type is not records.LETTER:
        urlpatterns += record_urls(record_type)
urlpatterns += letters.urlpatterns
