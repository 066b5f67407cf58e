"""A real JupyterHub for a class, end to end, on 127.0.0.1 (marker ``hub``).

Starts ``jupyterhub`` with classroom/hub/jupyterhub_config.py on free ports, logs three learners
in through the login form, starts their servers, runs chapter 1's setup cell and an exercise cell
(练习 3) in each learner's own kernel over the kernel websocket, then has the teacher run the class
report over every learner's home and checks it counts three learners.  Everything is stopped by
PID.  Needs ``configurable-http-proxy`` from npm (``cd classroom/hub && npm ci``): in CI a
missing proxy fails the test, elsewhere it is skipped with that command.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

for _module in ("jupyterhub", "websocket", "psutil"):
    try:
        __import__(_module)
    except ImportError:  # in CI a missing piece of the hub is a failure, not a skip
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{_module} is not installed: pip install -r requirements-dev.txt", allow_module_level=True)

from utils.exercises import key_of  # noqa: E402
from utils.classroom import hubdriver  # noqa: E402
from utils.marks import EXERCISE, SETUP  # noqa: E402

pytestmark = pytest.mark.hub

LEARNERS = ("amy", "bo", "chen")
NOTEBOOK = "notebooks/01_organisation.ipynb"


def _ratio_problem() -> str:
    """Chapter 1's exercise whose answer is promoted ÷ accountable cadres (found from the key)."""
    import utils
    from utils.lessons import exercises_for

    want = utils.figure("ch1.promoted_cadres").value / utils.figure("ch1.accountable_cadres").value
    return next(p.name for p in exercises_for(1) if p.kind == "numeric" and abs(key_of(p).answer - want) < 1e-9)


RATIO = _ratio_problem()


def _cells():
    cells = hubdriver.notebook_code_cells(Path(__file__).resolve().parents[1] / NOTEBOOK)
    setup = next(c["source"] for c in cells if SETUP in c["tags"])
    q3 = next(c["source"] for c in cells if EXERCISE in c["tags"] and f"ex.{RATIO}.check" in c["source"])
    assert "p, a = " in q3, "the exercise cell names the two figures as p and a"
    return setup, q3


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not hubdriver.proxy_available():
        msg = f"configurable-http-proxy is not installed; run: {hubdriver.PROXY_INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    h = hubdriver.Hub(tmp_path_factory.mktemp("hub"))
    runtime_parent = Path(tempfile.gettempdir()) / f"jupyter-{os.getuid()}"
    parent_existed = runtime_parent.exists()
    try:
        h.start(timeout=180)
        yield h
    finally:
        h.stop()
        assert not h.user_pids(), "servers or kernels outlived the hub"
        from utils.classroom.hub import launcher

        su = launcher()
        left = [home.name for home in (h.dir / "homes").iterdir()
                if Path(su.shared_tmp_runtime_dir(str(home))).exists()]
        assert not left, f"short runtime folders left behind for {left}"
        if not parent_existed:
            assert not runtime_parent.exists(), f"{runtime_parent} left behind"


def _server_api(hub, user, path):
    import requests

    r = requests.get(f"{hub.base}/user/{user}{path}", timeout=60,
                     headers={"Authorization": f"token {hub.token}"})
    return r.status_code


def _learner_works(hub, name, setup, q3, custom_time_slices):
    """One learner: log in over HTTP, start the server, answer the ratio exercise in a kernel."""
    session = hub.login(name)
    r = session.get(f"{hub.base}/hub/home", timeout=30)
    assert r.status_code == 200 and name in r.text
    hub.spawn(name)
    hub.wait_ready(name, timeout=120)
    # a lean learner server (utils/classroom/hub.py SERVER_ARGS): no terminals, no language servers
    assert _server_api(hub, name, "/api/terminals") == 404
    assert _server_api(hub, name, "/lsp/status") == 404
    assert _server_api(hub, name, "/api/status") == 200  # the same route helper reaches the server
    assert (hub.dir / "homes" / name / ".cache" / "matplotlib").is_dir(), "home skeleton not copied"
    kernel = hub.kernel(name)
    try:
        reply, out = kernel.run(setup, timeout=180)
        assert reply["status"] == "ok", kernel.text(out)
        # the committed cell holds the placeholder: first run it as it is (unanswered) …
        reply, out = kernel.run(q3, timeout=120)
        assert reply["status"] == "ok", kernel.text(out)
        # … then answer: amy right, bo with the inverted ratio, chen right on the second try
        answers = {"amy": ["p.value / a.value"], "bo": ["a.value / p.value"],
                   "chen": ["a.value / p.value", "p.value / a.value"]}[name]
        texts = []
        for expr in answers:
            code = q3.replace("____", expr, 1)
            assert code != q3
            reply, out = kernel.run(code, timeout=120)
            assert reply["status"] == "ok", kernel.text(out)
            texts.append(kernel.text(out))
        reply, out = kernel.run("import os; print(os.environ['JUPYTERHUB_USER'], os.getpid(), "
                                "os.environ.get('NBFORMAT_VALIDATOR'), [l.split(':')[1].strip() for l in "
                                "open('/proc/self/sched') if l.startswith('se.slice')][0])")
        who, pid, validator, time_slice = kernel.text(out).split()
        assert who == name and validator == "jsonschema"  # the server's lean notebook validator
        if custom_time_slices:  # inherited from the server (classroom/hub/timeslice.py)
            assert time_slice == "20000000"
        if name == "chen":
            # Kernel → Restart: a new process on the same (Unix-socket) connection, and the attempts
            # recorded before the restart are still there for ex.progress()
            kernel.restart()
            reply, out = kernel.run("import os, utils; print(os.getpid(), len(utils.exercises.read_log("
                                    "os.environ['COURSE_ATTEMPTS'])[0]))", timeout=120)
            assert reply["status"] == "ok", kernel.text(out)
            new_pid, records = kernel.text(out).split()
            assert new_pid != pid and int(records) >= 3
        return texts
    finally:
        kernel.close()


def test_three_learners_and_the_teachers_report(hub, custom_time_slices):
    setup, q3 = _cells()
    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        results = dict(zip(LEARNERS, pool.map(lambda n: _learner_works(hub, n, setup, q3, custom_time_slices),
                                              LEARNERS)))
    for name in LEARNERS:
        assert results[name] and all(t.strip() for t in results[name]), name
        home = hub.dir / "homes" / name
        assert (home / "course" / NOTEBOOK).is_file(), "the course was copied into the learner's home"
        log = home / "course" / "notebooks" / "attempts.jsonl"
        assert log.is_file(), f"no attempt log for {name}"
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert {r["learner"] for r in records} == {name}
        assert any(r["exercise"] == RATIO for r in records)

    # the teacher: admin password, own server with the full course and COURSE_HOMES
    with pytest.raises(RuntimeError):
        hub.login(hub.teacher)  # the class password does not open the teacher's account
    hub.login(hub.teacher, hub.teacher_password)
    hub.spawn(hub.teacher)
    hub.wait_ready(hub.teacher, timeout=120)
    assert _server_api(hub, hub.teacher, "/api/terminals") == 200, "the teacher keeps terminals"
    kernel = hub.kernel(hub.teacher)
    try:
        reply, out = kernel.run(
            "import os, subprocess, sys\n"
            "r = subprocess.run([sys.executable, '-m', 'utils.classroom', 'report', os.environ['COURSE_HOMES'],"
            " '--out', os.path.expanduser('~/class-report')], capture_output=True, text=True, timeout=240)\n"
            "print(r.returncode); print(r.stdout); print(r.stderr[-2000:])", timeout=300)
        text = kernel.text(out)
        assert reply["status"] == "ok" and text.split()[0] == "0", text
    finally:
        kernel.close()
    out_dir = hub.dir / "homes" / hub.teacher / "class-report"
    with open(out_dir / "learners.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["learner"] for r in rows) == sorted(LEARNERS)
    with open(out_dir / "exercises.csv", encoding="utf-8-sig") as f:
        q3_row = next(r for r in csv.DictReader(f) if r["chapter"] == "1" and r["exercise"] == RATIO)
    assert q3_row["tried"] == "3" and q3_row["completed"] == "2" and q3_row["first_try_correct"] == "1"
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "学员 3 名" in html and "http://" not in html and "https://" not in html


def test_the_driver_can_switch_to_a_token_the_hub_generated(hub):
    """bench_hub sends its requests with a generated token (one hash round), as browsers do."""
    configured = hub.token
    try:
        hub.use_generated_token()
        assert hub.token != configured
        r = hub.api("GET", "/users")  # an admin call with the new token
        assert r.status_code == 200 and hub.teacher in {u["name"] for u in r.json()}
    finally:
        hub.token = configured
