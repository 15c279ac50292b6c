import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empowerment.settings")
from empowerment.pagecache import EarlyPageApplication  # noqa: E402 (after Django is set up)

application = EarlyPageApplication(get_wsgi_application())
