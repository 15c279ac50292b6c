"""The shared PDF pipeline: a registry of document kinds, the WeasyPrint renderer and the services that
queue and render documents through Celery. Certificates, progress and transparency reports, donation
receipts and organization profiles all go through it."""
