"""CI workflows and the editors' guide: safe triggers and permissions, commands the README documents,
and example records in CONTRIBUTING.md that the real validator accepts.

Nothing here runs a workflow or a `sovang` command: the workflows' text is checked, and the
examples go through `generator.validate.validate` in-process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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
    # Every job that diffs against the base (`--changed`, `--base`) needs the full history for the merge base.
    diffing = [job for job in workflow["jobs"].values()
               if any(re.search(r"--(?:changed|base)\b", s.get("run", "")) for s in job.get("steps", []))]
    assert check in diffing and len(diffing) >= 2
    for job in diffing:
        checkouts = [s for s in job["steps"] if uses(s, "actions/checkout")]
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


# --- which jobs a pull request runs: records alone skip the developers' test suite ------------
#
# A records-only pull request (content/entries/) needs the records check and the preview, not the
# test suite with its browser. The first job, `changes`, says which kind a pull request is; the
# jobs that run the suite are gated on its answer by their own `if:`, never by `paths:` on the
# trigger (a workflow that does not start leaves a required check waiting for ever). Below, the
# real `sovang changes` classifies real git changes, and a small evaluator of GitHub's expression
# language decides, from the workflow's own `if:`s, which jobs would run.

TEST_SUITE = re.compile(r"\bpytest\b|(?:^|[\s/])\.ci/run\b|\bmake\s+(?:-\S+\s+)*(?:test|fuzz)\b")
CLASSIFY = re.compile(r"(?:\bsovang|-m generator) changes\b")
RECORDS_ONLY = ["content/entries/ha-nam/x/entry.yml", "content/entries/ha-nam/x/anh-1.jpg"]
CODE_CHANGES = ["generator/x.py", "mkdocs.yml", "theme/main.html", "tests/test_x.py", ".github/workflows/pr.yml",
                "requirements.txt", ".ci/run", "content/taxonomy.yml", "content/README.md", "Makefile", "docs/x.md"]
LABEL = "chay-kiem-thu"


class Expression:
    """GitHub Actions' expression language, the part workflows here use: literals, contexts (with
    `.*.`), `!`, `&&`, `||`, `==`, `!=` (strings compared ignoring case), parentheses and the
    functions success(), failure(), cancelled(), always(), contains(). Anything else raises, so a
    condition this cannot read fails the test instead of being guessed."""

    TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|!|\(|\)|,)|(true|false|null)\b|(-?\d+(?:\.\d+)?)"
                       r"|([A-Za-z_][\w-]*(?:\.(?:[A-Za-z_][\w-]*|\*))*))")

    def __init__(self, text: str):
        text = str(text).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        self.text, self.tokens, at = text, [], 0
        while at < len(text.rstrip()):
            m = self.TOKEN.match(text, at)
            assert m and m.end() > at, f"cannot read expression at: {text[at:]!r}"
            self.tokens.append(m)
            at = m.end()
        self.functions = {m.group(5) for m in self.tokens if m.group(5)} & {"success", "failure", "cancelled", "always"}

    def evaluate(self, context: dict, status: dict):
        """`status`: what success(), failure(), cancelled() say; a condition with none of them is
        `success() && (…)`, as GitHub reads it."""
        self.pos, self.context, self.status = 0, context, status
        value = self._or()
        assert self.pos == len(self.tokens), f"unread tokens in {self.text!r}"
        return truthy(value) and (bool(self.functions) or status["success"])

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, op: str | None = None):
        m = self._peek()
        assert m is not None and (op is None or m.group(2) == op), f"expected {op!r} in {self.text!r}"
        self.pos += 1
        return m

    def _or(self):
        value = self._and()
        while (m := self._peek()) and m.group(2) == "||":
            self._take()
            right = self._and()
            value = value if truthy(value) else right
        return value

    def _and(self):
        value = self._not()
        while (m := self._peek()) and m.group(2) == "&&":
            self._take()
            right = self._not()
            value = right if truthy(value) else value
        return value

    def _not(self):
        if (m := self._peek()) and m.group(2) == "!":
            self._take()
            return not truthy(self._not())
        return self._compare()

    def _compare(self):
        left = self._primary()
        if (m := self._peek()) and m.group(2) in ("==", "!="):
            op = self._take().group(2)
            right = self._primary()
            same = fold(left) == fold(right)
            return same if op == "==" else not same
        return left

    def _primary(self):
        m = self._take()
        if m.group(1):
            return m.group(1)[1:-1].replace("''", "'")
        if m.group(2) == "(":
            value = self._or()
            self._take(")")
            return value
        if m.group(3):
            return {"true": True, "false": False, "null": None}[m.group(3)]
        if m.group(4):
            return float(m.group(4))
        name = m.group(5)
        assert name, f"unexpected {m.group(0)!r} in {self.text!r}"
        if (n := self._peek()) and n.group(2) == "(":
            self._take("(")
            args = []
            while (n := self._peek()) and n.group(2) != ")":
                args.append(self._or())
                if (n := self._peek()) and n.group(2) == ",":
                    self._take(",")
            self._take(")")
            return self._call(name, args)
        return self._lookup(name)

    def _call(self, name: str, args: list):
        if name in ("success", "failure", "cancelled"):
            return self.status[name]
        if name == "always":
            return True
        assert name == "contains" and len(args) == 2, f"function {name} is not modelled"
        haystack, needle = args
        if isinstance(haystack, list):
            return any(fold(item) == fold(needle) for item in haystack)
        return fold(needle) in fold(haystack)

    def _lookup(self, name: str):
        if name.startswith("needs."):
            # Only the jobs in `needs:` are in the context; another job's outputs read as null.
            job, _, rest = name[len("needs."):].partition(".")
            return self.context.get("needs", {}).get(job, {}).get(rest)
        assert name in self.context, f"context {name} is not modelled"
        return self.context[name]


def truthy(value) -> bool:
    return value not in (None, False, "", 0)


def fold(value):
    if value is None:
        return ""
    return value.casefold() if isinstance(value, str) else value


def job_needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def runs_test_suite(job: dict) -> bool:
    return any(TEST_SUITE.search(line) for s in job.get("steps", []) if "run" in s for line in command_lines(s["run"]))


def classifier(workflow: dict) -> tuple[str, str]:
    """(job id, output name) of the job that runs `sovang changes` and publishes its answer."""
    found = []
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if CLASSIFY.search(step.get("run", "")):
                assert '>> "$GITHUB_OUTPUT"' in step["run"] and "id" in step, "the answer must be a step output"
                outputs = {name: value for name, value in job.get("outputs", {}).items()
                           if re.fullmatch(rf"\$\{{\{{\s*steps\.{re.escape(step['id'])}\.outputs\.code\s*\}}\}}", str(value))}
                assert len(outputs) == 1, f"{job_id} must publish the step's `code` as a job output"
                found.append((job_id, next(iter(outputs))))
    assert len(found) == 1, found
    return found[0]


def jobs_that_run(workflow: dict, answer: str | None, labels: tuple[str, ...] = ()) -> set[str]:
    """The jobs of a pull-request run into main in which `changes` answered `answer` (None: its
    step did not run or failed, so its output is empty), every other job that runs succeeding."""
    classify_job, output = classifier(workflow)
    base = {"github.base_ref": "main", "github.event_name": "pull_request",
            "github.event.pull_request.labels.*.name": list(labels)}
    ran: dict[str, bool] = {}
    pending = dict(workflow["jobs"])
    while pending:
        ready = [j for j, job in pending.items() if all(n in ran for n in job_needs(job))]
        assert ready, f"a cycle in needs: {sorted(pending)}"
        for job_id in ready:
            job = pending.pop(job_id)
            # What each job in `needs:` left: its result, and for the classifier its answer.
            results = {n: ("success" if answer is not None else "failure") if n == classify_job
                       else "success" if ran[n] else "skipped" for n in job_needs(job)}
            needs = {n: {"result": r, **({f"outputs.{output}": answer or ""} if n == classify_job else {})}
                     for n, r in results.items()}
            ok = all(r == "success" for r in results.values())
            status = {"success": ok, "failure": "failure" in results.values(), "cancelled": False}
            ran[job_id] = Expression(job.get("if", "true")).evaluate(dict(base, needs=needs), status)
    return {j for j, r in ran.items() if r}


def answer_for(tmp_path: Path, run_cli, changed: list[str]) -> str:
    """What the workflow's `sovang changes` step prints for a pull request changing `changed`."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("x\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    for name in changed:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"changed\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "pr")
    code, out, err = run_cli("changes", "--base", "main", cwd=root)
    assert code == 0 and "Traceback" not in err, err
    assert re.fullmatch(r"code=(true|false)\n", out), out  # one `key=value` line for $GITHUB_OUTPUT
    return out.strip().split("=", 1)[1]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout


PR = load(WORKFLOWS / "pr.yml")


def test_the_test_suite_runs_in_a_job_of_its_own():
    suites = [j for j, job in PR["jobs"].items() if runs_test_suite(job)]
    assert suites and "check" not in suites  # the records check builds and validates; it never runs pytest
    classify_job, output = classifier(PR)
    for job_id in suites:
        job = PR["jobs"][job_id]
        # The gate is the job's own `if:` on the classifier's output, not a step's `if:` or `paths:`.
        assert classify_job in job_needs(job), f"{job_id} must need {classify_job} to read its answer"
        assert re.search(rf"needs\.{classify_job}\.outputs\.{output}\b", str(job.get("if", ""))), job_id


def test_a_records_only_pull_request_runs_no_test_suite(tmp_path, run_cli):
    answer = answer_for(tmp_path, run_cli, RECORDS_ONLY)
    assert answer == "false"
    ran = jobs_that_run(PR, answer)
    assert "check" in ran and not [j for j in ran if runs_test_suite(PR["jobs"][j])], ran


@pytest.mark.parametrize("name", CODE_CHANGES)
def test_a_code_change_runs_the_test_suite(tmp_path, run_cli, name):
    answer = answer_for(tmp_path, run_cli, [*RECORDS_ONLY, name])
    assert answer == "true"
    ran = jobs_that_run(PR, answer)
    assert "check" in ran and [j for j in ran if runs_test_suite(PR["jobs"][j])], ran


def test_no_answer_runs_the_test_suite():
    # A failed classification, or a pull request into another branch, errs on the side of testing.
    assert [j for j in jobs_that_run(PR, None) if runs_test_suite(PR["jobs"][j])]


def test_the_label_runs_the_test_suite_on_records():
    assert [j for j in jobs_that_run(PR, "false", labels=(LABEL,)) if runs_test_suite(PR["jobs"][j])]
    assert not [j for j in jobs_that_run(PR, "false", labels=("da-duyet",)) if runs_test_suite(PR["jobs"][j])]
    # Adding a label starts a run only when `labeled` is among the trigger's types.
    assert "labeled" in triggers(PR)["pull_request"]["types"]


def test_the_records_check_always_runs():
    check = PR["jobs"]["check"]
    assert "if" not in check and not job_needs(check)  # never waits for, nor depends on, the classification
    for answer in ("true", "false", None):
        assert "check" in jobs_that_run(PR, answer)


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_path_filters_on_pull_requests(path):
    # A workflow that `paths:` keeps from starting reports no status: a required check then waits
    # for ever and the pull request cannot be merged. Jobs choose with `if:` instead.
    for event, spec in triggers(load(path)).items():
        if event in ("pull_request", "pull_request_target") and isinstance(spec, dict):
            assert not {"paths", "paths-ignore"} & set(spec), f"{path.name}: {event} has a path filter"


def test_the_summary_is_written_even_after_a_failed_step():
    check = PR["jobs"]["check"]
    names = [s.get("run", "") for s in check["steps"]]
    written = [i for i, s in enumerate(check["steps"]) if "--format summary" in s.get("run", "")]
    assert len(written) == 1, "one step writes the records' summary"
    step = check["steps"][written[0]]
    assert '>> "$GITHUB_STEP_SUMMARY"' in step["run"] and "--changed origin/main" in step["run"]
    assert "make site" in names[:written[0]]
    assert "!cancelled()" in str(step.get("if", "")).replace(" ", "")
    context = {"github.base_ref": "main"}
    assert Expression(step["if"]).evaluate(context, {"success": False, "failure": True, "cancelled": False})
    assert not Expression(step["if"]).evaluate(context, {"success": False, "failure": False, "cancelled": True})


def test_the_classification_needs_nothing_installed(tmp_path):
    # The `changes` job installs nothing: `python -m generator changes` must run on the standard
    # library alone (-S: no site-packages, -I: nothing from the environment).
    job = PR["jobs"][classifier(PR)[0]]
    lines = [line for s in job["steps"] if "run" in s for line in command_lines(s["run"])]
    assert lines and all(line.startswith("python -m generator ") for line in lines), lines
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "commit", "-q", "--allow-empty", "-m", "base")
    (root / "content" / "entries" / "x").mkdir(parents=True)
    (root / "content" / "entries" / "x" / "entry.yml").write_text("x\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", "-c",
                           f"import sys; sys.path.insert(0, {str(ROOT)!r}); from generator.cli import main; "
                           "sys.exit(main(['changes', '--base', 'main']))"],
                          cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "code=false\n", done.stderr


@pytest.mark.parametrize("name, code", [
    ("content/entries/a/b/entry.yml", False), ("content/entries/a/b/ảnh 1.JPG", False),
    ("content/taxonomy.yml", True), ("content/README.md", True), ("content/entries", True),
    ("content", True), ("Content/entries/a/entry.yml", True), ("contents/entries/a/entry.yml", True),
    ("content/entries/../../generator/x.py", True), ("content/entries/./x", True), ("/content/entries/x", True),
    ("content//entries/x", True), ("generator/core/changes.py", True), (".gitattributes", True),
])
def test_classification_of_one_file(name, code):
    from generator.core.changes import code_changed

    assert code_changed([name]) is code
    assert code_changed([]) is False  # nothing changed, nothing to test


def test_a_file_name_that_is_not_utf8_is_classified(tmp_path, run_cli):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "commit", "-q", "--allow-empty", "-m", "base")
    folder = root / "content" / "entries" / "x"
    folder.mkdir(parents=True)
    (folder / os.fsdecode(b"\xff.jpg")).write_bytes(b"x")
    code, out, err = run_cli("changes", "--base", "main", cwd=root)
    assert (code, out) == (0, "code=false\n") and "Traceback" not in err
    (root / os.fsdecode(b"\xff.py")).write_bytes(b"x")
    assert run_cli("changes", "--base", "main", cwd=root)[:2] == (0, "code=true\n")


def test_the_expression_reader_reads_what_github_does():
    # The evaluator above decides what the tests conclude: check it on what it is used for.
    status = {"success": True, "failure": False, "cancelled": False}
    ctx = {"needs": {"changes": {"outputs.code": "False"}}, "github.base_ref": "main",
           "github.event.pull_request.labels.*.name": ["A"]}
    assert not Expression("${{ needs.changes.outputs.code != 'false' }}").evaluate(ctx, status)  # ignoring case
    assert Expression("needs.other.outputs.code != 'false'").evaluate(ctx, status)  # not in needs: null
    assert Expression("contains(github.event.pull_request.labels.*.name, 'a')").evaluate(ctx, status)
    assert not Expression("github.base_ref == 'main'").evaluate(ctx, dict(status, success=False))  # implicit success()
    assert Expression("!cancelled() && github.base_ref == 'main'").evaluate(ctx, dict(status, success=False))
    assert not Expression("${{ !cancelled() }}").evaluate(ctx, dict(status, cancelled=True))
    with pytest.raises(AssertionError):
        Expression("startsWith(github.base_ref, 'm')").evaluate(ctx, status)


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
