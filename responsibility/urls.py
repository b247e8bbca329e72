from django.urls import path

from .views import pages
from .views.letters import LETTERS
from .views.records import RECORD_VIEWS

app_name = "responsibility"

urlpatterns: list = [
    path("task/month/", pages.task_month, name="task_month"),
    path("task/<int:pk>/done/", pages.task_tick_off, name="task_done"),
    path("analysis/matrix/", pages.analysis_matrix, name="analysis_matrix"),
]
for views in RECORD_VIEWS:
    urlpatterns += views.urlpatterns()
urlpatterns += LETTERS.urlpatterns()
