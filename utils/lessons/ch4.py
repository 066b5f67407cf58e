"""第四章 巩固攻坚成果：监测与防止返贫 — exercises.

Every answer and every wrong example is computed from the data by id; no figure of the report
is typed here.
"""
from __future__ import annotations

from ..data import figure, report_list
from ..exercises import Choice, Exercises, MultiChoice, Numeric
from ..quantities import base_from_pct_change, base_from_points, format_cn


def _pct(x: float, digits: int = 2) -> str:
    return format_cn(x, "%", digits=digits)


def _n(f) -> str:
    """A head count without its unit, to put before a noun: "9899万农村贫困人口"."""
    return format_cn(f.value)


def build() -> Exercises:
    # -- 总述 ---------------------------------------------------------------
    relapse = figure("ch4.relapse_and_new_poor")
    lifted = figure("intro.rural_poor")
    rate_bound = figure("ch4.relapse_rate")
    warning = figure("ch4.warning_line")
    monitored = figure("ch4.monitored_identified")
    rate = relapse.value / lifted.value * 100
    rate_wrong_denominator = relapse.value / monitored.value * 100

    q1 = Numeric(
        f"报告没有说明返贫率的分母。假设分母是开篇宣告脱贫的 {_n(lifted)}农村贫困人口，"
        f"2021 年的 {_n(relapse)}返贫和新发生贫困人口占它的百分之几？（答案写成百分数的数字，如 1.23 表示 1.23%）",
        rate,
        unit="%",
        rel_tol=0.02,
        hints=[
            "比率 = 部分 ÷ 整体 × 100。这里“部分”是 2021 年返贫和新发生贫困的人数，“整体”是假设的分母。",
            f"用 utils.figure(\"ch4.relapse_and_new_poor\").value ÷ utils.figure(\"intro.rural_poor\").value × 100；"
            "两个数都已经是以“人”为单位的基本数值，不用再换算万。",
        ],
        solution=(
            f"{relapse.text} ÷ {lifted.text} × 100 ≈ {_pct(rate, 3)}（推算）。它确实落在报告所说的"
            f"“{rate_bound.text}”之内，也远低于 {warning.text} 的预警线，说明这两个数字能对得上。"
            f"但要记住两点：第一，分母是我们假设的，报告没写；若改用 {_n(monitored)}名监测对象作分母，"
            f"结果会变成约 {_pct(rate_wrong_denominator)}，意义完全不同。第二，{relapse.text}里既有返贫的，也有新发生贫困的，"
            "严格说它并不全是“返贫”。"
        ),
        code=(
            'rate = utils.figure("ch4.relapse_and_new_poor").value / utils.figure("intro.rural_poor").value * 100\n'
            "round(rate, 3)"
        ),
        wrong=[rate_wrong_denominator, rate / 100, rate_bound.value],
    )

    q2 = MultiChoice(
        f"细读总述中的这句话：2021 年返贫和新发生贫困人口 {relapse.text}，返贫率“{rate_bound.text}”，"
        f"低于 {warning.text} 的预警线。下面哪些说法是这句话（加上练习 1 的计算）能够支持的？",
        {
            "A": f"2021 年的返贫率不超过 {_pct(rate_bound.value)}。",
            "B": f"这 {relapse.text}都是曾经脱贫、后来又返贫的人。",
            "C": "报告写明了计算返贫率所用的分母。",
            "D": f"如果分母是 {lifted.text}，算出的比例与“{rate_bound.text}”相符。",
            "E": f"返贫率比预警线正好低 {format_cn(warning.value, '百分点')}。",
        },
        "AD",
        hints=[
            "逐条对照原话：“以内”是上限还是确切值？“返贫人口和新发生贫困人口”是一类人还是两类人？",
            f"B 忽略了“新发生贫困”；C 在原文里找不到分母；E 把百分比和百分点混在一起——"
            f"{_pct(warning.value)} 减去一个不超过 {_pct(rate_bound.value)} 的数，差距至少是多少个百分点？",
        ],
        solution=(
            f"选 A、D。A：“{rate_bound.text}”是上限，实际值可以更低。D：练习 1 算出约 {_pct(rate, 3)}，"
            f"与上限相符。B 错：{relapse.text}是“返贫 + 新发生贫困”两类人的合计，报告没有拆分。C 错：报告没有说分母。"
            f"E 错：预警线 {_pct(warning.value)} 与返贫率相差的是百分点，而且因为返贫率只给了上限，"
            f"只能说至少低 {format_cn(warning.value - rate_bound.value, '百分点')}，不是“正好低 {format_cn(warning.value, '百分点')}”。"
        ),
        wrong=["A", "ABD", "ADE"],
    )

    # -- (一) 监测预警 --------------------------------------------------------
    sc_identified = figure("ch4.sichuan_identified")
    sc_share = figure("ch4.sichuan_helped_share")
    sc_time = figure("ch4.sichuan_help_time")
    sc_helped = sc_identified.value * sc_share.value / 100

    q3 = Numeric(
        f"四川省 2021 年识别易返贫人口 {sc_identified.text}，其中 {_pct(sc_share.value)} 在"
        f"{sc_time.value:g}个月内得到帮扶。算一算：{sc_time.value:g}个月内得到帮扶的大约有多少人？"
        "（可以写成 \"12.3万\" 这样的文字，也可以写以“万”为单位的数字）",
        sc_helped,
        unit="人",
        rel_tol=0.01,
        hints=[
            f"“其中 {_pct(sc_share.value)}”说的是占 {sc_identified.text}的比例：人数 = 总数 × 比例。",
            f"{format_cn(sc_identified.value, '人')} × {sc_share.value:g} ÷ 100 = ？"
            f"注意不要把 {_pct(sc_share.value)} 当成 {sc_share.value:g} 直接相乘。",
        ],
        solution=(
            f"{sc_identified.text} × {_pct(sc_share.value)} ≈ {format_cn(sc_helped, '人')}（推算），"
            f"剩下约 {format_cn(sc_identified.value - sc_helped, '人')}没有在{sc_time.value:g}个月内得到帮扶——"
            "报告没有说他们后来怎样。这个数字只说明“多快开始帮扶”，不说明帮扶是否有效；"
            "它也只覆盖“已被识别”的人，漏识别的人不在分母里。"
        ),
        code=(
            'sc = utils.figure("ch4.sichuan_identified").value\n'
            'share = utils.figure("ch4.sichuan_helped_share").value\n'
            "sc * share / 100"
        ),
        wrong=[sc_identified.value - sc_helped, sc_identified.value, monitored.value * sc_share.value / 100],
    )

    accuracy = figure("ch4.identification_accuracy")
    response = figure("ch4.response_time")
    q4 = Choice(
        f"报告说：与传统人工排查模式相比，“{accuracy.quote}”，“{response.quote}”。"
        "要判断这是一个多大的进步，最缺的是哪一项信息？",
        {
            "A": "传统人工排查模式下的准确率和响应时间（比较的基准）",
            "B": "四川省识别了多少易返贫人口",
            "C": "全国一共识别了多少易返贫致贫人口",
            "D": "2021 年返贫和新发生贫困人口的人数",
        },
        "A",
        explanations={
            "A": "“提升至”“缩短至”只给了终点。没有起点，就算不出提升了多少，也无法判断进步是大是小。",
            "B": "四川的数字是一个地方的例子，和“全国相比传统模式”的提升幅度无关。",
            "C": "总人数告诉我们规模，但不能告诉我们准确率从多少提高上来。",
            "D": "这是另一项结果指标，不是准确率和响应时间的基准。",
        },
        hints=[
            "“提升至”和“提升了”有什么区别？一个说终点，一个说变化量。",
            "想算“提高了多少个百分点”或“缩短了几天”，需要两个数：现在的，和原来的。报告给了哪一个？",
        ],
        solution=(
            f"选 A。报告只给了新模式的水平（准确率{accuracy.text}、响应{response.text}），"
            "而比较对象“传统人工排查模式”的水平一个字也没有。没有基准，就说不出提升了多少，"
            "也无法排除基准本来就很高的可能。另外，“准确率”的定义（是“识别对的占识别出的比例”，"
            "还是“该识别的被识别出来的比例”）也没有说明。"
        ),
        wrong=["B", "C"],
    )

    # -- (二) 动态帮扶 --------------------------------------------------------
    supports = [figure(i) for i in ("ch4.industry_support", "ch4.employment_support", "ch4.social_support")]
    support_sum = sum(f.value for f in supports)
    q5 = Choice(
        "2021 年监测对象得到的产业、就业、综合保障三类帮扶，"
        + "、".join(f.text for f in supports)
        + f"，三者加起来比累计识别的 {_n(monitored)}名监测对象还多。最合理的解释是哪一个？",
        {
            "A": "报告数字有误：帮扶的次数不可能超过人数。",
            "B": "“人次”按次数计：同一个人可以同时或先后得到几类、几次帮扶，所以人次之和可以大于人数。",
            "C": f"这说明约有 {format_cn(support_sum - monitored.value, '人')}不是监测对象，却也得到了帮扶。",
            "D": f"{monitored.text}是 2020 年的数字，所以不能和 2021 年的人次比较。",
        },
        "B",
        explanations={
            "A": "人次大于人数很正常：一个人得到两类帮扶，就算 2 人次。",
            "B": "人次是“人 × 次”的计数，不去重。三类帮扶相加只能说明帮扶了多少人次，不能说明帮到了多少人。",
            "C": "这不能从这些数字推出：仅“同一人得到多类帮扶”就足以解释差额。要回答 C，需要按人去重的名单数据。",
            "D": f"{monitored.text}是“截至{monitored.period_end}年”的累计数，时期并不矛盾；关键问题是单位不同（人 与 人次）。",
        },
        hints=[
            "看清单位：帮扶的单位是“人次”，监测对象的单位是“人”。",
            "一个监测户的家庭成员，既参加了产业项目，又被介绍去打工，会被算成几人次？",
        ],
        solution=(
            f"选 B。三类相加 = {format_cn(support_sum, '人次')}（推算），大于 {monitored.text}，"
            "但两者单位不同：人次会把同一个人重复计数。所以这组数字既不能说明“每个监测对象都得到了帮扶”，"
            "也不能说明有多少人一次帮扶都没得到；要回答这些问题需要按人统计的数据。"
        ),
        wrong=["A", "C"],
    )

    henan = figure("ch4.henan_exit_rate")
    gap = figure("ch4.henan_exit_rate_gap")
    national = figure("ch4.stable_exit_rate")
    implied_national = base_from_points(henan.value, gap.value)
    q6 = Numeric(
        f"一致性检验：河南省 2021 年监测对象脱贫率为 {henan.text}，“较全国平均水平高 {gap.text}”。"
        "只用这两个数，推算全国平均水平是百分之几？（写数字，如 80.5）然后与报告另一处给出的全国数字对照。",
        implied_national,
        unit="%",
        rel_tol=0.002,
        hints=[
            "“高 N 个百分点”说的是两个百分数直接相减的差，不是相对增长。",
            f"全国 = 河南 − 差距 = {henan.value:g} − {gap.value:g}。"
            f"不要算成 {henan.value:g} ÷ (1 + {gap.value:g}%)：那是把百分点当成了百分比。",
        ],
        solution=(
            f"{_pct(henan.value)} − {gap.text} = {_pct(implied_national)}（推算），"
            f"与报告中“{_pct(national.value)}的监测对象实现稳定脱贫”正好一致，说明报告前后两个数字是同一口径。"
            f"若误把百分点当百分比，会得到 {henan.value:g} ÷ {1 + gap.value / 100:g} ≈ {_pct(henan.value / (1 + gap.value / 100))}，"
            "和报告对不上。一致只说明数字没有自相矛盾，并不说明河南的做法“导致”了更高的脱贫率——"
            "两省监测对象的构成可能不同。"
        ),
        code=(
            'henan = utils.figure("ch4.henan_exit_rate").value\n'
            'gap = utils.figure("ch4.henan_exit_rate_gap").value\n'
            "utils.base_from_points(henan, gap)"
        ),
        wrong=[henan.value / (1 + gap.value / 100), henan.value + gap.value, henan.value * (1 - gap.value / 100)],
    )

    # -- (三) 政策衔接 --------------------------------------------------------
    funds = figure("ch4.integrated_funds")
    growth = figure("ch4.integrated_funds_growth")
    funds_2020 = base_from_pct_change(funds.value, growth.value)
    q7 = Numeric(
        f"2021 年脱贫县涉农资金整合规模 {funds.text}，“较2020年增长{_pct(growth.value)}”。"
        "推算 2020 年的规模大约是多少元？（可以写 \"1234亿\"，也可以写以“亿”为单位的数字）",
        funds_2020,
        unit="元",
        rel_tol=0.005,
        hints=[
            "增长率 = (今年 − 去年) ÷ 去年。所以 今年 = 去年 × (1 + 增长率)。",
            f"去年 = 今年 ÷ (1 + {growth.value:g}%) = {format_cn(funds.value, '元')} ÷ {1 + growth.value / 100:g}。"
            f"常见错误是用 今年 × (1 − {_pct(growth.value)})——那是以今年为基数。",
        ],
        solution=(
            f"{funds.text} ÷ (1 + {_pct(growth.value)}) ≈ {format_cn(funds_2020, '元')}（推算）。"
            f"用 {funds.text} × (1 − {_pct(growth.value)}) = {format_cn(funds.value * (1 - growth.value / 100), '元')} 是错的，"
            f"因为“增长{_pct(growth.value)}”的基数是 {growth.base_period} 年，不是 2021 年。这是名义金额，没有扣除物价变化；"
            "“规模”变大也不等于钱用得更好。"
        ),
        code=(
            'f = utils.figure("ch4.integrated_funds").value\n'
            'g = utils.figure("ch4.integrated_funds_growth").value\n'
            "utils.to_yi(utils.base_from_pct_change(f, g))"
        ),
        wrong=[funds.value * (1 - growth.value / 100), funds.value * (1 + growth.value / 100)],
    )

    emp = figure("ch4.relocation_employment_rate")
    emp_change = figure("ch4.relocation_employment_rate_change")
    emp_2020 = base_from_points(emp.value, emp_change.value)
    q8 = Numeric(
        f"易地搬迁群众的就业率 2021 年为 {emp.text}，“较2020年提升{emp_change.text}”。"
        "2020 年的就业率是百分之几？（写数字，如 80.5）",
        emp_2020,
        unit="%",
        rel_tol=0.002,
        hints=[
            "注意单位：这里是“百分点”，不是“%”。",
            f"提升 N 个百分点：2020 年 = {emp.value:g} − {emp_change.value:g}。",
        ],
        solution=(
            f"{_pct(emp.value)} − {emp_change.text} = {_pct(emp_2020)}（推算）。"
            f"若把“百分点”误当成“增长{_pct(emp_change.value)}”，会算出 {emp.value:g} ÷ {1 + emp_change.value / 100:g} ≈ "
            f"{_pct(emp.value / (1 + emp_change.value / 100))}——这里差得不多，但在比率较低或变化较大时误差会很大。"
            "另外，就业率的分母（搬迁群众中的劳动力？全部搬迁人口？）报告没有说明；"
            f"同一段里的“就业{figure('ch4.relocation_jobs').text}”是人次，不能直接当作就业人数。"
        ),
        code=(
            'utils.base_from_points(utils.figure("ch4.relocation_employment_rate").value,\n'
            '                       utils.figure("ch4.relocation_employment_rate_change").value)'
        ),
        wrong=[emp.value / (1 + emp_change.value / 100), emp.value + emp_change.value],
    )

    # -- 结语：全书回顾 --------------------------------------------------------
    spirit = report_list("closing.spirit")
    q9 = Choice(
        f"报告说 {_pct(national.value)} 的监测对象实现了稳定脱贫。如果想知道这是不是“动态帮扶”的功劳"
        "（因果关系），最需要补充下面哪类数据？",
        {
            "A": "再多几个省份的监测对象脱贫率",
            "B": "对可比的监测对象长期跟踪：得到与没得到（或较晚得到）帮扶的人，收入和脱贫状况前后有何不同",
            "C": "更大的帮扶资金总额",
            "D": "更多的帮扶人次",
        },
        "B",
        explanations={
            "A": "更多省份的百分比只能做横向比较，各省情况不同，仍分不清是帮扶的作用还是别的原因。",
            "B": "因果判断需要“反事实”：同样的人如果没有帮扶会怎样。可比的对照组和前后跟踪数据最接近这个问题。",
            "C": "投入多少不等于效果多少，投入和结果之间还隔着很多因素。",
            "D": "人次只说明做了多少次帮扶，不说明每个人的结果。",
        },
        hints=[
            "“是不是……的功劳”问的是：如果没有帮扶，这些人会怎样？",
            "需要一组“可比但没得到帮扶”的人做对照，并且在帮扶前后都要有数据。",
        ],
        solution=(
            "选 B。报告的数字都是“做了多少”（人次、资金、项目）和“结果如何”（脱贫率、就业率），"
            "但没有对照组：同一时期经济恢复、外出务工、兜底政策等都可能让人脱贫。"
            "要估计帮扶本身的作用，需要对可比人群的长期跟踪（面板）数据，最好有得到与未得到帮扶、"
            "或先后得到帮扶的对比。"
            f"（结语概括的精神共 {len(spirit)} 句，它们是价值判断，不是可以这样检验的统计数字。）"
        ),
        wrong=["A", "D"],
    )

    return Exercises(4, "第四章 巩固攻坚成果：监测与防止返贫", {
        "q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7, "q8": q8, "q9": q9,
    })
