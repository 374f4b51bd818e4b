"""A scan of the whole demo site, checked shop by shop and rule by rule against its manifest.

One scan per test session (`run_scan` in a subprocess: a Twisted reactor runs once per process)
over every shop of tests/fixtures/sites, served on 127.0.0.1 by tests/fixtures/demo_server.py,
which records every request it answers. The politeness delays are off (our own local server);
robots.txt is obeyed as in any scan. Each shop's manifest entry says what the scan must find:

- ``pages``: fetched and readable (text extracted, kind, final URL after redirects, encoding);
- ``failures``: recorded with their error class; a robots-forbidden page never requested;
- ``expected``: the status of each of the 28 rules for the site as a whole.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from compliance.store import Store

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))

from demo_server import load_manifest, start_demo_sites  # noqa: E402

pytestmark = pytest.mark.slow

MANIFEST = load_manifest(FIXTURES / "sites")
SHOPS = {s["key"]: s for s in MANIFEST["shops"]}
# our own server on 127.0.0.1: no pauses; robots.txt, retries and caps as in any scan
SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 10, "LOG_LEVEL": "INFO"}


class DemoScan:
    def __init__(self, sites, db: Path, scan_id: int, stderr: str):
        self.sites = sites
        self.db = db
        self.scan_id = scan_id
        self.stderr = stderr
        with Store(db) as store:
            self.targets = {t["name"]: t for t in store.targets(scan_id)}
            self.rows = list(store.db.query("SELECT * FROM pages WHERE scan_id = ? ORDER BY id", [scan_id]))
            self.results = {a["site_key"]: store.results(a["id"]) for a in store.latest_analyses(scan_id)}
            self.analyses = store.analyses(scan_id)
            self.status = store.scan(scan_id)["status"]

    def site_key(self, key: str) -> str:
        return self.targets[key]["site_key"]

    def pages(self, key: str) -> dict[str, dict]:
        """The shop's rows of the log by requested path."""
        site = self.site_key(key)
        return {urlsplit(r["url"]).path: r for r in self.rows if r["site_key"] == site}


@pytest.fixture(scope="session")
def demo_scan(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-scan")
    db = out / "inspections.db"
    with start_demo_sites() as sites:
        targets = sites.write_targets_csv(out / "shops.csv", name_field="key")
        script = f"""
import json
from compliance.scan import run_scan
print(json.dumps({{"scan_id": run_scan({str(targets)!r}, {str(db)!r}, launched_by="test",
                                        settings={SETTINGS!r})}}))
"""
        proc = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True,
                              timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert proc.returncode == 0, proc.stderr[-5000:]
        scan_id = json.loads(proc.stdout.strip().splitlines()[-1])["scan_id"]
        yield DemoScan(sites, db, scan_id, proc.stderr)


def test_the_scan_finished_with_one_verdict_per_shop(demo_scan):
    for sign in ("Spider error processing", "Error processing", "Error caught on signal handler",
                 "Unhandled error", "Traceback"):
        assert sign not in demo_scan.stderr, demo_scan.stderr[-5000:]
    assert demo_scan.status == "finished"
    assert set(demo_scan.targets) == set(SHOPS)
    assert all(t["rejected_reason"] is None for t in demo_scan.targets.values())
    assert sorted(a["site_key"] for a in demo_scan.analyses) == sorted(t["site_key"]
                                                                      for t in demo_scan.targets.values())


@pytest.mark.parametrize("key", list(SHOPS))
def test_pages_found_and_read(demo_scan, key):
    shop = SHOPS[key]
    got = demo_scan.pages(key)
    for page in shop["pages"]:
        row = got.get(page["path"])
        assert row is not None, f"{key}: {page['path']} not fetched; log has {sorted(got)}"
        assert row["error_class"] is None, (page, row["error_class"], row["error_message"])
        assert row["http_status"] == 200 and row["raw_body"]
        assert row["text"] and row["text"].strip(), page
        assert row["kind"] == page["kind"], page
        assert urlsplit(row["final_url"]).path == page.get("final", page["path"]), page
        assert row["depth"] == (0 if page["via"] == "start" else 1), page
        if page.get("encoding"):
            assert row["encoding"] == page["encoding"], page
        if page["via"] == "sitemap":
            assert row["discovered_from"].endswith("/sitemap.xml")
        elif page["via"] == "link":
            assert urlsplit(row["discovered_from"]).path in {p["path"] for p in shop["pages"]}


@pytest.mark.parametrize("key", list(SHOPS))
def test_nothing_but_the_listed_pages_and_failures(demo_scan, key):
    """Discovery is precise: the shop's log rows are exactly its listed pages and failures."""
    shop = SHOPS[key]
    listed = {p["path"] for p in shop["pages"]} | {f["path"] for f in shop["failures"]}
    assert set(demo_scan.pages(key)) == listed


@pytest.mark.parametrize("key", [k for k in SHOPS if k != "broken-500"])
def test_home_page_text_names_the_shop(demo_scan, key):
    """The home page (footer included) was decoded right: the shop's own name is in its text."""
    home = demo_scan.pages(key)[SHOPS[key]["pages"][0]["path"]]
    names = [SHOPS[key]["name"], *SHOPS[key].get("aliases", [])]
    assert any(n in home["text"] for n in names), home["text"][:300]


@pytest.mark.parametrize("key", [k for k in SHOPS if SHOPS[k]["failures"]])
def test_failures_recorded_with_their_class(demo_scan, key):
    got = demo_scan.pages(key)
    requested = [urlsplit(r.path).path for r in demo_scan.sites.requests(key)]
    for failure in SHOPS[key]["failures"]:
        row = got.get(failure["path"])
        assert row is not None, f"{key}: failure {failure['path']} not recorded"
        assert row["error_class"] == failure["error_class"], (row["error_class"], row["error_message"])
        assert row["text"] is None
        if failure["error_class"] == "robots_disallowed":
            assert row["raw_body"] is None and row["http_status"] is None
            assert failure["path"] not in requested, f"{key}: robots.txt forbids {failure['path']}"
        if failure["error_class"] == "http_5xx":
            assert 500 <= row["http_status"] < 600


def test_robots_txt_was_read_and_the_forbidden_page_never_reached_the_log(demo_scan):
    requested = [urlsplit(r.path).path for r in demo_scan.sites.requests("robots-block")]
    assert requested[0] == "/robots.txt"
    canary = SHOPS["robots-block"]["canary"]
    assert not any(canary in (r["text"] or "") for r in demo_scan.rows)


def test_every_request_named_the_scanner(demo_scan):
    from compliance.fetch import USER_AGENT

    for key in SHOPS:
        assert {r.user_agent for r in demo_scan.sites.requests(key)} == {USER_AGENT}


def test_broken_shop_is_all_error_never_pass(demo_scan):
    results = demo_scan.results[demo_scan.site_key("broken-500")]
    assert len(results) == 28 and {r["status"] for r in results} == {"error"}
    assert "http_5xx" in results[0]["message"]
    assert not [r for r in demo_scan.pages("broken-500").values() if r["text"]]


@pytest.mark.parametrize("key", [k for k in SHOPS if k != "broken-500"])
def test_evidence_points_into_the_pages_of_the_site(demo_scan, key):
    """Every quoted piece of evidence is the text at its offsets in a page of this site, as logged."""
    texts = {r["final_url"]: r["text"] for r in demo_scan.pages(key).values() if r["text"]}
    quoted = 0
    for result in demo_scan.results[demo_scan.site_key(key)]:
        for ev in result["evidence"]:
            assert ev["location"] in texts, (result["rule_id"], ev["location"])
            if ev["end"] > ev["start"]:
                assert texts[ev["location"]][ev["start"]:ev["end"]] == ev["text"], (result["rule_id"], ev)
                quoted += 1
    assert quoted  # every demo shop has something quoted (a pass quotes what it found, too)


@pytest.mark.parametrize("key,rule", [(k, r) for k, s in SHOPS.items() for r in s["expected"]])
def test_rule_status(demo_scan, key, rule):
    results = {r["rule_id"]: r for r in demo_scan.results[demo_scan.site_key(key)]}
    expected = SHOPS[key]["expected"][rule]
    got = results[rule]
    why = (SHOPS[key].get("why") or {}).get(rule, "")
    assert got["status"] == expected, f"{key} {rule}: {got['status']} ≠ {expected} ({why}); {got['message']}"
