"""Measure units as printed → (base unit, factor). Source: the units of GUIDELINES.md §1 and
those met in 2019–2026 work reports (亩, 兆瓦, 标准箱…). A unit not listed here makes a number
unitless, and unitless numbers are never targets (a count must say what it counts)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple


class UnitWord(NamedTuple):
    surface: str
    base: str
    factor: Decimal = Decimal(1)
    count: bool = False  # a counting classifier (个, 家…), as opposed to a measure


def _u(surface: str, base: str | None = None, factor: int | str = 1, count: bool = False) -> UnitWord:
    return UnitWord(surface, base or surface, Decimal(factor), count)


UNITS: tuple[UnitWord, ...] = (
    # money
    _u("元"), _u("美元"), _u("欧元"),
    # ratios
    _u("%"), _u("％", "%"), _u("个百分点"), _u("百分点", "个百分点"), _u("‰"), _u("倍"),
    # a rate per population, as printed: 孕产妇死亡率14.5/10万, 心脑血管疾病死亡率190.7/10万以下
    _u("/10万"), _u("/十万", "/10万"), _u("/10万人", "/10万"),
    # people
    _u("人", count=True), _u("名", "人", count=True), _u("人次", count=True), _u("人年", count=True),
    # counting classifiers
    *(_u(w, count=True) for w in (
        "家", "个", "项", "件", "户", "辆", "所", "座", "条", "套", "台", "张", "处", "栋", "间",
        "艘", "架", "只", "头", "株", "棵", "部", "款", "篇", "宗", "笔", "场", "例", "盏", "根",
        "支", "批次", "场次", "片", "块", "眼", "口", "类", "种", "级", "星", "列", "趟", "班",
        "次", "床", "箱", "标箱", "标准箱", "吨次", "架次", "艘次", "车次", "辆次", "门", "对", "组", "期",
        # rockets and satellites: 年产200发商业火箭、100颗商业卫星
        "颗", "发",
        # mushroom logs (种植露天木耳1500万棒) and seats (新增学位3800位)
        "棒", "位",
    )),
    _u("个村", "个", count=True),
    # length, area, volume
    # 千米 stays 千米 as printed (GUIDELINES §1), as 公里 stays 公里
    _u("公里"), _u("千米"), _u("米"), _u("平方米"), _u("平米", "平方米"), _u("㎡", "平方米"), _u("m²", "平方米"),
    _u("平方公里"), _u("亩"), _u("公顷"), _u("立方米"), _u("方", "立方米"),
    # mass
    _u("吨"), _u("公斤"), _u("千克", "公斤"), _u("斤"),
    # energy and power
    _u("千瓦"), _u("兆瓦", "千瓦", 1000), _u("吉瓦", "千瓦", 10**6), _u("瓦", "千瓦", "0.001"),
    _u("千瓦时"), _u("度"), _u("吨标准煤"), _u("吨标煤", "吨标准煤"),
    # time spans
    _u("天"), _u("小时"), _u("分钟"), _u("岁"), _u("年"), _u("个月"),
    # data
    _u("G"), _u("PFlops"), _u("P"), _u("EFlops"), _u("Eflops"), _u("EFLOPS"),
    # mass, small
    _u("微克"), _u("毫克"), _u("克"),
    _u("班次", count=True),
    # a ratio to one, as printed (城乡居民收入差距控制在2.2∶1以内): so many times
    _u("∶1", "倍"), _u(":1", "倍"), _u("：1", "倍"),
)

# Denominators of a rate unit, kept as printed (GUIDELINES §4b "units as printed"): 58万元/人,
# 29微克/立方米, 1400万吨/年 → 元/人, 微克/立方米, 吨/年.
PER_UNITS: tuple[str, ...] = (
    "人", "年", "亩", "吨", "立方米", "千克", "公斤", "平方米", "户", "天", "日", "小时", "平方公里", "百亿元", "万元",
    # a network's density: 铁路网密度达到507公里/万平方公里, 高速公路密度5公里/百平方公里
    "万平方公里", "百平方公里",
    # a density per population: 工业机器人使用密度力争达360台/万人
    "万人", "千人",
)

UNIT_BY_SURFACE: dict[str, UnitWord] = {u.surface: u for u in UNITS}

# A unit character that begins another word is no unit there: 7方面政策举措 (not 7 cubic metres),
# 3方案, 四方协议.
# 3人制篮球场, 5人制足球: a game's format, not people
NOT_A_UNIT_BEFORE: dict[str, str] = {
    "方": "面案式向法针位阵言舱圆", "人": "制", "发": "展放布生行出起挥现明电改达射",
    # 1∶10, 1:1000 (a scale, a time of day) are no ratios to one
    "∶1": "0123456789.", ":1": "0123456789.", "：1": "0123456789.",
}

# Units of the extent of work done (实施8万公里左右的设施改造, 建设10万亩以上的高标准农田), as
# opposed to a size that qualifies a noun (500千伏以上的线路, 10亿元以上的项目).
# The currency named after its unit (三万五千四百二十三点三八亿元人民币): part of the amount,
# not a noun the amount describes.
CURRENCY_NAMES: tuple[str, ...] = ("人民币",)
EXTENT_UNITS = frozenset({"公里", "千米", "米", "亩", "平方米", "公顷", "平方公里"})

# Units after which a number is a duration, a version or a grade, never a committed amount
# unless it is explicitly a duration target (年, 个月 stay out of targets).
NON_TARGET_UNITS = frozenset({"个月", "级", "星", "期", "类", "种", "组", "对", "门"})

# Letters that are units only after a magnitude (15万P of computing power); alone they are
# codes (5G, 3P).
MAGNITUDE_ONLY_UNITS = frozenset({"G", "P"})

# Units of a length of time: an amount only when a comparator says it is reached
# (受教育年限提高到11.7年); otherwise a date or a duration (2024年, 三年行动).
DURATION_UNITS = frozenset({"年"})

# Amounts printed without their unit, whose unit the words around them name (GUIDELINES §1 asks
# for the unit the text means).
# Money: a magnitude of 亿 or more after a noun of money (电子信息产业规模分别达1.28万亿、…,
# 低空产业全年产值过10亿, 旅游收入突破万亿) is yuan.
MONEY_NOUNS: tuple[str, ...] = (
    "产值", "收入", "营收", "规模", "总额", "销售额", "交易额", "成交额", "营业额", "投资", "增加值",
    "生产总值", "GDP", "经济总量", "资金", "融资", "贷款", "基金", "税收", "利润", "消费额", "出口额",
    "进出口额", "外贸额",
)
MONEY_MAGNITUDES = frozenset({"亿", "十亿", "百亿", "千亿", "万亿"})
# People: a number of 万 before the people it counts (为200万中小学生…, 吸引100万以上高校毕业生,
# 新增40万农村劳动力转移就业) or after 人口 (常住人口力争达到490万) is a number of persons.
PERSON_NOUNS: tuple[str, ...] = (
    "人", "人口", "人员", "人才", "毕业生", "学生", "中小学生", "大学生", "妇女", "儿童", "老人", "老年人",
    "劳动力", "青年", "农民", "农民工", "群众", "居民", "职工", "患者", "游客", "旅客", "党员", "干部",
    "教师", "医生", "工人", "技工",
)
# …counted as visits where the people are visitors (旅游人数突破150万, 接待游客…: 人次, as the shared
# gold counts them)
VISITOR_WORDS: tuple[str, ...] = ("游客", "旅客", "旅游", "客流", "接待", "观众")
# Ratios and indices printed bare, the number a change verb ends on after their name: a ratio of
# two amounts is so many times (城乡居民收入比降至2以内: 2倍, as the shared gold has it), an index
# has no unit (生态质量指数提升到86.5, 基尼系数).
RATIO_NOUNS: dict[str, str] = {"收入比": "倍", "比值": "倍", "指数": "", "系数": ""}
