"""Loading, validating and looking up the report's figures.

The tables live in ``data/`` next to this package and are described by the
Frictionless descriptor ``data/datapackage.json``.  Every table is validated
with frictionless (types, enums, unique keys, required cells) plus the row
rules in :data:`ROW_RULES` before it is handed out.  A broken file raises
:class:`DataFileError` with a Chinese message naming file, row and column.

Validation costs about a second the first time in a process (frictionless
imports jsonschema), so a successful result is remembered in a small stamp
file keyed by the SHA-256 of the CSV and the descriptor: unchanged files are
not validated again, a changed byte triggers a full validation.
"""
from __future__ import annotations

import difflib
import hashlib
import html
import json
import math
import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .catalog import CHAPTER_NAMES, DATA_CHAPTERS, chapter_range_text  # the lesson catalogue
from .quantities import bounds as _bounds
from .quantities import format_cn

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
DESCRIPTOR = "datapackage.json"
STAMP_FILE = ".validated.json"

NO_SOURCE = "报告未注明来源"

#: Row-level rules that a column type cannot express, as frictionless
#: ``row_constraint`` formulas: (resource, column the rule is about, formula, Chinese message).
ROW_RULES = [
    (
        "report_figures",
        "value",
        "unit != '%' or kind not in ('level', 'share', 'threshold') or (value >= 0 and value <= 100)",
        "百分比（单位 %）的水平值或占比必须在 0–100 之间",
    ),
    (
        "report_figures",
        "value_high",
        "qualifier != 'range' or (value_high != None and value_high > value)",
        "区间（qualifier = range）必须填写 value_high，且大于 value",
    ),
    (
        "report_figures",
        "period_end",
        "period_start == None or period_end == None or period_end >= period_start",
        "period_end 不能早于 period_start",
    ),
    # the chapter numbers come from the lesson catalogue (utils/catalog.toml), not the descriptor
    *[(table, "chapter", f"chapter >= 0 and chapter <= {max(DATA_CHAPTERS)}",
       f"章节编号应为 {chapter_range_text(DATA_CHAPTERS)} 之间的整数（见 utils/catalog.toml）")
      for table in ("report_figures", "glossary", "lists", "sections")],
]

_ERROR_WORDS = {
    "type-error": "类型不对",
    "constraint-error": "不符合约束",
    "missing-label": "缺少列",
    "blank-label": "列名为空",
    "duplicate-label": "列名重复",
    "incorrect-label": "列名与规定不一致",
    "extra-label": "多出了未定义的列",
    "missing-cell": "缺少单元格",
    "extra-cell": "多出单元格",
    "blank-row": "空行",
    "unique-error": "值重复（必须唯一）",
    "primary-key": "主键重复",
    "row-constraint": "不符合行规则",
    "encoding-error": "文件编码不是 UTF-8",
    "source-error": "无法读取",
    "scheme-error": "无法读取",
    "format-error": "格式无法识别",
    "foreign-key": "引用的章节不存在（须在 sections.csv 中）",
}


class DataFileError(ValueError):
    """A data file is missing or broken.  ``str(err)`` is a Chinese message for learners."""

    def __init__(self, message: str, *, path: Path | None = None, row: int | None = None,
                 column: str | None = None, problems: list[dict] | None = None):
        super().__init__(message)
        self.path, self.row, self.column = path, row, column
        self.problems = problems or []


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _descriptor(data_dir: Path) -> dict:
    path = data_dir / DESCRIPTOR
    if not path.is_file():
        raise DataFileError(f"找不到数据说明文件 {path}（数据包描述 datapackage.json）", path=path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"数据说明文件 {path} 不是合法的 JSON：{exc}", path=path) from exc


def _resource_descriptor(name: str, data_dir: Path) -> dict:
    for res in _descriptor(data_dir)["resources"]:
        if res["name"] == name:
            return res
    known = "、".join(r["name"] for r in _descriptor(data_dir)["resources"])
    raise DataFileError(f"没有名为“{name}”的数据表；可用的表：{known}")


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _read_stamps(data_dir: Path) -> dict:
    try:
        return json.loads((data_dir / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_stamp(data_dir: Path, name: str, digest: str) -> None:
    stamps = _read_stamps(data_dir)
    stamps[name] = digest
    target = data_dir / STAMP_FILE
    tmp = target.with_name(f"{STAMP_FILE}.{os.getpid()}.tmp")
    try:  # atomic: several kernels may validate at once
        tmp.write_text(json.dumps(stamps, indent=0), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:  # a read-only checkout: we simply validate again next time
        pass


def _friendly(error, rel: str, rule_columns: dict) -> dict:
    """Turn one frictionless error into a dict with a Chinese message."""
    etype = error.type
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or rule_columns.get(getattr(error, "note", ""), {}).get("column")
    cell = getattr(error, "cell", None)
    what = _ERROR_WORDS.get(etype, etype)
    if etype == "row-constraint":
        rule = rule_columns.get(error.note, {})
        column = rule.get("column")
        detail = rule.get("message", error.note)
    elif etype == "type-error":
        detail = f"值“{cell}”不是规定的类型（{error.note}）"
    elif etype == "constraint-error":
        detail = f"值“{cell}”{error.note}"
    elif etype in ("unique-error", "primary-key"):
        detail = f"值“{cell or ''}”与前面某行重复（{error.note}）"
    elif etype in ("missing-label", "incorrect-label", "extra-label", "blank-label", "duplicate-label"):
        detail = f"表头应包含列“{column}”" if etype == "missing-label" else (error.note or "")
    else:
        detail = error.note or ""
    place = [f"数据文件 {rel}"]
    if row:
        place.append(f"第 {row} 行（含表头）")
    if column:
        place.append(f"列“{column}”")
    return {"type": etype, "row": row, "column": column,
            "message": "，".join(place) + f"：{what}。{detail}".rstrip("。") + "。"}


def _check_header(raw: bytes, res: dict, rel: str, path: Path) -> None:
    """Compare the header with the schema by name (frictionless compares by position)."""
    import csv

    try:
        first = raw.decode("utf-8-sig").splitlines()[0]
    except UnicodeDecodeError:
        raise DataFileError(f"数据文件 {rel} 不是 UTF-8 编码，请用 UTF-8 保存。", path=path) from None
    header = next(csv.reader([first]))
    wanted = [f["name"] for f in res["schema"]["fields"]]
    missing = [c for c in wanted if c not in header]
    extra = [c for c in header if c not in wanted]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(f'“{c}”' for c in missing)}")
        if extra:
            parts.append(f"多出了未定义的列：{'、'.join(f'“{c}”' for c in extra)}")
        raise DataFileError(
            f"数据文件 {rel}，第 1 行（表头）：{'；'.join(parts)}。应有的列依次是：{', '.join(wanted)}。"
            f"请对照 data/README.md 修正，或用 git checkout -- {rel} 恢复原文件。",
            path=path, row=1, column=(missing or extra)[0],
        )


def validate_table(name: str, data_dir: Path | str | None = None, *, use_stamp: bool = True) -> Path:
    """Validate one table of the data package; return its path or raise :class:`DataFileError`."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    res = _resource_descriptor(name, data_dir)
    path = data_dir / res["path"]
    rel = f"data/{res['path']}"
    if not path.is_file():
        raise DataFileError(f"找不到数据文件 {rel}（完整路径 {path}）。请确认仓库是完整克隆的。", path=path)
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFileError(f"数据文件 {rel} 是空的：连表头都没有。请从仓库恢复此文件（git checkout -- {rel}）。",
                            path=path)
    _check_header(raw, res, rel, path)
    # every table of the package takes part: a foreign key can break when another table changes
    others = sorted(data_dir / r["path"] for r in _descriptor(data_dir)["resources"])
    digest = _digest(data_dir / DESCRIPTOR, *[p for p in others if p.is_file()])
    if use_stamp and _read_stamps(data_dir).get(name) == digest:
        return path

    from frictionless import Checklist, Package, checks  # slow import, only when needed

    rules = [r for r in ROW_RULES if r[0] == name]
    rule_columns = {}
    check_list = []
    for _, column, formula, message in rules:
        check_list.append(checks.row_constraint(formula=formula))
        rule_columns[f'the row constraint to conform is "{formula}"'] = {"column": column, "message": message}
    try:
        package = Package(_descriptor(data_dir), basepath=str(data_dir))
        report = package.get_resource(name).validate(Checklist(checks=check_list))
    except Exception as exc:  # frictionless reports most problems; this catches the rest
        raise DataFileError(f"数据文件 {rel} 无法读取：{exc}", path=path) from exc
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    if errors:
        problems = [_friendly(e, rel, rule_columns) for e in errors]
        # a missing column makes every row incomplete: show the cause first
        problems.sort(key=lambda p: (p["row"] is not None, p["row"] or 0))
        shown = "\n".join("  • " + p["message"] for p in problems[:5])
        more = f"\n  …… 另有 {len(problems) - 5} 处问题" if len(problems) > 5 else ""
        first = problems[0]
        raise DataFileError(
            f"数据文件 {rel} 没有通过校验，共 {len(problems)} 处问题：\n{shown}{more}\n"
            f"请对照 data/README.md 修正，或用 git checkout -- {rel} 恢复原文件。",
            path=path, row=first["row"], column=first["column"], problems=problems,
        )
    _write_stamp(data_dir, name, digest)
    return path


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------

_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}


@lru_cache(maxsize=32)
def _load_cached(name: str, data_dir: Path, digest: str) -> pd.DataFrame:
    path = validate_table(name, data_dir)
    res = _resource_descriptor(name, data_dir)
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in res["schema"]["fields"]}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    for column, dtype in dtypes.items():
        if dtype == "string" and column in frame:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame


def load_table(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One validated table of ``data/`` as a DataFrame (a fresh copy each call)."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    res = _resource_descriptor(name, data_dir)
    path = data_dir / res["path"]
    if not path.is_file():
        validate_table(name, data_dir)  # raises the friendly "not found" error
    stat = path.stat()
    key = f"{stat.st_mtime_ns}:{stat.st_size}"
    return _load_cached(name, data_dir, key).copy()


def load_figures(chapter: int | None = None) -> pd.DataFrame:
    """All figures of the report (or of one chapter: 0 = opening paragraph; chapters from the catalogue)."""
    frame = load_table("report_figures")
    if chapter is not None:
        if chapter not in CHAPTER_NAMES:
            raise ValueError(f"章节应为 {chapter_range_text(DATA_CHAPTERS)} 之间的整数，收到的是 {chapter!r}")
        frame = frame[frame["chapter"] == chapter]
    return frame.reset_index(drop=True)


def national_series() -> pd.DataFrame:
    """The national 2012–2020 series (outside the report; sources in the table)."""
    return load_table("national_series")


def glossary() -> pd.DataFrame:
    """Policy terms with English equivalents and our one-line explanations."""
    return load_table("glossary")


def report_list(list_id: str) -> pd.DataFrame:
    """One of the report's qualitative lists (e.g. ``"ch4.monitor_channels"``), in order."""
    frame = load_table("lists")
    out = frame[frame["list_id"] == list_id].sort_values("order").reset_index(drop=True)
    if out.empty:
        close = difflib.get_close_matches(list_id, frame["list_id"].unique().tolist(), n=3)
        hint = f"你是不是想找：{'、'.join(close)}？" if close else ""
        raise KeyError(f"没有编号为“{list_id}”的清单。{hint}")
    return out


def section_title(chapter: int, section: str) -> str:
    """The report's heading of a section (``section_title(1, "(二)")``)."""
    frame = load_table("sections")
    hit = frame[(frame["chapter"] == chapter) & (frame["section"] == section)]
    return str(hit["title"].iloc[0]) if len(hit) else ""


def where(chapter: int, section: str) -> str:
    """"第一章(二) 基层组织“会战”" — the place of a figure in the report, for captions."""
    label = CHAPTER_NAMES.get(int(chapter), f"第{chapter}章")
    if int(chapter) == 0:
        return "导语"
    if section in ("总述", "结语"):
        return f"{label}·{section}"
    title = section_title(chapter, section)
    short = title.split(":")[0].split("：")[0] if title else ""
    return f"{label}{section} {short}".strip()


# ---------------------------------------------------------------------------
# one figure
# ---------------------------------------------------------------------------

def _clean(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


@dataclass(frozen=True)
class Figure:
    """One figure of the report, with where it stands and what it is compared with."""

    id: str
    chapter: int
    section: str
    indicator: str
    region: str
    period_start: int | None
    period_end: int | None
    value: float
    value_high: float | None
    unit: str
    qualifier: str
    kind: str
    base_period: int | None
    comparison: str
    source_cited: str
    quote: str
    note: str

    @property
    def text(self) -> str:
        """The figure as the report words it, qualifier included (``300多万人``, ``近200万人``, ``超过800亿元``)."""
        if self.qualifier == "at_least" and "多" in self.quote:
            plain = format_cn(self.value, self.unit, style="plain")
            number = plain.rstrip(self.unit) if self.unit and plain.endswith(self.unit) else plain
            digits = len(number) - len(number.lstrip("-0123456789."))
            return f"{number[:digits]}多{number[digits:]}{self.unit}"
        if self.kind == "multiple":
            n = format_cn(self.value, "", style="plain")
            return f"增长{n}倍" + ("以上" if self.qualifier == "at_least" else "")
        if self.qualifier == "approx" and "近" in self.quote:
            return "近" + format_cn(self.value, self.unit, value_high=self.value_high)
        if self.qualifier == "at_least" and self.value >= 0:  # keep the report's own word
            plain = format_cn(self.value, self.unit, style="plain")
            for word, fmt in (("不少于", "不少于{}"), ("至少", "至少{}"), ("突破", "突破{}"), ("以上", "{}以上")):
                if word in self.quote:
                    return fmt.format(plain)
        return format_cn(self.value, self.unit, qualifier=self.qualifier, value_high=self.value_high)

    @property
    def short(self) -> str:
        """Compact form with symbols, for chart labels (``≥300万人``)."""
        return format_cn(self.value, self.unit, qualifier=self.qualifier, value_high=self.value_high,
                         style="symbols")

    @property
    def where(self) -> str:
        return where(self.chapter, self.section)

    @property
    def source(self) -> str:
        return self.source_cited or NO_SOURCE

    @property
    def period(self) -> str:
        if self.period_start is None and self.period_end is None:
            return "未注明"
        if self.period_start == self.period_end or self.period_start is None:
            return f"{self.period_end}年"
        return f"{self.period_start}–{self.period_end}年"

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) that the wording allows; "300多万" → (300万, 400万)."""
        low, high = _bounds(self.value, self.qualifier, quote=self.quote, value_high=self.value_high,
                            unit=self.unit)
        if self.unit == "%" and self.kind in ("level", "share", "threshold"):
            high = min(high, 100.0)  # a share or rate cannot exceed 100%
        return low, high

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return (f"{self.indicator}（{self.region}，{self.period}）：{self.text}"
                f" ｜ {self.where} ｜ 原文“{self.quote}” ｜ 来源：{self.source}")

    def _repr_html_(self) -> str:
        e = html.escape
        return (
            '<div class="report-figure" style="border-left:4px solid #0173b2;padding:2px 8px;margin:4px 0">'
            f"<b>{e(self.indicator)}</b>（{e(self.region)}，{e(self.period)}）：<b>{e(self.text)}</b><br>"
            f'<small>{e(self.where)} ｜ 原文“{e(self.quote)}” ｜ 来源：{e(self.source)}'
            f" ｜ 编号 <code>{e(self.id)}</code></small></div>"
        )


@lru_cache(maxsize=4)
def _figure_index(key: str) -> dict:
    frame = load_figures()
    out = {}
    for row in frame.to_dict("records"):
        kw = {f.name: _clean(row.get(f.name)) for f in fields(Figure)}
        for text_field in ("section", "indicator", "region", "unit", "qualifier", "kind",
                           "comparison", "source_cited", "quote", "note"):
            kw[text_field] = kw[text_field] or ""
        kw["value"] = float(kw["value"])
        if kw["value_high"] is not None:
            kw["value_high"] = float(kw["value_high"])
        out[kw["id"]] = Figure(**kw)
    return out


def _index() -> dict:
    res = _resource_descriptor("report_figures", DATA_DIR)
    stat = (DATA_DIR / res["path"]).stat()
    return _figure_index(f"{stat.st_mtime_ns}:{stat.st_size}")


def figure(figure_id: str) -> Figure:
    """Look a figure up by its id, e.g. ``figure("ch1.village_teams")``."""
    index = _index()
    if not isinstance(figure_id, str):
        raise KeyError(f"图表编号应是文字，例如 \"ch1.village_teams\"，收到的是 {type(figure_id).__name__}")
    try:
        return index[figure_id]
    except KeyError:
        close = difflib.get_close_matches(figure_id, list(index), n=3, cutoff=0.5)
        hint = f"你是不是想找：{'、'.join(close)}？" if close else "可用 utils.load_figures() 查看全部编号。"
        raise KeyError(f"数据中没有编号为“{figure_id}”的数字。{hint}") from None


def value(figure_id: str) -> float:
    """Just the number (base units) of a figure."""
    return figure(figure_id).value


_TABLE_COLUMNS = {
    "indicator": "指标",
    "region": "地区",
    "period": "时期",
    "text": "数值",
    "where": "出处",
    "source": "来源",
}


def figures(*ids: str, table: bool = False) -> pd.DataFrame:
    """Several figures as a DataFrame, in the order given.

    ``table=False``: the raw columns plus ``text``, ``where``, ``source`` and ``label``
    (what charts use).  ``table=True``: a Chinese display table (指标, 地区, 时期, 数值, 出处, 来源).
    """
    if len(ids) == 1 and isinstance(ids[0], (list, tuple)):
        ids = tuple(ids[0])
    records = []
    for fid in ids:
        f = figure(fid)
        row = f.as_dict()
        row.update(text=f.text, short=f.short, where=f.where, source=f.source, period=f.period,
                   label=f.indicator)
        records.append(row)
    frame = pd.DataFrame.from_records(records)
    if table:
        frame = frame[list(_TABLE_COLUMNS)].rename(columns=_TABLE_COLUMNS)
        frame.index = pd.Index(ids, name="编号")
    return frame


@dataclass(frozen=True)
class Derived:
    """A number we computed from the report's figures — always shown as derived."""

    label: str
    value: float
    formula: str
    unit: str = ""

    @property
    def text(self) -> str:
        return format_cn(self.value, self.unit)

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return f"【推算】{self.label} = {self.formula} ≈ {self.text}"

    def _repr_html_(self) -> str:
        e = html.escape
        return (
            '<div class="derived" style="border-left:4px dashed #de8f05;padding:2px 8px;margin:4px 0">'
            f"<b>【推算】</b>{e(self.label)} = {e(self.formula)} ≈ <b>{e(self.text)}</b>"
            "<br><small>这是我们根据报告数字计算的，报告本身没有给出。</small></div>"
        )


def derive(label: str, value: float, formula: str, unit: str = "") -> Derived:
    """Label a computed number as derived, with its computation visible."""
    return Derived(label=label, value=float(value), formula=formula, unit=unit)


def data_dir() -> Path:
    """Where the data tables are (resolved from the package, not the working directory)."""
    return DATA_DIR

