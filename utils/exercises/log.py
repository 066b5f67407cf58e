"""The attempt log: one JSON line per ``check()``, appended to a file in the learner's workspace.

File: ``$COURSE_ATTEMPTS`` if set, else ``attempts.jsonl`` in the kernel's working directory
(``notebooks/`` — beside the notebooks).  Record (version 1)::

    {"v": 1, "time": "2026-11-29T03:12:45+00:00", "learner": "…", "chapter": 1, "exercise": "q3",
     "kind": "numeric", "answer": "<repr, ≤ 300 chars>", "status": "correct", "mistake": null,
     "exam": false}

Writing: ``os.open(O_APPEND)`` + ``fcntl.flock(LOCK_EX)`` + one ``os.write`` per line, so two
kernels appending at once never interleave; any failure is swallowed (the learner's cell never
breaks because of the log).  Reading: ``read_log(path)`` skips lines that are not valid records
and reports them.
"""
from __future__ import annotations

import getpass
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking, O_APPEND alone
    fcntl = None

VERSION = 1
FIELDS = ("v", "time", "learner", "chapter", "exercise", "kind", "answer", "status", "mistake", "exam")
_STATUSES = {"correct", "close", "wrong", "invalid", "unanswered", "recorded"}

#: what went wrong on the last failed append (for tests and diagnostics; never shown to learners)
last_error: list[str] = []


def log_path() -> Path:
    """Where attempts go: ``$COURSE_ATTEMPTS`` or ``./attempts.jsonl``."""
    return Path(os.environ.get("COURSE_ATTEMPTS") or "attempts.jsonl")


def learner() -> str:
    name = os.environ.get("JUPYTERHUB_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "learner"


def append(record: dict, path: str | os.PathLike | None = None) -> bool:
    """Append one record as one JSON line.  Returns False (never raises) when it could not."""
    try:
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        target = Path(path) if path is not None else log_path()
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                written = os.write(fd, line)
                while written < len(line):  # pragma: no cover - regular files write whole lines
                    written += os.write(fd, line[written:])
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
        return True
    except Exception as exc:  # noqa: BLE001 - the log must never break a learner's cell
        last_error[:] = [f"{type(exc).__name__}: {exc}"]
        return False


def make_record(problem, attempt, exam: bool = False) -> dict:
    return {
        "v": VERSION, "time": attempt.time, "learner": learner(), "chapter": problem.chapter,
        "exercise": problem.name, "kind": problem.kind, "answer": attempt.answer[:300],
        "status": attempt.status, "mistake": attempt.mistake, "exam": bool(exam),
    }


def record(problem, attempt, *, exam: bool = False) -> bool:
    """Log one attempt of ``problem`` (called by ``check``; ``exam``: exam mode was on)."""
    try:
        entry = make_record(problem, attempt, exam)
        kept = append(entry)
        # --- classroom hub (issue 25, branch h25): the record also goes to the hub's classroom
        # service, which learns the learner from the hub; minimal hook, re-wired at merge ---
        from ..classroom import client

        if client.enabled():
            client.send(entry)
        # --- end classroom hub hook ---
        return kept
    except Exception as exc:  # noqa: BLE001
        last_error[:] = [f"{type(exc).__name__}: {exc}"]
        return False


def valid(record) -> bool:
    return (isinstance(record, dict) and record.get("v") == VERSION
            and isinstance(record.get("exercise"), str) and record.get("status") in _STATUSES
            and (record.get("chapter") is None or isinstance(record.get("chapter"), int)))


@dataclass(frozen=True)
class LogProblem:
    """A line of a log that could not be read."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.reason}"


def read_log(path: str | os.PathLike) -> tuple[list[dict], list[LogProblem]]:
    """(records, problems): every valid record in order; every unreadable line, with its number."""
    records, problems = [], []
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [LogProblem(0, f"无法读取文件（{type(exc).__name__}）")]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            problems.append(LogProblem(number, "不是一条完整的 JSON 记录（可能写到一半被打断）"))
            continue
        if not valid(record):
            problems.append(LogProblem(number, "记录缺少必要的字段"))
            continue
        records.append(record)
    return records, problems


def reset(chapter: int | None = None, path: str | os.PathLike | None = None) -> int:
    """Remove the records of one chapter (or all) from the log; return how many were removed.

    The old file is kept beside it as ``….bak`` (one level), so a slip can be undone by hand.
    """
    target = Path(path) if path is not None else log_path()
    if not target.exists():
        return 0
    keep_lines, removed = [], 0
    for raw in target.read_bytes().split(b"\n"):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            keep_lines.append(raw)
            continue
        if valid(rec) and (chapter is None or rec.get("chapter") == chapter):
            removed += 1
        else:
            keep_lines.append(raw)
    shutil.copyfile(target, target.with_name(target.name + ".bak"))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, b"".join(line + b"\n" for line in keep_lines))
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    return removed


def export_attempts(path: str | os.PathLike, *, source: str | os.PathLike | None = None,
                    chapters: Iterable[int] | None = None) -> Path:
    """Write the learner's valid attempt records to ``path`` (one JSON-lines file to hand in)."""
    records, _ = read_log(source if source is not None else log_path())
    if chapters is not None:
        wanted = set(chapters)
        records = [r for r in records if r.get("chapter") in wanted]
    out = Path(path)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return out
