# Quick start: `make site` builds the site, `make test` runs the tests.
# Both create .venv from pinned requirements on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
STAMP  := $(VENV)/.installed

.PHONY: site test fuzz validate serve reference schema clean

site: $(STAMP)
	$(BIN)/sovang build
	@echo ""
	@echo "Đã dựng xong trang vào thư mục site/."
	@echo "Xem thử: chạy 'make serve' rồi mở http://127.0.0.1:8000/ trong trình duyệt."

test: $(STAMP)
	$(BIN)/python -m pytest

# The property and fuzz tests with many more examples than `make test` runs (minutes, not seconds).
fuzz: $(STAMP)
	SOVANG_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -q tests/test_properties.py

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

clean:
	rm -rf build site $(VENV)
