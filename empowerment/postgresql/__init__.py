"""Django's PostgreSQL backend with a health check that a busy connection does not pay for (base.py)."""
