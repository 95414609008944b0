"""CI workflows and the editors' guide: safe triggers and permissions, commands the README documents,
and example records in CONTRIBUTING.md that the real validator accepts.

Nothing here runs a workflow or a `sovang` command: the workflows' text is checked, and the
examples go through `generator.validate.validate` in-process.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import imaging
from conftest import ROOT, Corpus
from generator.records.validate import validate
from generator.core.vntext import slugify

WORKFLOWS = ROOT / ".github" / "workflows"
README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
PR_TEMPLATE = ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"
CI_RUN = ROOT / ".ci" / "run"

PAGES_JOB_PERMISSIONS = {"pages": "write", "id-token": "write"}


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict) -> dict:
    """The `on:` mapping; YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "workflow without triggers"
    return on


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def uses(step: dict, action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


def command_lines(script: str) -> list[str]:
    """Shell command lines of a `run:` (or of .ci/run): continuations joined; blank lines,
    comments and echo lines left out."""
    lines, pending = [], ""
    for raw in script.splitlines():
        line = raw.strip()
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        line, pending = (pending + line).strip(), ""
        if not line or line.startswith("#") or line.split()[0] == "echo":
            continue
        lines.append(line)
    return lines


def run_lines() -> list[tuple[str, str]]:
    return [(path.name, line) for path in workflow_files() for _, step in steps(load(path))
            if "run" in step for line in command_lines(step["run"])]


def markdown_code(text: str) -> set[str]:
    """Every line of README's fenced code blocks and every `inline code` span, stripped."""
    found, outside, fence = set(), [], None
    for line in text.splitlines():
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is None and marker:
            fence = marker.group(1)
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is not None:
            found.add(line.strip())
        else:
            outside.append(line)
    found.update(span.strip() for span in re.findall(r"`([^`\n]+)`", "\n".join(outside)))
    return found


def quick_start_commands(text: str) -> list[str]:
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README has no Quick start section"
    block = re.search(r"^```[a-z]*\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "README's Quick start has no code block"
    return command_lines(block.group(1))


# --- workflows -----------------------------------------------------------------------------

def test_workflows_exist_and_parse():
    files = workflow_files()
    assert {p.name for p in files} >= {"pr.yml", "deploy.yml"}
    for path in files:
        workflow = load(path)
        assert triggers(workflow) and workflow.get("jobs"), path.name


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_pull_request_target(path):
    # pull_request_target runs with the base repository's secrets and a write token.
    assert "pull_request_target" not in triggers(load(path))
    code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_permissions_are_read_only_except_the_pages_deployment(path):
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}, f"{path.name}: top-level permissions"
    for job_id, job in workflow["jobs"].items():
        if "permissions" not in job:
            continue
        assert (path.name, job_id) == ("deploy.yml", "deploy"), f"{path.name}: job {job_id} changes permissions"
        assert job["permissions"] == PAGES_JOB_PERMISSIONS


def test_deploy_workflow_publishes_main_to_pages():
    workflow = load(WORKFLOWS / "deploy.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == PAGES_JOB_PERMISSIONS and deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"]
    assert any(uses(s, "actions/deploy-pages") for s in deploy["steps"])
    artifact = [s for _, s in steps(workflow) if uses(s, "actions/upload-pages-artifact")]
    assert len(artifact) == 1 and artifact[0]["with"]["path"].rstrip("/") == "site"


def test_pull_request_workflow():
    workflow = load(WORKFLOWS / "pr.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "pull_request.number" in workflow["concurrency"]["group"]
    check = workflow["jobs"]["check"]
    checkouts = [s for s in check["steps"] if uses(s, "actions/checkout")]
    assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts), "--changed needs the full history"
    uploads = [s for _, s in steps(workflow) if uses(s, "actions/upload-artifact")]
    assert [s["with"]["path"].rstrip("/") for s in uploads] == ["site"]
    assert uploads[0]["with"]["name"] == "xem-thu-trang-web"  # the name CONTRIBUTING.md tells editors to look for
    annotate = [s for s in check["steps"] if "--format github" in s.get("run", "")]
    assert len(annotate) == 1 and "cancelled()" in annotate[0]["if"], "annotations must come even when make site fails"


def test_every_workflow_command_is_documented_in_readme():
    documented = markdown_code(README.read_text(encoding="utf-8"))
    lines = run_lines()
    assert lines
    missing = [f"{name}: {line}" for name, line in lines if line not in documented]
    assert not missing, "commands the workflows run but README.md does not show:\n" + "\n".join(missing)


def test_quick_start_commands_run_in_ci():
    quick = quick_start_commands(README.read_text(encoding="utf-8"))
    assert {"make site", "make test"} <= set(quick)
    ran = {line for _, line in run_lines()}
    if ".ci/run" in ran:
        ran.update(command_lines(CI_RUN.read_text(encoding="utf-8")))
    assert "make test" in command_lines(CI_RUN.read_text(encoding="utf-8")), ".ci/run must run make test"
    assert not set(quick) - ran, f"Quick start commands no workflow runs: {sorted(set(quick) - ran)}"


# --- caches and artifacts: a takedown must reach them too (SECURITY.md) ----------------------
#
# build/cache holds photo derivatives, share cards and pickles of checked records and rendered
# pages. A pull request can read the caches of its base branch, and runs code nobody reviewed
# yet; main's older caches may still hold a record withdrawn since. So pull requests and main
# keep disjoint key namespaces, a pull request restores only its own earlier caches, a cache is
# saved only after a build that pruned it (tests/test_takedown_cache.py), and artifacts expire.

CACHE_RESTORE = {"actions/cache", "actions/cache/restore"}
CACHE_SAVE = {"actions/cache", "actions/cache/save"}
UPLOADS = {"actions/upload-artifact", "actions/upload-pages-artifact"}
MAX_RETENTION_DAYS = 7  # what CONTRIBUTING.md and README.md promise editors for the preview
PR_NUMBER = "${{ github.event.pull_request.number }}"
_PRIMARY_KEY = re.compile(r"^\$\{\{\s*steps\.([\w-]+)\.outputs\.cache-primary-key\s*\}\}$")


def action(step: dict) -> str:
    return str(step.get("uses", "")).split("@")[0]


def runs_for_pull_requests(workflow: dict) -> bool:
    return "pull_request" in triggers(workflow) or "pull_request_target" in triggers(workflow)


def runs_on_main(workflow: dict) -> bool:
    # Anything else (push, workflow_dispatch, schedule…) runs in main's cache scope.
    return bool(set(triggers(workflow)) - {"pull_request", "pull_request_target"})


def restore_lookups(workflow: dict) -> list[str]:
    """Every key a workflow restores by: the cache actions match `key` exactly, then as a prefix,
    then each line of `restore-keys` as a prefix (GitHub's "Cache key matching")."""
    found = []
    for _, step in steps(workflow):
        if action(step) in CACHE_RESTORE:
            found.append(str(step["with"]["key"]).strip())
            found += [line.strip() for line in str(step["with"].get("restore-keys", "")).splitlines() if line.strip()]
    return found


def saved_keys(workflow: dict) -> list[str]:
    """Every key a workflow saves under; `steps.<id>.outputs.cache-primary-key` is the key of that restore step."""
    found = []
    for _, job in workflow["jobs"].items():
        by_id = {s["id"]: s for s in job.get("steps", []) if "id" in s}
        for step in job.get("steps", []):
            if action(step) not in CACHE_SAVE:
                continue
            key = str(step["with"]["key"]).strip()
            primary = _PRIMARY_KEY.match(key)
            if primary:
                key = str(by_id[primary.group(1)]["with"]["key"]).strip()
            found.append(key)
    return found


def known_prefix(key: str) -> str:
    """The start of a key that is the same in every run: up to its first `${{ }}` expression."""
    return key.split("${{")[0]


def may_match(lookup: str, saved: str) -> bool:
    """Whether some run's `lookup` could be a prefix of some run's `saved` key. Only when their known
    prefixes differ at some character can the two never meet, whatever the expressions give."""
    a, b = known_prefix(lookup), known_prefix(saved)
    return a.startswith(b) or b.startswith(a)


def workflows_where(condition) -> list[tuple[str, dict]]:
    return [(p.name, w) for p in workflow_files() for w in [load(p)] if condition(w)]


def test_both_workflows_use_the_build_cache():
    # The checks below must not pass because the cache steps were renamed or removed.
    assert any(restore_lookups(w) for _, w in workflows_where(runs_for_pull_requests))
    assert any(saved_keys(w) for _, w in workflows_where(runs_on_main))


def test_pull_requests_never_restore_what_main_saved():
    main_keys = [(name, k) for name, w in workflows_where(runs_on_main) for k in saved_keys(w)]
    clashes = [f"{pr}: '{lookup}' can restore {name}'s '{key}'"
               for pr, w in workflows_where(runs_for_pull_requests) for lookup in restore_lookups(w)
               for name, key in main_keys if may_match(lookup, key)]
    assert main_keys and not clashes, "\n".join(clashes)


def test_main_never_restores_what_pull_requests_saved():
    pr_keys = [(name, k) for name, w in workflows_where(runs_for_pull_requests) for k in saved_keys(w)]
    clashes = [f"{name}: '{lookup}' can restore {pr}'s '{key}'"
               for name, w in workflows_where(runs_on_main) for lookup in restore_lookups(w)
               for pr, key in pr_keys if may_match(lookup, key)]
    assert not clashes, "\n".join(clashes)


def test_a_pull_request_restores_only_its_own_caches():
    # GitHub already keeps other pull requests' caches out of reach; the number in the key keeps it
    # so even under a shared scope, and the "-" after it keeps #1's prefix from matching #12's keys.
    for name, w in workflows_where(runs_for_pull_requests):
        for key in restore_lookups(w) + saved_keys(w):
            assert f"{PR_NUMBER}-" in key, f"{name}: '{key}' is not this pull request's own key"
            assert "${{" not in key.split(PR_NUMBER)[0], f"{name}: '{key}': an expression before the number"


def test_a_cache_is_saved_only_after_a_successful_build():
    # `make site` prunes build/cache to what the build used only when it succeeds: a cache saved
    # after a failed or cancelled run would keep whatever it restored, a withdrawn record with it.
    for path in workflow_files():
        for job_id, job in load(path)["jobs"].items():
            names = [action(s) or s.get("run", "") for s in job.get("steps", [])]
            for i, step in enumerate(job.get("steps", [])):
                if action(step) not in CACHE_SAVE:
                    continue
                assert not re.search(r"always\(\)|failure\(\)|cancelled\(\)", str(step.get("if", ""))), path.name
                assert "save-always" not in step["with"], path.name
                if action(step) == "actions/cache/save":
                    assert "make site" in names[:i], f"{path.name}: {job_id} saves the cache before `make site`"


def test_a_takedown_changes_the_cache_key():
    # Withdrawing or deleting a record changes content/, so the run after it misses the exact key
    # and saves a fresh, pruned cache. With a key blind to content/ it would hit the old cache,
    # save nothing, and keep restoring (so keep alive) the one that still holds the record.
    for name, w in workflows_where(lambda w: True):
        for key in saved_keys(w):
            files = re.search(r"hashFiles\(([^)]*)\)", key)
            assert files and re.search(r"""['"]content/\*\*['"]""", files.group(1)), f"{name}: '{key}'"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_artifact_upload_expires_within_a_week(path):
    # A preview or Pages artifact is a copy of the whole site, withdrawn records included if it was
    # built before the takedown; GitHub's default keeps it 90 days.
    for job_id, step in steps(load(path)):
        if action(step) in UPLOADS:
            days = step.get("with", {}).get("retention-days")
            assert isinstance(days, int) and 1 <= days <= MAX_RETENTION_DAYS, \
                f"{path.name}: {job_id}: '{step.get('name')}' has retention-days {days!r}"


def test_deploy_builds_the_tip_of_main():
    # A re-run of an old deployment (the "Re-run jobs" button) would otherwise build and publish
    # the old commit, records withdrawn since then included.
    build = load(WORKFLOWS / "deploy.yml")["jobs"]["build"]
    checkouts = [s for s in build["steps"] if action(s) == "actions/checkout"]
    assert checkouts and all(s["with"].get("ref") == "main" for s in checkouts)


# --- editors' documents ----------------------------------------------------------------------

VIETNAMESE_WORDS = ("hồ sơ", "ảnh", "đồng ý", "kiểm tra", "người", "tỉnh")


@pytest.mark.parametrize("path", [PR_TEMPLATE, CONTRIBUTING], ids=lambda p: p.name)
def test_editors_documents_are_vietnamese(path):
    text = path.read_text(encoding="utf-8").lower()
    found = [w for w in VIETNAMESE_WORDS if w in text]
    assert len(found) >= 4, f"{path.name}: few Vietnamese words ({found})"
    assert "contributing.md" in text or path == CONTRIBUTING


def example_records() -> list[dict]:
    """The ```yaml blocks of CONTRIBUTING.md that are whole records (they have `kind:`)."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", text, re.M | re.S)
    records = []
    for block in blocks:
        if not re.search(r"^kind:", block, re.M):
            continue
        data = yaml.safe_load(block)
        slug = slugify(data["name"])
        # The guide names each example's file; use the same folder, so messages quote that path.
        where = re.search(rf"content/entries/([a-z0-9/-]+)/{re.escape(slug)}/entry\.yml", text)
        assert where, f"CONTRIBUTING.md does not give the path of the example '{data['name']}' (slug {slug})"
        photos = [p["file"] for p in data.get("photos") or []]
        records.append({"kind": data["kind"], "slug": slug, "group": where.group(1), "text": block, "photos": photos})
    return records


def write_examples(root: Path, records: list[dict], skip_photos: bool = False) -> Corpus:
    corpus = Corpus(root)
    for r in records:
        files = {} if skip_photos else {name: imaging.jpeg(size=(64, 48), seed=i) for i, name in enumerate(r["photos"])}
        corpus.add(r["slug"], r["text"], group=r["group"], files=files)
    return corpus


def test_contributing_examples_validate_clean(tmp_path):
    records = example_records()
    assert {"initiative", "person"} <= {r["kind"] for r in records}
    corpus = write_examples(tmp_path / "content", records)
    model, report = validate(corpus.root)
    assert not report.items, [d.format(tmp_path) for d in report.items]
    assert len(model.records) == len(records)


# How CONTRIBUTING.md's error examples were made from the examples: (kind, old text, new text).
BREAKAGES = [
    ("initiative", "district: Thanh Liêm", "district: Thanh Liem"),
    ("initiative", "organization:", "organisation:"),
    ("initiative", re.compile(r"^ +alt: .*\n", re.M), ""),
    ("initiative", None, None),  # photo files not uploaded
    ("person", "  story: true", "  story: false"),
]


def test_contributing_error_examples_are_real_messages(tmp_path):
    """Every diagnostic quoted in CONTRIBUTING.md is what the validator prints today."""
    documented = re.findall(r"^content/entries/[a-z0-9/-]+/entry\.yml:\d+:\d+: (?:error|warning): .*$",
                            CONTRIBUTING.read_text(encoding="utf-8"), re.M)
    assert len(documented) >= 4
    produced = set()
    for n, (kind, old, new) in enumerate(BREAKAGES):
        records = example_records()
        for r in records:
            if r["kind"] != kind or old is None:
                continue
            broken = old.sub(new, r["text"]) if isinstance(old, re.Pattern) else r["text"].replace(old, new)
            assert broken != r["text"], f"breakage {n} no longer applies to the {kind} example"
            r["text"] = broken
        base = tmp_path / str(n)
        corpus = write_examples(base / "content", records, skip_photos=old is None)
        _, report = validate(corpus.root)
        produced.update(d.format(base) for d in report.items)
    stale = [line for line in documented if line not in produced]
    assert not stale, "messages in CONTRIBUTING.md the validator no longer prints:\n" + "\n".join(stale)
