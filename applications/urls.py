from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.bulk, name="bulk"),
    path("my/", views.mine, name="mine"),
    path("applications/new/", views.new, name="new"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/materials/", views.upload, name="upload"),
    path("applications/<int:pk>/materials/<int:material_id>/file", views.material_file, name="material-file"),
    path("applications/<int:pk>/materials-notice/", views.materials_notice, name="materials-notice"),
    path("applications/<int:pk>/approval-form.pdf", views.approval_form, name="approval-form"),
]
