"""The attempt record: one type, one writer, one lock, one hardened reader.

Every ``check()`` (practice or exam) appends one :class:`Record` as one JSON line; ``grade`` and
``report`` read them back with :func:`scan`; a hub service may receive the same JSON
(:meth:`Record.to_json` / :meth:`Record.from_json`) and store it under the name the hub gives.

The record (version 2), one JSON object per line::

    {"v": 2, "time": "2026-11-29T03:12:45+00:00", "chapter": 1, "exercise": "q3", "kind": "numeric",
     "answer": 255000, "status": "correct", "mistake": null, "exam": false, "learner": "amy",
     "seed": null}

- ``answer``: the answer as the problem's kind stores it (``Problem.stored_answer``): a number or
  a string as given, a list for an interval or several letters, a capped table
  (``{"table": {"columns": …, "index": …, "data": …}}``) for code, what the checker read from the
  Axes (``{"drawn": …}``) for a chart.  It is data: grading re-judges it with the teacher's key.
- ``status`` and ``mistake``: what the learner was shown.  Grading never uses them.
- ``seed``: the seed that picked this exercise's variant (``utils.exercises.variants``), or null for
  the problem as declared (practice); ``grade`` rebuilds the same variant from it.
- ``learner``: informational only.  Readers take the learner from where the file is (the home
  folder under the folder the teacher names, or the file's owner); a hub service from the hub.

Writing: ``os.open(O_APPEND)`` + ``fcntl.flock(LOCK_EX)`` + one ``os.write`` per line, so kernels
appending at once never interleave; :func:`reset` holds the same lock for its whole
read-filter-truncate-write, so no record appended meanwhile is lost.  The writer never raises
into a learner's cell.

Reading (:func:`read_file`, :func:`scan`) expects hostile files: regular files only (opened with
``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat``: no symlinks, FIFOs or devices), at most
:data:`MAX_FILE` bytes, lines of at most :data:`MAX_LINE` bytes, JSON nested at most
:data:`MAX_DEPTH` deep, at most :data:`MAX_IDS` different exercises per file; a bad line is
skipped and listed (at most :data:`MAX_LISTED` per file, then counted).
"""
from __future__ import annotations

import getpass
import json
import math
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: O_APPEND alone
    fcntl = None

VERSION = 2
STATUSES = ("unanswered", "invalid", "wrong", "close", "correct", "recorded")
#: statuses that count as a real try (unanswered/invalid were not judged)
TRIED = ("wrong", "close", "correct", "recorded")
#: the JSON fields of a record, in order
FIELDS = ("v", "time", "chapter", "exercise", "kind", "answer", "status", "mistake", "exam", "learner", "seed")
FILE_GLOB = "attempts*.jsonl"

MAX_FILE = 32 * 1024 * 1024      # bytes read from one file
MAX_LINE = 64 * 1024             # bytes in one line
MAX_DEPTH = 8                    # JSON nesting of one record
MAX_IDS = 400                    # different (chapter, exercise) pairs in one file
MAX_LISTED = 30                  # bad lines listed per file (the rest are counted)
MAX_BAD = 1000                   # bad lines after which the rest of a file is not read
MAX_FILES = 5000                 # attempt files in one scan
MAX_ANSWER_TEXT = 4000           # characters of a text answer that are kept

_EXERCISE = re.compile(r"q[1-9]\d{0,2}")
_KIND = re.compile(r"[a-z]{1,20}")
_SKIP_DIRS = {"node_modules", ".ipynb_checkpoints", "__pycache__", ".git", ".course-copying"}
HOME_PREFIX = "jupyter-"         # per-learner Unix users are named jupyter-<name> (as TLJH does)

#: what went wrong on the last failed append (for tests and diagnostics; never shown to learners)
last_error: list[str] = []


class BadRecord(ValueError):
    """A line that is not a valid record; its text (Chinese) says why."""


def _depth_ok(value: Any, limit: int = MAX_DEPTH) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _json_depth(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when the brackets of ``text`` (outside strings) nest at most ``limit`` deep (linear scan,
    before any parser recurses)."""
    if text.count("[") + text.count("{") <= limit:
        return True  # the usual record: nothing to scan
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


@dataclass(frozen=True)
class Record:
    """One ``check()``.  ``file``/``line`` say where a reader found it (not part of the JSON)."""

    chapter: int | None
    exercise: str
    kind: str
    answer: Any
    status: str
    mistake: str | None = None
    exam: bool = False
    time: str = ""
    learner: str = ""
    seed: str | None = None
    v: int = VERSION
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    # -- the wire form ----------------------------------------------------------
    def to_dict(self) -> dict:
        data = asdict(self)
        return {k: data[k] for k in FIELDS}

    def to_json(self) -> str:
        """One line of JSON (no newline), the form the log file and a hub service store."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_dict(cls, obj: Any) -> "Record":
        """A record from a parsed JSON object; :class:`BadRecord` (Chinese reason) when invalid."""
        if not isinstance(obj, dict):
            raise BadRecord("不是 JSON 对象")
        if obj.get("v") != VERSION:
            raise BadRecord(f"记录版本不对：{str(obj.get('v'))[:10]!r}")
        exercise = obj.get("exercise")
        if not isinstance(exercise, str) or not _EXERCISE.fullmatch(exercise):
            raise BadRecord(f"练习编号无效：{str(exercise)[:20]!r}")
        chapter = obj.get("chapter")
        if chapter is not None and (isinstance(chapter, bool) or not isinstance(chapter, int)
                                    or not 0 <= chapter <= 99):
            raise BadRecord(f"章节无效：{str(chapter)[:20]!r}")
        kind = obj.get("kind")
        if not isinstance(kind, str) or not _KIND.fullmatch(kind):
            raise BadRecord(f"题型无效：{str(kind)[:20]!r}")
        status = obj.get("status")
        if status not in STATUSES:
            raise BadRecord(f"状态无效：{str(status)[:20]!r}")
        mistake = obj.get("mistake")
        if mistake is not None and (not isinstance(mistake, str) or len(mistake) > 60):
            raise BadRecord("错误类型无效")
        exam = obj.get("exam", False)
        if not isinstance(exam, bool):
            raise BadRecord("exam 字段无效")
        time, learner = obj.get("time", ""), obj.get("learner", "")
        if not isinstance(time, str) or len(time) > 40 or not isinstance(learner, str) or len(learner) > 100:
            raise BadRecord("时间或学员字段无效")
        seed = obj.get("seed")
        if seed is not None and not (isinstance(seed, str) and re.fullmatch(r"[\w.@+-]{1,100}", seed)):
            raise BadRecord("变式种子字段无效")
        answer = obj.get("answer")
        if not _depth_ok(answer):
            raise BadRecord("答案嵌套过深")
        return cls(chapter=chapter, exercise=exercise, kind=kind, answer=answer, status=status, mistake=mistake,
                   exam=exam, time=time, learner=learner, seed=seed)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Record":
        """Parse one line (size, depth and fields checked first); :class:`BadRecord` when invalid."""
        if isinstance(text, bytes):
            if len(text) > MAX_LINE:
                raise BadRecord(f"这一行过长（超过 {MAX_LINE // 1024} KB）")
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRecord("含有非 UTF-8 字节") from None
        if len(text) > MAX_LINE:
            raise BadRecord(f"这一行过长（超过 {MAX_LINE // 1024} KB）")
        if not _json_depth(text):
            raise BadRecord(f"JSON 嵌套超过 {MAX_DEPTH} 层")
        try:
            obj = _DECODER.decode(text)
        except (ValueError, RecursionError):
            raise BadRecord("不是一条完整的 JSON 记录（可能写到一半被打断）") from None
        return cls.from_dict(obj)

    # -- convenience ----------------------------------------------------------
    @property
    def key(self) -> tuple:
        return (self.chapter, self.exercise)

    @property
    def label(self) -> str:
        return f"{self.chapter}.{self.exercise}"


def _no_constant(name: str):
    raise ValueError(name)  # NaN / Infinity are not JSON


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

def log_path() -> Path:
    """Where attempts go: ``$COURSE_ATTEMPTS`` or ``./attempts.jsonl`` (beside the notebooks)."""
    return Path(os.environ.get("COURSE_ATTEMPTS") or "attempts.jsonl")


def learner() -> str:
    """Who this kernel says it is (informational: readers never trust it)."""
    name = os.environ.get("JUPYTERHUB_USER")
    if name:
        return name[:100]
    try:
        return getpass.getuser()[:100]
    except Exception:  # noqa: BLE001
        return ""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _locked(fd: int) -> Iterator[None]:
    """The one lock of the attempt log: an exclusive ``flock`` on the open file."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _write_all(fd: int, data: bytes) -> None:
    written = 0
    while written < len(data):
        written += os.write(fd, data[written:])


def append(record: Record, path: str | os.PathLike | None = None) -> bool:
    """Append one record as one line.  Returns False (never raises) when it could not."""
    try:
        line = (record.to_json() + "\n").encode("utf-8")
        if len(line) > MAX_LINE:  # never write a line the reader would skip
            record = replace(record, answer={"too_large": len(line)})
            line = (record.to_json() + "\n").encode("utf-8")
        target = Path(path) if path is not None else log_path()
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            with _locked(fd):
                _write_all(fd, line)
        finally:
            os.close(fd)
        if path is None:
            _send_to_classroom(record)
        return True
    except Exception as exc:  # noqa: BLE001 - the log must never break a learner's cell
        last_error[:] = [f"{type(exc).__name__}: {exc}"]
        return False


def _send_to_classroom(record: Record) -> None:
    """On a classroom hub, also send the record to the hub's classroom service (never raises).

    The local line above stays the learner's own copy; the service learns who sent it from the
    hub (the learner's API token), never from the record."""
    from . import hubclient

    if hubclient.enabled():
        hubclient.send(json.loads(record.to_json()))


def reset(chapter: int | None = None, path: str | os.PathLike | None = None) -> int:
    """Remove the valid records of one chapter (or all) from the log; return how many.

    Holds the writer's lock from reading to rewriting (a record appended meanwhile waits and is
    kept).  The old content is kept beside it as ``….bak`` (one level)."""
    target = Path(path) if path is not None else log_path()
    try:
        fd = os.open(target, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return 0
    try:
        with _locked(fd):
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError("not a regular file")
            chunks, offset = [], 0
            while True:
                chunk = os.pread(fd, 1 << 20, offset)
                if not chunk:
                    break
                chunks.append(chunk)
                offset += len(chunk)
            data = b"".join(chunks)
            keep, removed = [], 0
            for raw in data.split(b"\n"):
                if not raw.strip():
                    continue
                try:
                    rec = Record.from_json(raw)
                except BadRecord:
                    keep.append(raw)
                    continue
                if chapter is None or rec.chapter == chapter:
                    removed += 1
                else:
                    keep.append(raw)
            backup = target.with_name(target.name + ".bak")
            bfd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                _write_all(bfd, data)
            finally:
                os.close(bfd)
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            _write_all(fd, b"".join(line + b"\n" for line in keep))
    finally:
        os.close(fd)
    return removed


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BadLine:
    """Something that could not be read: a file (line 0) or one line of it."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}{f' 第 {self.line} 行' if self.line else ''}：{self.reason}"

    def __iter__(self):  # (file, line, reason) — the row the CSV files list
        return iter((self.file, self.line, self.reason))


def open_regular(path: str | os.PathLike, limit: int = MAX_FILE) -> tuple[bytes, bool]:
    """(the first ``limit`` bytes, whether there was more) of a regular file.

    Opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat`` before reading: a symlink,
    FIFO, socket or device raises :class:`OSError` with a Chinese reason (never blocks)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: the last component is a symlink
            raise OSError("是符号链接，不读取") from None
        raise OSError(f"无法打开（{exc.strerror or type(exc).__name__}）") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError("不是普通文件（FIFO、设备或目录），不读取")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        return data[:limit], len(data) > limit
    finally:
        os.close(fd)


def read_file(path: str | os.PathLike) -> tuple[list[Record], list[BadLine]]:
    """(records, problems) of one attempt file: every valid record in order, every bad line listed."""
    name = str(path)
    records: list[Record] = []
    problems: list[BadLine] = []
    try:
        data, more = open_regular(path)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [BadLine(name, 0, str(exc))]
    if more:
        problems.append(BadLine(name, 0, f"文件超过 {MAX_FILE // (1024 * 1024)} MB，只读取了前面部分"))
    ids: set = set()
    skipped = 0
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            rec = Record.from_json(raw)
            if rec.key not in ids and len(ids) >= MAX_IDS:
                raise BadRecord(f"一个文件里的练习编号超过 {MAX_IDS} 个")
        except BadRecord as exc:
            reason = str(exc)
            if number == len(lines) and "JSON" in reason:
                reason = "不完整的最后一行（写入时中断？）"
            if len(problems) < MAX_LISTED:
                problems.append(BadLine(name, number, reason))
            else:
                skipped += 1
            if len(problems) + skipped >= MAX_BAD:
                rest = sum(1 for x in lines[number:] if x.strip())
                problems.append(BadLine(name, 0, f"无法读取的行超过 {MAX_BAD} 行，其余 {rest} 行未读取"))
                break
            continue
        ids.add(rec.key)
        records.append(replace(rec, file=name, line=number))
    if skipped:
        problems.append(BadLine(name, 0, f"另有 {skipped} 行无法读取，已跳过"))
    return records, problems


def read_log(path: str | os.PathLike) -> tuple[list[Record], list[BadLine]]:
    """The records of one log file (the learner's own, for progress and export)."""
    return read_file(path)


def find_files(paths: Iterable[str | os.PathLike], problems: list) -> list[tuple[Path, Path | None]]:
    """[(attempt file, the folder it was found under or None)] among ``paths``: files as given,
    folders searched (symlinks are not followed; a symlinked file is listed, not read)."""
    out: list[tuple[Path, Path | None]] = []
    for p in paths:
        p = Path(p)
        try:
            st = os.lstat(p)
        except OSError:
            problems.append(BadLine(str(p), 0, "没有这个文件或文件夹"))
            continue
        if stat.S_ISDIR(st.st_mode):
            for root, dirs, files in os.walk(p, followlinks=False):
                linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                problems.extend(BadLine(os.path.join(root, d), 0, "是指向别处的符号链接文件夹，不读取") for d in linked)
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and d not in linked)
                for f in sorted(files):
                    if Path(f).match(FILE_GLOB):
                        out.append((Path(root) / f, p))
                if len(out) > MAX_FILES:
                    problems.append(BadLine(str(p), 0, f"答题记录文件超过 {MAX_FILES} 个，只读取了前 {MAX_FILES} 个"))
                    del out[MAX_FILES:]
                    break
        else:
            out.append((p, None))
    seen, unique = set(), []
    for f, root in out:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            unique.append((f, root))
    return unique


def _strip_prefix(name: str) -> str:
    return name[len(HOME_PREFIX):] if name.startswith(HOME_PREFIX) and len(name) > len(HOME_PREFIX) else name


def learner_of(path: Path, root: Path | None) -> str:
    """Whose file this is — from where it is, never from its content.

    Under a folder the teacher named (the homes): the first folder below it (``homes/amy/…`` →
    ``amy``; ``/home/jupyter-amy/…`` → ``amy``).  Otherwise the folder holding ``course/`` if any,
    else the file's owner (its Unix user, without the ``jupyter-`` prefix)."""
    if root is not None:
        try:
            rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
            if len(rel.parts) > 1:
                return _strip_prefix(rel.parts[0])
        except ValueError:
            pass
    parts = Path(os.path.abspath(path)).parts
    if "course" in parts[:-1]:
        i = parts.index("course")
        if i > 0:
            return _strip_prefix(parts[i - 1])
    try:
        import pwd

        return _strip_prefix(pwd.getpwuid(os.lstat(path).st_uid).pw_name)
    except (ImportError, KeyError, OSError):
        return Path(path).stem


@dataclass
class Log:
    """What :func:`scan` found: records (learner set from where each file is), problems, files."""

    records: list[Record] = field(default_factory=list)
    problems: list[BadLine] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def learners(self) -> list[str]:
        return sorted({r.learner for r in self.records})

    def by_learner(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for r in sorted(self.records, key=lambda r: (r.learner, r.time, r.file, r.line)):
            out.setdefault(r.learner, []).append(r)
        return out


#: a learner name as the hub gives it (the hub's username pattern)
_HUB_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def scan(paths: Iterable[str | os.PathLike], hub_exports: Iterable[str | os.PathLike] = ()) -> Log:
    """Read many learners' attempt files (hostile input expected; never raises on a file).

    ``paths``: learners' own files and folders; each record belongs to whoever the file belongs to.
    ``hub_exports``: files the teacher downloaded from the hub's classroom service
    (``attempts-class.jsonl``); there the ``learner`` of each record is the name the hub gave, so it
    is used.  Only the teacher names a file as a hub export: a learner's file is never read so."""
    log = Log()
    for path in hub_exports:
        log.files.append(str(path))
        records, problems = read_file(path)
        log.problems.extend(problems)
        named = [r for r in records if _HUB_NAME.match(r.learner or "")]
        if len(named) < len(records):
            log.problems.append(BadLine(str(path), 0, f"{len(records) - len(named)} 条记录没有集线器给出的学员名，未计入"))
        if not named:
            log.problems.append(BadLine(str(path), 0, "文件里没有可用的记录"))
        log.records.extend(named)
    for path, root in find_files(paths, log.problems):
        log.files.append(str(path))
        records, problems = read_file(path)
        log.problems.extend(problems)
        if not records:
            log.problems.append(BadLine(str(path), 0, "文件里没有可用的记录"))
        if records:
            who = learner_of(path, root)
            foreign = sum(1 for r in records if r.learner and r.learner != who)
            if foreign:
                log.problems.append(BadLine(str(path), 0, f"{foreign} 条记录自称别的学员；按文件所在位置记为 {who}"))
            log.records.extend(replace(r, learner=who) for r in records)
    return log


def export(path: str | os.PathLike, *, source: str | os.PathLike | None = None,
           chapters: Iterable[int] | None = None) -> Path:
    """Write the learner's valid records to ``path`` (one JSON-lines file to hand in)."""
    records, _ = read_file(source if source is not None else log_path())
    if chapters is not None:
        wanted = set(chapters)
        records = [r for r in records if r.chapter in wanted]
    out = Path(path)
    out.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    return out


export_attempts = export


# ---------------------------------------------------------------------------
# JSON-safe answers (used by the kinds' ``stored_answer``)
# ---------------------------------------------------------------------------

def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON data (numpy scalars → numbers, NaN → None, other objects → text)."""
    if depth > MAX_DEPTH - 3:
        return None
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:MAX_ANSWER_TEXT]
    if isinstance(value, int):
        return value if abs(value) < 10 ** 18 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        try:
            return plain(item(), depth)
        except Exception:  # noqa: BLE001
            return None
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value[:5000]]
    if isinstance(value, dict):
        return {str(k)[:200]: plain(v, depth + 1) for k, v in list(value.items())[:200]}
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        try:
            return str(iso())
        except Exception:  # noqa: BLE001
            pass
    return str(value)[:200]


def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Record))


__all__ = ["BadRecord", "FIELDS", "Log", "MAX_DEPTH", "MAX_FILE", "MAX_IDS", "MAX_LINE", "BadLine", "Record",
           "STATUSES", "TRIED", "VERSION", "append", "export", "export_attempts", "find_files", "learner",
           "learner_of", "log_path", "now", "open_regular", "plain", "read_file", "read_log", "reset", "scan"]
