"""What a newcomer reads is true: every variable the production steps use is in .env.example; the README
names the Python version and the system packages before the two commands and says `make run` keeps serving;
the tests read nothing outside the repository."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.M))


def test_env_example_holds_every_variable_docker_compose_and_the_production_steps_name():
    compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text()))
    readme = (ROOT / "README.md").read_text()
    production = readme[readme.index("## Production") : readme.index("## Layout")]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", production)) | set(
        re.findall(r"\b(SECRET_KEY|ALLOWED_HOSTS|EMAIL_URL|POSTGRES_PASSWORD)\b", production)
    )
    missing = (compose | named) - _example_variables()
    assert not missing, f".env.example lacks {sorted(missing)}"
    assert "POSTGRES_PASSWORD" in _example_variables()


def test_the_readme_states_python_and_the_system_packages_before_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme[readme.index("## Quick start") : readme.index("## Production")]
    first_command = quick.index("make run")
    for needed in ("Python 3.11", "python3-venv", "chromium", "fonts-noto-cjk", "fonts-noto-color-emoji"):
        assert needed in quick[:first_command], f"{needed} is not stated before `make run`"
    assert "keeps serving" in quick and "second terminal" in quick


def test_no_test_reads_a_file_outside_the_repository():
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if (
            re.search(r"""parent\s*/\s*["']shared["']|/work/shared|\.\./shared""", text)
            and path.name != Path(__file__).name
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
    standards = ROOT / "tests" / "data" / "standards"
    for name in (
        "iati-2.03/iati-activities-schema.xsd",
        "iati-2.03/iati-common.xsd",
        "iati-2.03/xml.xsd",
        "iati-2.03/LICENSE",
        "360giving-1.4/360-giving-schema.json",
        "360giving-1.4/360-giving-package-schema.json",
        "360giving-1.4/LICENSE.md",
    ):
        assert (standards / name).is_file(), name
