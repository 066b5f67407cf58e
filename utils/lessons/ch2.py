"""第二章 优化队伍建设 — the exercises of notebooks/02_cadres.ipynb.

Every answer is computed from ``data/report_figures.csv`` by id; no figure of the report is typed here.
"""
from __future__ import annotations

from ..data import figure, load_figures
from ..exercises import Choice, Code, Exercises, Interval, MultiChoice, Numeric
from ..quantities import format_cn


def _years(fig) -> int:
    """Number of calendar years a figure covers, both ends included (2016–2021 → 6)."""
    return int(fig.period_end) - int(fig.period_start) + 1


def _person_times_table():
    """Chapter 2's figures counted in 人次: id, indicator, value."""
    frame = load_figures(2)
    return frame[frame["unit"] == "人次"][["id", "indicator", "value"]].reset_index(drop=True)


def build() -> Exercises:
    training = figure("ch2.training_person_times")
    covid = figure("ch2.covid_cadres_selected")
    excellent = figure("ch2.covid_cadres_excellent_share")
    gd_total = figure("ch2.guangdong_first_secretaries")
    gd_grass = figure("ch2.guangdong_grassroots_share")
    gd_industry = figure("ch2.guangdong_industry_share")
    classes = figure("ch2.national_classes")
    county = figure("ch2.county_cadres_trained")
    shaanxi = figure("ch2.shaanxi_trained")
    stability = figure("ch2.team_stability")
    gap = figure("ch2.stability_gap")
    funds = figure("ch2.allowance_funds")

    # q2: cadres rated excellent
    n_excellent = covid.value * excellent.value / 100
    n_not = covid.value - n_excellent

    # q3: both features among Guangdong's first secretaries
    n_grass = gd_total.value * gd_grass.value / 100
    n_industry = gd_total.value * gd_industry.value / 100
    both_min_pct = max(0.0, gd_grass.value + gd_industry.value - 100)
    both_max_pct = min(gd_grass.value, gd_industry.value)
    both_low = gd_total.value * both_min_pct / 100
    both_high = gd_total.value * both_max_pct / 100
    neither_min = both_min_pct - (gd_grass.value + gd_industry.value - 100)
    neither_max = both_max_pct - (gd_grass.value + gd_industry.value - 100)

    # q5: person-times per national class
    per_class = county.value / classes.value

    # q7: implied average turnover of grassroots cadres
    team_turnover = 100 - stability.value          # at most, since stability is "N%以上"
    avg_turnover = team_turnover - gap.value       # gap is signed (negative points)
    literal = stability.value - gap.value          # the literal reading: stability + |gap|
    avg_stability = stability.value + gap.value    # reading the gap as a gap in stability

    # q8: yearly average of the allowance funds ("120多亿" = [120亿, 130亿))
    n_years = _years(funds)
    low_total, high_total = funds.bounds
    wrong_years = int(funds.period_end) - int(funds.period_start)  # the "2021 − 2018" slip

    wan = lambda v: format_cn(v, "")  # noqa: E731 - short local formatter

    problems = {
        "q1": Choice(
            f"报告说 {training.period} 全国开展扶贫干部培训“{training.text}”。仅凭这个数字，下面哪种说法最稳妥？",
            {
                "A": f"至少有 {wan(training.value)} 名不同的扶贫干部接受过培训。",
                "B": f"培训一共至少进行了 {wan(training.value)} 人次；接受过培训的不同的人有多少，报告没有给出，可能少得多。",
                "C": f"每年都有 {wan(training.value)} 名干部参加培训。",
                "D": "所有扶贫干部都至少接受过一次培训。",
            },
            "B",
            explanations={
                "A": "“人次”按参加次数计：同一名干部参加 3 次培训就记 3 人次，所以人次不能直接读成人数。",
                "B": "人次是次数的累计。要知道有多少不同的人参训，还需要“平均每人参加几次”这个报告没有给出的信息。",
                "C": f"这是 {_years(training)} 个年份的累计数，不是每年的数；而且单位是人次不是人。",
                "D": "报告没有说覆盖率。一个人次总数既推不出“人人都参加过”，也推不出“有人没参加”。",
            },
            hints=[
                "注意单位：是“人次”，不是“人”。人次是怎么计数的？",
                f"如果一名干部在这 {_years(training)} 个年份里参加了 4 次培训，他在“{training.text}”里被计了几次？报告有没有告诉我们每人平均参加几次？",
            ],
            solution=(
                f"答案 B。“{training.text}”是 {training.period} 的累计人次：每参加一次就计一次。"
                f"如果平均每人参加 2 次，不同的人就只有 {wan(training.value / 2)} 多人；平均 4 次则只有 {wan(training.value / 4)} 多人。"
                "报告没有给出“每人平均参训次数”，所以不同的人数无法从这个数字得出，覆盖率也无从判断。"
                f"A 把人次当成了人数，C 把 {_years(training)} 年累计当成了每年，D 是报告没有说过的覆盖率。"
            ),
            wrong=["A", "C", "D"],
        ),
        "q2": Numeric(
            f"{covid.period}，全国把抗疫中表现出色的 {wan(covid.value)}名干部优先派往扶贫一线，"
            f"其中 {excellent.text} 后来被评为“优秀”。被评为优秀的大约有多少人？（单位：人）",
            n_excellent,
            unit="人",
            rel_tol=0.02,
            hints=[
                f"“其中 {excellent.value:g}%”的整体是谁？",
                f"人数 = 整体人数 × 占比 ÷ 100 = {wan(covid.value)} × {excellent.value:g} ÷ 100。",
            ],
            solution=(
                f"{wan(covid.value)} × {excellent.value:g}% = {wan(n_excellent)} 人（推算），"
                f"其余约 {wan(n_not)} 人没有被评为优秀。"
                "这个数字说明这批人后来的考核结果很好，但不能说明“实战选拔”本身让人更优秀："
                "他们本来就是因为表现突出才被挑出来的（选择效应），而且报告没有给出其他干部的优秀率作对照。"
            ),
            code=('covid = utils.figure("ch2.covid_cadres_selected")\n'
                  'share = utils.figure("ch2.covid_cadres_excellent_share")\n'
                  "covid.value * share.value / 100"),
            wrong=[n_not, n_excellent / 10, n_excellent * 10],
        ),
        "q3": MultiChoice(
            f"关于“{wan(covid.value)}名被选派的干部中 {excellent.text} 后来被评为优秀”，下面哪些说法站得住？（可多选）",
            {
                "A": f"被评为优秀的约有 {wan(round(n_excellent, -2))} 人。",
                "B": f"这说明“实战导向”的选拔方式使干部的优秀率提高了 {excellent.value:g}%。",
                "C": "报告没有给出其他一线干部的优秀率，所以无法判断这批干部比一般干部优秀多少。",
                "D": "这批人本来就是因表现突出才被挑出的，后来被评优秀，可能部分只是延续了原来的表现。",
                "E": f"{covid.period}全国扶贫一线干部中有 {excellent.value:g}% 被评为优秀。",
            },
            "ACD",
            hints=[
                f"先算一算 A；再问自己：B 和 E 说的“整体”和报告里“其中{excellent.value:g}%”的整体是同一群人吗？",
                "要说明一种选拔方法“有效”，需要和谁比？被挑出来的人本来是什么样的人？",
            ],
            solution=(
                f"A 对：{wan(covid.value)} × {excellent.value:g}% ≈ {wan(n_excellent)} 人（推算）。"
                f"B 错：{excellent.value:g}% 是一个水平（占比），不是“提高了多少”；要谈提高，需要基准（同类干部的优秀率、或这批人过去的优秀率）。"
                f"C 对：没有对照组，{excellent.value:g}% 是高是低无从比较。"
                "D 对：这是选择效应，被挑选的人本就突出，好结果不能全部记在选拔方法上。"
                f"E 错：{excellent.value:g}% 的整体是这 {wan(covid.value)}名被选派的干部，不是全国所有一线干部。"
            ),
            wrong=["AC", "ABCD", "ACDE"],
        ),
        "q4": Interval(
            f"广东省 {gd_total.period} 选派的 {wan(gd_total.value)}名驻村第一书记中，{gd_grass.text} 有基层工作经验，"
            f"{gd_industry.text} 熟悉产业发展。两项都具备的第一书记至少有多少人、至多有多少人？"
            "请写成 (下限, 上限)，单位：人。",
            both_low,
            both_high,
            unit="人",
            rel_tol=0.01,
            hints=[
                f"两个占比加起来是 {gd_grass.value + gd_industry.value:g}%，超过了 100%。多出来的部分说明了什么？",
                f"重叠最少时，缺某一项的人恰好都具备另一项：重叠 = {gd_grass.value:g}% + {gd_industry.value:g}% − 100%。"
                "重叠最多时，熟悉产业的人全都有基层经验：重叠 = 两个占比中较小的那个。"
                "最后把百分比换算成人数。",
            ],
            solution=(
                f"有基层经验的 {wan(n_grass)} 人，熟悉产业的 {wan(n_industry)} 人（都是推算）。"
                f"两项兼具的比例至少是 {gd_grass.value:g}% + {gd_industry.value:g}% − 100% = {both_min_pct:g}%，"
                f"至多是 min({gd_grass.value:g}%, {gd_industry.value:g}%) = {both_max_pct:g}%，"
                f"即 {wan(both_low)}–{wan(both_high)} 人。"
                "两个占比可以重叠，所以不能相加，也不能相减求“其余”；报告只给了两个边际比例，"
                f"真实的重叠是多少、两项都不具备的有多少（{neither_min:g}%–{neither_max:g}%），都要看个人层面的数据才知道。"
            ),
            code=('n = utils.figure("ch2.guangdong_first_secretaries").value\n'
                  'a = utils.figure("ch2.guangdong_grassroots_share").value\n'
                  'b = utils.figure("ch2.guangdong_industry_share").value\n'
                  "(n * (a + b - 100) / 100, n * min(a, b) / 100)"),
            wrong=[(0, both_high), (both_low, gd_total.value), (n_industry, n_grass)],
        ),
        "q5": Numeric(
            f"{classes.period}，全国性扶贫干部培训班共举办 {classes.text}，培训县级以上扶贫干部 {county.text}。"
            "平均每期培训班培训了多少人次？（单位：人次）",
            per_class,
            unit="人次",
            rel_tol=0.02,
            scales=(),
            hints=[
                "“每期多少人次” = 总人次 ÷ 期数。",
                f"{wan(county.value)} 人次 = {county.value:,.0f} 人次；再除以 {classes.value:g} 期。",
            ],
            solution=(
                f"{county.value:,.0f} ÷ {classes.value:g} ≈ {per_class:.0f} 人次/期（推算）。"
                "这是一个平均数：各期规模可能差别很大（也许有的是大规模网络班）；"
                "而且是人次，同一名县级干部可能参加了好几期。"
                f"它也提醒我们：全国性培训班的 {county.text} 只占全部培训 {training.text} 的一小部分，大量培训在省、市、县进行。"
            ),
            code=('classes = utils.figure("ch2.national_classes").value\n'
                  'trained = utils.figure("ch2.county_cadres_trained").value\n'
                  "trained / classes"),
            wrong=[shaanxi.value / classes.value, per_class * 10, training.value / classes.value],
        ),
        "q6": Code(
            "用 utils.load_figures(2) 取出第二章的全部数字，筛出单位（unit 列）是“人次”的行，"
            "只保留 id、indicator、value 三列。把结果赋给 answer_q6。",
            _person_times_table,
            columns=["id", "value"],
            sort_by="id",
            hints=[
                "先 t = utils.load_figures(2)；布尔筛选的写法是 t[t[\"unit\"] == \"…\"]。",
                "选几列用双层方括号：t[t[\"unit\"] == \"人次\"][[\"id\", \"indicator\", \"value\"]]。",
            ],
            solution=(
                "t = utils.load_figures(2)；t[t[\"unit\"] == \"人次\"][[\"id\", \"indicator\", \"value\"]] 得到三行。"
                f"想一想：这三个数能相加吗？不能。全国性培训班和陕西的专项培训很可能已经包含在全国累计的 {training.text} 里，"
                "相加会重复计算；而且人次本身就可能把同一个人算了多次。把数字从表里取出来之前，先看单位和口径。"
            ),
            code=('t = utils.load_figures(2)\n'
                  't[t["unit"] == "人次"][["id", "indicator", "value"]]'),
            wrong=[
                load_figures(2).query("unit == '人'")[["id", "indicator", "value"]].reset_index(drop=True),
                load_figures(2)[["id", "indicator", "value"]],
            ],
        ),
        "q7": Interval(
            f"{funds.period}（共 {n_years} 个年份），全国累计为扶贫干部发放保障资金“{funds.text}”。"
            "平均每年发放的金额落在什么范围？请写成 (下限, 上限)，单位：元（也可以只写以亿为单位的数）。",
            low_total / n_years,
            high_total / n_years,
            unit="元",
            rel_tol=0.01,
            hints=[
                f"“{funds.text}”是多少到多少？“多”说明在写出的数字之后还有零头，但不到下一个整十亿。",
                f"{funds.period} 包含几个年份？首尾都算：{funds.period_end} − {funds.period_start} + 1。然后下限、上限都除以年数。",
            ],
            solution=(
                f"“{funds.text}”意味着总额在 {wan(low_total)}元 到 {wan(high_total)}元 之间（不含上限）。"
                f"{funds.period} 共 {n_years} 个年份，所以年均在 {wan(low_total / n_years)}元 到 {wan(high_total / n_years)}元 之间（推算）。"
                f"常见错误是用 {funds.period_end} − {funds.period_start} = {wrong_years} 作年数。"
                "注意这只是平均：报告没有给出逐年数字，也没有说发放给了多少名干部，所以算不出“每人多少”。"
            ),
            code=('f = utils.figure("ch2.allowance_funds")\n'
                  "years = f.period_end - f.period_start + 1\n"
                  "low, high = f.bounds\n"
                  "(low / years, high / years)"),
            wrong=[
                (low_total / wrong_years, high_total / wrong_years),
                (low_total, high_total),
                (low_total / 6, high_total / 6),
            ],
        ),
        "q8": Numeric(
            f"报告说扶贫干部队伍稳定性“保持在{stability.value:g}%以上”，并且比同期基层干部平均流动率"
            f"“低{abs(gap.value):g}个百分点”。假设稳定性 = 100% − 流动率，且把这 {abs(gap.value):g} 个百分点理解为"
            "两支队伍流动率之差。由此推算，基层干部的平均流动率大约是多少？（单位：%，填数字即可）",
            avg_turnover,
            unit="%",
            rel_tol=0.01,
            scales=(),
            hints=[
                f"先把扶贫干部队伍的稳定性换成流动率：100% − {stability.value:g}% = ?",
                f"基层干部平均流动率比它高 {abs(gap.value):g} 个百分点；百分点直接相加减。"
                f"注意不要把 {stability.value:g}% 直接加 {abs(gap.value):g}：那会得到超过 100% 的“流动率”。",
            ],
            solution=(
                f"扶贫干部队伍流动率 = 100% − {stability.value:g}% = {team_turnover:g}%（至多，因为稳定性在 {stability.value:g}% 以上）；"
                f"基层干部平均流动率 ≈ {team_turnover:g}% + {abs(gap.value):g} 个百分点 = {avg_turnover:g}%（推算，且是上限）。"
                f"如果按字面把“稳定性比流动率低 {abs(gap.value):g} 个百分点”直接相减，会得到 {literal:g}% 的流动率——"
                "比例不可能超过 100%，说明原句把两种口径混在一起了。报告也没有说明稳定性和流动率各自怎么计算，"
                f"所以 {avg_turnover:g}% 只是在一个假设下的推算，不是报告给出的数字。"
            ),
            code=('stability = utils.figure("ch2.team_stability").value\n'
                  'gap = utils.figure("ch2.stability_gap").value   # 带符号：负数表示“低”\n'
                  "(100 - stability) - gap"),
            wrong=[literal, avg_stability, team_turnover],
        ),
    }
    return Exercises(2, "第二章 优化队伍建设：专业化的攻坚人才梯队", problems)
