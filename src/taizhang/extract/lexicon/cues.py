"""Words that tell a target from a fact, and say what kind of quantity it is.

Sources: DOMAIN.md ("Facts versus targets"), GUIDELINES.md §2–4a, and the wording of the
2019–2026 work reports in ../shared/corpus (review parts versus 主要预期目标 and 重点工作).
"""

from __future__ import annotations

# Commitment words, strongest first; the one found is reported as `commitment`.
HARD_COMMITMENT: tuple[str, ...] = ("确保", "必须", "约束性", "坚决", "保证")
SOFT_COMMITMENT: tuple[str, ...] = ("力争", "争取", "努力", "预期性", "力求", "争创", "冲刺")
COMMITMENT_WORDS: tuple[str, ...] = HARD_COMMITMENT + SOFT_COMMITMENT

# Words of what will be done. Outside a plan section a number needs a positive reason to be a
# target: one of these before it in its sentence, a time to come that governs it (到2027年,
# 年底前: deadlines.py), or a target frame (below). 将 before a number or 近/约 is 把 or 将近
# (将190余个航天器送入轨道), not "will": see reading.FUTURE.
FUTURE_MARKERS: tuple[str, ...] = (
    "将", "要把", "要在", "要确保", "要实现", "力争", "确保", "争取", "努力", "拟", "冲刺",
    "力求", "必须", "将要", "即将",
)
# The words of will that open a clause's plan right after (今年将…, 2025年，全市要…) or right
# before its time (全省计划今年培育…, 决定于2026—2030年实施…: deadlines.py).
WILL_WORDS: tuple[str, ...] = ("将", "要", "计划", "力争", "确保", "拟")
DECISION_WORDS: tuple[str, ...] = ("决定",)
# 计划 is "plans to" when a verb or a coverb follows it (计划新建, 计划利用…建设, 计划到2027年);
# otherwise it is the noun (行动计划, 计划总投资). The verbs are RESULT_VERBS and SCOPE_VERBS.
PLAN_VERB = "计划"
PLAN_VERB_COVERBS: tuple[str, ...] = (
    "到", "在", "于", "对", "用", "利用", "通过", "从", "再", "投资", "年内", "今年", "明年",
    "面向",  # 计划面向社会公开招募1345名
)

# Phrases that present a number as a goal: 目标是…, 预期目标, 实现增长5%的目标.
TARGET_FRAMES: tuple[str, ...] = (
    "目标是", "目标为", "目标：", "目标:", "预期目标", "目标任务", "目标值", "目标定为",
    "目标便是", "目标就是", "目标则是", "目标也是", "目标设定为", "目标定在",
    # a plan or a policy reported in the news: 《意见》提出，…不少于2小时; 方案明确，…
    "提出", "明确",
    # what a plan document demands: 方案要求…每日综合体育活动时间不低于2小时 (要求 alone is
    # anyone's demand)
    "方案要求", "规划要求", "意见要求", "通知要求", "计划要求", "》要求",
)
# A target named as such right before its value (二季度社会消费品零售总额目标增速8.2%, 增速目标
# 分别为15%、15%, 服务业增加值预期目标22.19亿元): a target restated, even in a review or a
# progress note's 完成情况.
RESTATED_TARGET_WORDS: tuple[str, ...] = (
    "目标增速", "增速目标", "目标增幅", "增幅目标", "预期目标", "目标值", "目标为", "目标是", "年度目标",
)
RESTATED_TARGET_LINKS: tuple[str, ...] = ("分别为", "分别是", "为", "是", "定为", "设定为")
# Words that open a sentence going on with the one before (其中，新开工项目200个以上).
CONTINUATION_WORDS: tuple[str, ...] = ("其中", "同时", "此外", "另外", "包括", "首先", "其次", "再次", "最后")
# Lists of one year's targets: 主要预期目标是：… with no time of its own is the document's year.
ANNUAL_TARGET_LISTS: tuple[str, ...] = ("预期目标", "年度目标", "年度主要目标", "年度工作目标")
# A year's programme whose items are commitments: 2025年为民办实事项目清单包括：…, 票决确定2025年
# 10项民生实事项目如下： (the items listed after its colon are the year's targets)
# (天津's 民心工程, 墨江's 十件惠民实事: other names of the same programme)
PROGRAMME_LISTS: tuple[str, ...] = (
    "民生实事", "为民办实事", "实事项目", "民生工程", "件实事", "项实事", "方面实事", "惠民实事", "民心工程",
)
# A sentence that ends on the goals it announces, with a time to come (规划提出“十五五”时期…的
# 主要目标。), opens a plan: its next sentence's 其中，… lists them.
GOALS_ANNOUNCED: tuple[str, ...] = ("主要目标", "发展目标", "总体目标", "目标任务", "主要预期目标", "预期目标", "具体目标")
TARGET_FRAME_AFTER: tuple[str, ...] = (
    "的目标", "目标", "的预期目标", "的发展目标", "的任务目标", "的总体目标",
    # a line to hold: 严守自然岸线保有率不低于35%的底线, 守住…的红线
    "的底线", "的红线",
)

# Time words that can make a sentence about the future (the deadline stage resolves them).
TIME_CUES: tuple[str, ...] = (
    "年内", "年底", "到20", "至20", "明年", "今年", "全年", "新的一年", "20", "二〇", "二0", "底前", "十五五", "十四五",
)

# Clause markers of a fact (past or present state), even inside a plan section.
PAST_MARKERS: tuple[str, ...] = (
    "已经", "已", "完成了", "实现了", "达到了", "增长了", "去年", "上年", "同比", "比上年",
    "比去年", "截至", "截止", "过去", "五年来", "一年来", "历史性", "预计全年",
    "分别下降", "初步预计", "较上年", "同期", "回顾", "提前完成", "超额完成", "连续",
    "获评", "荣获", "入选", "入围", "获批", "位居", "居全", "排名", "首次",
    # 先后突破4万亿元和5万亿元, 接连跨越110万亿、120万亿: one after the other, as things happened
    "先后", "接连",
)
# Past markers that only name the base of a comparison: a statistic says 同比增长5%, and so does
# a target (主要预期目标：…同比增长6.5%以上). Where the number is planned — a plan section, a list
# of targets, a commitment or target word before it — and bounded (以上, 左右), they are not
# evidence of a fact. (比上年
#增加Y after an amount stays a fact marker: GUIDELINES makes such a change soft.)
COMPARISON_BASES: tuple[str, ...] = ("同比",)

# A share of a plan already done — 完成年度投资计划的21.3%, 占年计划投资的64.49%, 超额完成年度
# 任务的105.9% — is progress reported against a target (序时进度), not a target: one of these
# verbs, then a plan noun and 的 right before the percentage.
PROGRESS_VERBS: tuple[str, ...] = ("完成", "占", "达到")
PLAN_NOUNS: tuple[str, ...] = ("计划", "任务", "目标", "进度", "计划投资", "投资计划")
# …or a margin over or under the plan (超出计划29.3个百分点, 高于预期目标0.4个百分点): how the
# result compares with the target, not a target
BEYOND_PLAN_WORDS: tuple[str, ...] = ("超出", "高于", "低于", "快于", "慢于", "超过", "超", "落后")

# Words introducing a number that describes a project or a stock rather than a result:
# 总投资50亿元的…社区, 日处理污水6万吨的…工程, …建成后，将达3.36亿吨.
DESCRIPTOR_MARKERS: tuple[str, ...] = (
    "总投资", "计划总投资", "投资额", "占地", "占地面积", "建筑面积", "规划面积", "总面积",
    "日处理", "年产", "年处理", "设计", "库容", "建成后", "投产后", "达产后",
    "其中", "涉及", "现有", "剩余", "规模为",
)
# …unless the word goes on into the name of an indicator: 年产值/年产量 (全年产值过10亿, 粮食年产量
# 稳定在…) are what is counted, not a plant's capacity (年产10万吨).
NOT_A_DESCRIPTOR_BEFORE: dict[str, str] = {"年产": "值量"}

# A capacity to reach is a goal, not a description: 形成年产200发商业火箭…, 具备年产100发运载火箭…
# 的能力 (a descriptor word right after one of these).
CAPACITY_VERBS: tuple[str, ...] = ("形成", "具备", "达到", "实现", "新增", "提升至", "提高到")

# What a project or a measure could bring about is a projection, not a commitment:
# 节约的费用可达180亿元, 工程建成后…将形成, 预计带动.
PROJECTION_MARKERS: tuple[str, ...] = (
    "可达", "可实现", "可带动", "可新增", "可增加", "可减少", "可节约", "可满足", "可容纳", "有望",
    "建成后", "投产后", "达产后", "建成投用后", "投用后", "完工后", "运营后", "预计可",
)

# 截至4月12日，…; 目前已开工85个，开工率60%; 初步核算，全年…: the state at a date or now, or
# what statistics found (a fact, unless a time to come governs the number). (目前 inside
# 项目前期 is no marker: reading.AS_OF.)
AS_OF_MARKERS: tuple[str, ...] = ("截至", "截止", "目前", "初步核算", "据统计")
# Words that open a sentence on the present (如今，企业产品产量比之前增加25%): what it states is
# the state now, not the plan a sentence before opened.
NOW_OPENERS: tuple[str, ...] = ("如今", "目前", "现在", "眼下", "截至目前", "当前")

# Words of a rule for handing out money, before its amount: a ceiling (最高补助500万元) or what a
# person is entitled to (每孩每年可以申领3600元). The rule's amount is no target of the period.
POLICY_AMOUNT_WORDS: tuple[str, ...] = (
    "最高", "封顶", "上限", "可以申领", "可申领", "可以领取", "可领取", "可享受", "可以享受", "可获得", "可以获得",
)

# Forecasts: 预计全年退税减税约2.5万亿元 (soft, GUIDELINES §3), 交通运输部预测，…将达15.2亿人次
# (someone's expectation, nobody's commitment). They govern their own clause, and the clause
# after "<who>预测，".
FORECAST_MARKERS: tuple[str, ...] = ("预计", "预测", "估计", "预估", "测算")

# The year's budget, told at any time of the year (今年，…财政支出预算安排首次超过30万亿元；新增
# 政府债券规模达到11.89万亿元): an amount of the current year's budget is its plan, not a result.
BUDGET_WORDS: tuple[str, ...] = ("预算安排", "预算", "财政支出", "财政收入", "政府债券", "转移支付", "专项债", "国债")
# A year's budget named as the frame of what follows (按照2007年的预算安排，全国财政收入为44064亿元；
# 根据2025年预算草案，…): the amounts after it are that year's budget, a plan.
BUDGET_FRAMES: tuple[str, ...] = ("预算安排", "预算草案", "预算（草案）", "预算(草案)", "预算")
BUDGET_FRAME_LEADS: tuple[str, ...] = ("按照", "根据", "依据", "按")
# A first said of the year's budget (预算支出规模首次达到30万亿元) sizes the plan; it is no event.
FIRST_TIME_MARKERS: tuple[str, ...] = ("首次",)

# Verbs that size ongoing work or scope (GUIDELINES §3 soft): 推进60个园区规划建设.
SCOPE_VERBS: tuple[str, ...] = (
    "推进", "推动", "聚焦", "围绕", "布局", "支持", "提速", "深化", "搭建", "加快推进",
    "加快建设", "谋划", "储备", "续建", "谋划实施", "加快实施", "包括", "涵盖", "覆盖",
    "对接", "服务", "依托", "联合", "用好", "抓好", "办好", "紧盯", "加快", "把握",
    "坚持", "突出", "强化", "做好", "落实", "健全", "完善", "巩固", "巩固提升", "提质升级",
    "优化", "规范", "整合", "壮大", "培育壮大", "做强", "做优", "做大",
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
    # the parts of a policy or a plan (GUIDELINES §4b "counts of a plan's own structure"):
    # 实施稳经济30项举措, 出台20条政策措施, 设置20项指标
    "举措", "措施", "政策措施", "政策举措", "指标", "主要指标",
    # 部署5个专栏: the boxes of a five-year plan
    "专栏",
)
# …and the same counted after the noun: 约束性指标9项, 政策措施20条.
LABEL_NOUNS_BEFORE: tuple[str, ...] = ("指标", "举措", "措施")
# A plan's tasks counted by how they stand (年底前能确保完成的指标任务,共计98项; 不能全部完成的任务
# 有3项; 占任务总数的1.6%): the list's own structure, told in a supervision note.
LISTED_TASK_NOUNS: tuple[str, ...] = ("任务", "指标", "事项")
LIST_COUNT_WORDS: tuple[str, ...] = ("有", "共计", "共", "合计")
# 以…等10项行动为抓手: the parts of a plan named as its means (以N…为抓手/为牵引) are its
# structure, not a count to reach
MEANS_NOUNS: tuple[str, ...] = ("抓手", "牵引", "引领", "主线", "支撑", "载体", "突破口", "切入点")

# Verbs that make a number a checkable result of the period (GUIDELINES §4a "task quantities").
RESULT_VERBS: tuple[str, ...] = (
    "新增", "新建", "建成", "完成", "实现", "筹集", "引进", "落地", "招引", "新招引", "培育",
    "新培育", "打造", "争创", "创建", "改造", "新改建", "改建", "新开工", "开工", "植树", "造林",
    "发放", "培训", "安置", "吸纳", "转移", "新认定", "认定", "新发展", "发行", "安排", "新登记",
    "建设", "交付", "建成交付", "整治", "治理", "修复", "种植", "播种", "提供", "减免", "降低",
    "保持", "增长", "提高", "提升", "下降", "新开通", "开通", "创成", "上市", "签约", "入库",
    "实施", "计划投资", "完成投资", "年度投资", "扩招", "招收", "招聘", "招募", "再就业",
    # people sent (选派500名企业科技特派员) or helped into work (帮扶3000余名…残疾人就业创业)
    "选派", "帮扶", "援助",
    "入统", "退出", "淘汰", "关停", "压减", "减少", "新入规", "升规", "纳统", "回迁", "竣工",
    # counts of work that can be checked (GUIDELINES §4b): 盘活土地120亩, 组建团队500支,
    # 打通断头路50条, 举办活动500场, 推出1000个智能体, 发布清单, 选树标杆企业
    "盘活", "用活", "组建", "打通", "举办", "举行", "推出", "发布", "选树", "推广", "开展", "统筹",
    "开行", "投放", "投入", "组织", "取得", "转化", "更新", "扩招", "增加", "改扩建", "新改扩建", "开发",
    # equipment and people served: 新配置午休躺睡设备20300套, 康复救助孤独症儿童1600人
    "配置", "新配置", "配备", "救助", "新改造", "栽植", "安装", "开设", "增配", "新设",
    # what a plan brings into being: 形成3个万亿级消费领域; a capacity to have: 具备年产100发…的能力
    "形成", "具备",
    # labour sent out to work (输转城乡富余劳动力480万人), projects chosen (遴选约400个项目) or
    # deployed (部署100项…攻关项目)
    "输转", "遴选", "部署",
    # a service put online: 上线15个“极简审批”综合许可事项; projects started, applied for
    # (启动10个攻关项目, 申报…企业4家), models made strong (做强100个垂直行业大模型)
    "上线", "启动", "申报", "做强",
    # a fund set up (设立5亿元专项资金), capacity enlarged (提质扩容体育公园50个), firms
    # supported (新扶持100家“美丽工坊”)
    "设立", "扩容", "扶持", "新扶持",
    # work on things: 引育5家高端酒店, 制作14个…标识牌, 对…80条背街小巷…进行维修更换
    "引育", "制作", "维修", "更换",
    # 残疾人辅助器具适配200人, 建立…基地2个, 铺设…管网
    "适配", "建立", "铺设", "新修",
    # roads paved (硬化道路10万平方米), grounds opened (向群众开放50所中小学校操场), a gap narrowed
    # to a ratio (差距缩小到1.2∶1)
    "硬化", "开放", "缩小",
    # jobs created (创造200,000个新工作岗位), homes' heating improved (改善5000户居民户内供热设施)
    "创造", "改善",
    # projects carried out (落实5000万元以上项目1200个); land rented to farms (流转土地1080亩) and
    # sheds improved (改良…大棚4座)
    "落实", "流转", "改良",
)
# A budget's planned figure (今年全市一般公共预算收入预期5817.1亿元, 收入预期增长5%): 预期 right
# before its number or change is what is planned (预计 is an estimate: FORECAST_MARKERS); elsewhere
# it is the noun (稳预期, 提振预期, 预期寿命).
PLANNED_FIGURE_VERBS: tuple[str, ...] = ("预期",)
PLANNED_FIGURE_NEXT: tuple[str, ...] = ("增长", "下降", "为", "达到", "达")

# Increment verbs (kind `increment`): the number is what the period adds.
INCREMENT_VERBS: tuple[str, ...] = (
    "新增", "新建", "新招引", "招引", "引进", "落地", "实施", "完成", "建成", "新开工", "开工",
    "改造", "筹集", "新培育", "培育", "打造", "争创", "创建", "新改建", "改建", "植树", "造林",
    "发放", "培训", "安置", "吸纳", "转移", "新认定", "新发展", "新登记", "交付", "整治",
    "新开通", "开通", "创成", "新入规", "升规", "签约", "种植", "回迁", "竣工", "新上", "建成交付",
    "转移", "改扩建", "新改扩建",
    # counts of work done in the period (GUIDELINES §4b; the annotated corpus): 举办活动500场,
    # 建设10万亩, 组建团队500支, 盘活土地120亩, 发布1000个场景, 取得成果300项
    "建设", "举办", "举行", "组织", "开展", "组建", "盘活", "打通", "发布", "推出", "开行", "治理", "修复",
    "招聘", "招募", "再就业", "选派", "帮扶", "援助", "扩招", "认定", "取得", "转化", "更新", "完成投资", "选树", "推广", "增加", "开发",
    "配置", "新配置", "配备", "救助", "新改造", "栽植", "安装", "开设", "增配", "新设",
    "输转", "遴选", "部署", "启动", "申报", "新扶持", "引育", "制作", "适配", "建立", "铺设", "新修",
)

# Growth words right before a rate (kind `growth`); the first group counts downwards.
GROWTH_DOWN: tuple[str, ...] = ("下降", "降低", "减少", "压减", "压降", "回落", "缩减", "削减", "下调", "调降", "调低")
GROWTH_UP: tuple[str, ...] = ("增长", "增速", "增幅", "涨幅", "提高", "提升", "增加", "上涨", "递增", "上调", "调高")

# An indicator with one of these words is a share or rate level (kind `share`).
SHARE_WORDS: tuple[str, ...] = (
    "率", "比例", "比重", "占比", "占", "覆盖", "达标", "优良", "赤字", "指数", "份额", "水平",
)

# --- words the rules of classify.py read around a number (see rules.py for each rule) ---

# A count right after these is part of a programme's name: 新一轮千万吨粮食增产计划.
PROGRAMME_OPENERS: tuple[str, ...] = ("新一轮", "一轮", "新一批")
PROGRAMME_NOUNS: tuple[str, ...] = ("计划", "行动", "工程", "战略", "方案")

# A size class (千亿级) is a target only when something commits to reach it (成为千亿级…),
# not when it describes how many such things there will be (更多千亿级集群).
SIZE_CLASS_VERBS: tuple[str, ...] = (
    "成为", "打造", "冲刺", "迈向", "迈上", "建成", "培育", "形成", "突破", "达到", "跻身", "壮大", "发展成",
)
VAGUE_COUNTS: tuple[str, ...] = ("更多", "一批", "多个", "若干", "一些")

# Nouns sized by a threshold before them: 超50亿元重大项目3个 (the count is the target).
QUALIFIED_NOUNS: tuple[str, ...] = ("项目", "企业", "工程", "集群", "产业")

# Verbs of a result that follows a number: 6个重点项目年内竣工投产.
COMPLETION_VERBS: tuple[str, ...] = (
    "实现", "完成", "建成", "投用", "投入使用", "投产", "落地", "并网", "竣工", "交付",
)
# …a completion promised for the thing just counted, in the next clause: 年底建成并网.
FINISH_VERBS: tuple[str, ...] = (
    "建成", "完成", "投用", "投产", "并网", "竣工", "交付", "运营", "开园", "达产", "开工", "完工",
)

# A percentage followed by these names a policy or a bracket: 降低电价5%政策, 50%部分.
PERCENT_MODIFIED_NOUNS: tuple[str, ...] = ("政策", "部分", "幅度", "区间", "标准的", "配套")

# A clause that answers the situation stated before it: …874万人，要促进就业.
RESPONSE_WORDS: tuple[str, ...] = ("要", "必须", "需要", "亟需", "迫切需要")

# A number before one of these is the size of a facility: 720兆瓦储能电站.
FACILITY_NOUNS: tuple[str, ...] = (
    "项目", "工程", "电站", "机组", "电厂", "基地", "园区", "光伏", "风电", "储能", "生产线", "厂",
    "线路", "管网", "站",
)

# …unless the work done on it follows: 完成108公里市政管网改造 (the extent of the work).
FACILITY_WORK_NOUNS: tuple[str, ...] = ("改造", "建设", "更新", "新建", "改扩建", "铺设", "修复", "维修", "治理")

# A count right after these names places or people a verb after it acts on: 在3000个小区设置
# 回收机, 为10万名残疾人提供康复服务.
PREPOSITIONS: tuple[str, ...] = ("在", "为", "对", "给", "向")

# Verbs that act on the places or people counted before them (with PREPOSITIONS).
SERVICE_VERBS: tuple[str, ...] = (
    "设置", "引入", "提供", "配备", "开展", "实施", "建设", "改造", "覆盖", "发放",
    # 为5000名适龄农村妇女免费进行“两癌”检查, 为全州7万名…妇女免费做宫颈癌筛查
    "进行", "做",
)

# Words that join the items of a list of quantities.
LIST_JOINERS: tuple[str, ...] = ("、", "和", "，", "及")

# Nouns that name what is measured, right before its value: 再就业人数2500万人, 粮食产量1.4万亿斤.
# A number after one is an indicator's value, not a bare number in running text.
MEASURE_NOUNS: tuple[str, ...] = (
    "人数", "数量", "总量", "产量", "总额", "规模", "面积", "里程", "总值", "产值",
    # a budget's lines: 农林水事务支出108895万元, 教育支出231124万元, 中央财政总收入24421亿元,
    # 赤字2450亿元, 国债余额限额37865亿元
    "支出", "收入", "赤字", "余额", "限额",
)

# Verbs of what a share of units will do, besides RESULT_VERBS and SCOPE_VERBS: 95%以上的幼儿园
# 开设托班, 60%以上的…机构三级达标, 85%的技术需求源于企业.
SHARE_VERBS: tuple[str, ...] = (
    "达标", "开设", "源于", "面向", "具备", "享有", "拥有", "建成", "达到", "实现",
    # money put to a use: 三分之一以上的资金投向基础研究, 80%以上的资金用于民生
    "投向", "用于", "投入",
)

# The one commitment word that never tells what was done (争取/争创 also tell what was won):
# before a number it outweighs a review frame.
STRIVE_WORD = "力争"

# Last characters of a measure right before a percentage (研发投入强度5%以上的企业: the size that
# qualifies the units), where N%的<units><verb> is not a share of units that will do something.
MEASURE_ENDINGS: tuple[str, ...] = ("率", "比", "重", "度", "长", "速", "幅", "额", "量", "于", "到", "至", "为")

# A bound followed by this is a bracket of a rule (年应纳税所得额不超过100万元部分).
BRACKET_PART = "部分"
