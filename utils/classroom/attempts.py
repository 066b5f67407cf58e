"""Read many learners' attempt logs (JSON lines written by every ``check()``).

One record (see the team contract)::

    {"v": 1, "time": "2026-11-29T03:12:45+00:00", "learner": "amy", "chapter": 1, "exercise": "q3",
     "kind": "numeric", "answer": "15.0", "status": "correct", "mistake": null, "exam": false}

Reading never fails on bad input: an unreadable file, a line that is not JSON, a record without
a learner or an exercise is listed in :attr:`Log.problems` (file, line, reason) and skipped.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

STATUSES = ("unanswered", "invalid", "wrong", "close", "correct", "recorded")
#: statuses that count as a real try at an exercise (unanswered/invalid are not judged)
TRIED = ("wrong", "close", "correct", "recorded")
FILE_GLOB = "attempts*.jsonl"
_SKIP_DIRS = {"node_modules", ".ipynb_checkpoints", "__pycache__", ".git", ".course-copying"}
_EXERCISE = re.compile(r"q\d+")
MAX_LINE = 1_000_000


@dataclass
class Record:
    learner: str
    chapter: int
    exercise: str
    status: str
    answer: str = ""
    kind: str = ""
    mistake: str | None = None
    time: str = ""
    exam: bool = False
    file: str = ""
    line: int = 0

    @property
    def key(self) -> tuple[int, str]:
        return (self.chapter, self.exercise)

    @property
    def label(self) -> str:
        return f"{self.chapter}.{self.exercise}"


@dataclass
class Log:
    records: list[Record] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line or 0, reason)
    files: list[str] = field(default_factory=list)

    @property
    def learners(self) -> list[str]:
        return sorted({r.learner for r in self.records})

    def by_learner(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for r in sorted(self.records, key=lambda r: (r.learner, r.time, r.file, r.line)):
            out.setdefault(r.learner, []).append(r)
        return out


def find_files(paths: Iterable[str | Path], problems: list | None = None) -> list[Path]:
    """Attempt files among ``paths``: files as given, folders searched recursively."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                out += [Path(root) / f for f in sorted(files)
                        if Path(f).match(FILE_GLOB)]
        elif problems is not None:
            problems.append((str(p), 0, "没有这个文件或文件夹"))
    seen, unique = set(), []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _learner_from_path(path: Path) -> str:
    """Fallback name for records without one: the home folder (…/homes/<name>/course/…)."""
    parts = path.resolve().parts
    if "course" in parts:
        i = parts.index("course")
        if i > 0:
            return parts[i - 1]
    return path.stem


def parse_record(obj, path: Path, lineno: int) -> tuple[Record | None, str]:
    if not isinstance(obj, dict):
        return None, "不是 JSON 对象"
    exercise = obj.get("exercise")
    if not isinstance(exercise, str) or not _EXERCISE.fullmatch(exercise):
        return None, f"练习编号无效：{str(exercise)[:20]!r}"
    chapter = obj.get("chapter")
    if isinstance(chapter, bool) or not isinstance(chapter, int):
        return None, f"章节无效：{str(chapter)[:20]!r}"
    status = obj.get("status")
    if status not in STATUSES:
        return None, f"状态无效：{str(status)[:20]!r}"
    learner = obj.get("learner")
    if not isinstance(learner, str) or not learner.strip():
        learner = _learner_from_path(path)
    mistake = obj.get("mistake")
    answer = obj.get("answer", "")
    return Record(learner=learner.strip()[:80], chapter=chapter, exercise=exercise, status=status,
                  answer=answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)[:300],
                  kind=str(obj.get("kind") or ""), mistake=mistake if isinstance(mistake, str) else None,
                  time=str(obj.get("time") or ""), exam=bool(obj.get("exam", False)),
                  file=str(path), line=lineno), ""


def read(paths: Iterable[str | Path]) -> Log:
    log = Log()
    for path in find_files(paths, log.problems):
        log.files.append(str(path))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            log.problems.append((str(path), 0, f"无法读取：{exc.strerror or exc}"))
            continue
        text = raw.decode("utf-8", errors="replace")
        if "\ufffd" in text and b"\xef\xbf\xbd" not in raw:
            log.problems.append((str(path), 0, "含有非 UTF-8 字节（已替换后继续读取）"))
        good = 0
        lines = text.split("\n")
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE:
                log.problems.append((str(path), lineno, "这一行过长，已跳过"))
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                last = lineno == len(lines) or (lineno == len(lines) - 1 and not lines[-1])
                log.problems.append((str(path), lineno, "不完整的最后一行（写入时中断？）" if last
                                     else "不是有效的 JSON"))
                continue
            record, why = parse_record(obj, path, lineno)
            if record is None:
                log.problems.append((str(path), lineno, why))
            else:
                log.records.append(record)
                good += 1
        if good == 0:
            log.problems.append((str(path), 0, "文件里没有可用的记录"))
    return log
