# The two commands of the README. Both set up what they need first (scripts/setup.sh).
.PHONY: demo test bench setup

# Scan the built-in demo: fictional shops served on 127.0.0.1, judged into demo-out/inspections.db.
demo:
	@bash scripts/setup.sh
	.venv/bin/python -m compliance demo

# The whole test suite (what .ci/run runs), browser tests included.
test:
	@bash scripts/setup.sh --with-browser
	.venv/bin/python -m pytest

# Speed and memory figures (bench/README.md); not part of the tests.
bench:
	@bash scripts/setup.sh
	.venv/bin/python bench/check_bench.py
	.venv/bin/python bench/crawl_bench.py

setup:
	@bash scripts/setup.sh --with-browser
