"""Emerging-industry themes (新兴产业 / 新质生产力) recognised in indicators and quotes.

Data only: theme label → words that signal it. Sources: the 战略性新兴产业 list of the
State Council (国发〔2010〕32号 and its 2024 follow-ups: 新一代信息技术, 生物, 新能源, 新材料,
高端装备, 新能源汽车, 绿色环保, 航空航天, 海洋装备) and 未来产业 named in 2024 work reports
(低空经济, 人工智能, 量子, 元宇宙); plus 科技创新 words the seed article uses (高企, 科创).
"""

from __future__ import annotations

from functools import lru_cache

THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("集成电路", ("集成电路", "半导体", "芯片")),
    ("人工智能", ("人工智能", "AI", "算力", "大模型", "智能制造", "机器人")),
    ("新一代信息技术", ("物联网", "5G", "数字经济", "软件", "信息技术", "数据", "智改数转", "工业互联网")),
    ("新能源", ("新能源", "光伏", "风电", "氢能", "储能", "锂电")),
    ("新能源汽车", ("新能源汽车", "汽车零部件", "充电桩")),
    ("生物医药", ("生物医药", "医疗器械", "生命健康", "生物")),
    ("新材料", ("新材料", "碳纤维", "石墨烯")),
    ("高端装备", ("高端装备", "装备制造", "航空", "航天", "海工", "船舶")),
    ("低空经济", ("低空经济", "无人机", "低空")),
    ("未来产业", ("未来产业", "量子", "元宇宙", "第三代半导体")),
    ("科技创新", ("高企", "高新技术企业", "科技型", "科创", "研发", "专精特新", "独角兽", "瞪羚")),
    ("绿色低碳", ("绿色", "低碳", "节能", "零碳", "环保")),
)


@lru_cache(maxsize=65536)
def themes_of(text: str) -> tuple[str, ...]:
    """Theme labels whose words occur in `text`, in table order.

    >>> themes_of("全年有效“高企”突破1200家，集成电路产业规模超千亿")
    ('集成电路', '科技创新')
    """
    return tuple(label for label, words in THEMES if any(w in text for w in words))
