"""The classroom service: the hub keeps every learner's attempts and shows the class live.

A JupyterHub-managed service (``c.JupyterHub.services``, name ``classroom``; see
:func:`utils.classroom.hub.configure`).  It runs beside the hub, as the hub's user, with its own
SQLite database (WAL mode) in the hub's root-only state folder: learners can neither read nor
write it.

- ``POST <prefix>api/attempts``: one attempt record (a JSON object, at most ``MAX_BODY`` bytes and
  ``MAX_DEPTH`` levels deep) from a learner's kernel (:mod:`utils.exercises.hubclient`), sent with that
  learner's own ``$JUPYTERHUB_API_TOKEN``.  The hub says whose token it is; a ``learner`` field in
  the body is ignored and replaced.  An ``id`` field (the client's, ≤ 64 characters) makes a resent
  record count once.
- ``GET <prefix>``: the live class view (teacher only: the ``access:services!service=classroom``
  scope, which the hub's admin role holds and the ``classroom-viewer`` role grants; a learner gets
  403): per exercise how many tried and completed it, first-try success, the most frequent
  diagnosed mistakes, and who is stuck now.  It reloads itself every ``REFRESH_S`` seconds.
- ``GET <prefix>summary.json`` and ``GET <prefix>export.jsonl`` (teacher only): the same figures
  as JSON, and every record as JSON lines with the hub-given ``learner`` (what ``python -m
  utils.classroom report`` and ``grade`` read; name the file ``attempts-*.jsonl``).

Every figure is re-judged from the stored answer with the teacher's key (:class:`utils.classroom.key.Judge`,
as ``grade`` and ``report`` do): a ``status`` or ``mistake`` the kernel sent is never used, and a record
of an exercise that is not in the key is counted as invalid.

Command line (on the hub machine, as its user)::

    python -m utils.classroom.service                  # run (the hub starts it so)
    python -m utils.classroom.service export DB OUT    # the export without a browser

Standard library, tornado and jupyterhub only.
"""
from __future__ import annotations

import html
import json
import os
import sqlite3
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlparse

#: the largest record body accepted, in bytes (the record module caps an answer far below this)
MAX_BODY = 64 * 1024
#: the deepest nesting of lists and objects accepted in a record
MAX_DEPTH = 16
#: records kept per learner; beyond it the service answers 429 (a runaway loop must not fill the disk)
MAX_PER_LEARNER = 50_000
#: an exercise id or mistake id longer than this is shown as invalid
MAX_ID = 40
#: a learner is "stuck" on an exercise after this many tries in a row without success …
STUCK_TRIES = 3
#: … the last of them less than this many seconds ago
STUCK_WINDOW_S = 15 * 60
#: the live view reloads itself this often
REFRESH_S = 15
TRIED = ("wrong", "close", "correct", "recorded")
DONE = ("correct", "recorded")


class BadRecord(ValueError):
    """A body that is not one acceptable record."""


def _depth(value, limit: int) -> int:
    """Nesting depth of lists/dicts in ``value``, iteratively; stops counting past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def parse_record(body: bytes) -> tuple[dict, str | None]:
    """The record in a request body and its client id; :class:`BadRecord` if unacceptable."""
    if len(body) > MAX_BODY:
        raise BadRecord(f"record larger than {MAX_BODY} bytes")
    # bounded before parsing: json recurses once per bracket
    if _bracket_depth(body) > MAX_DEPTH:
        raise BadRecord("record nested too deeply")
    try:
        record = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRecord(f"not JSON: {type(exc).__name__}") from None
    if not isinstance(record, dict):
        raise BadRecord("a record is a JSON object")
    if _depth(record, MAX_DEPTH) > MAX_DEPTH:
        raise BadRecord("record nested too deeply")
    client_id = record.pop("id", None)
    if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= 64):
        raise BadRecord("id must be a string of at most 64 characters")
    record.pop("learner", None)  # the hub says who sent it; the body never does
    return record, client_id


def _bracket_depth(body: bytes) -> int:
    """Deepest bracket nesting in raw JSON text (brackets inside strings counted too: an upper bound)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH + 1:
                return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The service's own database: one row per record, appended, never edited."""

    def __init__(self, path: str):
        old = os.umask(0o077)  # the database, its WAL and shm files: the service's user only
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS attempts (seq INTEGER PRIMARY KEY, learner TEXT NOT NULL,"
                            " received TEXT NOT NULL, client_id TEXT, record TEXT NOT NULL,"
                            " UNIQUE (learner, client_id))")
        finally:
            os.umask(old)
        self.lock = threading.Lock()

    def add(self, learner: str, record: dict, client_id: str | None = None) -> bool:
        """Append a record for ``learner``; False when this client id was stored before (a resend)."""
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            cur = self.db.execute("INSERT OR IGNORE INTO attempts (learner, received, client_id, record)"
                                  " VALUES (?, ?, ?, ?)", (learner, now_iso(), client_id, text))
        return cur.rowcount == 1

    def count(self, learner: str) -> int:
        with self.lock:
            return self.db.execute("SELECT COUNT(*) FROM attempts WHERE learner = ?", (learner,)).fetchone()[0]

    def rows(self):
        """(learner, received, record dict) in arrival order."""
        with self.lock:
            rows = self.db.execute("SELECT learner, received, record FROM attempts ORDER BY seq").fetchall()
        for learner, received, text in rows:
            try:
                record = json.loads(text)
            except ValueError:  # pragma: no cover - only this module writes the table
                continue
            yield learner, received, record

    def export_lines(self):
        """Every record as one JSON line, ``learner`` and ``received`` from the service."""
        for learner, received, record in self.rows():
            yield json.dumps({**record, "learner": learner, "received": received},
                             ensure_ascii=False, separators=(",", ":")) + "\n"


def _clean_id(value) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value)
        if 0 < len(text) <= MAX_ID and text.isprintable():
            return text
    return None


def _chapter(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1000:
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 3:
        return int(value)
    return None


def _received_s(text: str) -> float:
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


def rejudged_rows(rows, judge=None):
    """The rows with each record's ``status`` and ``mistake`` recomputed from its stored answer with
    the teacher's key (a status the kernel sent is never used).  A record that does not parse, or
    whose exercise is not in the key, keeps no status (it is counted as invalid by :func:`summarise`)."""
    from ..exercises.attempts import BadRecord, Record  # noqa: PLC0415 - the course package
    from .key import Judge  # noqa: PLC0415

    judge = Judge() if judge is None else judge
    for learner, received, record in rows:
        judged = dict(record)
        judged["status"] = judged["mistake"] = None
        try:
            result = judge(Record.from_dict(record))
        except (BadRecord, TypeError, ValueError, KeyError):
            result = None
        if result is None:
            judged["exercise"] = None
        else:
            judged["status"], judged["mistake"] = result
        yield learner, received, judged


def summarise(rows, now: float | None = None) -> dict:
    """The live figures from (learner, received, record) rows in arrival order."""
    now = time.time() if now is None else now
    exercises: dict[tuple, dict] = {}
    learners: dict[str, dict] = {}
    streak: dict[tuple, list] = {}  # (learner, key) -> [tries without success, last time, done]
    invalid = 0
    for learner, received, record in rows:
        person = learners.setdefault(learner, {"learner": learner, "records": 0, "completed": set(),
                                               "last_seen": ""})
        person["records"] += 1
        person["last_seen"] = max(person["last_seen"], received)
        chapter, exercise = _chapter(record.get("chapter")), _clean_id(record.get("exercise"))
        status = record.get("status") if record.get("status") in TRIED else None
        if chapter is None or exercise is None:
            invalid += 1
            continue
        if status is None:
            continue
        key = (chapter, exercise)
        row = exercises.setdefault(key, {"chapter": chapter, "exercise": exercise, "tried": set(),
                                         "completed": set(), "first_try": set(), "mistakes": Counter()})
        first = learner not in row["tried"]
        row["tried"].add(learner)
        if status in DONE:
            row["completed"].add(learner)
            person["completed"].add(key)
            if first:
                row["first_try"].add(learner)
        else:
            mistake = _clean_id(record.get("mistake"))
            if mistake:
                row["mistakes"][mistake] += 1
        tries = streak.setdefault((learner, key), [0, 0.0, False])
        if status in DONE:
            tries[0], tries[2] = 0, True
        else:
            tries[0] += 1
        tries[1] = _received_s(received)
    stuck = [{"learner": learner, "chapter": key[0], "exercise": key[1], "tries": tries}
             for (learner, key), (tries, last, done) in sorted(streak.items())
             if not done and tries >= STUCK_TRIES and now - last <= STUCK_WINDOW_S]
    return {
        "learners": [{"learner": p["learner"], "records": p["records"], "completed": len(p["completed"]),
                      "last_seen": p["last_seen"]} for p in sorted(learners.values(), key=lambda p: p["learner"])],
        "exercises": [{"chapter": r["chapter"], "exercise": r["exercise"], "tried": len(r["tried"]),
                       "completed": len(r["completed"]), "first_try_correct": len(r["first_try"]),
                       "mistakes": r["mistakes"].most_common(3)}
                      for _, r in sorted(exercises.items(), key=lambda kv: (kv[0][0], _natural(kv[0][1])))],
        "stuck": stuck,
        "invalid_records": invalid,
        "generated": datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds"),
    }


def _natural(text: str):
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits and len(digits) < 10 else 0, text)


def mistake_names() -> dict:
    """Chinese names of the engine's misconception ids, when the course package is importable."""
    try:
        from ..exercises.core import MISCONCEPTIONS  # noqa: PLC0415 - optional, names only
    except Exception:  # noqa: BLE001 - the view works with the raw ids
        return {}
    return dict(MISCONCEPTIONS)


_CSS = """
body { font: 16px/1.5 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; background: #fff;
       margin: 1.5rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #767676; padding: .3rem .6rem; text-align: left; font-size: 15px; }
th { background: #e8eef5; }
.note { color: #3d3d3d; font-size: 14px; }
.stuck td { background: #fff4e5; }
a { color: #0b57a4; }
"""


def to_html(summary: dict, names: dict | None = None) -> str:
    """The live view (text ≥ 14 px, dark grey on white)."""
    names = names or {}
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f'<meta http-equiv="refresh" content="{REFRESH_S}">',
           "<title>课堂实时概况</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>课堂实时概况</h1>",
           f'<p class="note">学员 {len(summary["learners"])} 名 · 更新于 {e(summary["generated"])}（UTC），'
           f"每 {REFRESH_S} 秒自动刷新 · 数字按学员内核报告的判定统计，评分请用 <code>grade</code>。"
           ' <a href="export.jsonl" download="attempts-class.jsonl">下载全部记录（JSONL）</a></p>']
    out.append("<h2>现在卡住的学员</h2>")
    if summary["stuck"]:
        out.append("<table><tr><th>学员</th><th>题目</th><th>连续未通过次数</th></tr>")
        for s in summary["stuck"]:
            out.append(f'<tr class="stuck"><td>{e(s["learner"])}</td><td>第 {s["chapter"]} 章 '
                       f'{e(s["exercise"])}</td><td>{s["tries"]}</td></tr>')
        out.append("</table>")
    else:
        out.append(f'<p class="note">没有（连续 {STUCK_TRIES} 次未通过、且最近 {STUCK_WINDOW_S // 60} 分钟内还在做的才算）。</p>')
    out.append("<h2>各题</h2>")
    if summary["exercises"]:
        out.append("<table><tr><th>题目</th><th>做过</th><th>完成</th><th>第一次就对</th><th>最常见的错误</th></tr>")
        for r in summary["exercises"]:
            mistakes = "；".join(f"{e(names.get(m, m))}（{n} 次）" for m, n in r["mistakes"]) or "—"
            out.append(f'<tr><td>第 {r["chapter"]} 章 {e(r["exercise"])}</td><td>{r["tried"]}</td>'
                       f'<td>{r["completed"]}</td><td>{r["first_try_correct"]}</td><td>{mistakes}</td></tr>')
        out.append("</table>")
    else:
        out.append('<p class="note">还没有作答记录。</p>')
    out.append("<h2>学员</h2>")
    if summary["learners"]:
        out.append("<table><tr><th>学员</th><th>记录数</th><th>已完成题数</th><th>最近一次（UTC）</th></tr>")
        for p in summary["learners"]:
            out.append(f'<tr><td>{e(p["learner"])}</td><td>{p["records"]}</td><td>{p["completed"]}</td>'
                       f'<td>{e(p["last_seen"])}</td></tr>')
        out.append("</table>")
    if summary["invalid_records"]:
        out.append(f'<p class="note">另有 {summary["invalid_records"]} 条记录缺少章节或题号，未计入。</p>')
    out.append("</body></html>")
    return "\n".join(out)


def make_app(store: Store, prefix: str):
    """The tornado application (imports tornado and jupyterhub only here)."""
    from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
    from tornado import web

    # the singleton: HubOAuthCallbackHandler uses HubOAuth.instance() and keeps the PKCE state there
    auth = HubOAuth.instance(cache_max_age=60)
    names = mistake_names()
    from .key import Judge  # noqa: PLC0415 - the teacher's key, loaded once per service

    judge = Judge()

    class Submit(web.RequestHandler):
        """A record from a learner's kernel; only the token says who sent it."""

        def check_xsrf_cookie(self):  # token-authenticated API: no cookies are accepted here
            pass

        async def post(self):
            token = auth.get_token(self, in_cookie=False)
            user = await auth.user_for_token(token, sync=False) if token else None
            if not user or user.get("kind", "user") != "user" or not user.get("name"):
                raise web.HTTPError(403)
            try:
                record, client_id = parse_record(self.request.body)
            except BadRecord as exc:
                raise web.HTTPError(400, str(exc)) from None
            name = user["name"]
            if store.count(name) >= MAX_PER_LEARNER:
                raise web.HTTPError(429, "too many records")
            new = store.add(name, record, client_id)
            self.set_status(201 if new else 200)
            self.write({"stored_for": name, "new": new})

    class Teacher(HubOAuthenticated, web.RequestHandler):
        hub_auth = auth

    class Page(Teacher):
        @web.authenticated
        def get(self):
            self.set_header("Cache-Control", "no-store")
            self.write(to_html(summarise(rejudged_rows(store.rows(), judge)), names))

    class Summary(Teacher):
        @web.authenticated
        def get(self):
            self.set_header("Cache-Control", "no-store")
            self.write(summarise(rejudged_rows(store.rows(), judge)))

    class Export(Teacher):
        @web.authenticated
        def get(self):
            self.set_header("Content-Type", "application/x-ndjson; charset=utf-8")
            self.set_header("Content-Disposition", 'attachment; filename="attempts-class.jsonl"')
            self.set_header("Cache-Control", "no-store")
            for line in store.export_lines():
                self.write(line)

    return web.Application([
        (prefix, Page), (prefix + "summary.json", Summary), (prefix + "export.jsonl", Export),
        (prefix + "api/attempts", Submit), (prefix + "oauth_callback", HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32), xsrf_cookies=False)


def serve() -> None:
    import asyncio

    from tornado.httpserver import HTTPServer

    os.umask(0o077)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/classroom/")
    store = Store(os.environ["CLASSROOM_DB"])
    app = make_app(store, prefix)

    async def main():
        server = HTTPServer(app, max_body_size=2 * MAX_BODY, xheaders=True)
        server.listen(url.port, url.hostname or "127.0.0.1")
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # the hub stops its services with SIGINT/SIGTERM
        pass


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export"]:
        if len(argv) != 3:
            print("用法：python -m utils.classroom.service export 数据库文件 输出文件", file=sys.stderr)
            return 2
        if not os.path.isfile(argv[1]):
            print(f"找不到课堂数据库：{argv[1]}", file=sys.stderr)
            return 1
        store = Store(argv[1])
        n = 0
        with open(argv[2], "w", encoding="utf-8") as f:
            for line in store.export_lines():
                f.write(line)
                n += 1
        print(f"已导出 {n} 条记录到 {argv[2]}")
        return 0
    serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
