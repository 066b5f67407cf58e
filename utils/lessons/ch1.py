"""Chapter 1 — 强化组织引领：三维责任体系.  Exercises q1…q8.

Every answer is computed from the data by id; no figure of the report is typed in here.
"""
from __future__ import annotations

from ..data import figure, national_series
from ..exercises import Choice, Code, Exercises, Interval, MultiChoice, Numeric
from ..quantities import base_from_points, format_cn, multiple_readings, pct_change, to_wan


def _cumulative_delisted():
    """Cumulative number of delisted poor counties at the end of each year (Series, index = year)."""
    frame = national_series().dropna(subset=["counties_delisted"])
    return frame.set_index("year")["counties_delisted"].cumsum()


def _annual_delisted():
    frame = national_series().dropna(subset=["counties_delisted"])
    return frame.set_index("year")["counties_delisted"]


def build() -> Exercises:
    counties = figure("intro.poor_counties")
    cumulative = _cumulative_delisted()
    first_year, last_year = int(cumulative.index[0]), int(cumulative.index[-1])

    secretaries = figure("ch1.first_secretaries")
    township = figure("ch1.township_cadres")
    teams = figure("ch1.village_teams")
    sec_low, sec_high = secretaries.bounds
    twn_high = township.bounds[1]

    promoted = figure("ch1.promoted_cadres")
    accountable = figure("ch1.accountable_cadres")
    ratio = promoted.value / accountable.value

    rectified = figure("ch1.weak_orgs_rectified")
    poor_share = figure("ch1.weak_orgs_poor_village_share")
    in_poor = rectified.value * poor_share.value / 100

    income = figure("ch1.henan_collective_income")
    growth = figure("ch1.henan_collective_income_growth")
    readings = multiple_readings(growth.value, latest=income.value)

    rate = figure("ch1.participation_rate")
    rate_pts = figure("ch1.participation_rate_change")
    base_2016 = base_from_points(rate.value, rate_pts.value)
    base_if_percent = rate.value / (1 + rate_pts.value / 100)

    members = figure("ch1.party_members_pairing")
    per_member = figure("ch1.households_per_member")
    mem_low, mem_high = members.bounds
    hh_low, hh_high = mem_low * per_member.value, mem_high * per_member.value_high

    start = figure("ch1.bijie_incidence_start")
    end = figure("ch1.bijie_incidence_end")
    drop_points = start.value - end.value
    drop_relative = -pct_change(start.value, end.value)

    problems = {
        # ------------------------------------------------------------------ 开篇
        "q1": Code(
            f"用 national_series() 算出 {first_year}–{last_year} 年每年年末“累计”摘帽的贫困县数，"
            "结果是一个以年份为索引的 Series。最后一年的累计数应当和报告开篇的数字一致。",
            _cumulative_delisted,
            hints=[
                f"先去掉 counties_delisted 为空的年份（{first_year} 年以前没有这一列的数字）：dropna(subset=[\"counties_delisted\"])。",
                "把 year 设为索引，取出 counties_delisted 这一列，再用 .cumsum() 逐年累加。",
                "完整写法：ns.dropna(subset=[\"counties_delisted\"]).set_index(\"year\")[\"counties_delisted\"].cumsum()",
            ],
            solution=(
                f"逐年累加每年摘帽的县数：{first_year} 年末累计 {int(cumulative.iloc[0])} 个，"
                f"{last_year} 年末累计 {int(cumulative.iloc[-1])} 个，正好等于报告开篇的 {counties.text}。"
                "累计数只会增加、不会减少；它告诉我们“到哪一年为止完成了多少”，"
                "而逐年数字告诉我们“哪一年最集中”。注意这张表来自报告之外的统计公报，"
                "能与报告对上，说明两处口径一致；它不能说明每个县摘帽后发展得怎样。"
            ),
            code=('ns = utils.national_series()\n'
                  'answer_q1 = ns.dropna(subset=["counties_delisted"]).set_index("year")["counties_delisted"].cumsum()'),
            wrong=[_annual_delisted()],
        ),
        # ------------------------------------------------------------------ 总述
        "q2": MultiChoice(
            f"报告写的是“{secretaries.quote}”和“{township.quote}”。只根据这两处措辞，下面哪些说法站得住？"
            "（可多选，例如 \"AB\"）",
            {
                "A": f"第一书记和驻村干部不少于 {format_cn(sec_low, '人')}",
                "B": f"第一书记和驻村干部可能多达 {format_cn(sec_low * 1.5, '人')}",
                "C": f"乡镇干部的人数不到 {format_cn(twn_high, '人')}",
                "D": f"乡镇干部正好是 {format_cn(township.value, '人')}",
                "E": "第一书记和驻村干部比乡镇干部多",
                "F": f"把 {teams.text}驻村工作队和这两类干部相加，就是一线扶贫力量的总人数",
            },
            "ACE",
            hints=[
                f"“多”给出下限，而且“{secretaries.text}”意味着还没到下一个整百万；“近”意味着接近但没有达到。",
                f"“{secretaries.text}”允许的范围是 {format_cn(sec_low, '人')} ≤ x < {format_cn(sec_high, '人')}；"
                f"“{township.text}”最多 {format_cn(twn_high, '人')}。比较一类的下限和另一类的上限。"
                "再看 F：工作队的单位是什么？",
            ],
            solution=(
                f"选 ACE。A：“多”是下限，至少 {format_cn(sec_low, '人')}。"
                f"B 错：“300多万”还没到 {format_cn(sec_high, '人')}，更不会有 {format_cn(sec_low * 1.5, '人')}。"
                f"C 对、D 错：“近”表示接近但不到 {format_cn(twn_high, '人')}，报告没有给出下限。"
                f"E 对：前者至少 {format_cn(sec_low, '人')}，后者至多 {format_cn(twn_high, '人')}，无论怎么取都是前者多。"
                f"F 错：工作队按“个”计，不能与人数相加；况且“数百万村干部”没有确切数字，总人数算不出来。"
            ),
            wrong=["AC", "ACDE", "ABCE"],
        ),
        # ------------------------------------------------------------------ (一)
        "q3": Numeric(
            f"{promoted.period}，{format_cn(promoted.value)}名党政领导干部获提拔或进一步使用，同期 {format_cn(accountable.value)}名干部因履职不力被问责。"
            "获提拔或重用的人数是被问责人数的几倍？（写一个数）",
            ratio,
            rel_tol=0.01,
            hints=[
                "“A 是 B 的几倍” = A ÷ B。先确认两个数的单位都是“人”、时期相同。",
                f"{format_cn(promoted.value)} ÷ {format_cn(accountable.value)}；两个数都以“万”为单位，也可以写成 "
                f"{to_wan(promoted.value):g} ÷ {to_wan(accountable.value):g}。",
            ],
            solution=(
                f"{format_cn(promoted.value, '人')} ÷ {format_cn(accountable.value, '人')} ≈ {ratio:.0f}，"
                f"即同期每有 1 名干部被问责，约有 {ratio:.0f} 名获提拔或重用。"
                "这个比值只比较了两个人数，不能告诉我们：全国领导干部一共有多少（没有分母，算不出比例）；"
                "问责是否“促使”干部下沉（这是因果判断，需要对照）；两组人是否有重叠。"
            ),
            code=('p, a = utils.figure("ch1.promoted_cadres"), utils.figure("ch1.accountable_cadres")\n'
                  "answer_q3 = p.value / a.value"),
            wrong=[accountable.value / promoted.value, ratio / 10, ratio * 10],
        ),
        # ------------------------------------------------------------------ (二)
        "q4": Numeric(
            f"{rectified.period}累计整顿软弱涣散村党组织 {rectified.text}，其中贫困村党组织占 {poor_share.text}。"
            "被整顿的组织中，贫困村党组织大约有多少个？（写个数，可以写成 \"3.5万\" 这样的形式）",
            in_poor,
            unit="个",
            rel_tol=0.01,
            hints=[
                "“其中占比”是部分 ÷ 整体。已知整体和占比，部分 = 整体 × 占比。",
                f"百分数要除以 100：{format_cn(rectified.value)} × {poor_share.value} ÷ 100。",
            ],
            solution=(
                f"{format_cn(rectified.value, '个')} × {poor_share.value}% ≈ {format_cn(in_poor, '个')}（推算）。"
                f"其余约 {format_cn(rectified.value - in_poor, '个')}在非贫困村。"
                "注意：这只说明被整顿的组织里贫困村占多数，不能说明贫困村的组织“更容易”软弱涣散——"
                "要回答后者，还需要知道全国村党组织中贫困村本来占多少。"
            ),
            code=('r, s = utils.figure("ch1.weak_orgs_rectified"), utils.figure("ch1.weak_orgs_poor_village_share")\n'
                  "answer_q4 = r.value * s.value / 100"),
            wrong=[poor_share.value, rectified.value - in_poor, rectified.value / (poor_share.value / 100)],
        ),
        "q5": Numeric(
            f"河南省{income.period}贫困村“{income.quote}”，并且“{growth.quote}”。"
            f"设想一个村 {income.period}恰好收入 {format_cn(income.value, '元')}，且恰好“增长{growth.value:g}倍”。"
            f"按统计上的严格读法，它 {growth.base_period} 年的集体经济收入是多少元？",
            readings.strict_base,
            unit="元",
            rel_tol=0.01,
            hints=[
                "“增长N倍”按统计惯例是“增加了基期的N倍”，所以现值 = 基期 × (N + 1)；“增长到N倍”才是现值 = 基期 × N。",
                f"基期 = {format_cn(income.value, '元')} ÷ ({growth.value:g} + 1)。可以用 utils.multiple_readings({growth.value:g}, latest=...) 核对。",
            ],
            solution=(
                f"严格读法：{format_cn(income.value, '元')} ÷ {readings.strict_factor:g} = "
                f"{format_cn(readings.strict_base, '元')}（推算）；"
                f"口语读法（理解成“增长到{growth.value:g}倍”）：{format_cn(income.value, '元')} ÷ {readings.loose_factor:g} = "
                f"{format_cn(readings.loose_base, '元')}，比严格读法高出约 "
                f"{(readings.loose_base / readings.strict_base - 1) * 100:.0f}%。"
                "还要记得：报告的两个数字都是下限（“超过”“以上”），而且一个说的是每个村，一个很可能说的是总体，"
                f"所以这只是一个“设想的村”的演算，不是河南 {growth.base_period} 年的真实数字。"
            ),
            code=(f'r = utils.multiple_readings(utils.figure("ch1.henan_collective_income_growth").value,\n'
                  f'                           latest=utils.figure("ch1.henan_collective_income").value)\n'
                  "answer_q5 = r.strict_base"),
            wrong=[readings.loose_base, income.value / (1 + growth.value / 100), income.value * readings.strict_factor],
        ),
        "q6": Numeric(
            f"{rate.period}贫困群众自主参与扶贫项目的比例为 {rate.text}，较 {rate_pts.base_period} 年“提升{rate_pts.text}”。"
            f"{rate_pts.base_period} 年这一比例是多少？（写百分数里的数，如 50 表示 50%）",
            base_2016,
            unit="%",
            rel_tol=0.005,
            hints=[
                "“个百分点”是两个百分数直接相减的差，不是相对增长率。",
                f"{rate_pts.base_period} 年比例 = {rate.value} − {rate_pts.value:g}。如果你算的是 {rate.value} ÷ {1 + rate_pts.value / 100:g}，那是把百分点误当成了百分比。",
            ],
            solution=(
                f"{rate.value}% − {rate_pts.value:g} 个百分点 = {format_cn(base_2016, '%')}（推算）。"
                f"若误读为“提升{rate_pts.value:g}%”，会算出 {rate.value} ÷ {1 + rate_pts.value / 100:g} ≈ "
                f"{format_cn(base_if_percent, '%')}，差得很远。按正确读法，{rate.period}的比例约是 {rate_pts.base_period} 年的 "
                f"{rate.value / base_2016:.2f} 倍（{rate.value} ÷ {format_cn(base_2016)}，推算）。"
                "报告没有说明“自主参与”如何认定、由谁统计，两年的口径是否一致也无从核对。"
            ),
            code=('r, d = utils.figure("ch1.participation_rate"), utils.figure("ch1.participation_rate_change")\n'
                  "answer_q6 = utils.base_from_points(r.value, d.value)"),
            wrong=[base_if_percent, rate.value + rate_pts.value, rate_pts.value],
        ),
        # ------------------------------------------------------------------ (三)
        "q7": Interval(
            f"报告说“{members.quote}”，“{per_member.quote}”。这些结对关系一共覆盖了多少户次？"
            "请给出措辞所允许的区间 (下限, 上限)，单位：户次。",
            hh_low,
            hh_high,
            unit="户次",
            rel_tol=0.01,
            hints=[
                f"先把两个数都写成区间：党员 {format_cn(mem_low, '人')} ≤ x < {format_cn(mem_high, '人')}（“多”），"
                f"每人 {per_member.value:g}–{per_member.value_high:g} 户。",
                "乘积的下限 = 两个下限相乘，上限 = 两个上限相乘。别忘了“1300多万”的上限不是 1300万。",
            ],
            solution=(
                f"下限 {format_cn(mem_low, '人')} × {per_member.value:g} = {format_cn(hh_low, '户次')}；"
                f"上限 {format_cn(mem_high, '人')} × {per_member.value_high:g} = {format_cn(hh_high, '户次')}（不含）。"
                "区间很宽：两处不确定相乘后被放大了。还要注意这是“户次”而不是“户”：一户可能同时有几名党员结对，"
                "所以它不能直接告诉我们有多少个不同的贫困家庭得到了帮扶；“平均2-3户”也没说分布。"
            ),
            code=('m, h = utils.figure("ch1.party_members_pairing"), utils.figure("ch1.households_per_member")\n'
                  "answer_q7 = (m.bounds[0] * h.value, m.bounds[1] * h.value_high)"),
            wrong=[(hh_low, mem_low * per_member.value_high), (mem_low, mem_high), (per_member.value, per_member.value_high)],
        ),
        "q8": Choice(
            f"毕节市“{start.quote}”。下面哪种描述是准确的？",
            {
                "A": f"贫困发生率下降了 {format_cn(drop_points, '%')}",
                "B": f"贫困发生率下降了 {format_cn(drop_points, '百分点')}；与起点相比，相对下降了 {format_cn(drop_relative, '%')}",
                "C": f"贫困发生率下降了 {format_cn(drop_relative, '百分点')}",
                "D": f"因为累计有 {figure('ch1.bijie_lifted').text}脱贫，所以毕节 {start.period}的农村人口一定是 "
                     f"{format_cn(figure('ch1.bijie_lifted').value)} ÷ {start.value}%",
            },
            "B",
            explanations={
                "A": f"把百分点差当成了百分比：从 {start.text} 到 {end.text} 少了 {format_cn(drop_points, '百分点')}，"
                     f"相对降幅则是 {format_cn(drop_relative, '%')}。",
                "B": f"两个百分数相减得到百分点；相对变化 = (终点 − 起点) ÷ 起点 = −{format_cn(drop_relative, '%')}。",
                "C": f"百分点是两个比率之差，这里最多只能是 {format_cn(drop_points, '百分点')}。",
                "D": f"累计脱贫人数覆盖 {figure('ch1.bijie_lifted').period}多年，期间人口有进有出；发生率只是 {start.period}的起点比例，不能这样反推人口。",
            },
            hints=[
                "区分“百分点”（两个百分数之差）和“百分比变化”（差 ÷ 起点）。",
                f"差 = {start.value} − {end.value:g}；相对变化 = 差 ÷ {start.value}。再看 D：累计人数和某一年的比率能直接相除吗？",
            ],
            solution=(
                f"选 B。{start.value}% − {end.value:g}% = {format_cn(drop_points, '百分点')}；"
                f"相对变化 = −{format_cn(drop_points)} ÷ {start.value} = −{format_cn(drop_relative, '%')}。"
                "两种说法都对，但不能混用单位。D 的反推不成立：累计脱贫人数是多年的流量，发生率是某一年的存量比例。"
            ),
            wrong=["A", "C", "D"],
        ),
    }
    return Exercises(1, "第一章 强化组织引领：三维责任体系", problems)
