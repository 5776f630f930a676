"""Included at /notify/: the address of Notify's callback is configured in Notify, so it never moves."""

from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [path("callback/", views.callback, name="callback")]
