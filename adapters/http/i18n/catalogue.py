"""English message ids (the text in the code, ``{}`` per f-string placeholder) → Chinese.

Placeholders in the Chinese text are numbered in the order they appear in the English one.
tests/unit/test_error_catalogue.py finds every message in the source and fails, with the
missing lines ready to paste here, when one has no translation.
"""

from adapters.http.i18n.framework import FRAMEWORK

__all__ = ["FRAMEWORK", "WORDS", "ZH"]

ZH: dict[str, str] = {
    # The HTTP edge
    "not found": "未找到",
    "no such sign-in link": "没有这个登录链接",
    "the sign-in link is {}": "登录链接{0}",
    "used": "已使用",
    "no session {}": "没有会话 {0}",
    "no user {}": "没有用户 {0}",
    "no such certificate": "没有这张证书",
    "this file type is not accepted as evidence": "不接受这种类型的文件作为佐证材料",
    "pdf, doc(x), ppt(x), xls(x), jpg, png or mp4, told by its content":
        "可接受 pdf、doc(x)、ppt(x)、xls(x)、jpg、png 或 mp4（按文件内容识别）",
    "period is YYYY-MM-DD..YYYY-MM-DD": "期间的格式为 YYYY-MM-DD..YYYY-MM-DD",
    "the period ends before it starts": "期间的结束日期早于开始日期",
    "this route has no access rule": "此接口未设置访问规则",
    "a bearer token is required": "需要提供 Bearer 令牌",
    "too many requests for this token": "该令牌的请求过于频繁",
    "too many requests with invalid tokens from this address": "来自该地址的无效令牌请求过于频繁",
    "too many certificate checks from this address": "来自该地址的证书查验过于频繁",
    "too many reads are waiting for this tenant's views: retry in a moment":
        "等待该区县数据同步的读取请求过多，请稍后重试",
    "the log of this tenant ends at position {}: there is nothing at {} to wait for":
        "该区县的记录截至位置 {0}，位置 {1} 尚不存在，无从等待",
    "after must be a log position: a whole number, 0 or more":
        "after 须为记录位置：不小于 0 的整数",
    "the token is not valid": "令牌无效",
    "only the platform operator may do this": "只有平台运营方可以执行此操作",
    "operator tokens act on the platform, not inside a tenant":
        "运营方令牌只能用于平台操作，不能在区县内使用",
    "this tenant is suspended": "该区县已暂停使用",
    "the {} role may not do this": "{0}角色无权执行此操作",
    "the body is larger than {} bytes": "请求体超过 {0} 字节",
    "the request body is larger than this server accepts": "请求体超过服务器允许的大小",
    "send the body as application/json": "请求体须为 application/json",
    "a JSON object gives a key more than once: {}": "JSON 对象中有重复的键：{0}",
    "the JSON is nested more than {} levels deep": "JSON 嵌套超过 {0} 层",
    "`{}` has no visible character: only blanks or invisible ones":
        "`{0}` 没有可见字符：只有空白或不可见字符",
    "the URL path holds a control character or bytes that are not valid UTF-8":
        "请求路径中含有控制字符或无效的 UTF-8 字节",
    "a query parameter holds a control character or bytes that are not valid UTF-8":
        "查询参数中含有控制字符或无效的 UTF-8 字节",
    "the database is not reachable right now": "数据库暂时无法连接",
    "the database is not reachable": "数据库无法连接",
    "something went wrong on our side; it has been logged": "服务器内部出错，已记录",
    "someone else changed this at the same moment: reload and try again":
        "他人同时修改了此项，请刷新后重试",
    "If-Match must be the version number you last read": "If-Match 须为您最近读取的版本号",
    "judges work blind: the board opens to them when the round closes":
        "评委实行盲评：考核结束后才能查看成绩榜",
    "only admins and auditors replay the board": "只有管理员和审计员可以回溯成绩榜",
    "the results are not published yet": "结果尚未公示",
    "a reporter sees only their own school's self-assessment": "填报员只能查看本校的自评",
    "no self-assessment for this subject and component": "该对象在该考核项目下没有自评",
    "judges see only their own cards": "评委只能查看自己的评分表",
    "judge_id is required": "须提供 judge_id",
    "the slug {} is taken": "标识 {0} 已被占用",
    "this Idempotency-Key was used for a different request": "该 Idempotency-Key 已用于另一个请求",
    "a request with this Idempotency-Key is still being processed: retry it in a moment":
        "使用该 Idempotency-Key 的请求仍在处理中，请稍后重试",
    "reuse a key only to retry the same request": "只有重试同一请求时才能重复使用该键",
    "the scores are not all numbers": "有得分不是数字",
    "the points for {} are not a number: {}": "{0} 的得分不是数字：{1}",
    "the board is still catching up with the log; try again in a moment":
        "成绩榜正在同步最新记录，请稍后重试",
    "the last active admin token cannot be revoked: give another admin a token first":
        "不能吊销最后一个有效的管理员令牌：请先为另一位管理员发放令牌",
    # Evidence uploads
    "send the evidence as multipart/form-data with a file part":
        "请以 multipart/form-data 格式上传佐证材料，并包含 file 部分",
    "the multipart/form-data body is not valid": "multipart/form-data 请求体无效",
    "the form has no file": "表单中没有文件",
    "a form field is too long": "表单字段过长",
    "dated is a date, YYYY-MM-DD": "材料日期（dated）须为日期，格式为 YYYY-MM-DD",
    "a date, YYYY-MM-DD": "须为日期，格式为 YYYY-MM-DD",
    "no evidence {}": "没有佐证材料 {0}",
    "the file of evidence {} is missing from the store": "佐证材料 {0} 的文件在存储中缺失",
    "the evidence is dated {}, later than today ({})": "材料日期 {0} 晚于今天（{1}）",
    "not later than the upload day": "不得晚于上传当天",
    "the district's evidence quota is {} and {} of it is used: this file ({}) does not fit":
        "本区县佐证材料存储配额为 {0}，已使用 {1}，此文件（{2}）超出配额",
    "each user may upload {} of evidence a day, and {} was uploaded today: this file ({}) "
    "does not fit": "每位用户每天最多上传 {0} 佐证材料，今天已上传 {1}，此文件（{2}）超出限额",
    # Evidence checked by its format's parser (adapters/evidence_check.py)
    "the PDF cannot be read": "无法读取该 PDF 文件",
    "the PDF does not end where a PDF ends (data follows it)":
        "该 PDF 文件结尾之后还有其他数据",
    "the PDF has no pages": "该 PDF 文件没有页面",
    "the PDF has too many objects to check": "该 PDF 文件的对象过多，无法检查",
    "the PDF carries active content (scripts, actions or embedded files)":
        "该 PDF 文件含有活动内容（脚本、自动动作或嵌入文件）",
    "the PNG does not end where a PNG ends (data follows it)":
        "该 PNG 图片结尾之后还有其他数据",
    "the image is not a {}": "该图片不是 {0} 格式",
    "the image cannot be read": "无法读取该图片",
    "the image has too many pixels": "该图片像素过多",
    "the Office file cannot be read": "无法读取该 Office 文件",
    "the Office file carries macros or ActiveX controls": "该 Office 文件含有宏或 ActiveX 控件",
    "the Office file carries macros": "该 Office 文件含有宏",
    "the Office file has no [Content_Types].xml": "该 Office 文件缺少 [Content_Types].xml",
    "the Office file is damaged": "该 Office 文件已损坏",
    "the Office file is not a document, workbook or presentation":
        "该 Office 文件不是文档、工作簿或演示文稿",
    "the Office file unpacks to too much": "该 Office 文件解压后过大",
    "the file is not a .{} document": "该文件不是 .{0} 文档",
    "the presentation carries macros": "该演示文稿含有宏",
    "the video is not an MP4 file": "该视频不是 MP4 文件",
    "the video's boxes are broken": "该视频文件结构已损坏",
    # Activities
    "unknown unit kind": "未知的单位类型",
    "not a unit kind": "不是有效的单位类型",
    "an activity that is {} cannot take this step": "活动当前状态为{0}，不能进行这一步",
    "a review records the experts' opinions": "审核须记录专家意见",
    "at least one": "至少一项",
    "a name and a known role": "须有姓名和有效的角色",
    "the record of the activity is not valid": "活动记录无效",
    "a summary names the highlights (亮点)": "总结须写明亮点",
    "must not be empty": "不能为空",
    "a cancellation needs a reason": "取消须说明理由",
    "required": "必填",
    "every participant already has a certificate": "所有参与者都已有证书",
    "every activity has a theme (主题明确)": "每项活动须有主题（主题明确）",
    "not one of the seeds' forms nor the tenant's own": "不是系统预设或本区县自定义的活动形式",
    "at least one class period": "至少一个课时",
    "the activity plan is not valid": "活动计划无效",
    "the unit is of another kind": "该单位的类型不符",
    "the unit is a {}": "该单位是{0}",
    "a reporter records only their own school's activities": "填报员只能登记本校的活动",
    # Assessments
    "unknown subject kind": "未知的考核对象类型",
    "unknown ranking group": "未知的排名组",
    "no group {}": "没有组 {0}",
    "the subject id is derived, not chosen": "考核对象的编号由系统生成，不能指定",
    "this {} is already a subject of the assessment": "该{0}已是本次考核的对象",
    "the judge is already on the panel": "该评委已在评委组中",
    "the judge is not on this assessment's panel": "该评委不在本次考核的评委组中",
    "the assessment keeps changing: try again": "考核正在变动，请稍后重试",
    "the judge is already recused from this subject": "该评委已对该对象回避",
    "a recusal needs a reason": "回避须说明理由",
    "an assessment that is {} cannot become {}": "考核当前状态为{0}，不能变为{1}",
    "publish with the results: use publish()": "请通过公示操作发布结果",
    "add subjects before opening the assessment": "开始考核前须先添加考核对象",
    "an assessment that is {} cannot be published": "考核当前状态为{0}，不能公示",
    "the assessment is {}": "考核当前状态为{0}，不能进行此操作",
    "no component {} in this assessment": "本次考核没有考核项目 {0}",
    "no such subject in this assessment": "本次考核没有该考核对象",
    "the judge is recused from this subject (回避)": "该评委对该对象回避，不能评分",
    "the assessment is not valid": "考核设置无效",
    "must be at least 1": "至少为 1",
    "at least one ranking group is needed": "至少需要一个排名组",
    "group keys must be unique": "组的键不能重复",
    "ends before it starts": "结束早于开始",
    "at least one component is needed": "至少需要一个考核项目",
    "keys must be unique": "键不能重复",
    "must be a number greater than 0": "须为大于 0 的数",
    "must be none or zscore": "须为 none 或 zscore",
    "no tier of that name": "没有这个等次",
    "must be between 0 and 1": "须在 0 到 1 之间",
    "weights ≥ 0, not both 0": "权重须 ≥ 0，且不能都为 0",
    "a community is assessed over a period: give the assessment one":
        "共同体按期间考核：请为本次考核设置考核期",
    "required to assess communities": "考核共同体时必填",
    "must be school, community or unit": "须为 school（学校）、community（共同体）或 unit（单位）",
    "{} is not a judge": "{0} 不是评委",
    "not a judge": "不是评委",
    "a component names a rubric version that is not published":
        "考核项目引用了未发布的评分细则版本",
    # Drafting a round (set-up changes, 出场顺序)
    "the change does not fit the subjects of the round": "此修改与本次考核的考核对象不符",
    "{} is a community: a community is assessed over a period":
        "{0}是共同体：共同体按期间考核，请为本次考核设置考核期",
    "group {} still has subjects: {}; move or remove them":
        "组 {0} 中仍有考核对象：{1}；请先移到其他组或移除",
    "name at least one group": "请至少填写一个排名组",
    "empty": "不能为空",
    "no ranking group {}": "没有排名组 {0}",
    "listed twice: {}": "重复列出：{0}",
    "not a subject of this assessment: {}": "不是本次考核的考核对象：{0}",
    "{} is in {}, not {}": "{0}属于{1}，不属于{2}",
    "missing: {}": "缺少：{0}",
    "the order must list each group's subjects exactly once":
        "出场顺序须将每个组的考核对象各列出一次，不重不漏",
    # Closing, finalising and reopening a round
    "the assessment cannot be {} yet ({}): complete them, or give {} with a reason":
        "考核尚不能变为{0}（{1}）：请先补齐，或填写 {2} 并说明理由",
    "cards not submitted: {}": "未提交的评分表 {0} 张",
    "subjects below quorum: {}": "评委人数不足的被评对象 {0} 个",
    "cards not submitted: {}; subjects below quorum: {}":
        "未提交的评分表 {0} 张；评委人数不足的被评对象 {1} 个",
    "{} needs a reason": "{0} 须说明理由",
    "only a closed assessment can be reopened; this one is {}":
        "只有已结束的考核可以重新开放，本次考核当前状态为{0}",
    "reopening the assessment needs a reason": "重新开放考核须说明理由",
    # Scoring
    "the judge has no card for this subject and component": "该评委在该对象和考核项目下没有评分表",
    "the card has no version {} (it is at {})": "评分表没有版本 {0}（当前为 {1}）",
    "a change to a submitted card needs a reason": "修改已提交的评分表须说明理由",
    "required after submission": "提交后修改必填",
    "the card is already submitted": "评分表已提交",
    "every leaf indicator must be scored before submitting": "提交前须为每个末级指标评分",
    "not scored": "未评分",
    "the card is not submitted": "评分表尚未提交",
    "the card is submitted: reopen it, with a reason, to change it":
        "评分表已提交：如需修改，请说明理由后重新打开",
    "the assessment is {}: only the admin can reopen a card now":
        "考核当前状态为{0}：现在只有管理员可以重新打开评分表",
    "reopening needs a reason": "重新打开须说明理由",
    "no leaf indicator {} in this rubric": "评分细则中没有末级指标 {0}",
    "no leaf indicator {} in this rubric; the leaves are {}":
        "评分细则中没有末级指标 {0}，有效的指标代码为：{1}",
    "must be between 0 and {}": "须在 0 到 {0} 之间",
    "must be a multiple of {}": "须为 {0} 的倍数",
    "{} {} must be between 0 and {}, in steps of {}": "{0}「{1}」得分应在 0 到 {2} 之间，步长 {3}",
    "{} must be between 0 and {}, in steps of {}": "{0} 得分应在 0 到 {1} 之间，步长 {2}",
    "the scores break the rubric": "得分不符合评分细则",
    "the comment is longer than {} characters": "综合评价意见不能超过 {0} 个字",
    "at most {} characters": "最多 {0} 个字",
    "must be a number": "须填写数字",
    # Self-assessment and evidence
    "evidence names indicators the rubric does not have": "佐证材料指向评分细则中没有的指标",
    "no such leaf indicator": "没有这个末级指标",
    "a reporter assesses only their own school's subjects": "填报员只能自评本校的对象",
    "材料须在考核期内: the evidence is dated outside the period":
        "材料须在考核期内：佐证材料的日期不在考核期内",
    "dated {}": "日期为 {0}",
    # Organisation
    "must be one of {}": "须为以下之一：{0}",
    "the core school is not also a member": "核心校不能同时是成员校",
    "a school is listed twice": "有学校重复列出",
    "the community is not valid": "共同体无效",
    "the school already belongs to this community": "该学校已属于这个共同体",
    "the school is not a member on that day": "该学校在那天不是成员",
    "a school leaves after it joined": "学校退出日期须晚于加入日期",
    "too early": "过早",
    "the school is not valid": "学校信息无效",
    "a 教研组 or 备课组 belongs to a school": "教研组或备课组须属于一所学校",
    "a studio has a host (坊主)": "工作坊须有坊主",
    "a 备课组 belongs to a 教研组": "备课组须属于一个教研组",
    "only a 备课组 has a parent 教研组": "只有备课组可以有上级教研组",
    "the 教研组 is of another school": "该教研组属于另一所学校",
    "the unit is not valid": "单位信息无效",
    "the user is not valid": "用户信息无效",
    "only a teacher has a subject": "只有教师可以设置学科",
    "listed twice": "重复列出",
    "say why the affiliations change": "请说明所属单位变更的理由",
    "the affiliations are not valid": "所属单位信息无效",
    "a person is listed twice": "有人员重复列出",
    "say why the members change": "请说明成员变更的理由",
    "the members are not valid": "成员信息无效",
    "the name is held": "该名称已被占用",
    # Editing and archiving records (学校、共同体、单位、用户)
    "a reason is required": "须说明理由",
    "say why this record changes": "请说明修改理由",
    "the edit changes nothing": "此次修改没有改变任何内容",
    "give at least one new value": "请至少提供一项新的内容",
    "{} is already archived": "{0}已归档",
    "{} is archived": "{0}已归档，不能再使用",
    # Rubrics
    "only a leaf, and at least 1 record": "只能用于末级指标，且至少 1 条记录",
    "a leaf needs max_points greater than 0": "末级指标的满分须大于 0",
    "max_points must be a multiple of {}": "满分须为 {0} 的倍数",
    "a parent's max_points must equal its leaves' sum": "上级指标的满分须等于其下级指标之和",
    "weight {} differs from its leaves' sum {}": "权重 {0} 与其下级指标之和 {1} 不一致",
    "the draft has not changed since the last published version": "草稿自上次发布以来没有修改",
    "rubric version {} is not published": "评分细则版本 {0} 尚未发布",
    "a name is required": "须填写名称",
    "must be greater than 0": "须大于 0",
    "a rubric needs at least one indicator": "评分细则至少需要一个指标",
    "code must not be empty": "代码不能为空",
    "code {} is used more than once": "代码 {0} 重复使用",
    "title must not be empty": "标题不能为空",
    "the rubric breaks rules": "评分细则不符合规则",
    "the full mark must be greater than 0": "满分须大于 0",
    "the top-level indicators add up to {}": "一级指标的分值合计为 {0}",
    "the top-level indicators add up to {}, not the full mark {}":
        "一级指标的分值合计为 {0}，与满分 {1} 不符",
    # Tenant settings
    "a form needs a name": "活动形式须有名称",
    "that form exists already": "该活动形式已存在",
    "exists": "已存在",
    "one of {}": "须为以下之一：{0}",
    "held or planned": "须为 held（已开展）或 planned（已安排）",
    "minimums are not negative": "最低要求不能为负数",
    "the rules are not valid": "规则无效",
    "the precision is not valid": "小数位数设置无效",
    "between {} and {} decimals": "小数位数须在 {0} 到 {1} 之间",
    # Loading and versions
    "no {} {}": "没有{0} {1}",
    "the version is {}, not {}: reload and try again": "当前版本为 {0}，不是 {1}：请刷新后重试",
    # Platform
    "the slug is not valid": "标识无效",
    "2–31 characters: a lowercase letter, then lowercase letters, digits or _":
        "2–31 个字符：以小写字母开头，其后为小写字母、数字或 _",
    "no tenant {}": "没有区县 {0}",
    "the tenant is already {}": "该区县已经是{0}状态",
    "unknown time zone {}": "未知的时区 {0}",
    "must be an IANA time zone such as Asia/Shanghai": "须为 IANA 时区名，例如 Asia/Shanghai",
    "{} is not an admin": "{0} 不是管理员",
    "not an admin": "不是管理员",
    "the tenant has no admin left to give a token to": "该区县已没有可发放令牌的管理员",
    # Restoring a tenant from an export
    "the export does not verify (first bad position: {})":
        "导出文件校验未通过（首个出错位置：{0}）",
    "the export has no admin user": "导出文件中没有管理员用户",
    "the tenant's log is not empty: restore only into a new tenant":
        "该区县的记录不为空：只能恢复到新建的区县",
    "the restored log does not verify: {}": "恢复后的记录校验未通过：{0}",
    # Time
    "{} must be a full date and time, such as 2026-11-30T10:00:00+08:00":
        "{0} 须为完整的日期和时间，例如 2026-11-30T10:00:00+08:00",
    "{} is not a date and time that exists": "{0} 不是存在的日期和时间",
    "a date, a time and, if you like, an offset": "须有日期和时间，可带时区偏移",
    # Ownership of what is named, and blind judging
    "no assessment {}": "没有考核 {0}",  # as for an unknown id: a judge off the panel
    "an id is given more than once": "有编号重复给出",
    "{} is given more than once": "{0} 重复给出",
    "the evidence belongs to another school": "该佐证材料属于另一所学校",
    "evidence {} is not this school's": "佐证材料 {0} 不属于本校",
    "units named on an activity must exist and be the reporter's own school's":
        "活动中列出的单位须存在，且属于填报员本校",
    "no unit {}": "没有单位 {0}",
    "{} belongs to another school": "{0} 属于另一所学校（须经该单位填报员确认，暂不支持）",
    "a filter names an id that is not valid": "筛选条件中的编号无效",
    "not a valid id": "编号无效",
    # 述职计时 (the presentation timer) and the public pages
    "only the admin keeps the presentation time": "只有管理员可以操作述职计时",
    "the group {} has no presentation time limit": "{0}没有设定述职时限",
    "the presentation order of this group has not been drawn": "本组尚未抽签确定出场顺序",
    "no such subject in this group's presentation order": "本组出场顺序中没有该单位",
    "this presenter is presenting already": "该单位正在述职",
    "the last presenter of the group has presented already": "本组最后一位已经述职",
    "no presentation is running": "当前没有正在进行的述职",
    "choose a presenter": "请选择述职单位",
    "too many requests from this address": "来自该地址的请求过于频繁",
    # 表格导入与导出 (sheets in and out, issue 14)
    "should be one of {}": "应为 {0} 之一",
    "should be 是 or 否": "应为 是 或 否",
    "the same name as row {}": "与第 {0} 行重名",
    "already registered: {}": "已有同名记录：{0}",
    "no school or community named {}": "没有名为 {0} 的学校或共同体",
    "unknown column: it is not imported; rename it or remove it":
        "无法识别的列，不会导入；请改为模板中的列名或删除",
    "this column is given twice": "该列重复出现",
    "the sheet has no such column: it is required": "表格缺少这一必填列",
    "the sheet has no header row: the first row names the columns":
        "表格没有表头：第一行应为各列名称",
    "the file is empty": "文件为空",
    "the file is not an .xlsx workbook: save it as .xlsx or .csv":
        "文件不是 .xlsx 工作簿：请另存为 .xlsx 或 .csv",
    "the CSV is not UTF-8: save it as “CSV UTF-8”": "CSV 文件不是 UTF-8 编码：请另存为“CSV UTF-8”",
    "the file is not an .xlsx workbook or a UTF-8 CSV": "文件不是 .xlsx 工作簿或 UTF-8 编码的 CSV",
    "the sheet has more than {} rows": "表格超过 {0} 行",
    "the import has rows in error: nothing was written": "导入的表格中有错误行，未写入任何数据",
    "the data changed since the dry run: run the dry run again":
        "试导入之后数据已有变动，请重新试导入",
    "the sheet has no rows to import": "表格中没有可导入的行",
    "no import of kind {}": "没有 {0} 这种导入",
    "no import {}": "没有导入记录 {0}",
    "unknown": "无法识别",
    "no template {}": "没有模板 {0}",
    "no judge {} on the panel": "评审组中没有评委 {0}",
    "should be a date such as 2026-09-01": "应为日期，如 2026-09-01",
    "no person named {}": "没有名为 {0} 的人员",
    "no subject named {}": "没有名为 {0} 的被评对象",
    "no component {}": "没有考核项目 {0}",
    "assessment_id and judge_id are required": "须提供 assessment_id 和 judge_id",
    "no research group named {}": "没有名为 {0} 的教研组",
    "no {} named {}": "没有名为 {1} 的{0}",
    "no such subject in the group {}": "分组 {0} 中没有这个被评对象",
    "a position is given twice": "同一顺序号出现了两次",
    "assessment_id is required": "须提供 assessment_id",
}

# Words that arrive as parameters (status, kinds, what was looked for).
WORDS: dict[str, str] = {
    "draft": "草稿", "open": "进行中", "closed": "已结束", "finalised": "已定稿",
    "published": "已公示", "applied": "已申请", "reviewed": "已审核", "returned": "已退回",
    "confirmed": "已确认", "held": "已开展", "summarised": "已总结", "cancelled": "已取消",
    "active": "启用", "suspended": "暂停",
    "assessment": "考核", "activity": "活动", "community": "共同体", "evidence": "佐证材料",
    "rubric": "评分细则", "school": "学校", "unit": "单位", "user": "用户",
    "research_group": "教研组", "prep_group": "备课组", "studio": "工作坊",
    "admin": "管理员", "judge": "评委", "auditor": "审计员", "reporter": "填报员",
    "operator": "运营方",
}
