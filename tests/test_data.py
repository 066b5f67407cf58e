"""The data package: lookups by id, report coverage, consistency, and precise errors on broken files."""
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import utils
from utils import rehash
from utils.data import DATA_DIR, DataFileError, load_table, validate_table

REPORT_SECTIONS = [(0, "导语")] + [(ch, s) for ch in (1, 2, 3, 4) for s in ("总述", "(一)", "(二)", "(三)")]


def test_every_table_validates():
    for name in ("report_figures", "national_series", "glossary", "lists", "sections"):
        assert validate_table(name).is_file()


def test_ids_unique_and_prefixed_by_chapter():
    df = utils.load_figures()
    assert df["id"].is_unique
    prefix = {0: "intro.", 1: "ch1.", 2: "ch2.", 3: "ch3.", 4: "ch4."}
    for row in df.itertuples():
        assert row.id.startswith(prefix[row.chapter]), row.id


@pytest.mark.parametrize("chapter,section", REPORT_SECTIONS)
def test_a_figure_from_each_section_of_the_report(chapter, section):
    df = utils.load_figures(chapter)
    assert (df["section"] == section).any(), f"no figure from chapter {chapter} {section}"


@pytest.mark.parametrize("fid,value,unit,qualifier", [
    ("intro.rural_poor", 98_990_000, "人", "exact"),
    ("ch1.village_teams", 255_000, "个", "exact"),
    ("ch1.first_secretaries", 3_000_000, "人", "at_least"),
    ("ch1.township_cadres", 2_000_000, "人", "approx"),
    ("ch2.training_person_times", 12_000_000, "人次", "at_least"),
    ("ch2.guangdong_grassroots_share", 92, "%", "exact"),
    ("ch3.livestream_sales", 80_000_000_000, "元", "at_least"),
    ("ch3.caoxian_sales_growth", 2, "倍", "exact"),
    ("ch4.relapse_rate", 0.3, "%", "at_most"),
    ("ch4.henan_exit_rate_gap", 3.5, "百分点", "exact"),
])
def test_lookup_by_id(fid, value, unit, qualifier):
    f = utils.figure(fid)
    assert (f.value, f.unit, f.qualifier) == (value, unit, qualifier)
    assert f.where and f.quote and f.period


def test_figure_record_texts():
    f = utils.figure("ch1.first_secretaries")
    assert f.text == "300多万人" and f.short == "≥300万人"
    assert f.bounds == (3_000_000, 4_000_000)
    assert utils.figure("ch1.township_cadres").text == "近200万人"
    assert utils.figure("ch3.livestream_sales").text == "超过800亿元"
    assert utils.figure("ch1.cohesion_index_change").source == "中央组织部基层党建工作统计"
    assert utils.figure("ch1.village_teams").source == "报告未注明来源"
    assert "第一章" in utils.figure("ch1.weak_orgs_rectified").where
    assert "<b>" in utils.figure("ch1.village_teams")._repr_html_()


def test_unknown_id_suggests_close_match():
    with pytest.raises(KeyError, match="ch1.village_teams"):
        utils.figure("ch1.vilage_teams")


def test_quotes_contain_the_number():
    """Every quote names the number the row stores (in the report's own scale)."""
    for f in utils.load_figures().itertuples():
        digits = utils.format_cn(f.value if f.qualifier != "at_least" or f.value >= 0 else -f.value,
                                 "", style="plain").rstrip("万亿").lstrip("-")
        assert digits.replace(".", "") [:2] in f.quote.replace(".", ""), (f.id, digits, f.quote)


def test_consistency_checks_from_the_report():
    national = utils.figure("ch4.stable_exit_rate").value
    henan = utils.figure("ch4.henan_exit_rate").value
    gap = utils.figure("ch4.henan_exit_rate_gap").value
    assert national + gap == pytest.approx(henan)           # 88.5% + 3.5 points = 92%
    series = utils.national_series()
    assert series["counties_delisted"].sum() == utils.figure("intro.poor_counties").value  # 832
    assert series.loc[series.year == 2012, "poor_population"].item() == utils.figure("intro.rural_poor").value
    assert series["source_population"].str.len().min() > 0


def test_glossary_and_lists():
    g = utils.glossary()
    for term in ("五级书记抓扶贫", "第一书记", "驻村工作队", "两不愁三保障", "易地搬迁", "防止返贫监测"):
        assert term in set(g["term"]), term
    assert g["english"].str.len().min() > 0 and g["explanation"].str.len().min() > 0
    assert list(utils.report_list("ch4.monitor_channels")["item"]) == ["农户自主申报", "基层干部排查", "部门数据比对"]
    with pytest.raises(KeyError):
        utils.report_list("nope")


def test_paths_do_not_depend_on_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert utils.figure("ch1.village_teams").value == 255_000
    assert DATA_DIR.is_absolute() and (DATA_DIR / "datapackage.json").exists()


# --- broken files -------------------------------------------------------------
# Every case must end in a loaded-and-correct table or a Chinese DataFileError naming file, row
# and column.  The loader builds its frame from the values its own validator converted, so what is
# validated is exactly what is loaded.

@pytest.fixture
def scratch(tmp_path):
    """A scratch copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns(".validated*", "*.tmp"))
    return target


def test_each_load_is_a_fresh_frame_and_follows_the_file(scratch):
    """Frames are built once per parse and copied: a learner's edit never reaches the next load,
    and an edited file is read again."""
    first = load_table("national_series", scratch)
    year = int(first.loc[0, "year"])
    first.loc[0, "year"] = 1900
    assert int(load_table("national_series", scratch).loc[0, "year"]) == year
    path = scratch / "national_series.csv"
    _rewrite(path, lambda lines: [lines[0]] + [lines[1].replace(str(year), str(year - 1), 1)] + lines[2:])
    _accept(scratch)
    assert int(load_table("national_series", scratch).loc[0, "year"]) == year - 1


def _accept(scratch):
    """A maintainer accepts a well-formed edit: ``python -m utils.rehash --write`` on the copy."""
    assert rehash.main(["--data", str(scratch), "--write"]) == 0


def _record_hashes(scratch):
    """Record the copy's hashes without the schema check, so that only the schema can object."""
    rehash.write_hashes(scratch, utils.data._descriptor(scratch, verify=False))


def _rewrite(path: Path, edit):
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def _error(scratch, name="report_figures") -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_table(name, scratch)
    err = info.value
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err)), str(err)   # a Chinese message
    assert "Traceback" not in str(err) and "Errno" not in str(err)
    return err


def _set_cell(lines, row, column, value):
    df = pd.read_csv(pd.io.common.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    return df.to_csv(index=False).splitlines()


def _set(scratch, row, column, value, name="report_figures"):
    _rewrite(scratch / f"{name}.csv", lambda lines: _set_cell(lines, row, column, value))


def test_missing_column(scratch):
    path = scratch / "report_figures.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["unit"])
    df.to_csv(path, index=False)
    err = _error(scratch)
    assert "report_figures.csv" in str(err) and "unit" in str(err) and "缺少列" in str(err)
    assert err.column == "unit"


def test_non_numeric_value(scratch):
    _set(scratch, 5, "value", "二十五万")
    err = _error(scratch)
    assert (err.row, err.column) == (5, "value")
    assert "第 5 行" in str(err) and "“value”" in str(err) and "二十五万" in str(err) and "不是数" in str(err)


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "1e400", "-1e999", "NaN", "nan", "２５５０００",
                                  "255_000", "٢٥٥", "25.5万", "1,000", "0x10", " 12", "12 ", "+-1", "1e", "."])
def test_numbers_pandas_would_misread_are_rejected(scratch, text):
    _set(scratch, 6, "value", text)
    err = _error(scratch)
    assert (err.row, err.column) == (6, "value") and "report_figures.csv" in str(err)


@pytest.mark.parametrize("column,text", [("chapter", "98_990_000"), ("chapter", "１"), ("period_start", "2016.0"),
                                         ("period_start", "२०१६"), ("period_end", "NaN")])
def test_integers_strictly(scratch, column, text):
    _set(scratch, 4, column, text)
    err = _error(scratch)
    assert (err.row, err.column) == (4, column)


@pytest.mark.parametrize("text,expected", [("2.55e5", 255_000.0), ("+12", 12.0), ("-3.5", -3.5), (".5", 0.5),
                                           ("7.", 7.0), ("1E2", 100.0)])
def test_ascii_numbers_load_exactly(scratch, text, expected):
    """Any ASCII float spelling loads exactly where the unit allows it (a change in %; counts and money
    must be plain whole numbers, see test_counts_are_written_as_plain_whole_numbers)."""
    frame = pd.read_csv(scratch / "report_figures.csv", dtype=str, keep_default_na=False)
    fid = frame.loc[frame["kind"] == "change_percent", "id"].iloc[0]
    row = int(frame.index[frame["id"] == fid][0])
    _set(scratch, row + 2, "value", text)
    _accept(scratch)
    loaded = load_table("report_figures", scratch)
    assert loaded.loc[loaded["id"] == fid, "value"].item() == expected


def test_nul_and_control_characters_in_text(scratch):
    _set(scratch, 9, "quote", "原文\x00片段")
    err = _error(scratch)
    assert (err.row, err.column) == (9, "quote") and "控制字符" in str(err)


def test_duplicate_id(scratch):
    df = pd.read_csv(scratch / "report_figures.csv", dtype=str, keep_default_na=False)
    df.loc[3, "id"] = df.loc[2, "id"]
    df.to_csv(scratch / "report_figures.csv", index=False)
    err = _error(scratch)
    assert err.row == 5 and err.column == "id" and "重复" in str(err)


def test_percent_out_of_range(scratch):
    df = pd.read_csv(scratch / "report_figures.csv", dtype=str, keep_default_na=False)
    row = int(df.index[df["id"] == "ch1.participation_rate"][0])
    df.loc[row, "value"] = "189.7"
    df.to_csv(scratch / "report_figures.csv", index=False)
    err = _error(scratch)
    assert err.row == row + 2 and err.column == "value" and "0–100" in str(err)


def test_unknown_unit(scratch):
    _set(scratch, 7, "unit", "公斤")
    err = _error(scratch)
    assert (err.row, err.column) == (7, "unit") and "公斤" in str(err)


def test_missing_required_and_bad_pattern(scratch):
    _set(scratch, 8, "indicator", "")
    assert (_error(scratch).row, _error(scratch).column) == (8, "indicator")


def test_bad_id_pattern(scratch):
    _set(scratch, 3, "id", "CH1 village")
    err = _error(scratch)
    assert (err.row, err.column) == (3, "id") and "格式" in str(err)


def test_foreign_key_to_sections(scratch):
    _set(scratch, 10, "chapter", "0")          # chapter 0 (导语) has no section "(一)" etc.
    _set(scratch, 10, "section", "(二)")
    err = _error(scratch)
    assert (err.row, err.column) == (10, "section") and "sections" in str(err)


def test_short_and_long_rows_and_blank_rows(scratch):
    _rewrite(scratch / "report_figures.csv", lambda lines: lines[:5] + [lines[5].rsplit(",", 2)[0]] + lines[6:])
    assert _error(scratch).row == 6
    shutil.copy(DATA_DIR / "report_figures.csv", scratch / "report_figures.csv")
    _rewrite(scratch / "report_figures.csv", lambda lines: lines[:5] + [lines[5] + ",extra"] + lines[6:])
    assert _error(scratch).row == 6
    shutil.copy(DATA_DIR / "report_figures.csv", scratch / "report_figures.csv")
    _rewrite(scratch / "report_figures.csv", lambda lines: lines[:5] + [",,,"] + lines[5:])
    assert _error(scratch).row == 6


def test_empty_file(scratch):
    (scratch / "report_figures.csv").write_text("", encoding="utf-8")
    err = _error(scratch)
    assert "report_figures.csv" in str(err) and "空的" in str(err)


def test_not_utf8(scratch):
    path = scratch / "glossary.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    err = _error(scratch, "glossary")
    assert "UTF-8" in str(err) and "glossary.csv" in str(err)


def test_file_not_found(scratch):
    (scratch / "glossary.csv").unlink()
    err = _error(scratch, "glossary")
    assert "找不到数据文件" in str(err) and "glossary.csv" in str(err)


def test_missing_referenced_table_is_named(scratch):
    (scratch / "sections.csv").unlink()
    err = _error(scratch, "report_figures")
    assert "sections.csv" in str(err) and "report_figures.csv" not in str(err).split("：")[0]


@pytest.mark.parametrize("name", ["report_figures", "national_series", "glossary", "lists", "sections"])
def test_table_cut_to_its_header_is_an_error(scratch, name):
    path = scratch / f"{name}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    err = _error(scratch, name)
    assert "至少应有" in str(err) and f"{name}.csv" in str(err)


def test_truncated_table_is_an_error(scratch):
    _rewrite(scratch / "report_figures.csv", lambda lines: lines[:40])
    assert "截断" in str(_error(scratch))


def test_columns_reordered_load_by_name(scratch):
    path = scratch / "report_figures.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df[list(reversed(df.columns))].to_csv(path, index=False)
    _error(scratch)                                    # not accepted yet: the bytes changed
    _accept(scratch)
    got = load_table("report_figures", scratch)
    pd.testing.assert_frame_equal(got, load_table("report_figures"))


@pytest.mark.parametrize("content", ["[]", "null", "{}", '{"resources": {}}', '{"resources": [{"name": 1}]}', "{",
                                     '"text"'])
def test_broken_descriptor(scratch, content):
    (scratch / "datapackage.json").write_text(content, encoding="utf-8")
    err = _error(scratch)
    assert "datapackage.json" in str(err)


def test_a_stale_stamp_file_from_older_versions_is_ignored(scratch):
    for content in ("[]", "null", "{", '{"report_figures": "0"}'):
        (scratch / ".validated.json").write_text(content, encoding="utf-8")
        assert len(load_table("report_figures", scratch)) == 95


def test_a_changed_byte_is_read_again(scratch):
    assert len(load_table("report_figures", scratch)) == 95
    _set(scratch, 7, "unit", "公斤")
    _error(scratch)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=12))
def test_any_value_cell_loads_exactly_or_fails_in_chinese(scratch, text):
    """Whatever lands in a number cell: loaded as exactly float(text) (finite, ASCII), or a Chinese error."""
    path = scratch / "report_figures.csv"
    original = (DATA_DIR / "report_figures.csv").read_bytes()
    path.write_bytes(original)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["kind"] == "change_percent"][0])
    fid = frame.loc[row, "id"]
    frame.loc[row, "value"] = text
    frame.to_csv(path, index=False)
    _record_hashes(scratch)                             # only the schema may object
    try:
        loaded = load_table("report_figures", scratch).set_index("id").loc[fid, "value"]
    except DataFileError as err:
        assert "report_figures.csv" in str(err)
        assert err.row is None or err.row >= 2
        return
    stripped = text
    assert stripped.isascii()
    assert loaded == float(stripped) and math.isfinite(loaded)


# --- edits that stay well-formed: the hash, the schema's rules, the row order ---------------
# Each edit below once loaded silently and changed an answer (issue 27).  Now the schema names the
# file, row and column (and still does after the edit's hashes are recorded: it does not rely on
# the hash), or — for an edit no rule can see — the recorded SHA-256 names the file.

def _row_of(scratch, fid, name="report_figures", key="id"):
    frame = pd.read_csv(scratch / f"{name}.csv", dtype=str, keep_default_na=False)
    return int(frame.index[frame[key] == fid][0]) + 2      # the file's row number, header = row 1


def _schema_error(scratch, name, column, row=None):
    """The edit is refused by the schema (named by row and column), before and after its hashes are recorded."""
    for recorded in (False, True):
        if recorded:
            _record_hashes(scratch)
        err = _error(scratch, name)
        assert f"{name}.csv" in str(err) and err.column == column, str(err)
        assert row is None or err.row == row, (err.row, row)
        assert "完整性校验" not in str(err)
    return err


def _hash_error(scratch, name):
    err = _error(scratch, name)
    assert f"数据文件 data/{name}.csv 没有通过完整性校验" in str(err), str(err)
    assert "python -m utils.rehash" in str(err) and "--write" in str(err)
    return err


def test_shipped_hashes_match_and_sha256sum_agrees():
    import subprocess

    assert rehash.review()[0] == []
    out = subprocess.run(["sha256sum", "-c", "datapackage.sha256"], cwd=DATA_DIR, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "datapackage.json: OK"


def test_newest_first_sort_is_caught_by_the_hash_and_once_accepted_loads_the_same(scratch):
    path = scratch / "national_series.csv"
    _rewrite(path, lambda lines: [lines[0]] + lines[1:][::-1])          # a spreadsheet's "sort Z→A"
    _hash_error(scratch, "national_series")
    changes, _, _ = rehash.review(scratch, previous=DATA_DIR)
    assert [c.rel for c in changes] == ["data/national_series.csv"]
    assert changes[0].lines == ["只是行的顺序变了（读入时按主键排序，答案和图表不受影响）"]
    _accept(scratch)
    pd.testing.assert_frame_equal(load_table("national_series", scratch), load_table("national_series"))


def test_a_negative_count(scratch):
    row = _row_of(scratch, "ch1.village_teams")
    _set(scratch, row, "value", "-255000")                  # "-25.5万个"
    err = _schema_error(scratch, "report_figures", "value", row)
    assert "不能是负数" in str(err)


def test_a_negative_count_written_in_words_is_not_a_number(scratch):
    row = _row_of(scratch, "ch1.village_teams")
    _set(scratch, row, "value", "-25.5万个")
    assert "不是数" in str(_schema_error(scratch, "report_figures", "value", row))


def test_person_counts_turned_into_person_times(scratch):
    """人 → 人次 changed an answer three-fold; the unit must be the one the quote states."""
    frame = pd.read_csv(DATA_DIR / "report_figures.csv", dtype=str, keep_default_na=False)
    people = frame.loc[frame["unit"] == "人", "id"].tolist()
    assert len(people) > 10
    for fid in people:
        shutil.copy(DATA_DIR / "report_figures.csv", scratch / "report_figures.csv")
        row = _row_of(scratch, fid)
        _set(scratch, row, "unit", "人次")
        err = _error(scratch)
        assert (err.row, err.column) == (row, "unit") and "单位与原文" in str(err), fid
    shutil.copy(DATA_DIR / "report_figures.csv", scratch / "report_figures.csv")
    row = _row_of(scratch, "ch4.industry_support")                      # and back: 人次 → 人
    _set(scratch, row, "unit", "人")
    _schema_error(scratch, "report_figures", "unit", row)


def test_a_figure_duplicated_under_a_new_id(scratch):
    path = scratch / "report_figures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    copy = frame[frame["id"] == "ch4.industry_support"].assign(id="ch4.industry_support_again")
    pd.concat([frame, copy]).to_csv(path, index=False)
    err = _schema_error(scratch, "report_figures", "quote", len(frame) + 2)
    assert "同一个数字不能记两次" in str(err)


def test_incidence_moved_by_one_decimal_place(scratch):
    row = _row_of(scratch, "2012", "national_series", "year")
    _set(scratch, row, "incidence", "1.02", name="national_series")      # 10.2 → 1.02
    err = _schema_error(scratch, "national_series", "incidence", row)
    assert "农村人口" in str(err)


def test_a_plausible_wrong_figure_is_caught_by_the_hash_and_shown_cell_by_cell(scratch, capsys):
    """10.2 → 10.3 passes every rule: only the recorded hash knows.  The review names the cell."""
    row = _row_of(scratch, "2012", "national_series", "year")
    _set(scratch, row, "incidence", "10.3", name="national_series")
    _hash_error(scratch, "national_series")
    assert rehash.main(["--data", str(scratch), "--previous", str(DATA_DIR)]) == 1   # shows, writes nothing
    out = capsys.readouterr().out
    assert "■ data/national_series.csv" in out and "2012 的 incidence：“10.2” → “10.3”" in out
    _hash_error(scratch, "national_series")
    assert rehash.main(["--data", str(scratch), "--previous", str(DATA_DIR), "--write"]) == 0
    assert load_table("national_series", scratch).set_index("year").loc[2012, "incidence"] == 10.3


def test_a_changed_figure_is_shown_with_its_id(scratch, capsys):
    row = _row_of(scratch, "ch1.village_teams")
    _set(scratch, row, "value", "25500")
    _hash_error(scratch, "report_figures")
    assert rehash.main(["--data", str(scratch), "--previous", str(DATA_DIR)]) == 1
    assert "ch1.village_teams 的 value：“255000” → “25500”" in capsys.readouterr().out


def test_a_zero_width_space_inside_a_cell(scratch):
    row = _row_of(scratch, "ch1.village_teams")
    _set(scratch, row, "region", "全\u200b国")
    err = _schema_error(scratch, "report_figures", "region", row)
    assert "看不见的字符" in str(err) and "U+200B" in str(err)
    _set(scratch, row, "region", "\ufeff全国")                             # a BOM inside a cell
    assert "U+FEFF" in str(_schema_error(scratch, "report_figures", "region", row))


def test_the_review_spells_invisible_characters_out():
    lines = rehash.cell_changes("id,region\na,全国\n".encode(), "id,region\na,全\u200b国\n".encode(), ["id"])
    assert lines == ["a 的 region：“全国” → “全⟨U+200B⟩国”"]


@pytest.mark.parametrize("fid", ["ch4.integrated_funds", "intro.rural_poor", "ch1.village_teams"])
def test_counts_are_written_as_plain_whole_numbers(scratch, fid):
    """Excel shows 165000000000 as 1.65E+11 and may save it so (9.899E+07 for 98990000 loses digits)."""
    row = _row_of(scratch, fid)
    value = float(pd.read_csv(scratch / "report_figures.csv", dtype=str).loc[row - 2, "value"])
    _set(scratch, row, "value", f"{value:.2E}")
    err = _schema_error(scratch, "report_figures", "value", row)
    assert "科学计数法" in str(err)
    _set(scratch, row, "value", f"{value:.1f}")                          # 255000.0
    _schema_error(scratch, "report_figures", "value", row)


def test_integer_columns_refuse_scientific_notation(scratch):
    row = _row_of(scratch, "2012", "national_series", "year")
    _set(scratch, row, "poor_population", "9.899E+07", name="national_series")
    err = _schema_error(scratch, "national_series", "poor_population", row)
    assert "不是整数" in str(err)


def test_lowered_min_rows_and_a_truncated_table(scratch):
    import json

    descriptor = json.loads((scratch / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["minRows"] = 40
    (scratch / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    _rewrite(scratch / "report_figures.csv", lambda lines: lines[:41])
    for name in ("report_figures", "glossary"):                         # the descriptor stops every table
        err = _error(scratch, name)
        assert "数据说明文件 data/datapackage.json 没有通过完整性校验" in str(err)
        assert "python -m utils.rehash" in str(err)
    changes, _, _ = rehash.review(scratch, previous=DATA_DIR)
    assert {c.rel for c in changes} == {"data/report_figures.csv", "data/datapackage.json"}
    shown = "\n".join(line for c in changes for line in c.lines)
    assert '-      "minRows": 95,' in shown and '+      "minRows": 40,' in shown
    assert "删除一行 ch4.relocation_employment_rate_change" in shown


def test_emptied_counties_delisted_of_2017(scratch):
    row = _row_of(scratch, "2017", "national_series", "year")
    _set(scratch, row, "counties_delisted", "", name="national_series")
    err = _schema_error(scratch, "national_series", "counties_delisted", row)
    assert "必填" in str(err)


def test_rehash_refuses_to_accept_a_broken_table(scratch, capsys):
    _set(scratch, 7, "unit", "公斤")
    before = (scratch / "datapackage.json").read_bytes()
    assert rehash.main(["--data", str(scratch), "--write"]) == 2
    assert "公斤" in capsys.readouterr().err
    assert (scratch / "datapackage.json").read_bytes() == before


def test_rehash_finds_the_accepted_version_in_git(tmp_path, capsys):
    import subprocess

    repo = tmp_path / "repo"
    shutil.copytree(DATA_DIR, repo / "data")

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "data")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data")
    data = repo / "data"
    row = _row_of(data, "ch3.caoxian_sales")
    _set(data, row, "value", "7000000000")
    assert rehash.main(["--data", str(data)]) == 1
    assert "ch3.caoxian_sales 的 value：“6000000000” → “7000000000”" in capsys.readouterr().out
    assert rehash.main(["--data", str(data), "--write"]) == 0
    assert rehash.main(["--data", str(data)]) == 0
    assert utils.data.load_table("report_figures", data).set_index("id").loc["ch3.caoxian_sales", "value"] == 7e9
    # the accepted version is an older commit (an unrelated commit since, edit committed unaccepted)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "accepted")
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    git("add", "notes.txt")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "other")
    _set(data, row, "value", "8000000000")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "edit, not accepted")
    capsys.readouterr()
    assert rehash.main(["--data", str(data)]) == 1
    assert "ch3.caoxian_sales 的 value：“7000000000” → “8000000000”" in capsys.readouterr().out


def test_a_missing_hash_is_an_error(scratch):
    import json

    descriptor = json.loads((scratch / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["resources"][2]["hash"]
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (scratch / "datapackage.json").write_text(text, encoding="utf-8")
    assert "datapackage.json 没有通过完整性校验" in str(_error(scratch, "glossary"))
    (scratch / "datapackage.sha256").write_text(f"{rehash.sha256(text.encode())}  datapackage.json\n")
    assert "没有为它记录校验值" in str(_error(scratch, "glossary"))
    (scratch / "datapackage.sha256").unlink()
    assert "不存在或不完整" in str(_error(scratch, "glossary"))


def _shuffled_copy(target: Path, seed: int) -> Path:
    """Every table's rows in a random order (and one table's columns reversed), accepted."""
    import random

    shutil.copytree(DATA_DIR, target)
    rng = random.Random(seed)
    for path in target.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = frame.sample(frac=1, random_state=rng.randrange(2**31)).reset_index(drop=True)
        if path.stem == "report_figures":
            frame = frame[list(reversed(frame.columns))]
        frame.to_csv(path, index=False)
    _accept(target)
    return target


def _course_outputs() -> dict:
    """What learners see computed from the data: every exercise's prompt and reference answer, and
    the text alternative (the numbers) of every chapter chart that takes no argument, plus chapter 1's
    national chart for every year and metric (a newest-first file once made it divide by zero)."""
    import importlib
    import inspect

    import matplotlib.pyplot as plt

    from utils.charts import describe
    from utils.exercises import key_of
    from utils.lessons import ch1_charts

    def text_of(result):
        fig = result if hasattr(result, "savefig") else plt.gcf()
        shown = describe(fig)
        plt.close("all")
        return shown

    out = {}
    for chapter in utils.catalog.CHAPTERS:
        for problem in utils.exercises_for(chapter):
            key = key_of(problem)
            answer = key.answer
            if isinstance(answer, (pd.DataFrame, pd.Series)):   # values, not a repr that display options change
                answer = answer.to_dict()
            out[(chapter, problem.name)] = (problem.prompt, key.answer_text(), repr(answer))
        module = importlib.import_module(f"utils.lessons.ch{chapter}_charts")
        for name, fn in sorted(vars(module).items()):
            if name.startswith("plot_") and inspect.isfunction(fn) and fn.__module__ == module.__name__ and not [
                    p for p in inspect.signature(fn).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]:
                out[(chapter, name)] = text_of(fn())
    for year in range(2012, 2021):
        for metric in ("population", "incidence"):
            out[(1, "plot_national", year, metric)] = text_of(ch1_charts.plot_national(year, metric))
    for pair in ch1_charts.POINT_PAIRS:
        out[(1, "plot_points", pair)] = text_of(ch1_charts.plot_points(pair))
    return out


@pytest.mark.slow
def test_row_order_changes_no_answer_chart_or_message(tmp_path, monkeypatch):
    expected = _course_outputs()
    assert len(expected) > 40
    monkeypatch.setattr(utils.data, "DATA_DIR", _shuffled_copy(tmp_path / "data", seed=27))
    assert utils.load_table("national_series")["year"].tolist() == list(range(2012, 2021))
    assert _course_outputs() == expected


def test_rows_load_sorted_by_key(tmp_path):
    data = _shuffled_copy(tmp_path / "data", seed=3)
    for name in ("report_figures", "national_series", "glossary", "lists", "sections"):
        pd.testing.assert_frame_equal(load_table(name, data), load_table(name))
    sections = load_table("sections")
    assert sections.loc[sections["chapter"] == 1, "section"].tolist() == ["总述", "(一)", "(二)", "(三)"]


# --- frictionless stays the second opinion ---------------------------------------

def test_frictionless_accepts_the_shipped_package():
    from frictionless import Package

    report = Package(str(DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("column,text", [("unit", "公斤"), ("value", "二十五万"), ("id", "CH1 village"),
                                         ("chapter", "9"), ("indicator", "")])
def test_frictionless_and_our_reader_agree_on_corruptions(scratch, column, text):
    from frictionless import Package

    _set(scratch, 7, column, text)
    _error(scratch)
    report = Package(str(scratch / "datapackage.json")).get_resource("report_figures").validate()
    assert not report.valid


# --- how numbers read --------------------------------------------------------------

@pytest.mark.parametrize("value,formula,unit,sign", [
    (832, "28 + 125 + 283 + 344 + 52", "个", "="),
    (88.5, "92% − 3.5个百分点", "%", "="),
    (7_460_000, "286万 + 158万 + 302万", "人次", "="),
    (195_000 / 13_000, "19.5万 ÷ 1.3万", "", "="),
    (98_990_000 * 0.7, "9899万 × 70%", "人", "="),
    (1 / 3, "1 ÷ 3", "", "≈"),
    (20.6 / 4.5, "20.6% ÷ 4.5%", "", "≈"),
    (123_456_789, "…", "人", "≈"),
])
def test_derive_prints_equals_only_for_exact_results(value, formula, unit, sign):
    d = utils.derive("x", value, formula, unit)
    assert f" {sign} {d.text}" in repr(d)
    assert f" {sign} <b>" in d._repr_mimebundle_()[0]["text/html"]
    assert d._repr_mimebundle_()[1]["utils"]["role"] == "derived"


@pytest.mark.parametrize("fid,text,short", [
    ("ch4.sichuan_help_time", "1个月以内", "≤1个月"),
    ("ch3.dividend_per_capita", "每人每年860元", "860元/人/年"),
    ("ch3.zhaotong_monthly_wage", "每人每月超过3000元", "≥3000元/人/月"),
    ("ch1.henan_collective_income", "每村超过5万元", "≥5万元/村"),
    ("ch4.response_time", "7天以内", "≤7天"),
    ("ch2.annual_training_hours", "不少于40学时", "≥40学时"),
])
def test_units_read_as_chinese(fid, text, short):
    f = utils.figure(fid)
    assert (f.text, f.short) == (text, short)


def test_no_unit_renders_as_a_calendar_month():
    for f in utils.load_figures().itertuples():
        fig = utils.figure(f.id)
        for shown in (fig.text, fig.short):
            assert not any(shown.endswith(f"{n}月") or f"{n}月以" in shown for n in range(1, 13)), (f.id, shown)


def test_notes_do_not_state_implied_values():
    """Notes are shown with the figures; an implied base value there would give an exercise away."""
    for f in utils.load_figures().itertuples():
        assert "隐含" not in f.note and "同口径" not in f.note, (f.id, f.note)


def test_tables_for_learners_have_chinese_headers():
    shown = utils.table(utils.national_series())
    assert list(shown.frame.columns) == ["年份", "农村贫困人口(人)", "贫困发生率(%)", "当年摘帽贫困县(个)",
                                         "人口数据来源", "摘帽数据来源"]
    data, meta = shown._repr_mimebundle_()
    assert meta["utils"]["role"] == "table" and ">年份</th>" in data["text/html"]
    lists = utils.table(utils.report_list("ch1.principles")[["item", "detail", "source_cited"]])
    assert list(lists.frame.columns) == ["条目", "说明", "报告所注来源"]
    long_cell = max(utils.report_list("ch1.principles")["detail"], key=len)
    assert long_cell in lists.to_html() and long_cell in repr(lists)      # never cut off
    figs = utils.figures("ch1.village_teams", "ch1.first_secretaries", table=True)
    assert list(figs.frame.columns) == ["指标", "地区", "时期", "数值", "出处", "来源"] and figs.frame.index.name == "编号"
    assert "white-space:nowrap" in figs.to_html()                       # short columns stay on one line
    with pytest.raises(TypeError, match="DataFrame"):
        utils.table([1, 2])


def test_figure_records_do_arithmetic_like_numbers():
    p, a = utils.figure("ch1.promoted_cadres"), utils.figure("ch1.accountable_cadres")
    assert p / a == pytest.approx(p.value / a.value) and isinstance(p / a, float)
    assert p * 0.5 == p.value * 0.5 and 2 * p == 2 * p.value and 1 / a == 1 / a.value
    assert p - a == p.value - a.value and p + 1 == p.value + 1 and 10 - a == 10 - a.value
    assert round(p / a) == round(p.value / a.value) and -p == -p.value and abs(p) == p.value
    with pytest.raises(TypeError):
        p + "1"
    zero = utils.figure("ch1.bijie_incidence_end")
    with pytest.raises(ZeroDivisionError, match="不能除以 0"):
        p / zero


def test_section_titles_are_the_tables_and_follow_a_changed_table(scratch, monkeypatch):
    """Titles come from an index built once per parse: the same as filtering the table, and a table
    parsed anew (a corrected, re-hashed file) is indexed anew; an edit with no new hash still fails."""
    frame = load_table("sections")
    for row in frame.itertuples():
        assert utils.section_title(row.chapter, row.section) == row.title
    assert utils.section_title(1, "(九)") == "" and utils.section_title("1", "(二)") == ""
    assert utils.section_title([1], "(二)") == ""                         # unhashable: no section, no error
    monkeypatch.setattr(utils.data, "DATA_DIR", scratch)
    assert utils.section_title(1, "(二)") == frame.query("chapter == 1 and section == '(二)'")["title"].iloc[0]
    _rewrite(scratch / "sections.csv", lambda lines: [l.replace("基层组织“会战”", "基层组织“大会战”") for l in lines])
    with pytest.raises(DataFileError):                                    # changed, not re-hashed
        utils.section_title(1, "(二)")
    _record_hashes(scratch)
    assert utils.section_title(1, "(二)").startswith("基层组织“大会战”:")
    assert utils.where(1, "(二)") == "第一章(二) 基层组织“大会战”"
