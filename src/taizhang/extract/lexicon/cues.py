"""Words that tell a target from a fact, and say what kind of quantity it is.

Sources: DOMAIN.md ("Facts versus targets"), GUIDELINES.md §2–4a, and the wording of the
2019–2026 work reports in ../shared/corpus (review parts versus 主要预期目标 and 重点工作).
"""

from __future__ import annotations

# Commitment words, strongest first; the one found is reported as `commitment`.
HARD_COMMITMENT: tuple[str, ...] = ("确保", "必须", "约束性", "坚决", "保证")
SOFT_COMMITMENT: tuple[str, ...] = ("力争", "争取", "努力", "预期性", "力求", "争创", "冲刺")

# A sentence with one of these talks about what will be done (outside a plan section this is
# what makes a number a target at all).
FUTURE_MARKERS: tuple[str, ...] = (
    "将", "要把", "要在", "要确保", "要实现", "力争", "确保", "计划到", "计划在", "计划完成",
    "计划投资", "计划新建", "计划实施", "计划建设", "计划开工", "计划于", "争取", "努力", "目标", "预期", "年内",
    "年底前", "到20", "明年", "每年", "年均", "拟", "冲刺", "力求", "必须",
)

# Clause markers of a fact (past or present state), even inside a plan section.
PAST_MARKERS: tuple[str, ...] = (
    "已经", "已", "完成了", "实现了", "达到了", "增长了", "去年", "上年", "同比", "比上年",
    "比去年", "累计", "截至", "截止", "过去", "五年来", "一年来", "历史性", "预计全年",
    "分别下降", "初步预计", "较上年", "同期", "回顾", "提前完成", "超额完成", "连续",
    "获评", "荣获", "入选", "获批", "位居", "居全", "排名", "首次",
)

# Words introducing a number that describes a project or a stock rather than a result:
# 总投资50亿元的…社区, 日处理污水6万吨的…工程, …建成后，将达3.36亿吨.
DESCRIPTOR_MARKERS: tuple[str, ...] = (
    "总投资", "计划总投资", "投资额", "占地", "占地面积", "建筑面积", "规划面积", "总面积",
    "日处理", "年产", "年处理", "设计", "库容", "建成后", "投产后", "达产后",
    "其中", "涉及", "现有", "剩余", "规模为",
)

# What a project or a measure could bring about is a projection, not a commitment:
# 节约的费用可达180亿元, 工程建成后…将形成, 预计带动.
PROJECTION_MARKERS: tuple[str, ...] = (
    "可达", "可实现", "可带动", "可新增", "可增加", "可减少", "可节约", "可满足", "可容纳", "有望",
    "建成后", "投产后", "达产后", "建成投用后", "投用后", "完工后", "运营后", "预计可",
)

# Verbs that size ongoing work or scope (GUIDELINES §3 soft): 推进60个园区规划建设.
SCOPE_VERBS: tuple[str, ...] = (
    "推进", "推动", "聚焦", "围绕", "布局", "支持", "提速", "深化", "搭建", "加快推进",
    "加快建设", "谋划", "储备", "续建", "谋划实施", "加快实施", "包括", "涵盖", "覆盖",
    "对接", "服务", "依托", "联合", "组建", "用好", "抓好", "办好", "紧盯", "加快", "把握",
    "坚持", "突出", "强化", "做好", "落实", "健全", "完善", "巩固", "巩固提升", "提质升级",
    "盘活", "用活", "优化", "规范", "整合",
)

# Nouns that contain a verb of the lists above (安置房 is not 安置): masked before the verb
# of a clause is looked for.
VERB_NOUNS: tuple[str, ...] = (
    "安置房", "建设用地", "开发区", "建设项目", "改造任务", "培训中心", "示范区", "新建区",
    "实施方案", "完成率", "增长率", "建成区", "提升行动", "建设任务", "引进人才",
)

# A count of these is the name of a programme or a list of principles, not an amount:
# 五个方面, 把握好5个方面, 三项原则 (GUIDELINES §2).
LABEL_NOUNS: tuple[str, ...] = (
    "方面", "原则", "坚持", "关系", "理念", "着力点", "抓手", "统筹", "必须", "问题", "特点",
    "优势", "短板", "机遇", "挑战", "目标任务", "主线", "重点任务", "大任务", "维度", "层面",
)

# Verbs that make a number a checkable result of the period (GUIDELINES §4a "task quantities").
RESULT_VERBS: tuple[str, ...] = (
    "新增", "新建", "建成", "完成", "实现", "筹集", "引进", "落地", "招引", "新招引", "培育",
    "新培育", "打造", "争创", "创建", "改造", "新改建", "改建", "新开工", "开工", "植树", "造林",
    "发放", "培训", "安置", "吸纳", "转移", "新认定", "认定", "新发展", "发行", "安排", "新登记",
    "建设", "交付", "建成交付", "整治", "治理", "修复", "种植", "播种", "提供", "减免", "降低",
    "保持", "增长", "提高", "提升", "下降", "新开通", "开通", "创成", "上市", "签约", "入库",
    "实施", "计划投资", "完成投资", "年度投资", "扩招", "招收", "招聘",
    "入统", "退出", "淘汰", "关停", "压减", "减少", "新入规", "升规", "纳统", "回迁", "竣工",
)

# Increment verbs (kind `increment`): the number is what the period adds.
INCREMENT_VERBS: tuple[str, ...] = (
    "新增", "新建", "新招引", "招引", "引进", "落地", "实施", "完成", "建成", "新开工", "开工",
    "改造", "筹集", "新培育", "培育", "打造", "争创", "创建", "新改建", "改建", "植树", "造林",
    "发放", "培训", "安置", "吸纳", "转移", "新认定", "新发展", "新登记", "交付", "整治",
    "新开通", "开通", "创成", "新入规", "升规", "签约", "种植", "回迁", "竣工", "新上", "建成交付",
    "转移", "改扩建", "新改扩建",
)

# Growth words right before a rate (kind `growth`); the first group counts downwards.
GROWTH_DOWN: tuple[str, ...] = ("下降", "降低", "减少", "压减", "压降", "回落", "缩减", "削减")
GROWTH_UP: tuple[str, ...] = ("增长", "增速", "增幅", "涨幅", "提高", "提升", "增加", "上涨", "递增")

# An indicator with one of these words is a share or rate level (kind `share`).
SHARE_WORDS: tuple[str, ...] = (
    "率", "比例", "比重", "占比", "占", "覆盖", "达标", "优良", "赤字", "指数", "份额", "水平",
)

# Section headings: a heading with one of these starts the review of the past (facts).
REVIEW_HEADINGS: tuple[str, ...] = (
    "工作回顾", "回顾", "过去一年", "过去五年", "过去的一年", "过去的五年", "这一年", "这五年",
    "五年来", "一年来", "取得的成绩", "主要成就", "成绩", "经济运行情况", "运行情况",
)

# …and one of these starts the plan (targets): 主要预期目标, 重点工作, 主要任务.
PLAN_HEADINGS: tuple[str, ...] = (
    "预期目标", "主要目标", "发展目标", "目标任务", "工作安排", "主要任务", "重点工作",
    "工作任务", "总体要求", "重点任务", "今年政府工作", "今年工作", "主要工作", "奋斗目标",
    "总体思路", "今后五年", "未来五年", "下一步", "政府工作任务", "目标和任务",
)

# Bylines, continuation marks and similar short parentheticals are never subjects.
NOT_SUBJECT_MARKS: tuple[str, ...] = ("上接", "下转", "接第", "转第", "记者", "通讯员", "编辑")

