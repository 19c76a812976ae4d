from django.urls import path

from eligibility import views

app_name = "eligibility"
urlpatterns = [path("precheck/", views.precheck, name="precheck")]
