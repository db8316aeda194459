"""Words of a document's structure: section headings, openings of paragraphs, speakers'
titles, what a sentence about a unit looks like, and what marks a document as a report.

Sources: the headings and openings of the 2019–2026 work reports in ../shared/corpus (review
parts versus 主要预期目标 and 重点工作), and the news pages there (bylines, speakers).
"""

from __future__ import annotations

# Section headings: a heading with one of these starts the review of the past (facts).
REVIEW_HEADINGS: tuple[str, ...] = (
    "工作回顾", "回顾", "过去一年", "过去五年", "过去的一年", "过去的五年", "这一年", "这五年",
    "五年来", "一年来", "取得的成绩", "主要成就", "成绩", "经济运行情况", "运行情况",
)

# A heading that names how a plan went (主要目标完成情况, 上半年计划执行情况) starts its results,
# whatever plan words it names before them (a plan named after them is another part: …执行情况
# 与2026年计划草案). Not 进展情况 (重点项目进展情况: a progress note restates the year's plan
# amounts, 年度计划投资853.8亿元, before its progress).
RESULT_HEADINGS: tuple[str, ...] = ("完成情况", "执行情况", "滞后情况")

# …and one of these starts the plan (targets): 主要预期目标, 重点工作, 主要任务.
PLAN_HEADINGS: tuple[str, ...] = (
    "预期目标", "主要目标", "发展目标", "目标任务", "工作安排", "主要任务", "重点工作",
    "工作任务", "总体要求", "重点任务", "今年政府工作", "今年工作", "主要工作", "奋斗目标",
    "总体思路", "今后五年", "未来五年", "下一步", "政府工作任务", "目标和任务", "工作重点",
)

# Bylines, continuation marks and similar short parentheticals are never subjects.
NOT_SUBJECT_MARKS: tuple[str, ...] = ("上接", "下转", "接第", "转第", "记者", "通讯员", "编辑")



# A question of an interview or a press conference opens with one of these; the answers that
# follow inherit the year it asks about (记者：今年会有哪些具体目标？ → due at the end of it).
QUESTION_MARKS: tuple[str, ...] = ("记者：", "记者:", "问：", "问:", "主持人：", "主持人:", "【记者】", "【问】", "提问：")

# Titles whose holder speaks for a unit: 江阴市委书记许峰 → 江阴.
TITLE_WORDS: tuple[str, ...] = ("书记", "市长", "县长", "区长", "省长", "州长", "主席")

# A clause about a unit opens with the unit's name, after one of these leads: 长沙将…,
# 其中，武汉市力争…, 新的一年，湖南以…为抓手 (see NOT_TOPIC_NEXT below for what is not).
TOPIC_LEADS: tuple[str, ...] = (
    "其中", "同时", "此外", "另外", "与此同时", "今年", "明年", "目前", "新的一年", "新一年", "而", "近日", "日前",
    # a roundup that walks from unit to unit: 从经济大省广东…，到辽宁…，再到西藏…
    "从", "再到", "到",
)

# The central government's own budget and funds, named at a clause's head (今年中央财政…安排,
# 中央本级教育支出增长5%): the nation's, whoever speaks of them.
CENTRAL_WORDS: tuple[str, ...] = ("中央财政", "中央本级", "中央预算内", "中央政府")
# A speaker quoting the work report (“政府工作报告提出‘城镇新增就业1200万人以上’…”代表表示) states
# the target of the report's issuer — the document's unit — not of the speaker's own unit.
REPORT_CITED: tuple[str, ...] = ("政府工作报告提出", "政府工作报告明确", "政府工作报告指出", "政府工作报告要求")

# Epithets written before a unit's name at the start of a clause: 工业大省辽宁，今年将…
UNIT_EPITHETS: tuple[str, ...] = ("大省", "强省", "大市", "强市", "大县", "强县", "重镇", "之都", "省会", "首府")

# A document that addresses the congress is a report (its first part reviews the past). A
# news story that mentions the report ("…作政府工作报告，回顾去年工作…") is not.
REPORT_MARKS: tuple[str, ...] = ("各位代表",)

# Paragraph openings that say what has happened so far this year (facts), not the plan.
SO_FAR_OPENINGS: tuple[str, ...] = (
    "今年以来", "今年上半年", "今年前", "今年1", "今年一季度", "今年二季度", "今年三季度",
)
# Paragraph openings that start a review of the past.
REVIEW_OPENINGS: tuple[str, ...] = ("回顾", "过去", "这一年", "这五年", "五年来", "一年来")
# Paragraph openings that start the plan of the year: 今年是…, 新的一年, “十五五”….
PLAN_OPENINGS: tuple[str, ...] = ("新的一年", "“十")
# 今年是…, 今年经济社会发展…, 今年政府工作… open the plan; 今年5月… tells a story.
PLAN_YEAR_NEXT: tuple[str, ...] = (
    "是", "政府", "经济", "工作", "发展", "全县", "全市", "全区", "全省", "全国", "我们", "，", "的主要",
    "主要", "要",
)

# A line with one of these is a document's title or dateline, not a section heading:
# 2026年江苏省政府工作报告, ——2026年2月3日在江苏省第十四届人民代表大会第五次会议上.
TITLE_MARKS: tuple[str, ...] = ("工作报告", "的报告", "人民代表大会", "人大", "政协", "（摘登）", "摘要")

# A heading or an opening that reports what was achieved is about the past, whatever else it
# names: 2025年主要发展目标任务顺利实现, 4组关键词聚焦“十四五”时期取得的成就, 预期目标提前完成.
ACHIEVEMENT_WORDS: tuple[str, ...] = (
    "成就", "取得的", "实现了", "完成了", "提前完成", "顺利实现", "顺利完成", "圆满完成", "圆满收官",
    "超额完成", "成效显著", "交出", "答卷",
)

# …and a unit's name at the start of a clause is the clause's topic unless what follows makes
# it part of another name: 浙江大学, 北京路, 北京时间, 上海证券交易所, 湖南卫视.
NOT_TOPIC_NEXT: tuple[str, ...] = (
    "大学", "学院", "路", "街", "大道", "时间", "银行", "证券", "交易所", "卫视", "日报", "电视台", "广播",
    "籍", "人", "话", "菜", "队", "站", "港", "机场", "火车站", "南站", "北站", "东站", "西站", "口音",
    "方言", "代表团", "分公司", "公司", "集团", "号", "舰", "、", "和", "与", "及", "等",
    # a news medium's name in a dateline: 青海新闻网·大美青海客户端讯
    "新闻", "客户端", "频道", "融媒", "晚报", "网",
)

# A development zone printed after its city's name is the subject as printed (GUIDELINES §4:
# zones keep their usual short name): 株洲经开区, 滨江高新区.
ZONE_SUFFIXES: tuple[str, ...] = (
    "经济技术开发区", "高新技术产业开发区", "经济开发区", "经开区", "高新区", "开发区", "新区", "自贸片区",
)

# A zone's usual short name (GUIDELINES: 无锡经济开发区 → 经开): 东台经济开发区 → 东台经开区,
# 如皋高新技术产业开发区 → 如皋高新区.
ZONE_SHORT: dict[str, str] = {"经济技术开发区": "经开区", "经济开发区": "经开区", "高新技术产业开发区": "高新区"}

# Units listed at the head of a clause share it: 濮阳、漯河、三门峡、信阳则是…; 开封…许昌等市也将….
UNIT_LIST_JOINS: tuple[str, ...] = ("、", "和", "与", "及")
UNIT_LIST_ENDS: tuple[str, ...] = ("等省", "等市", "等县", "等区", "等州", "等盟", "等地", "等城市", "等地市", "等")

# What opens a speaker's statement of what is to come: “面向‘十五五’，我们将…
STATEMENT_OPENERS: tuple[str, ...] = ("面向", "展望", "迈向", "进入", "在")

# An issuer that is a news medium (新华网海南频道, 株洲日报, 湖北广播电视台) reports on a unit; it
# is not the unit: the sidecar's region names the unit then.
MEDIA_WORDS: tuple[str, ...] = ("网", "频道", "日报", "晚报", "报社", "电视台", "广播", "融媒", "新闻", "客户端")

# The 55 minority nationalities, as they are named in autonomous prefectures and counties
# (黔东南苗族侗族自治州 → 黔东南, as GUIDELINES' 宁夏回族自治区 → 宁夏).
ETHNIC_GROUPS: tuple[str, ...] = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
    "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
    "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)

# The columns of a 台账 printed as a table (DOMAIN.md: 序号, 责任单位, 目标任务, 目标值, 完成时限,
# 当前进展…; a reader prints a row per line, cells separated by a tab or " | "): the cells under
# a target column are the targets, those under a progress column what has been done.
TARGET_COLUMNS: tuple[str, ...] = (
    "目标任务", "目标值", "项目内容", "任务内容", "工作任务", "年度目标", "年度任务", "建设内容",
    "事项内容", "工作目标", "主要目标", "目标内容", "实事内容",
)
PROGRESS_COLUMNS: tuple[str, ...] = (
    "当前进展", "进展情况", "完成情况", "推进情况", "落实情况", "工作进展", "进度", "当前进度", "完成进度",
)
INDEX_COLUMNS: tuple[str, ...] = ("序号", "编号")
# The other columns of such a table: who answers for a row, and notes. A table whose page gives
# one cell a line prints its header as a run of these names, one a line.
OTHER_COLUMNS: tuple[str, ...] = (
    "责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "责任领导", "备注", "完成时限", "完成时间",
    "时间节点", "类别", "项目名称",
)

# The label of a 台账-like list's deadline line under an item (完成时限:力争2026年8月底前).
DEADLINE_LABELS: tuple[str, ...] = ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限")
# A lead-in that reports what a plan or a speaker says, ending a first clause (方案提出，到2030年，…).
REPORTING_VERBS: tuple[str, ...] = ("提出", "明确", "指出", "要求", "强调", "表示", "透露", "介绍")
# A news lead that says where the reporter learnt it (记者从交通运输部了解到，今年，…将…).
LEARNT_FROM: tuple[str, ...] = ("了解到", "获悉", "得知")
# What news says a report did with its agenda (报告明确,今年将…; 报告…提出了2025年重点工作).
AGENDA_VERBS: tuple[str, ...] = ("明确", "指出", "提出", "提到", "部署", "介绍")
# …and what a meeting did with it, where the agenda is named (会上介绍了2025年重点工作).
MEETING_WORDS: tuple[str, ...] = ("会上", "会议")
# …or a unit's own agenda counted in parts (2025年，兴庆区将重点做好八个方面工作): the paragraphs
# after it, under their topic headings, are its parts.
AGENDA_DOING: tuple[str, ...] = ("做好", "抓好", "推进", "突出", "聚焦", "实施", "办好")
AGENDA_PARTS: tuple[str, ...] = ("个方面工作", "方面工作", "项重点工作", "项工作", "大重点任务", "项重点任务", "大任务", "件大事")
# What a news lead says a meeting did with a year's work (召开经济工作会议，…部署今年经济工作): the
# story speaks for that year (the deadline of its goals that name no time of their own).
LEAD_AGENDA_VERBS: tuple[str, ...] = ("部署", "安排部署", "研究部署", "谋划", "安排")
# Dashes that open the lines of a plan's goals (到2025年，…。⏎——高端制造引领功能大幅提升。…达45%):
# each line goes on with the plan period the paragraph before them stated.
BULLET_MARKS: tuple[str, ...] = ("——", "—", "－－", "--")
# Marks that lead a news story's list of goals into what it reveals after them (……, ——).
TEASER_BREAKS: tuple[str, ...] = ("……", "——")
