# Quick start: `make site` builds the site, `make test` runs the tests.
# Both create .venv from pinned requirements on first use; `make test` also creates
# the other engines' virtualenvs (`make engines`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
STAMP  := $(VENV)/.installed
# The other engines that read mkdocs.yml, each in its own virtualenv under .venv/engines/
# from requirements-<name>.txt: tests/test_engines.py builds the site with each.
ENGINES       := properdocs zensical
ENGINE_STAMPS := $(ENGINES:%=$(VENV)/engines/%/.installed)

.PHONY: site test engines fuzz validate serve reference schema clean

site: $(STAMP)
	$(BIN)/sovang build
	@echo ""
	@echo "Đã dựng xong trang vào thư mục site/."
	@echo "Xem thử: chạy 'make serve' rồi mở http://127.0.0.1:8000/ trong trình duyệt."

test: $(STAMP) engines
	$(BIN)/python -m pytest

engines: $(ENGINE_STAMPS)

# The property and fuzz tests with many more examples than `make test` runs (minutes, not seconds).
fuzz: $(STAMP)
	SOVANG_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -q tests/test_properties.py tests/test_incremental.py

validate: $(STAMP)
	$(BIN)/sovang validate

serve: $(STAMP)
	$(BIN)/sovang serve

# The editors' format reference is generated from generator/records/schema.py.
reference: $(STAMP)
	$(BIN)/sovang reference > content/README.md

# The JSON Schema for editors' tools, also generated from generator/records/schema.py.
schema: $(STAMP)
	mkdir -p schema
	$(BIN)/sovang schema > schema/entry.schema.json

# Re-install only when the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

# An engine's virtualenv, made anew when its pins change: each pin file is the whole tree and is
# installed with --no-deps, so a package dropped from it must not linger. The generator goes in
# without its dependencies: mkdocs.yml's toc slugify (generator.core.vntext) needs only the
# standard library.
$(VENV)/engines/%/.installed: requirements-%.txt pyproject.toml
	rm -rf $(VENV)/engines/$*
	$(PYTHON) -m venv $(VENV)/engines/$*
	$(VENV)/engines/$*/bin/python -m pip --disable-pip-version-check --quiet install --no-deps -r requirements-$*.txt
	$(VENV)/engines/$*/bin/python -m pip --disable-pip-version-check --quiet install --no-deps --no-build-isolation -e .
	touch $@

# .cache/ is Zensical's (`sovang build --engine zensical`), beside mkdocs.yml.
clean:
	rm -rf build site .cache $(VENV)
