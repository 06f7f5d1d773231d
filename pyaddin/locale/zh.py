"""简体中文界面文字。"""

TAB = "质量监控"

GROUPS = {
    "data": "数据", "analysis": "分析", "improvement": "改进", "departments": "部门协同",
    "appraisal": "考核", "reports": "报告",
}

ACTIONS = {  # action: (按钮文字, 屏幕提示)
    "import_tickets": ("导入工单", "选择工单导出文件(CSV/Excel),按字段映射校验后导入“工单数据”表。"),
    "import_surveys": ("导入满意度", "选择满意度调查导出文件,校验后导入“满意度调查”表。"),
    "import_inspections": ("导入质检", "选择质检记录文件(每行一个检查项),校验后导入“质检记录”表。"),
    "check": ("校验数据", "逐格检查已粘贴的工单、满意度、质检数据和问题/根因/计划表,列出无法识别或不合规的单元格。"),
    "kpi": ("计算KPI", "按监控标准计算上一个完整月份的全部KPI,按渠道、部门、处理人分解,写入“KPI看板”。"),
    "pareto": ("帕累托分析", "统计问题类别,找出累计占比80%的关键少数(后续版本提供)。"),
    "alerts": ("预警检查", "超时工单、控制图异常和指标恶化预警(后续版本提供)。"),
    "problems": ("加入问题清单", "把帕累托关键少数加入问题清单(后续版本提供)。"),
    "fishbone": ("绘制鱼骨图", "按6M绘制问题的鱼骨图(后续版本提供)。"),
    "plan": ("检查计划", "检查改进措施是否符合SMART、标出逾期并汇总进度(后续版本提供)。"),
    "verify": ("效果验证", "比较措施前后的指标并检验改进是否显著(后续版本提供)。"),
    "distribute": ("下发部门", "为每个责任部门生成只含其问题和措施的工作簿(后续版本提供)。"),
    "collect": ("回收汇总", "把部门交回的工作簿合并进总表,逐项记录变更(后续版本提供)。"),
    "appraise": ("季度考核", "按考核规则计算团队和人员的季度得分与等级(后续版本提供)。"),
    "report": ("生成报告", "生成周/月/季度服务质量监控报告(后续版本提供)。"),
}

METRICS = {
    "tickets": "工单量", "first_response_sla_pct": "首次响应SLA达成率%", "resolution_sla_pct": "解决SLA达成率%",
    "median_first_response_min": "首次响应时长中位数(分钟)", "p90_first_response_min": "首次响应时长P90(分钟)",
    "median_resolution_h": "解决时长中位数(小时)", "fcr_pct": "一次解决率%", "reopen_rate_pct": "重开率%",
    "complaint_rate_pct": "投诉率%", "record_completeness_pct": "记录完整率%", "backlog": "积压工单",
    "csat_pct": "满意度%", "nps": "NPS净推荐值", "qa_score_pct": "质检得分%", "qa_fail_rate_pct": "质检不合格率%",
    "rectification_pct": "整改完成率%",
}

SETTINGS = {
    "qa_pass_mark": "质检合格线(分)", "appraisal_complaint_points_per_pct": "投诉率每1个百分点扣分",
    "appraisal_complaint_cap": "投诉扣分上限", "appraisal_min_tickets": "考核最低工单量",
    "grade_a": "A级分数线", "grade_b": "B级分数线", "grade_c": "C级分数线",
    "audit_sample_pct": "工单抽查比例%", "audit_min_per_agent": "每人最少抽查件数",
    "urgent": "紧急", "high": "高", "normal": "普通", "low": "低",
}

STATUS = {"met": "达标", "warning": "预警", "missed": "未达标"}

MESSAGES = {
    "file_not_found": "找不到文件:{path}。请检查路径是否正确。",
    "file_locked": "文件“{path}”正被其他程序(如Excel)打开或为只读,未做任何修改。请关闭该文件或取消只读后重试。",
    "not_a_workbook": "“{path}”不是有效的Excel工作簿(.xlsx/.xlsm):{reason}",
    "table_missing": "工作簿中找不到表“{table}”(工作表“{sheet}”)。请从备份(.bak)或一份新的 qualitybook.xlsm 中恢复该表。",
    "unknown_source": "无法读取“{path}”:只支持CSV、XLSX、XLSM和XLS文件。",
    "encoding_failed": "无法识别“{path}”的文字编码。请在Excel中另存为“CSV UTF-8”后重试。",
    "no_header": "“{path}”中没有找到可识别的表头。请确认第一行是列名(如“工单编号”“创建时间”)。",
    "missing_column": "缺少必需的列“{label}”。请在来源文件中加上此列,或在“字段映射”表中把已有列映射到“{field}”。",
    "bad_datetime": "无法识别的日期时间",
    "bad_bool": "无法识别的是/否值(可用:是/否、Y/N、yes/no、true/false、1/0)",
    "bad_number": "不是有效的数字",
    "bad_integer": "不是整数",
    "bad_enum": "不是允许的取值(可用:{allowed})",
    "required": "必填项为空",
    "duplicate": "编号重复(与第{other}行相同)",
    "duplicate_existing": "编号已存在于工作簿中",
    "below_min": "小于允许的最小值{minimum}",
    "above_max": "大于允许的最大值{maximum}",
    "need_one_of": "至少需要填写其中一项:{fields}",
    "issue_line": "第{row}行,列“{column}”,值“{value}”:{reason}",
    "import_done": "已导入{rows}行到“{sheet}”(共{total}行)。",
    "import_rejected": "{rejected}行有问题,已写入“导入错误”表。",
    "check_ok": "数据校验通过:{summary}。",
    "check_failed": "校验发现{count}处问题。",
    "more_issues": "……另有{count}处问题未显示。",
    "planned_action": "“{label}”将在后续版本提供。",
    "error_title": "QualityBook 出错",
    "error_box": "{message}\n\n详细信息已记录在日志文件:{log}",
    "unexpected": "发生了意外错误:{error}。工作簿未被修改。请把日志文件发给技术支持。",
    "created": "已创建工作簿“{path}”。",
    "choose_file": "请选择要导入的文件",
    "bad_period": "无法识别统计周期“{value}”:{reason}。请用 2026-09、2026Q3 或 2026-09-01 这样的格式。",
    "kpi_refused": "数据中有{count}处无法识别的值,KPI未计算,工作簿保持原样。请先运行“校验数据”并修正。",
    "kpi_done": "已计算{start}至{end}的KPI:工单{tickets}件,首响达成率{fr}%,满意度{csat}%,质检得分{qa}%。结果已写入“KPI看板”。",
    "not_qualitybook": "“{path}”不是 QualityBook 工作簿(其中没有“工单数据”表)。请检查参数顺序:qualitybook import 工作簿.xlsm 导出文件.csv --into tickets。",
    "book_busy": "工作簿“{path}”正由 {who} 写入,等待后仍未释放,本次未做任何修改。请稍后再试,或联系对方。",
    "book_changed": "工作簿“{path}”在本次读取之后已被其他人或程序保存,为避免覆盖对方的修改,本次结果未写入。请重新运行。",
    "too_many_rows": "工作表“{sheet}”放不下{rows}行(从表头往下最多{limit}行,Excel 的上限是 1,048,576 行),未写入任何内容。请分期间导入或删减数据。",
    "cell_in_the_way": "工作表“{sheet}”的单元格 {cell} 位于表格扩展后的区域内,为免覆盖未写入任何内容。请把它移到表格右侧或下方更远处后重试。",
    "not_above": "必须大于{minimum}",
    "before_other": "早于“{other}”",
    "above_other": "大于“{other}”",
    "unknown_reference": "在“{table}”中找不到此编号",
    "too_long": "文字超过 Excel 单元格上限({limit}个字符)",
    "cell_error": "单元格是错误值(如公式出错),请改为有效值",
    "existing_unreadable": "“{sheet}”中已有{count}处无法识别的值;为免改写这些单元格,本次未导入。请先修正(见下方列表,或运行“校验数据”)。",
    "import_missing_columns": "文件缺少必需的列,未写入任何内容,工作簿保持原样。",
    "import_refused_cli": "发现{count}处数据问题,未写入任何内容,工作簿保持原样。请修正后重试,或加 --keep-invalid 仅导入有效行(问题行写入“导入错误”表)。",
    "import_refused_excel": "发现{count}处数据问题,未写入任何内容,工作簿保持原样。请修正文件后重新导入;或重新点“导入”并在提问时选“是”,只导入有效行,问题行写入“导入错误”表。",
    "ask_keep_invalid": "文件中有{count}处问题,涉及{bad}行。是否导入其余{good}行有效数据,并把问题行连同原因放入“导入错误”表?选“否”则不导入任何内容。",
    "no_file_chosen": "未选择文件,未做任何修改。",
    "unknown_action": "未知操作“{name}”。可用的操作:{known}",
}

GUIDE = [
    ("QualityBook 使用说明", ""),
    ("监控闭环", "计划 → 采集 → 分析 → 改进 → 跟踪 → 考核与报告(六步接力)。本工作簿的每张表对应其中一步。"),
    ("1. 计划", "在“监控标准”表设置指标目标、预警幅度、各优先级SLA和考核权重。修改后重新计算即生效。"),
    ("2. 采集", "把工单、满意度调查、质检记录的导出数据粘贴到对应表的下方,或用“导入”按钮从CSV/Excel文件导入。表头可用中文、英文或Zendesk/Freshdesk等系统的原始列名;其他列名可在“字段映射”表中指定。"),
    ("3. 分析", "“计算KPI”按渠道、部门、处理人计算各项指标并与目标比较;“帕累托分析”找出关键少数问题。"),
    ("4. 改进", "在“问题清单”登记问题,在“根因分析”按6M(人机料法环测)和5Why找根因并验证,在“改进计划”制定SMART措施。"),
    ("5. 跟踪", "“跟踪整改”检查措施进度、标出逾期,并对完成的措施做改进前后效果验证。"),
    ("6. 部门协同", "“下发部门”为每个责任部门生成工作簿,“回收合并”把交回的进度合并到总表,每处变更记入“操作日志”。"),
    ("7. 考核与报告", "“季度考核”按规则给团队和人员打分定级;“监控报告”生成周/月/季度报告。"),
    ("数据规则", "日期可为Excel日期、2026-09-03、2026/9/3 8:05、2026年9月3日 08:05等;是/否可写是/否、Y/N、1/0。无法识别的值会被列出(行、列、原因),不会被悄悄留空。"),
    ("安全", "每次写入都先保存备份(.bak),失败时工作簿保持原样。所有操作记录在“操作日志”。"),
    ("Python 设置", "按钮通过 xlwings 调用 Python。若工作簿旁有 qualitybook.exe(打包程序),直接使用它;否则在“xlwings.conf”表的 Interpreter_Win 填写Python路径。"),
]

DASHBOARD_TITLE = "服务质量KPI看板"
DASHBOARD = {
    "trend_rates": "周趋势:达成率与满意度(%)", "trend_volume": "周趋势:工单量",
    "header": "统计周期:{start} 至 {end}    截止时点:{as_of}    计算时间:{at}",
    "overall": "总体", "channel": "渠道", "department": "部门", "agent": "处理人",
}
