"""Time words → deadlines (GUIDELINES.md §1 `deadline`, DOMAIN.md "Time").

Each pattern's deadline is a function of the document year; plan periods map to their end.
"""

from __future__ import annotations

# Five-year plans: name → (first year, last year).
PLAN_PERIODS: dict[str, tuple[int, int]] = {
    "十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
    "十四五": (2021, 2025), "十五五": (2026, 2030), "十六五": (2031, 2035),
}

# Relative year words → offset from the document year, due at that year's end.
YEAR_END_WORDS: dict[str, int] = {
    "全年": 0, "今年": 0, "年内": 0, "年底前": 0, "年底": 0, "年末": 0, "本年": 0, "当年": 0,
    "本年度": 0, "年度": 0, "明年": 1, "后年": 2,
    # 新的一年: the year a text of its first months speaks for (a December text: the next one)
    "新的一年": 0, "新一年": 0,
    # the past: a number they govern is a result (去年，中央财政安排1500亿元)
    "去年": -1, "上年": -1, "前年": -2, "上一年": -1,
}

# Time words that name the year a report or an article speaks in. In a plan section they set
# the deadline; in open text alone they do not make a number a commitment ("今年，当地发布10个
# 主推品种" in November reports what was done): a time to come must be explicit (到2027年,
# 年底前, 明年, 2027年) or go with a commitment word.
THIS_YEAR_WORDS: frozenset[str] = frozenset({"全年", "今年", "本年", "当年", "本年度", "年度"})
NEW_YEAR_WORDS: frozenset[str] = frozenset({"新的一年", "新一年"})
# Words for "the (whole) year" that refer back to a year the paragraph has named (2024年，…
# 经济稳中有进。全年地区生产总值达251亿元): that year, not the document's. 今年 points at the
# year of speaking, whatever was named before.
ANAPHORIC_YEAR_WORDS: frozenset[str] = frozenset({"全年", "当年"})
# …of which 当年 ("that year") refers back in a story even with no year in its paragraph: a past
# time (plans say 今年, 全年, or 当年开工当年投产 of a project's own year, with no number)
NARRATIVE_YEAR_WORDS: frozenset[str] = frozenset({"当年"})
# Words for "of the year" that qualify a noun (年度计划投资163.4亿元: the annual planned
# investment), not a time at which something will be done: they open no plan over the clauses
# after them.
ATTRIBUTIVE_YEAR_WORDS: frozenset[str] = frozenset({"年度", "本年度"})
NEW_YEAR_FROM_MONTH = 11  # from November on, 新的一年 is the year to come

# Words only a statistics office uses when it reports the accounts of a finished period
# (初步核算，全年全县生产总值316.80亿元，增长6.2%): a text that opens with them reports that
# period, and its 全年 and 年末 are the year reported, not the year of publication.
ACCOUNTING_MARKS: tuple[str, ...] = ("初步核算",)
REPORTED_YEAR_WORDS: frozenset[str] = frozenset({"全年", "当年", "年末"})

# Words that look back over the recent years (近年来，陕西…汽车产量增长1.7倍): what they
# govern happened, whatever plan the paragraph is about. N年来 (五年来, 十年来) too.
LOOKING_BACK_WORDS: tuple[str, ...] = (
    "近年来", "近年", "近些年", "近几年", "多年来", "这些年", "这几年",
    # 这五年是西藏发展最好变化最大的五年: the plan period just reported on (过去五年)
    "这五年", "过去五年",
)

# Parts of the year → (month, day) of their end.
PART_OF_YEAR: dict[str, tuple[int, int]] = {
    "一季度": (3, 31), "第一季度": (3, 31), "首季": (3, 31), "二季度": (6, 30), "第二季度": (6, 30),
    "上半年": (6, 30), "三季度": (9, 30), "第三季度": (9, 30), "前三季度": (9, 30),
    "四季度": (12, 31), "第四季度": (12, 31), "下半年": (12, 31),
}

# Words that make a target recur each year.
RECURRING_WORDS: tuple[str, ...] = ("每年", "年均", "年平均", "逐年", "年度均")

# Holidays and seasons after 今年: a part of the year that has a date, not the year's plan
# (今年春节假期，民宿收入达到957万元).
HOLIDAY_WORDS: tuple[str, ...] = ("春节", "国庆", "五一", "假期", "暑期", "寒假", "元旦", "端午", "中秋")

# Verbs of a noun's modifier after a time (“十四五”批复的6个基地, 2024年建成的…学校): that time
# dates the noun, not the sentence's other numbers.
ATTRIBUTIVE_TIME_VERBS: tuple[str, ...] = (
    "批复", "批准", "确定", "建成", "认定", "部署", "布局", "开工", "启动", "实施", "完成", "获批", "谋划",
    "储备", "签约", "落地", "投产",
)

# A schedule's steps (计划4月开工建设，11月完工; 6月中旬施工): the words before its month, and the
# parts of a month it may name.
SCHEDULE_LEADS: tuple[str, ...] = ("计划", "预计", "力争", "确保", "争取", "于", "在")
PARTS_OF_MONTH: tuple[str, ...] = ("上旬", "中旬", "下旬")
