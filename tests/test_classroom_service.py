"""The classroom service's pieces without a hub (utils/classroom/service.py, utils/exercises/hubclient.py): what a
record body may be, the database, the live figures and page, and the kernel's client with its
outbox against a small local HTTP server (tests/test_hub.py runs them on the real hub)."""
from __future__ import annotations

import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from utils.classroom import service
from utils.exercises import hubclient as client


# -- records --------------------------------------------------------------------------------
def test_a_record_body_never_names_the_learner():
    record, client_id = service.parse_record(json.dumps(
        {"learner": "bo", "chapter": 1, "exercise": "q3", "status": "correct", "id": "abc"}).encode())
    assert "learner" not in record and client_id == "abc"


@pytest.mark.parametrize("body, why", [
    (b"[" * 100_000 + b"]" * 100_000, "larger"),
    (b"[" * 5000 + b"]" * 5000, "deeply"),
    (b'{"a":' * 40 + b"1" + b"}" * 40, "deeply"),
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "object"),
    (json.dumps({"id": "x" * 65}).encode(), "id"),
])
def test_bad_bodies_are_refused_quickly(body, why):
    with pytest.raises(service.BadRecord, match=why):
        service.parse_record(body)


def test_the_store_is_private_appends_and_counts_a_resend_once(tmp_path):
    store = service.Store(str(tmp_path / "c.sqlite"))
    assert store.add("amy", {"exercise": "q1"}, "id-1") is True
    assert store.add("amy", {"exercise": "q1"}, "id-1") is False  # the outbox sent it again
    assert store.add("bo", {"exercise": "q1"}, "id-1") is True  # ids are per learner
    assert store.add("amy", {"exercise": "q2"}) is True
    assert store.count("amy") == 2
    assert stat.S_IMODE(os.stat(tmp_path / "c.sqlite").st_mode) == 0o600
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    lines = [json.loads(line) for line in store.export_lines()]
    assert [(r["learner"], r["exercise"]) for r in lines] == [("amy", "q1"), ("bo", "q1"), ("amy", "q2")]
    assert all(r["received"] for r in lines)


def _rows(*items, at="2026-12-07T08:00:00+00:00"):
    return [(learner, at, {"chapter": 1, "exercise": ex, "status": st, "mistake": m})
            for learner, ex, st, m in items]


def test_live_figures_completion_first_try_mistakes_and_who_is_stuck():
    from datetime import datetime

    rows = _rows(("amy", "q3", "correct", None),
                 ("bo", "q3", "wrong", "inverted"), ("bo", "q3", "wrong", "inverted"),
                 ("bo", "q3", "close", "rounding"),
                 ("chen", "q3", "unanswered", None), ("chen", "q3", "wrong", "inverted"),
                 ("chen", "q3", "correct", None),
                 ("dee", "q1", "correct", None), ("dee", "x" * 5000, "correct", None))
    now = datetime.fromisoformat("2026-12-07T08:05:00+00:00").timestamp()
    s = service.summarise(rows, now=now)
    assert [p["learner"] for p in s["learners"]] == ["amy", "bo", "chen", "dee"]
    q3 = next(e for e in s["exercises"] if e["exercise"] == "q3")
    assert (q3["tried"], q3["completed"], q3["first_try_correct"]) == (3, 2, 1)
    assert q3["mistakes"][0] == ("inverted", 3)
    assert s["stuck"] == [{"learner": "bo", "chapter": 1, "exercise": "q3", "tries": 3}]
    assert s["invalid_records"] == 1  # a 5,000-character exercise id is not an exercise
    later = service.summarise(rows, now=now + service.STUCK_WINDOW_S + 60)
    assert later["stuck"] == []  # stuck means now, not an hour ago


def test_the_live_page_escapes_learner_text_and_refreshes_itself():
    rows = _rows(("<script>x</script>", "q1", "wrong", "<b>m</b>"))
    page = service.to_html(service.summarise(rows), {})
    assert "<script>x" not in page and "&lt;script&gt;" in page and "&lt;b&gt;m" in page
    assert 'http-equiv="refresh"' in page and 'lang="zh-CN"' in page
    assert "font: 16px" in page  # legible: body text 16 px, tables 15 px, notes 14 px


# -- the kernel's client ---------------------------------------------------------------------
class _Service(BaseHTTPRequestHandler):
    got: list = []
    status = 201

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).got.append((self.headers.get("Authorization"), json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_service():
    _Service.got, _Service.status = [], 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_client_sends_with_the_learners_token(fake_service, tmp_path):
    env = {"CLASSROOM_SERVICE_URL": f"http://127.0.0.1:{fake_service.server_port}/services/classroom/",
           "JUPYTERHUB_API_TOKEN": "tok-amy", "CLASSROOM_OUTBOX": str(tmp_path / "outbox.jsonl")}
    assert client.enabled(env) and not client.enabled({})
    assert client.send({"exercise": "q1", "learner": "whoever"}, env) is True
    auth, body = _Service.got[0]
    assert auth == "token tok-amy" and body["exercise"] == "q1" and len(body["id"]) == 32


def test_an_unreachable_service_keeps_records_in_order_and_sends_them_later(fake_service, tmp_path, capsys):
    outbox = tmp_path / "outbox.jsonl"
    down = {"CLASSROOM_SERVICE_URL": "http://127.0.0.1:9/services/classroom/",  # nothing listens on 9
            "JUPYTERHUB_API_TOKEN": "tok", "CLASSROOM_OUTBOX": str(outbox)}
    client._noted.clear()
    assert client.send({"exercise": "q1"}, down) is False
    assert client.send({"exercise": "q2"}, down) is False
    err = capsys.readouterr().err
    assert err.count("课堂服务暂时连不上") == 1 and "Traceback" not in err  # one Chinese line
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o600 and len(outbox.read_text().splitlines()) == 2
    up = {**down, "CLASSROOM_SERVICE_URL": f"http://127.0.0.1:{fake_service.server_port}/services/classroom/"}
    assert client.send({"exercise": "q3"}, up) is True
    assert [b["exercise"] for _, b in _Service.got] == ["q1", "q2", "q3"]
    assert not outbox.exists()
    # a service error keeps the record too; a record the service refuses for good is not retried
    _Service.status = 503
    assert client.send({"exercise": "q4"}, up) is False and outbox.exists()
    _Service.status = 400
    assert client.flush(up) == 0 and not outbox.exists()


def test_the_client_never_raises(tmp_path):
    env = {"CLASSROOM_SERVICE_URL": "not a url", "JUPYTERHUB_API_TOKEN": "t",
           "CLASSROOM_OUTBOX": str(tmp_path / "no" / "such" / "dir" / "outbox.jsonl")}
    assert client.send({"exercise": "q1"}, env) is False
    assert client.send({"answer": "x" * (client.MAX_RECORD + 1)}, env) is False
