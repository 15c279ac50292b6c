"""A URL configuration without the public pages, for the page cache's test that a changed configuration is
honoured."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("healthz", lambda request: HttpResponse("ok"))]
