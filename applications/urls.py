from django.urls import path

from applications import letters, online, progress, views

app_name = "applications"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.bulk, name="bulk"),
    path("my/", views.mine, name="mine"),
    path("applications/new/", views.new, name="new"),
    path("applications/new/check-id/", views.check_id, name="check-id"),
    path("my/apply/", online.apply, name="apply"),
    path("my/apply/<str:step>/", online.apply, name="apply-step"),
    path("applications/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<id:pk>/", views.detail, name="detail"),
    path("applications/<id:pk>/edit/", views.edit, name="edit"),
    path("applications/<id:pk>/materials/", views.upload, name="upload"),
    path("applications/<id:pk>/materials/<id:material_id>/file", views.material_file, name="material-file"),
    path("applications/<id:pk>/materials-notice/", views.materials_notice, name="materials-notice"),
    path("applications/<id:pk>/approval-form.pdf", views.approval_form, name="approval-form"),
    path("applications/<id:pk>/decision-letter.pdf", letters.decision_letter_page, name="decision-letter"),
    path("progress/", progress.progress_page, name="progress"),
]
