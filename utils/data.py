"""Loading, validating and looking up the report's figures.

The tables live in ``data/`` next to this package and are described by the
Frictionless descriptor ``data/datapackage.json``.  Every table is read by one
strict parser (:mod:`utils.tables`) that checks the descriptor's schema while it
converts the cells (types, enums, patterns, ranges, unique and foreign keys, a
minimum row count) plus the row rules in :data:`ROW_RULES`; the DataFrame is
built from exactly those converted values.  A broken file raises
:class:`DataFileError` with a Chinese message naming file, row and column.
Reading is cached per file content (SHA-256), so a changed byte is read again.

Integrity: each resource records its file's SHA-256 (Frictionless' ``hash`` property,
``"sha256:<hex>"``) and ``data/datapackage.sha256`` records the descriptor's own SHA-256 (the format
of ``sha256sum``).  A well-formed edit that nobody accepted (a spreadsheet sort, 10.2 → 1.02) stops
loading with a Chinese message naming the file; a maintainer reviews the change cell by cell and
accepts it with ``python -m utils.rehash`` (see :mod:`utils.rehash` and data/README.md).  The schema
is checked first, so a malformed cell is named by row and column rather than by the hash.
"""
from __future__ import annotations

import difflib
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import marks, tables
from .catalog import CHAPTER_NAMES, DATA_CHAPTERS, chapter_range_text  # the lesson catalogue
from .quantities import bounds as _bounds
from .quantities import format_cn, parse_cn

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
DESCRIPTOR = "datapackage.json"
#: the descriptor's own SHA-256, one line in the format of ``sha256sum`` (``sha256sum -c`` checks it)
DESCRIPTOR_HASH = "datapackage.sha256"
#: the command that shows a change cell by cell and, with --write, accepts it
REHASH = "python -m utils.rehash"

NO_SOURCE = "报告未注明来源"

#: units that count people, things, days or money: never negative, and written as whole numbers in
#: plain digits (a spreadsheet's ``1.49E+11`` has lost digits; ``-25.5万个`` is no count)
COUNT_UNITS = frozenset({"人", "人次", "个", "户", "家", "期", "项", "种", "学时", "元", "元/人/年", "元/人/月",
                         "元/村", "天", "月", "年"})
_PLAIN_WHOLE = re.compile(r"[0-9]+")
#: the word the report's quote uses for each unit ("人" has none: 群众, 人口, 名 …)
UNIT_WORDS = {"人次": "人次", "个": "个", "户": "户", "家": "家", "期": "期", "项": "项", "种": "种", "学时": "学时",
              "元": "元", "元/人/年": "元", "元/人/月": "元", "元/村": "元", "%": "%", "百分点": "百分点", "倍": "倍",
              "天": "天", "月": "月", "年": "年", "人": ""}


def _unit_matches_quote(r: dict) -> bool:
    """The unit is the one the verbatim quote states: its word is in the quote, and 人次 / 百分点 are
    used exactly when the quote says 人次 / 百分点 (人 → 人次 changes an answer three-fold)."""
    unit, quote = r["unit"], r["quote"]
    if unit is None or quote is None:
        return True
    return (UNIT_WORDS.get(unit, unit) in quote and ("人次" in quote) == (unit == "人次")
            and ("百分点" in quote) == (unit == "百分点"))


def _whole_in_digits(r: dict, column: str) -> bool:
    return r["unit"] not in COUNT_UNITS or r[column] is None or bool(_PLAIN_WHOLE.fullmatch(r["__text__"][column]))

#: Row-level rules that a column type cannot express: (resource, column the rule is about,
#: predicate over the converted row, Chinese message).  Checked by :mod:`utils.tables` on every load.
ROW_RULES = [
    (
        "report_figures",
        "value",
        lambda r: r["unit"] != "%" or r["kind"] not in ("level", "share", "threshold") or 0 <= r["value"] <= 100,
        "百分比（单位 %）的水平值或占比必须在 0–100 之间",
    ),
    (
        "report_figures",
        "value_high",
        lambda r: r["qualifier"] != "range" or (r["value_high"] is not None and r["value_high"] > r["value"]),
        "区间（qualifier = range）必须填写 value_high，且大于 value",
    ),
    (
        "report_figures",
        "period_end",
        lambda r: r["period_start"] is None or r["period_end"] is None or r["period_end"] >= r["period_start"],
        "period_end 不能早于 period_start",
    ),
    (
        "report_figures",
        "value",
        lambda r: r["unit"] not in COUNT_UNITS or r["value"] >= 0,
        "以人、人次、个、元等计的数（人数、个数、金额）不能是负数",
    ),
    (
        "report_figures",
        "value",
        lambda r: _whole_in_digits(r, "value"),
        "以人、人次、个、元等计的数要写成不带小数点和指数的整数（例如 165000000000；"
        "电子表格显示的 1.65E+11 这种科学计数法可能已经丢了位数）",
    ),
    (
        "report_figures",
        "value_high",
        lambda r: _whole_in_digits(r, "value_high"),
        "以人、人次、个、元等计的数要写成不带小数点和指数的整数",
    ),
    (
        "report_figures",
        "unit",
        _unit_matches_quote,
        "单位与原文（quote 列）不符：原文写“人次”的单位才是人次，写“个百分点”的才是百分点，"
        "其余单位（个、元、%、倍……）要在原文中出现",
    ),
    (
        "national_series",
        "incidence",
        lambda r: r["incidence"] is None or r["poor_population"] is None or (r["incidence"] == 0) == (r["poor_population"] == 0)
        and (r["incidence"] == 0 or 5e8 <= r["poor_population"] / (r["incidence"] / 100) <= 1.2e9),
        "贫困发生率与贫困人口对不上：发生率 = 贫困人口 ÷ 农村人口，由这两列推出的农村人口应在 5 亿到 12 亿之间"
        "（小数点是不是挪了位？）",
    ),
    (
        "national_series",
        "counties_delisted",
        lambda r: r["year"] is None or r["year"] < 2016 or r["counties_delisted"] is not None,
        "2016–2020 年的当年摘帽贫困县数必填（第一章的练习和图表要用它）",
    ),
    # the chapter numbers come from the lesson catalogue (utils/catalog.toml), not the descriptor
    *[(table, "chapter", lambda r: r["chapter"] is None or r["chapter"] in DATA_CHAPTERS,
       f"章节编号应为 {chapter_range_text(DATA_CHAPTERS)} 之间的整数（见 utils/catalog.toml）")
      for table in ("report_figures", "glossary", "lists", "sections")],
]


class DataFileError(ValueError):
    """A data file is missing or broken.  ``str(err)`` is a Chinese message for learners."""

    def __init__(self, message: str, *, path: Path | None = None, row: int | None = None,
                 column: str | None = None, problems: list[dict] | None = None):
        super().__init__(message)
        self.path, self.row, self.column = path, row, column
        self.problems = problems or []


# ---------------------------------------------------------------------------
# the descriptor
# ---------------------------------------------------------------------------

def _descriptor(data_dir: Path, *, verify: bool = True) -> dict:
    return _descriptor_and_digest(data_dir, verify=verify)[0]


def _descriptor_and_digest(data_dir: Path, *, verify: bool = True) -> tuple[dict, str]:
    """The descriptor (parsed once per content) and its SHA-256; ``verify``: against datapackage.sha256."""
    path = data_dir / DESCRIPTOR
    try:
        raw = path.read_bytes()  # ≈ 10 kB: reading and hashing it costs microseconds
    except FileNotFoundError:
        raise DataFileError(f"找不到数据说明文件 data/{DESCRIPTOR}（完整路径 {path}）。请确认仓库是完整克隆的。",
                            path=path) from None
    except OSError as exc:
        raise DataFileError(f"无法读取数据说明文件 data/{DESCRIPTOR}：{exc.strerror or '读取失败'}。", path=path) from None
    digest = hashlib.sha256(raw).hexdigest()
    descriptor = _descriptor_cached(path, digest, raw)
    if verify:
        _check_descriptor_hash(data_dir, digest)
    return descriptor, digest


def _check_descriptor_hash(data_dir: Path, digest: str) -> None:
    recorded = recorded_descriptor_hash(data_dir)
    if recorded == digest:
        return
    rel = f"data/{DESCRIPTOR}"
    why = ("它记录的校验值文件 data/{0} 不存在或不完整".format(DESCRIPTOR_HASH) if recorded is None else
           f"它与 data/{DESCRIPTOR_HASH} 中记录的校验值（SHA-256）不一致：文件在上次确认之后被改动过")
    raise DataFileError(f"数据说明文件 {rel} 没有通过完整性校验：{why}。为了不用未经确认的表结构读数，"
                        f"数据没有加载。\n{_how_to_accept(rel)}", path=data_dir / DESCRIPTOR,
                        problems=[{"type": "hash", "row": None, "column": None, "message": why}])


def recorded_descriptor_hash(data_dir: Path) -> str | None:
    """The descriptor's SHA-256 as recorded in ``data/datapackage.sha256`` (None when missing)."""
    path = data_dir / DESCRIPTOR_HASH
    try:
        if not path.is_file() or path.stat().st_size > 4096:
            return None
        words = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(words) == 2 and words[1].lstrip("*") == DESCRIPTOR and re.fullmatch(r"[0-9a-f]{64}", words[0]):
        return words[0]
    return None


def _how_to_accept(rel: str) -> str:
    return (f"  • 如果不是有意修改：用 git checkout -- {rel} 恢复原文件。\n"
            f"  • 如果是维护者有意更正数据：运行 {REHASH} 查看逐格的改动（旧值 → 新值），核对无误后运行 "
            f"{REHASH} --write 记录新的校验值（步骤见 data/README.md）。")


@lru_cache(maxsize=8)
def _descriptor_cached(path: Path, _digest: str, raw: bytes) -> dict:
    try:
        descriptor = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"数据说明文件 data/{DESCRIPTOR} 不是合法的 JSON：{exc}", path=path) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DataFileError(f"数据说明文件 data/{DESCRIPTOR} 没有列出任何数据表（缺少 resources）。"
                            f"请用 git checkout -- data/{DESCRIPTOR} 恢复。", path=path)
    for i, res in enumerate(resources, start=1):
        ok = (isinstance(res, dict) and isinstance(res.get("name"), str) and isinstance(res.get("path"), str)
              and isinstance(res.get("schema"), dict) and isinstance(res["schema"].get("fields"), list)
              and all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in res["schema"]["fields"]))
        if not ok:
            raise DataFileError(f"数据说明文件 data/{DESCRIPTOR} 的第 {i} 个数据表描述不完整"
                                "（需要 name、path 和 schema.fields）。", path=path)
    return descriptor


def _resource_descriptor(name: str, data_dir: Path, *, verify: bool = True) -> dict:
    return _find_resource(name, _descriptor(data_dir, verify=verify))


def _find_resource(name: str, descriptor: dict) -> dict:
    resources = descriptor["resources"]
    for res in resources:
        if res["name"] == name:
            return res
    known = "、".join(r["name"] for r in resources)
    raise DataFileError(f"没有名为“{name}”的数据表；可用的表：{known}")


# ---------------------------------------------------------------------------
# validation = loading (one strict parser, see utils.tables)
# ---------------------------------------------------------------------------

def _read_bytes(path: Path, rel: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"找不到数据文件 {rel}（完整路径 {path}）。请确认仓库是完整克隆的，"
                            f"或用 git checkout -- {rel} 恢复。", path=path) from None
    except OSError as exc:
        raise DataFileError(f"无法读取数据文件 {rel}：{exc.strerror or '读取失败'}。", path=path) from None


def _parse(name: str, data_dir: Path, _seen: tuple = (), *, verify: bool = True) -> "tables.Parsed":
    """Read, convert and check one table (and the tables its foreign keys point to).

    ``verify``: also compare the file's SHA-256 with the one the descriptor records (after the schema,
    so a malformed cell is reported by row and column).  Only :mod:`utils.rehash` passes False."""
    descriptor, schema_digest = _descriptor_and_digest(data_dir, verify=verify)
    res = _find_resource(name, descriptor)
    path = data_dir / res["path"]
    rel = f"data/{res['path']}"
    raw = _read_bytes(path, rel)
    digest = hashlib.sha256(raw).hexdigest()
    # keyed by both digests: a changed file or a changed schema is read again
    parsed = _parse_cached(name, data_dir, rel, digest, raw, _seen, verify, schema_digest)
    if verify and res.get("hash") != f"sha256:{digest}":
        why = ("data/datapackage.json 没有为它记录校验值（hash）" if not res.get("hash") else
               f"它与 data/{DESCRIPTOR} 中记录的校验值（SHA-256）不一致：文件在上次确认之后被改动过"
               "（哪怕只是排序、改一个数或一个看不见的字符）")
        raise DataFileError(f"数据文件 {rel} 没有通过完整性校验：{why}。为了不让未经确认的数字算出错误的答案，"
                            f"数据没有加载。\n{_how_to_accept(rel)}", path=path,
                            problems=[{"type": "hash", "row": None, "column": None, "message": why}])
    return parsed


@lru_cache(maxsize=32)
def _parse_cached(name: str, data_dir: Path, rel: str, _digest: str, raw: bytes, _seen: tuple, verify: bool,
                  _schema: str):
    res = _resource_descriptor(name, data_dir, verify=verify)
    rules = [(column, rule, message) for table, column, rule, message in ROW_RULES if table == name]
    try:
        parsed = tables.read_table(raw, res, rel, row_rules=rules)
        if name not in _seen:
            tables.check_foreign_keys(parsed, res, rel,
                                      lambda other: _parse(other, data_dir, _seen + (name,), verify=verify))
    except tables.TableError as exc:
        problems = [{"type": p.kind, "row": p.row, "column": p.column, "message": p.message} for p in exc.problems]
        raise DataFileError(str(exc), path=data_dir / res["path"], row=exc.row, column=exc.column,
                            problems=problems) from None
    return parsed


def validate_table(name: str, data_dir: Path | str | None = None) -> Path:
    """Validate one table of the data package; return its path or raise :class:`DataFileError`."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    _parse(name, data_dir)
    return data_dir / _resource_descriptor(name, data_dir)["path"]


_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "string": "object", "boolean": "boolean"}


def load_table(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One validated table of ``data/`` as a DataFrame (a fresh copy each call).

    The frame is built from the values the validator converted — nothing is parsed twice.  Missing
    text cells are ``""``, missing numbers ``<NA>``/NaN.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    parsed = _parse(name, data_dir)
    if parsed.frame is None:  # built once per parse: chapter 1 loads the same tables ≈ 40 times
        parsed.frame = _frame(parsed, name, data_dir)
    return parsed.frame.copy()


def _frame(parsed, name: str, data_dir: Path) -> pd.DataFrame:
    res = _resource_descriptor(name, data_dir)
    columns = {}
    for fdesc in res["schema"]["fields"]:
        col, ftype = fdesc["name"], fdesc.get("type", "string")
        values = [row[col] for row in parsed.rows]
        if ftype == "string":
            columns[col] = pd.Series(["" if v is None else v for v in values], dtype=object)
        elif ftype == "number":
            columns[col] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        else:
            columns[col] = pd.Series(pd.array(values, dtype=_PANDAS_TYPES[ftype]))
    return pd.DataFrame(columns)


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
    try:
        return _per_parse("sections", _section_titles).get((chapter, section), "")
    except TypeError:  # an unhashable argument names no section
        return ""


def _per_parse(name: str, build):
    """``build()``, made once per parse of table ``name`` (a corrected, re-hashed table is parsed and
    built anew; the integrity check still runs on every call)."""
    derived = _parse(name, DATA_DIR).derived
    if build not in derived:
        derived[build] = build()
    return derived[build]


def _section_titles() -> dict:
    """(chapter, section) → title: each caption asks for one, and a pandas filter per call cost
    1–2 ms (34 calls in chapter 4)."""
    frame = load_table("sections")
    titles: dict = {}
    for chapter, section, title in zip(frame["chapter"], frame["section"], frame["title"]):
        titles.setdefault((chapter, section), str(title))   # the first row, as the filter took
    return titles


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


def describe_zero(other) -> str:
    if isinstance(other, Figure):
        return f"{other.indicator}（{other.id}）的值是 0"
    return "除数是 0"


#: units that read differently in prose: unit → (prefix, unit after the number)
_SPOKEN_UNITS = {"元/村": ("每村", "元"), "元/人/年": ("每人每年", "元"), "元/人/月": ("每人每月", "元"),
                 "月": ("", "个月")}
#: units that read differently in chart labels (a month count is never "1月", which means January)
_SHORT_UNITS = {"月": "个月"}


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
        """The figure as the report words it, qualifier included (``300多万人``, ``近200万人``, ``超过800亿元``).

        Rates read as Chinese prose (``每人每年860元``, not ``860元/人/年``); durations in months read
        ``1个月以内`` (not ``1月``, which is January).
        """
        prefix, unit = _SPOKEN_UNITS.get(self.unit, ("", self.unit))
        return prefix + self._words(unit)

    def _words(self, unit: str) -> str:
        if self.qualifier == "at_least" and "多" in self.quote:
            plain = format_cn(self.value, unit, style="plain")
            number = plain[: -len(unit)] if unit and plain.endswith(unit) else plain
            digits = len(number) - len(number.lstrip("-0123456789."))
            return f"{number[:digits]}多{number[digits:]}{unit}"
        if self.kind == "multiple":
            n = format_cn(self.value, "", style="plain")
            return f"增长{n}倍" + ("以上" if self.qualifier == "at_least" else "")
        if self.qualifier == "approx" and "近" in self.quote:
            return "近" + format_cn(self.value, unit, value_high=self.value_high)
        if self.qualifier == "at_least" and self.value >= 0:  # keep the report's own word
            plain = format_cn(self.value, unit, style="plain")
            for word, fmt in (("不少于", "不少于{}"), ("至少", "至少{}"), ("突破", "突破{}"), ("以上", "{}以上")):
                if word in self.quote:
                    return fmt.format(plain)
        return format_cn(self.value, unit, qualifier=self.qualifier, value_high=self.value_high)

    @property
    def short(self) -> str:
        """Compact form with symbols, for chart labels (``≥300万人``)."""
        unit = _SHORT_UNITS.get(self.unit, self.unit)
        return format_cn(self.value, unit, qualifier=self.qualifier, value_high=self.value_high,
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

    # Arithmetic the way learners write it: ``p / a`` with two records, ``f * 0.7``, ``f - 3.5``.
    # A record takes part with its value in base units (a lower bound such as "300多万" counts as
    # 300万: the wording is in ``text`` and ``bounds``); the result is a plain float.
    def _operand(self, other):
        if isinstance(other, Figure):
            return float(other.value)
        if isinstance(other, bool):
            return NotImplemented
        try:
            return float(other) if isinstance(other, (int, float)) or hasattr(other, "__float__") else NotImplemented
        except (TypeError, ValueError):
            return NotImplemented

    def __add__(self, other):
        o = self._operand(other)
        return NotImplemented if o is NotImplemented else float(self.value) + o

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        o = self._operand(other)
        return NotImplemented if o is NotImplemented else float(self.value) - o

    def __rsub__(self, other):
        o = self._operand(other)
        return NotImplemented if o is NotImplemented else o - float(self.value)

    def __mul__(self, other):
        o = self._operand(other)
        return NotImplemented if o is NotImplemented else float(self.value) * o

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        o = self._operand(other)
        if o is NotImplemented:
            return NotImplemented
        if o == 0:
            raise ZeroDivisionError(f"不能除以 0：{describe_zero(other)}")
        return float(self.value) / o

    def __rtruediv__(self, other):
        o = self._operand(other)
        if o is NotImplemented:
            return NotImplemented
        if self.value == 0:
            raise ZeroDivisionError(f"不能除以 0：{self.indicator}（{self.id}）的值是 0")
        return o / float(self.value)

    def __neg__(self):
        return -float(self.value)

    def __abs__(self):
        return abs(float(self.value))

    def __round__(self, ndigits=None):
        return round(float(self.value), ndigits)

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


def _figure_index() -> dict:
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
    return _per_parse("report_figures", _figure_index)


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
    (what charts use).  ``table=True``: a :class:`Table` to show learners (指标, 地区, 时期, 数值, 出处,
    来源; its ``.frame`` is the DataFrame).
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
        return Table(frame, index=True)
    return frame


@dataclass(frozen=True)
class Derived:
    """A number we computed from the report's figures — always shown as derived.

    Printed with "=" when the shown text is the exact result and with "≈" only when the text is
    rounded (the course teaches ≈ as a qualifier, so it must not decorate exact sums).
    """

    label: str
    value: float
    formula: str
    unit: str = ""

    @property
    def text(self) -> str:
        return format_cn(self.value, self.unit)

    @property
    def exact(self) -> bool:
        """True when :attr:`text` states the value exactly (nothing was rounded away)."""
        try:
            shown = parse_cn(self.text)
        except ValueError:
            return False
        return math.isclose(shown, self.value, rel_tol=1e-12, abs_tol=1e-12)

    @property
    def sign(self) -> str:
        return "=" if self.exact else "≈"

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return f"【推算】{self.label} = {self.formula} {self.sign} {self.text}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        e = html.escape
        body = (
            '<div class="derived" style="border-left:4px dashed #b35c00;padding:2px 8px;margin:4px 0">'
            f"<b>【推算】</b>{e(self.label)} = {e(self.formula)} {self.sign} <b>{e(self.text)}</b>"
            "<br><small>这是我们根据报告数字计算的，报告本身没有给出。</small></div>"
        )
        return {"text/plain": repr(self), "text/html": body}, {marks.KEY: {"role": marks.DERIVED}}


def derive(label: str, value: float, formula: str, unit: str = "") -> Derived:
    """Label a computed number as derived, with its computation visible."""
    return Derived(label=label, value=float(value), formula=formula, unit=unit)


# ---------------------------------------------------------------------------
# tables a learner sees: Chinese headers, whole text cells
# ---------------------------------------------------------------------------

#: headers of computed columns (the data columns take their titles from the descriptor)
EXTRA_HEADERS = {
    "text": "数值", "short": "数值（简写）", "where": "出处", "source": "来源", "period": "时期", "label": "标签",
    "share": "占比", "ratio": "比值", "total": "合计", "cumulative": "累计", "change": "变化", "derived": "推算",
    "formula": "算式",
}


def column_titles(data_dir: Path | str | None = None) -> dict[str, str]:
    """English column name → Chinese header, from the descriptor's field titles (one source)."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    titles = dict(EXTRA_HEADERS)
    for res in _descriptor(data_dir)["resources"]:
        for fdesc in res["schema"]["fields"]:
            titles.setdefault(fdesc["name"], fdesc.get("title") or fdesc["name"])
    return titles


class Table:
    """A DataFrame shown with Chinese headers, whole text cells and short columns kept on one line.

    ``utils.table(frame)`` in a notebook; ``.frame`` is the renamed DataFrame.  Column names that are
    not in the data descriptor stay as they are, so a learner's own Chinese names pass through.
    """

    def __init__(self, frame: pd.DataFrame, columns: dict | None = None, *, index: bool = False):
        titles = column_titles()
        titles.update(columns or {})
        self.frame = frame.rename(columns=lambda c: titles.get(c, c))
        if frame.index.name in titles:
            self.frame.index.name = titles[frame.index.name]
        self.index = index

    def __len__(self) -> int:
        return len(self.frame)

    def _cells(self, value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float):
            return format_cn(value) if abs(value) >= 1e4 else f"{value:g}"
        return str(value)

    def to_html(self) -> str:
        e = html.escape
        cols = list(self.frame.columns)
        text = {c: [self._cells(v) for v in self.frame[c]] for c in cols}
        short = {c: max((len(t) for t in text[c] + [str(c)]), default=0) <= 12 for c in cols}
        head = "".join(f'<th scope="col" style="white-space:nowrap;text-align:left">{e(str(c))}</th>' for c in cols)
        if self.index:
            head = f'<th scope="col">{e(str(self.frame.index.name or ""))}</th>' + head
        rows = []
        for i in range(len(self.frame)):
            cells = "".join(
                f'<td style="white-space:{"nowrap" if short[c] else "normal"};text-align:left;'
                f'{"" if short[c] else "min-width:16em;"}">{e(text[c][i])}</td>' for c in cols)
            if self.index:
                cells = f'<th scope="row" style="white-space:nowrap">{e(str(self.frame.index[i]))}</th>' + cells
            rows.append(f"<tr>{cells}</tr>")
        return (f'<table class="utils-table dataframe">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            return self.frame.to_string(index=self.index)

    def _repr_mimebundle_(self, include=None, exclude=None):
        # a focusable, named region around the table: where the table is wider than the output, the
        # box that scrolls it sideways (JupyterLab's, the handout's) is reachable by keyboard — Tab
        # here, then ←/→ (the project's JupyterLab settings leave those keys to it); WCAG 2.1.1
        shown = (f'<div class="utils-table-scroll" role="region" tabindex="0" aria-label="数据表">'
                 f"{self.to_html()}</div>")
        return {"text/plain": repr(self), "text/html": shown}, {marks.KEY: {"role": marks.TABLE}}


def table(frame: pd.DataFrame, columns: dict | None = None, *, index: bool = False) -> Table:
    """Show ``frame`` to learners with Chinese headers (``columns`` adds or overrides names)."""
    if not isinstance(frame, (pd.DataFrame, pd.Series)):
        raise TypeError(f"utils.table 需要一个 DataFrame，收到的是 {type(frame).__name__}")
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    return Table(frame, columns, index=index)
