"""Strict reading of the data package: what is validated is exactly what is loaded.

The tables are described by the Frictionless descriptor ``data/datapackage.json`` (a standard,
language-independent format).  At run time we read each CSV *once* with one strict parser that
checks the descriptor's Table Schema as it converts the cells, and build the DataFrame from those
very values — so no cell can pass validation and then be parsed differently by pandas (full-width
digits, ``255_000``, ``NaN``, ``inf`` or ``1e400`` are rejected, not loaded).

Checked per file: UTF-8, no NUL or control characters, header by *name* (columns may be reordered),
row length, blank rows, types (integer, number — finite only —, boolean, string), constraints
(required, unique, enum, pattern, minimum, maximum, minLength, maxLength), primary and foreign keys,
unique keys (``uniqueKeys``, Table Schema v2),
a minimum row count (``minRows`` in the resource, our extension), no invisible characters (zero-width
spaces, a BOM inside a cell), and the row rules of :data:`utils.data.ROW_RULES` (which also see each
cell as written, ``row["__text__"]``).  The rows come back sorted by the resource's key
(:func:`sort_key`), so the order of the lines in the file never changes what is loaded.  Errors raise :class:`TableError` with Chinese messages naming the
file, the row (counted with the header as row 1) and the column.

Frictionless itself stays as the second opinion in the tests: both must accept the shipped files
and reject every corrupted one.  Reading all five tables this way costs milliseconds; frictionless
costs seconds per kernel (its imports and per-cell machinery), which every learner paid on first run.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: characters that print as nothing (Unicode format characters: zero-width spaces and joiners, a BOM
#: inside a cell, soft hyphen, bidirectional marks): "全\u200b国" looks like 全国 and is not equal to it
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]")
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}

TYPE_WORDS = {"integer": "整数", "number": "数", "boolean": "布尔值（true/false）", "string": "文字"}


@dataclass
class Problem:
    """One problem found in a table."""

    message: str
    row: int | None = None
    column: str | None = None
    kind: str = ""


@dataclass
class Parsed:
    """The rows of one table, as converted by the schema (missing cells are None)."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: the DataFrame utils.data builds from these rows, once (it lives as long as this parse is cached)
    frame: Any = field(default=None, repr=False, compare=False)
    #: lookups utils.data derives from this parse, each built once (builder → value), living as long
    derived: dict = field(default_factory=dict, repr=False, compare=False)


class TableError(ValueError):
    def __init__(self, problems: list[Problem], rel: str):
        self.problems = problems
        self.rel = rel
        first = problems[0]
        self.row, self.column = first.row, first.column
        shown = "\n".join("  • " + p.message for p in problems[:5])
        more = f"\n  …… 另有 {len(problems) - 5} 处问题" if len(problems) > 5 else ""
        super().__init__(
            f"数据文件 {rel} 没有通过校验，共 {len(problems)} 处问题：\n{shown}{more}\n"
            f"请对照 data/README.md 修正，或用 git checkout -- {rel} 恢复原文件。"
        )


def _place(rel: str, row: int | None, column: str | None) -> str:
    parts = [f"数据文件 {rel}"]
    if row is not None:
        parts.append(f"第 {row} 行（含表头）")
    if column:
        parts.append(f"列“{column}”")
    return "，".join(parts)


def convert(text: str, ftype: str) -> tuple[Any, str | None]:
    """Convert one non-empty cell; return (value, None) or (None, Chinese reason)."""
    if ftype == "integer":
        if _INTEGER.fullmatch(text):
            return int(text), None
        return None, f"值“{text}”不是整数（只接受半角数字，例如 2016）"
    if ftype == "number":
        if not _NUMBER.fullmatch(text):
            return None, f"值“{text}”不是数（只接受半角数字和小数点，例如 25.5 或 2.55e5；不接受全角数字、下划线、NaN、inf）"
        number = float(text)
        if not math.isfinite(number):
            return None, f"值“{text}”超出了能表示的范围（结果是无穷大）"
        return number, None
    if ftype == "boolean":
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, f"值“{text}”不是 true 或 false"
    return text, None


def _check_constraints(value: Any, text: str, fdesc: dict) -> str | None:
    c = fdesc.get("constraints") or {}
    if "enum" in c and value not in c["enum"]:
        allowed = "、".join(map(str, c["enum"][:12]))
        return f"值“{text}”不在允许的取值里（{allowed}）"
    if "pattern" in c and isinstance(value, str) and not re.fullmatch(c["pattern"], value):
        return f"值“{text}”的格式不对（应符合 {c['pattern']}）"
    if "minimum" in c and value < c["minimum"]:
        return f"值“{text}”小于允许的最小值 {c['minimum']}"
    if "maximum" in c and value > c["maximum"]:
        return f"值“{text}”大于允许的最大值 {c['maximum']}"
    if "minLength" in c and len(value) < c["minLength"]:
        return f"值“{text}”太短（至少 {c['minLength']} 个字）"
    if "maxLength" in c and len(value) > c["maxLength"]:
        return f"值“{text[:30]}”太长（最多 {c['maxLength']} 个字）"
    return None


def read_table(raw: bytes, resource: dict, rel: str, *, row_rules: list[tuple[str, Callable, str]] = (),
               ) -> Parsed:
    """Parse and check one CSV against its resource descriptor; raise :class:`TableError`."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError([Problem(f"{_place(rel, None, None)}：文件编码不是 UTF-8（第 {exc.start} 个字节），"
                                  "请用 UTF-8 保存。", kind="encoding")], rel) from None
    if not text.strip():
        raise TableError([Problem(f"{_place(rel, None, None)}：文件是空的，连表头都没有。", kind="empty")], rel)
    fields = resource["schema"]["fields"]
    wanted = [f["name"] for f in fields]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise TableError([Problem(f"{_place(rel, reader.line_num, None)}：CSV 格式错误（{exc}）。", reader.line_num,
                                  kind="format")], rel) from None
    header = records[0]
    missing = [c for c in wanted if c not in header]
    extra = [c for c in header if c not in wanted]
    dup = sorted({c for c in header if header.count(c) > 1})
    if missing or extra or dup:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(f'“{c}”' for c in missing)}")
        if extra:
            parts.append(f"多出了未定义的列：{'、'.join(f'“{c}”' for c in extra)}")
        if dup:
            parts.append(f"列名重复：{'、'.join(f'“{c}”' for c in dup)}")
        column = (missing or extra or dup)[0]
        raise TableError([Problem(f"{_place(rel, 1, column)}：{'；'.join(parts)}。应有的列是：{', '.join(wanted)}"
                                  "（顺序可以不同）。", 1, column, kind="header")], rel)
    position = {name: header.index(name) for name in wanted}
    parsed = Parsed(columns=wanted)
    seen: dict[str, dict] = {f["name"]: {} for f in fields if (f.get("constraints") or {}).get("unique")}
    for number, record in enumerate(records[1:], start=2):
        if not record or all(not cell.strip() for cell in record):
            problems.append(Problem(f"{_place(rel, number, None)}：空行。", number, kind="blank-row"))
            continue
        if len(record) != len(header):
            what = "缺少单元格" if len(record) < len(header) else "多出单元格"
            problems.append(Problem(f"{_place(rel, number, None)}：{what}（应有 {len(header)} 格，实有 {len(record)} 格）。",
                                    number, kind="row-length"))
            continue
        row: dict[str, Any] = {}
        for fdesc in fields:
            name = fdesc["name"]
            cell = record[position[name]]
            if _CONTROL.search(cell):
                problems.append(Problem(f"{_place(rel, number, name)}：含有不可见的控制字符（例如 NUL），"
                                        "通常是文件损坏。", number, name, kind="control"))
                row[name] = None
                continue
            hidden = _INVISIBLE.search(cell)
            if hidden:
                problems.append(Problem(f"{_place(rel, number, name)}：值“{cell[:30]}”里有看不见的字符"
                                        f"（U+{ord(hidden.group()):04X}，如零宽空格或 BOM），它看起来和正常文字一样，"
                                        "比较时却不相等；通常是从网页或文档复制时带进来的，请删掉它。",
                                        number, name, kind="invisible"))
                row[name] = None
                continue
            if cell == "":
                if (fdesc.get("constraints") or {}).get("required"):
                    problems.append(Problem(f"{_place(rel, number, name)}：必填，但是空的。", number, name, kind="required"))
                row[name] = None
                continue
            value, reason = convert(cell, fdesc.get("type", "string"))
            if reason is None:
                reason = _check_constraints(value, cell, fdesc)
            if reason is not None:
                problems.append(Problem(f"{_place(rel, number, name)}：{reason}。", number, name, kind="cell"))
                row[name] = None
                continue
            if name in seen:
                if value in seen[name]:
                    problems.append(Problem(f"{_place(rel, number, name)}：值“{cell}”与第 {seen[name][value]} 行重复"
                                            "（必须唯一）。", number, name, kind="unique"))
                else:
                    seen[name][value] = number
            row[name] = value
        else:
            row["__row__"] = number
            row["__text__"] = {name: record[position[name]] for name in wanted}  # for row rules on the written form
            parsed.rows.append(row)
    pk = resource["schema"].get("primaryKey")
    if pk:
        keys = [pk] if isinstance(pk, str) else list(pk)
        first: dict[tuple, int] = {}
        for row in parsed.rows:
            key = tuple(row.get(k) for k in keys)
            if None in key:
                continue
            if key in first:
                shown = "、".join(str(k) for k in key)
                problems.append(Problem(f"{_place(rel, row['__row__'], keys[0])}：主键“{shown}”与第 {first[key]} 行重复。",
                                        row["__row__"], keys[0], kind="primary-key"))
            else:
                first[key] = row["__row__"]
    for group in resource["schema"].get("uniqueKeys") or ():  # Table Schema v2: fields unique together
        group = [group] if isinstance(group, str) else list(group)
        first = {}
        for row in parsed.rows:
            key = tuple(row.get(k) for k in group)
            if None in key:
                continue
            if key in first:
                problems.append(Problem(f"{_place(rel, row['__row__'], group[0])}：与第 {first[key]} 行的 "
                                        f"{'、'.join(group)} 完全相同——同一个数字不能记两次。",
                                        row["__row__"], group[0], kind="unique-key"))
            else:
                first[key] = row["__row__"]
    for column, rule, message in row_rules:
        for row in parsed.rows:
            try:
                ok = bool(rule(row))
            except Exception:  # noqa: BLE001 - a cell already reported as broken
                ok = True
            if not ok:
                problems.append(Problem(f"{_place(rel, row['__row__'], column)}：{message}。", row["__row__"], column,
                                        kind="row-rule"))
    minimum = resource.get("minRows")
    if minimum is not None and len(parsed.rows) < minimum and not problems:
        problems.append(Problem(f"{_place(rel, None, None)}：只有 {len(parsed.rows)} 行数据，至少应有 {minimum} 行——"
                                "文件可能被截断了。", None, None, kind="min-rows"))
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0))
        raise TableError(problems, rel)
    parsed.rows.sort(key=sort_key(resource))
    return parsed


def sort_key(resource: dict) -> Callable[[dict], tuple]:
    """The order rows are loaded in, whatever their order in the file: the resource's ``sortKey`` (our
    extension, a list of fields) or else its primary key.  A field with an ``enum`` sorts in the
    enum's order (导语, 总述, (一), (二), (三), 结语), others by value; missing cells first."""
    schema = resource["schema"]
    keys = resource.get("sortKey") or schema.get("primaryKey") or [schema["fields"][0]["name"]]
    keys = [keys] if isinstance(keys, str) else list(keys)
    enums = {f["name"]: {v: i for i, v in enumerate((f.get("constraints") or {}).get("enum") or ())}
             for f in schema["fields"]}

    def key(row: dict) -> tuple:
        out = []
        for name in keys:
            value = row.get(name)
            if value is None:
                out.append((0, 0, ""))
            elif value in enums.get(name, {}):
                out.append((1, enums[name][value], ""))
            else:
                out.append((1, 0, value))
        return tuple(out) + (row["__row__"],)

    return key


def check_foreign_keys(parsed: Parsed, resource: dict, rel: str, lookup: Callable[[str], Parsed]) -> None:
    """Every foreign key of ``resource`` must point at an existing row of the referenced table."""
    problems = []
    for fk in resource["schema"].get("foreignKeys") or ():
        fields_ = [fk["fields"]] if isinstance(fk["fields"], str) else list(fk["fields"])
        ref = fk["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else list(ref["fields"])
        target = lookup(ref["resource"])
        keys = {tuple(r.get(f) for f in ref_fields) for r in target.rows}
        for row in parsed.rows:
            key = tuple(row.get(f) for f in fields_)
            if None in key:
                continue
            if key not in keys:
                shown = "、".join(str(k) for k in key)
                problems.append(Problem(f"{_place(rel, row['__row__'], fields_[-1])}：引用的“{shown}”在 "
                                        f"{ref['resource']} 表中不存在。", row["__row__"], fields_[-1], kind="foreign-key"))
    if problems:
        raise TableError(problems, rel)
