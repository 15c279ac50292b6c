# Two commands for a fresh clone: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: run test setup lint format messages bench backup restore worker clean fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) compiletranslations
	$(MANAGE) seed_demo

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP)
	$(MANAGE) compiletranslations
	$(BIN)/pytest $(PYTEST_ARGS)

# The fuzzing suite (tests/security/test_fuzz.py) with the "long" Hypothesis profile: many random examples
# per endpoint, form and role instead of CI's few (`make test` runs the short one). Takes a long while.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q -p no:warnings -m fuzz $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the Chinese catalogues after changing strings (needs GNU gettext). Each app keeps its own
# catalogue in <app>/locale (makemessages files each string under the nearest locale folder); the
# site-wide templates keep theirs in templates/locale.
# Stable: run twice, or on a clean clone, it leaves the tree as it was. Locations name the file without a line
# number (--add-location=file), so moving code does not rewrite the catalogues; and a catalogue whose only
# change is the POT-Creation-Date header (stamped on every run) is restored from git.
CATALOGUES := templates empowerment organizations trainings projects fundraising transparency api
messages: $(STAMP)
	for dir in $(CATALOGUES); do mkdir -p $$dir/locale; done
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --add-location=file --ignore=.venv --ignore=tests \
		--ignore=staticfiles --ignore=media
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		for po in $$(git diff --name-only -- '*.po'); do \
			if ! git diff -U0 -- "$$po" | grep '^[-+]' | grep -v '^\(---\|+++\)' | grep -qv 'POT-Creation-Date'; then \
				git checkout -q -- "$$po"; \
			fi; \
		done; \
	fi
	$(MANAGE) compiletranslations

# Performance at tenth and province scale against DATABASE_URL (PostgreSQL): one table, JSON in bench-results/.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

worker: $(STAMP)
	$(BIN)/celery -A empowerment worker -B -l info

clean:
	rm -rf $(VENV) db.sqlite3 media

# Backups: `make backup` writes backups/<timestamp>/ (database.dump from pg_dump -Fc on PostgreSQL, or
# database.sqlite3 through SQLite's backup API; media.tar.gz; manifest.json with row counts).
# `make restore BACKUP=backups/<timestamp>` restores into an EMPTY database (DATABASE_URL) and MEDIA_ROOT.
backup: $(STAMP)
	$(MANAGE) backup $(if $(BACKUP),--output $(BACKUP),)

restore: $(STAMP)
	test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<folder>" && exit 2)
	$(MANAGE) restore $(BACKUP)

# A bounded load run on 127.0.0.1 (not part of CI): gunicorn with production-like settings on a PostgreSQL
# database seeded with seed_demo (LOADTEST_DATABASE_URL, default loadtest_dev) and a Celery worker on Redis
# db 15; 50 public visitors and 10 organization users posting updates with photos for 2 minutes while
# report PDFs render. Prints requests, errors and p95 per page group; see loadtest/run.py.
.PHONY: loadtest
loadtest: $(STAMP)
	$(BIN)/python loadtest/run.py
