"""Review and accept a deliberate change to ``data/``: the data files' recorded SHA-256 hashes.

    python -m utils.rehash                 # what changed since the recorded version, cell by cell
    python -m utils.rehash --write         # the same, then record the new hashes (only if every table passes)
    python -m utils.rehash --previous DIR  # compare with another copy of data/ instead of git

Each resource of ``data/datapackage.json`` records its file's SHA-256 in Frictionless' ``hash`` property
(``"sha256:<hex>"``) and ``data/datapackage.sha256`` records the descriptor's own SHA-256 (the format of
``sha256sum``, so ``cd data && sha256sum -c datapackage.sha256`` checks it too).  Loading refuses a file
whose bytes do not match (:mod:`utils.data`).

To show *what* changed, the command needs the version that was accepted: it looks in git for the
version of each file whose SHA-256 is the recorded one (the index, then the file's last 200 commits),
or reads it from ``--previous DIR``.  It prints old → new for every changed cell, with the row's key
(the figure's id), rows added or removed, and whether only the order of rows or columns changed (the
loader sorts rows by key, so order alone changes no answer).  ``--write`` first checks every table
against the schema (a malformed file is never accepted) and then writes the hashes.

Exit status: 0 nothing to accept (or written), 1 changes found and not written, 2 a table fails its schema.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import data as _data

#: how many commits of one file's history are searched for its recorded version
GIT_DEPTH = 200
_HIDDEN = re.compile("[\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff"
                     "\ufff9-\ufffb\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class FileChange:
    """One file of data/ whose bytes are not the recorded ones."""

    rel: str
    recorded: str | None
    actual: str
    previous_found: bool = False
    lines: list[str] = field(default_factory=list)


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _show(text: str) -> str:
    """A cell as a maintainer must see it: invisible characters spelled out, long text cut."""
    shown = _HIDDEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    return f"“{shown[:60]}{'…' if len(shown) > 60 else ''}”" if shown else "（空）"


# ---------------------------------------------------------------------------
# the accepted version: git or a directory
# ---------------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def previous_version(path: Path, digest: str | None, previous: Path | None = None) -> bytes | None:
    """The bytes of ``path`` whose SHA-256 is ``digest`` (the accepted version), or None."""
    if not digest:
        return None
    if previous is not None:
        candidate = previous / path.name
        try:
            raw = candidate.read_bytes() if candidate.is_file() else None
        except OSError:
            raw = None
        return raw if raw is not None and sha256(raw) == digest else None
    top = _git(["rev-parse", "--show-toplevel"], path.parent)
    if top is None:
        return None
    try:
        rel = path.resolve().relative_to(Path(top.decode().strip()).resolve()).as_posix()
    except ValueError:
        return None
    # the pathspec is relative to the top of the work tree (":/"), whatever the current folder
    commits = (_git(["log", f"-n{GIT_DEPTH}", "--format=%H", "--", f":/{rel}"], path.parent) or b"").decode().split()
    for rev in ["", "HEAD", *commits]:          # "" = the index (staged version)
        raw = _git(["show", f"{rev}:{rel}"], path.parent)
        if raw is not None and sha256(raw) == digest:
            return raw
    return None


# ---------------------------------------------------------------------------
# cell by cell
# ---------------------------------------------------------------------------

def _rows(raw: bytes) -> tuple[list[str], list[dict]]:
    text = raw.decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return [], []
    header = records[0]
    return header, [dict(zip(header, rec)) for rec in records[1:] if any(c.strip() for c in rec)]


def cell_changes(old: bytes, new: bytes, key: list[str]) -> list[str]:
    """Chinese lines: every changed cell (old → new) by row key, rows added/removed, order changes."""
    old_header, old_rows = _rows(old)
    new_header, new_rows = _rows(new)
    out = []
    if old_header != new_header:
        if sorted(old_header) == sorted(new_header):
            out.append("列的顺序变了（按列名读取，不影响数据）")
        else:
            gone = [c for c in old_header if c not in new_header]
            added = [c for c in new_header if c not in old_header]
            if gone:
                out.append(f"删除了列：{'、'.join(gone)}")
            if added:
                out.append(f"新增了列：{'、'.join(added)}")

    def keyed(rows):
        index: dict[str, dict] = {}
        for row in rows:
            k = " / ".join(row.get(c, "") for c in key)
            while k in index:                      # a duplicated key stays visible
                k += " (重复)"
            index[k] = row
        return index

    before, after = keyed(old_rows), keyed(new_rows)
    columns = [c for c in new_header if c in old_header]
    for k, row in after.items():
        if k not in before:
            out.append(f"新增一行 {k}：" + "，".join(f"{c}={_show(row.get(c, ''))}" for c in new_header if row.get(c)))
            continue
        for c in columns:
            if before[k].get(c, "") != row.get(c, ""):
                out.append(f"{k} 的 {c}：{_show(before[k].get(c, ''))} → {_show(row.get(c, ''))}")
    for k, row in before.items():
        if k not in after:
            out.append(f"删除一行 {k}：" + "，".join(f"{c}={_show(row.get(c, ''))}" for c in old_header if row.get(c)))
    if not out and [*before] != [*after]:
        out.append("只是行的顺序变了（读入时按主键排序，答案和图表不受影响）")
    if not out and old != new:
        out.append("单元格的内容没有变，只是写法变了（引号、换行符、BOM 或文件末尾）")
    return out


def descriptor_changes(old: bytes, new: bytes) -> list[str]:
    """The descriptor's changed lines (its ``hash`` lines left out: they are what --write rewrites)."""
    def lines(raw):
        return [line for line in raw.decode("utf-8", errors="replace").splitlines() if '"hash": "sha256:' not in line]

    diff = difflib.unified_diff(lines(old), lines(new), "已确认的版本", "现在的文件", n=1, lineterm="")
    return [line for line in diff][2:] or ["只有校验值（hash）不同"]


# ---------------------------------------------------------------------------
# review and write
# ---------------------------------------------------------------------------

def review(data_dir: Path | None = None, previous: Path | None = None) -> tuple[list[FileChange], dict, bytes]:
    """Compare every file with its recorded hash; return (changes, the descriptor, its bytes)."""
    data_dir = Path(data_dir) if data_dir is not None else _data.DATA_DIR
    descriptor = _data._descriptor(data_dir, verify=False)  # noqa: SLF001 - our own module
    descriptor_path = data_dir / _data.DESCRIPTOR
    raw_descriptor = descriptor_path.read_bytes()
    changes = []
    for res in descriptor["resources"]:
        path = data_dir / res["path"]
        rel = f"data/{res['path']}"
        try:
            raw = path.read_bytes()
        except OSError:
            changes.append(FileChange(rel, res.get("hash"), "", lines=["文件不存在或无法读取"]))
            continue
        recorded = str(res.get("hash") or "").removeprefix("sha256:") or None
        actual = sha256(raw)
        if recorded == actual:
            continue
        change = FileChange(rel, recorded, actual)
        old = previous_version(path, recorded, previous)
        if recorded is None:
            change.lines = ["还没有记录校验值"]
        elif old is None:
            change.lines = ["找不到已确认的版本（git 历史里和 --previous 目录里都没有校验值相符的文件），"
                            "无法逐格比较；请用 git diff 或与备份对照后再确认"]
        else:
            change.previous_found = True
            key = res["schema"].get("primaryKey") or [res["schema"]["fields"][0]["name"]]  # the figure's id
            change.lines = cell_changes(old, raw, [key] if isinstance(key, str) else list(key))
        changes.append(change)
    recorded = _data.recorded_descriptor_hash(data_dir)
    actual = sha256(raw_descriptor)
    if recorded != actual:
        change = FileChange(f"data/{_data.DESCRIPTOR}", recorded, actual)
        old = previous_version(descriptor_path, recorded, previous)
        if recorded is None:
            change.lines = [f"data/{_data.DESCRIPTOR_HASH} 不存在或不完整"]
        elif old is None:
            change.lines = ["找不到已确认的版本，无法逐行比较"]
        else:
            change.previous_found = True
            change.lines = descriptor_changes(old, raw_descriptor)
        changes.append(change)
    return changes, descriptor, raw_descriptor


def schema_problems(data_dir: Path, descriptor: dict) -> list[str]:
    """Every table checked against the schema (hashes aside): the Chinese messages of the failures."""
    problems = []
    for res in descriptor["resources"]:
        try:
            _data._parse(res["name"], data_dir, verify=False)  # noqa: SLF001 - our own module
        except _data.DataFileError as exc:
            problems.append(str(exc))
    return problems


def _write_atomic(path: Path, raw: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)


def write_hashes(data_dir: Path, descriptor: dict) -> None:
    """Record every file's SHA-256 in the descriptor, then the descriptor's own in datapackage.sha256."""
    updated = json.loads(json.dumps(descriptor))
    for res in updated["resources"]:
        raw = (data_dir / res["path"]).read_bytes()
        res["hash"] = f"sha256:{sha256(raw)}"
    text = (json.dumps(updated, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    _write_atomic(data_dir / _data.DESCRIPTOR, text)
    _write_atomic(data_dir / _data.DESCRIPTOR_HASH, f"{sha256(text)}  {_data.DESCRIPTOR}\n".encode("ascii"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.rehash", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the new hashes (after the schema check)")
    parser.add_argument("--data", type=Path, default=None, help="the data folder (default: the course's data/)")
    parser.add_argument("--previous", type=Path, default=None,
                        help="a copy of the accepted data/ to compare with (default: git history)")
    args = parser.parse_args(argv)
    data_dir = args.data or _data.DATA_DIR
    try:
        changes, descriptor, _ = review(data_dir, args.previous)
    except _data.DataFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not changes:
        print("data/ 中每个文件都与记录的校验值一致，没有需要确认的改动。")
        return 0
    for change in changes:
        print(f"■ {change.rel}")
        print(f"  记录的 SHA-256：{change.recorded or '（无）'}")
        print(f"  现在的 SHA-256：{change.actual or '（无）'}")
        for line in change.lines:
            print(f"  {line}")
    problems = schema_problems(data_dir, descriptor)
    if problems:
        print("\n这些表没有通过表结构校验，不能确认（先修正它们）：", file=sys.stderr)
        for text in problems:
            print(text, file=sys.stderr)
        return 2
    if not args.write:
        print(f"\n以上改动还没有被确认。核对无误后运行：python -m utils.rehash --write"
              + (f" --data {data_dir}" if args.data else ""))
        return 1
    write_hashes(data_dir, descriptor)
    print(f"\n已在 data/{_data.DESCRIPTOR} 中记录新的校验值，并更新 data/{_data.DESCRIPTOR_HASH}。"
          "请把数据文件和这两个文件一起提交（git commit）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
