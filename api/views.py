"""The API's documentation page: the site's layout (both languages) around Swagger UI, which reads the
OpenAPI document generated from api.v1 (its descriptions in the visitor's language)."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .v1 import VERSION


@require_GET
def docs(request):
    schema_url = reverse("api_v1:openapi-json")
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": schema_url,
            "version": VERSION,
            "base_url": request.build_absolute_uri("/api/v1/"),
        },
    )
