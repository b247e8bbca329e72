from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectification/<int:pk>/", views.rectification, name="rectification"),
    path("import/", views.rubric_import, name="import"),
    path("import/confirm/", views.rubric_import_confirm, name="import_confirm"),
    path("rubric/<int:pk>/", views.rubric, name="rubric"),
    path("rubric/<int:pk>/items/add/", views.item_edit, name="item_add"),
    path("rubric/<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("rubric/<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("rubric/<int:pk>/publish/", views.rubric_publish, name="publish"),
    path("rubric/<int:pk>/bands/", views.rubric_bands, name="bands"),
    path("rubric/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("rubric/<int:pk>/ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("rubric/<int:pk>/ranking.pdf", views.ranking_pdf, name="ranking_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("<int:pk>/items/<int:item_pk>/self/", views.self_score, name="self_score"),
    path("<int:pk>/items/<int:item_pk>/review/", views.review, name="review"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
]
