"""docker-compose.yml's pools: the visitors' pages (`web`), the payment platforms' notifications (`notify`) and
the signed-in people's pages (`portal`) are the same site on ports of their own, and when the cores are short
the visitors' page reads yield to the others (a smaller CPU weight)."""

from pathlib import Path

import pytest
from django.conf import settings

yaml = pytest.importorskip("yaml")

DEFAULT_CPU_SHARES = 1024


def _services() -> dict:
    return yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())["services"]


def test_the_three_pools_serve_the_same_site_on_ports_of_their_own():
    services = _services()
    ports = {name: services[name]["ports"] for name in ("web", "notify", "portal")}
    assert len({tuple(p) for p in ports.values()}) == 3, ports
    for name in ("notify", "portal"):
        command = services[name]["command"]
        assert command[:2] == ["gunicorn", "empowerment.wsgi:application"], command
        assert command[command.index("--bind") + 1].endswith(ports[name][0].split(":")[-1])
        assert services[name]["image"] == services["web"]["image"]


def test_the_visitors_pages_have_the_smallest_cpu_weight():
    services = _services()
    web = services["web"].get("cpu_shares", DEFAULT_CPU_SHARES)
    others = {
        name: service.get("cpu_shares", DEFAULT_CPU_SHARES)
        for name, service in services.items()
        if name in ("db", "notify", "portal", "worker")
    }
    assert all(web < weight for weight in others.values()), (web, others)


def test_the_visitors_pages_are_served_by_the_pages_worker():
    """`web` runs the same site through the worker class that answers the pages a process keeps on its event
    loop (empowerment.pageserver.PagesWorker, tested in tests/test_pageserver.py and
    tests/services/test_pages_worker.py); the other pools run gunicorn's threaded worker."""
    services = _services()
    command = services["web"]["command"]
    assert command[:2] == ["gunicorn", "empowerment.wsgi:application"], command
    assert command[command.index("--worker-class") + 1] == "empowerment.pageserver.PagesWorker"
    assert command[command.index("--bind") + 1].endswith(services["web"]["ports"][0].split(":")[-1])
    for name in ("notify", "portal"):
        command = services[name]["command"]
        assert command[command.index("--worker-class") + 1] == "gthread", name
