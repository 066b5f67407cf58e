"""第三章 创新帮扶模式：练习。

Every answer is computed from the data by id; the prompts and solutions quote the figures
through ``figure(...).text`` so that nothing of the report is typed in here.
"""
from __future__ import annotations

from ..data import figure
from ..exercises import Choice, Exercises, Interval, MultiChoice, Numeric
from ..quantities import duo_bounds, format_cn, multiple_readings


def _f(fid: str):
    return figure(fid)


def _bare(f) -> str:
    """The figure as worded, without its unit: "500多万", "9899万"."""
    return f.text[: -len(f.unit)] if f.unit and f.text.endswith(f.unit) else f.text


def build() -> Exercises:
    # --- 总述：三条路径 ----------------------------------------------------------
    total = _f("intro.rural_poor")
    share = _f("ch3.industry_route_share")
    jobs = _f("ch3.employment_labourers")
    moved = _f("ch3.relocated_people")
    industry_people = total.value * share.value / 100
    moved_low, moved_high = duo_bounds(moved.value, moved.unit)

    q1 = Numeric(
        f"全国共有 {_bare(total)}农村贫困人口脱贫，报告说产业扶贫带动了其中{share.text}的人脱贫。"
        "按报告写出的数字，通过产业扶贫脱贫的人数至少约是多少人？（可以写基本单位的人数，也可以写成 \"1234万\" 这样的文字）",
        industry_people,
        unit="人",
        rel_tol=0.01,
        hints=[
            "占比要乘到“整体”上才变成人数。这里的整体是哪一个数？",
            f"人数 = {format_cn(total.value, '人')} × {format_cn(share.value, '%')} ÷ 100。",
        ],
        solution=(
            f"{format_cn(total.value, '人')} × {format_cn(share.value, '%')} = "
            f"{format_cn(industry_people, '人')}（推算）。因为原文是“{share.text}”，这只是下限："
            "真实人数不少于它。它也不能告诉我们：没有产业扶贫，这些人是否也会脱贫（带动 ≠ 唯一原因）。"
        ),
        code=('total = utils.figure("intro.rural_poor").value\n'
              'share = utils.figure("ch3.industry_route_share").value\n'
              "answer_q1 = total * share / 100"),
        wrong=[total.value, total.value * (100 - share.value) / 100, jobs.value],
    )

    q2 = MultiChoice(
        f"关于三条脱贫路径的数字（产业扶贫 {share.text}、就业扶贫 {jobs.text}、易地搬迁 {moved.text}），"
        "下面哪些说法是对的？（多选，例如 \"AC\"）",
        {
            "A": "把三个数直接相加，就得到通过这三条路脱贫的总人数。",
            "B": "第一个数是占比，另外两个是人数，它们不是同一种数，不能直接比大小。",
            "C": f"{jobs.text}说的是实现就业的贫困劳动力，不等于被带动脱贫的全部家庭人口。",
            "D": "把产业扶贫的占比换算成人数后，三条路径加起来超过了脱贫总人数，说明报告算错了。",
            "E": (f"“{moved.text}”表示安置人数不少于 {format_cn(moved_low, '人')}、"
                  f"不到 {format_cn(moved_high, '人')}。"),
        },
        "BCE",
        hints=[
            "先问每个数的“种类”：它是占比（%）还是人数？数的是人、劳动力，还是人次？",
            "同一个人可以既参加产业项目、又外出务工、又是搬迁户。加起来超过总数说明什么？"
            "“N多万”的“多”最多能多到哪里？",
        ],
        solution=(
            "选 BCE。A 错：占比和人数不能相加，而且三条路径互相重叠（一个人可以同时受益于几条路径）。"
            "B 对：%是“占多少”，人是“有多少”。C 对：劳动力只是家庭中能工作的人。"
            f"D 错：{format_cn(industry_people, '人')}（推算下限）+ {jobs.text} + {moved.text} 确实超过 "
            f"{total.text}，但这恰好说明路径之间有重叠，不能推出报告算错。"
            f"E 对：“{moved.text}”按惯例落在 {format_cn(moved_low, '人')} 到 {format_cn(moved_high, '人')} 之间。"
        ),
        wrong=["BC", "ABCE", "BCDE"],
    )

    # --- (一) 电商扶贫 ------------------------------------------------------------
    sales = _f("ch3.livestream_sales")
    helped = _f("ch3.livestream_beneficiaries")
    per_head = sales.value / helped.value
    helped_low, helped_high = duo_bounds(helped.value, helped.unit)

    q3 = Numeric(
        f"直播带货累计卖出{sales.text}的农产品，带动{_bare(helped)}贫困群众增收。"
        f"按报告写出的数字（{format_cn(sales.value, '元')}、{format_cn(helped.value, '人')}），"
        "平均每位增收群众对应多少元销售额？",
        per_head,
        unit="元",
        rel_tol=0.01,
        hints=[
            "“平均每人对应多少”就是 总额 ÷ 人数。注意两个数的单位：亿 和 万。",
            f"1亿 = 1万 × 1万，所以 {format_cn(sales.value, '元')} ÷ {format_cn(helped.value, '人')} "
            f"= {sales.value / 1e8:g} ÷ {helped.value / 1e4:g} 万元。",
        ],
        solution=(
            f"{format_cn(sales.value, '元')} ÷ {format_cn(helped.value, '人')} = {format_cn(per_head, '元')}（推算）。"
            f"两个数都是下限（“超过”“多”）：若人数取“多”的上端 {format_cn(helped_high, '人')}，结果约为 "
            f"{format_cn(sales.value / helped_high, '元')}；销售额若更高，结果又会变大，所以这个数方向不定，只是量级。"
            "更重要的是：销售额不是收入，扣除成本、运费和平台费用后，到农户手里的增收只是其中一部分；"
            f"销售额也未必都来自这{helped.text}的产品。"
        ),
        code=('sales = utils.figure("ch3.livestream_sales").value\n'
              'people = utils.figure("ch3.livestream_beneficiaries").value\n'
              "answer_q3 = sales / people"),
        wrong=[per_head / 10, per_head * 10, sales.value / helped_high],
    )

    cx_sales = _f("ch3.caoxian_sales")
    cx_growth = _f("ch3.caoxian_sales_growth")
    cx = multiple_readings(cx_growth.value, cx_sales.value)

    q4 = Interval(
        f"曹县汉服产业 {cx_sales.period}销售额 {cx_sales.text}，报告说“较{cx_growth.base_period}年增长"
        f"{cx_growth.value:g}倍”。按两种读法分别推算 {cx_growth.base_period} 年的销售额，"
        "把两个结果写成区间 (较小值, 较大值)，单位元（也可以写 \"12.5亿\" 这样的文字）。",
        cx.strict_base,
        cx.loose_base,
        unit="元",
        rel_tol=0.01,
        hints=[
            "严格读法：增长N倍 = 现值是基期的 (N+1) 倍；口语读法：现值是基期的 N 倍。",
            f"基期 = 现值 ÷ 倍数：{format_cn(cx_sales.value, '元')} ÷ {cx.strict_factor:g}，"
            f"以及 {format_cn(cx_sales.value, '元')} ÷ {cx.loose_factor:g}。",
        ],
        solution=(
            f"严格读法：{format_cn(cx_sales.value, '元')} ÷ {cx.strict_factor:g} = {format_cn(cx.strict_base, '元')}；"
            f"口语读法：{format_cn(cx_sales.value, '元')} ÷ {cx.loose_factor:g} = {format_cn(cx.loose_base, '元')}（均为推算）。"
            "统计上规范的是严格读法，但报告没有写明用的是哪一种，所以两个数都要想到。"
            f"又因为原文是“突破”，现值是下限，推算出的 {cx_growth.base_period} 年基数也只是下限。"
        ),
        code=("r = utils.multiple_readings(utils.figure(\"ch3.caoxian_sales_growth\").value,\n"
              "                           utils.figure(\"ch3.caoxian_sales\").value)\n"
              "answer_q4 = (r.strict_base, r.loose_base)"),
        wrong=[(cx.loose_base, cx_sales.value), (cx.strict_base, cx_sales.value),
               (cx_sales.value / (cx_growth.value + 2), cx.strict_base)],
    )

    cx_jobs = _f("ch3.caoxian_jobs")
    women = _f("ch3.caoxian_women_share")
    n_women = cx_jobs.value * women.value / 100

    q5 = Numeric(
        f"曹县汉服产业直接带动{_bare(cx_jobs)}贫困群众就业，其中妇女占{women.text}。这些就业者中妇女大约有多少人？",
        n_women,
        unit="人",
        rel_tol=0.01,
        hints=[
            "占比 × 整体 = 部分。",
            f"{format_cn(cx_jobs.value, '人')} × {women.value:g} ÷ 100。",
        ],
        solution=(
            f"{format_cn(cx_jobs.value, '人')} × {format_cn(women.value, '%')} = {format_cn(n_women, '人')}（推算）。"
            "这个数说明就业者以妇女为主，但不能单凭它说明“留守妇女就业问题”解决了多少："
            "我们不知道当地留守妇女一共有多少人，也不知道这些岗位是否全年稳定。"
        ),
        code=('jobs = utils.figure("ch3.caoxian_jobs").value\n'
              'share = utils.figure("ch3.caoxian_women_share").value\n'
              "answer_q5 = jobs * share / 100"),
        wrong=[women.value, n_women / 10, cx_jobs.value - n_women],
    )

    # --- (二) 产业扶贫 ------------------------------------------------------------
    yn = _f("ch3.yunnan_industry_share")
    yn_pts = _f("ch3.yunnan_industry_share_change")
    yn_base = yn.value - yn_pts.value
    yn_wrong = yn.value / (1 + yn_pts.value / 100)

    q6 = Numeric(
        f"云南 {yn.period}产业带动脱贫人数占比为 {yn.text}，“较{yn_pts.base_period}年提升"
        f"{yn_pts.text}”。{yn_pts.base_period} 年这个占比是多少（单位 %，只写数字）？",
        yn_base,
        unit="%",
        rel_tol=0.01,
        scales=(),
        hints=[
            "“百分点”和“百分之”不是一回事：百分点是两个百分数直接相减的差。",
            f"基期占比 = {yn.value:g} − {yn_pts.value:g}。",
        ],
        solution=(
            f"{format_cn(yn.value, '%')} − {format_cn(yn_pts.value, '百分点')} = {format_cn(yn_base, '%')}（推算）。"
            f"若误把“百分点”当成“增长{yn_pts.value:g}%”，会算成 {yn.value:g} ÷ {1 + yn_pts.value / 100:g} ≈ "
            f"{format_cn(yn_wrong, '%')}——相差很大。注意：占比上升可能因为产业带动的人多了，"
            "也可能因为分母（脱贫人数）或统计口径变了，报告没有给出分子和分母。"
        ),
        code=('now = utils.figure("ch3.yunnan_industry_share").value\n'
              'pts = utils.figure("ch3.yunnan_industry_share_change").value\n'
              "answer_q6 = utils.base_from_points(now, pts)"),
        wrong=[yn_wrong, yn.value + yn_pts.value, yn_pts.value],
    )

    div = _f("ch3.dividend_per_capita")
    div_growth = _f("ch3.dividend_growth")
    dv = multiple_readings(div_growth.value, div.value)

    q7 = Numeric(
        f"{div.period}全国贫困群众人均产业分红 {div.text}，“较{div_growth.base_period}年增长"
        f"{div_growth.value:g}倍”。按统计上的严格读法，{div_growth.base_period} 年人均分红约为多少元？",
        dv.strict_base,
        unit="元",
        rel_tol=0.02,
        hints=[
            "严格读法：增长N倍 → 现值 = 基期 × (N + 1)。",
            f"基期 = {div.value:g} ÷ ({div_growth.value:g} + 1)。",
        ],
        solution=(
            f"{div.value:g} 元 ÷ {dv.strict_factor:g} = {format_cn(dv.strict_base, '元')}（推算，严格读法）；"
            f"若按口语读法则是 {div.value:g} ÷ {dv.loose_factor:g} ≈ {format_cn(dv.loose_base, '元')}。"
            "还要想到：两个年份的“人均”可能是对不同的人群算的（参加分红的人数会变），"
            "所以人均数的增长不一定等于同一批人收入的增长。"
        ),
        code=("r = utils.multiple_readings(utils.figure(\"ch3.dividend_growth\").value,\n"
              "                           utils.figure(\"ch3.dividend_per_capita\").value)\n"
              "answer_q7 = r.strict_base"),
        wrong=[dv.loose_base, div.value * div_growth.value, div.value * dv.strict_factor],
    )

    # --- (三) 对口帮扶 ------------------------------------------------------------
    sh_funds = _f("ch3.shanghai_funds")
    sh_proj = _f("ch3.shanghai_projects")
    per_project = sh_funds.value / sh_proj.value
    shown = format_cn(per_project, "元")

    q8 = Choice(
        f"上海 {sh_funds.period}累计投入帮扶资金 {sh_funds.text}，建设产业项目 {sh_proj.text}。"
        f"用 {format_cn(sh_funds.value, '元')} ÷ {format_cn(sh_proj.value, '')} 得到约 {shown}。"
        "假设资金全部用于这些项目，平均每个项目的资金应当怎样表述？",
        {
            "A": f"至少 {shown}",
            "B": f"至多约 {shown}",
            "C": f"正好 {shown}",
            "D": "无法判断比它大还是小",
        },
        "B",
        explanations={
            "A": "方向反了：分母（项目数）是下限，分母越大，平均数越小。",
            "B": "分子是确数、分母是下限（超过），平均数只会更小，所以是上限。",
            "C": f"“{sh_proj.text}”不是正好 {format_cn(sh_proj.value, '')} 个。",
            "D": "这里可以判断：分子确定，只有分母可能更大。（若分子、分母都是下限，才无法判断。）",
        },
        hints=[
            f"“{sh_proj.text}”说明项目数可能比 {format_cn(sh_proj.value, '')} 多。分母变大，商怎么变？",
            "分子确定、分母是下限 → 商是上限；分子是下限、分母确定 → 商是下限。",
        ],
        solution=(
            f"选 B。{format_cn(sh_funds.value, '元')} 是确数，项目数“超过”{format_cn(sh_proj.value, '')}，"
            f"所以平均每个项目至多约 {shown}（推算）。而且题目的假设本身也未必成立："
            "帮扶资金不只用于产业项目（还有教育、医疗、人才等），真实的项目平均金额可能更小。"
        ),
        wrong=["A", "C", "D"],
    )

    cost = _f("ch3.circulation_cost_change")
    effect = _f("ch3.pairing_effect_change")

    q9 = MultiChoice(
        "下面哪些说法的比较基准既没有给出数值，也说不清是怎么度量的，读者无法用报告里的其他数字核对？"
        "（多选）",
        {
            "A": f"曹县汉服销售额较{cx_growth.base_period}年增长{cx_growth.value:g}倍",
            "B": f"东西部对口帮扶相较传统单向援助模式，帮扶成效提升{format_cn(effect.value, '%')}以上",
            "C": f"直播带货相较传统线下销售，流通成本{cost.text}",
            "D": f"云南产业带动脱贫人数占比较{yn_pts.base_period}年提升{yn_pts.text}",
            "E": f"人均产业分红较{div_growth.base_period}年增长{div_growth.value:g}倍",
        },
        "BC",
        hints=[
            "对每一句问两个问题：比的是哪一年、哪种做法？那个基准的数值能不能从报告里找到或算出？",
            "A、D、E 都写了基期年份，而且可以用本章的数字推算出基期值；"
            "“成效”是什么指标？“流通成本”是按什么算的、传统模式是多少？",
        ],
        solution=(
            "选 BC。B：“帮扶成效”没有定义（是脱贫人数？收入？成本效率？），传统模式的水平也没有给出，"
            f"“{format_cn(effect.value, '%')}以上”无法核对。C：报告点名了比较对象（传统线下销售），"
            "但没有给出它的成本水平，也没说成本是按每斤、每单还是占售价的比例算的。"
            f"A、D、E 写明了基期年份，并能用本章数字推算出基期值（曹县 {cx_growth.base_period} 年销售额、"
            f"云南 {yn_pts.base_period} 年占比、{div_growth.base_period} 年人均分红），"
            "虽然“增长N倍”仍有两种读法。"
        ),
        wrong=["B", "BCE", "ABCDE"],
    )

    return Exercises(3, "第三章 创新帮扶模式：电商、产业与东西部协作", {
        "q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7, "q8": q8, "q9": q9,
    })
