from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("my/", views.mine, name="mine"),
]
