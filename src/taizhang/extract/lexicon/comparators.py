"""Comparator words (GUIDELINES.md §1; 以上/以下/以内 include the bound, 超过 excludes it:
Civil Code art. 1259). A suffix word wins over a prefix word: 稳定在3.8亿斤以上 → ge."""

from __future__ import annotations

from taizhang.types import Comparator

PREFIX: dict[str, Comparator] = {
    "超过": Comparator.GT, "超": Comparator.GT, "突破": Comparator.GT, "跨越": Comparator.GT,
    "高于": Comparator.GT, "多于": Comparator.GT, "大于": Comparator.GT, "逾": Comparator.GT,
    "迈上": Comparator.GE, "跃上": Comparator.GE, "站上": Comparator.GE,  # reach a level: 迈上3万亿元台阶
    "达到": Comparator.GE, "达": Comparator.GE, "不少于": Comparator.GE, "不低于": Comparator.GE,
    "至少": Comparator.GE, "力争达到": Comparator.GE, "提高到": Comparator.GE,
    "提升到": Comparator.GE, "发展到": Comparator.GE, "增加到": Comparator.GE,
    "增至": Comparator.GE, "扩大到": Comparator.GE, "扩大至": Comparator.GE, "提高至": Comparator.GE, "提升至": Comparator.GE,
    "不超过": Comparator.LE, "不超": Comparator.LE, "不高于": Comparator.LE, "不多于": Comparator.LE,
    "不大于": Comparator.LE, "不小于": Comparator.GE,  # (not 小于, 大于: the negation flips them)
    "控制在": Comparator.LE, "降至": Comparator.LE, "降到": Comparator.LE, "下降到": Comparator.LE,
    "下降至": Comparator.LE, "降低到": Comparator.LE, "降低至": Comparator.LE,
    "低于": Comparator.LT, "少于": Comparator.LT, "小于": Comparator.LT,
    "约": Comparator.APPROX, "近": Comparator.APPROX, "接近": Comparator.APPROX,
    "大约": Comparator.APPROX, "将近": Comparator.APPROX,
    "过": Comparator.GT,  # 全年产值过10亿, 营收过百亿: past the figure
    "破": Comparator.GT,  # 力争旅游总收入破万亿: broken through
    # signs, in plans' indicator lists and tables: 满意度≥90%, 失业率<5.5%
    "≥": Comparator.GE, "≧": Comparator.GE, "≤": Comparator.LE, "≦": Comparator.LE,
    ">": Comparator.GT, "＞": Comparator.GT, "<": Comparator.LT, "＜": Comparator.LT,
}
# A comparator word that ends another word is none there: 通过, 经过, 不过 (not 过); 打破, 跌破
# (a fall below), 突破 (its own entry).
# 约 ends 签约 (招商签约40亿元: signed, not about), 节约, 制约, 预约, 合约, 公约…
NOT_A_PREFIX_AFTER: dict[str, str] = {
    "过": "通经不度难越错路闯渡穿跨超", "破": "打跌突攻爆冲识看点击", "约": "签节制预契合邀公条简相隐特婉",
}

# Verbs that set a new value. After a stated baseline (从75%提高到100%, 由702个增加到1000个) the new
# value is the value set (GUIDELINES: 提高到 N → eq); alone (寿命提高到80.4岁) a level to reach.
CHANGE_TO: tuple[str, ...] = (
    "提高到", "提高至", "提升到", "提升至", "增加到", "增至", "扩大到", "扩大至", "调整到", "调整至",
)

SUFFIX: dict[str, Comparator] = {
    "以上": Comparator.GE, "及以上": Comparator.GE, "以下": Comparator.LE, "以内": Comparator.LE,
    "之内": Comparator.LE, "左右": Comparator.APPROX, "上下": Comparator.APPROX,
}

# Written between the number and its unit: 240多项, 1900余个 → more than.
INFIX: dict[str, Comparator] = {"多": Comparator.GT, "余": Comparator.GT}

# Range dashes and words: 5%—6%, 4.5%-5%, 3至5个.
RANGE_WORDS: tuple[str, ...] = ("—", "–", "―", "-", "~", "～", "至", "到", "－", "－－", "——")

# Words that, before a number inside quotation marks, make the quotation a target rather than a
# name: “城镇调查失业率年均低于5.5%”, “人均预期寿命提高到80岁”, “保8%、争9%” (保 the floor, 争 the
# goal); “科创18条”, “4个有” are names.
QUOTED_TARGET_VERBS: tuple[str, ...] = tuple(PREFIX) + ("保", "争", "增长", "下降", "提高", "提升", "降低")
