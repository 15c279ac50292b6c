"""The site's URLs plus a trivial view, the yardstick every page is compared with in the same process."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), path("", include("empowerment.urls"))]
