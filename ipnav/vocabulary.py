"""The model's code values as users read them, in Chinese or English: legal status, patent type, party
role, entity type, citation type, the columns of the analyses' tables and more. The web pages, the CLI
and the reports all name codes through here, so a code never reaches a user as it is stored."""

from __future__ import annotations

# the model's code values as users read them (the search page's hits and facets, patent pages)
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "valid": ("有效", "in force"),
        "pending": ("审中", "pending"),
        "lapsed": ("失效", "lapsed"),
        "unknown": ("法律状态未知", "status unknown"),
    },
    "type": {
        "invention": ("发明", "invention"),
        "utility_model": ("实用新型", "utility model"),
        "design": ("外观设计", "design"),
        "plant": ("植物专利", "plant patent"),
        "reissue": ("再颁专利", "reissue"),
        "other": ("类型未标注", "type not given"),
    },
    "role": {
        "applicant": ("申请人", "applicant"),
        "assignee": ("专利权人", "assignee"),
        "inventor": ("发明人", "inventor"),
        "agent": ("代理人", "agent"),
        "agency": ("代理机构", "agency"),
        "examiner": ("审查员", "examiner"),
    },
    "column": {  # the columns of the analyses' tables
        "address": ("本记录地址", "own address"),
        "app_number": ("申请号", "application number"),
        "applicant_history": ("同一申请人其他记录", "applicant's other records"),
        "applicant_name": ("名称中的地名", "place in the name"),
        "applicant_province": ("省份", "province"),
        "applicant_city": ("城市", "city"),
        "applicant_county": ("区县", "county"),
        "applicant_adcode": ("区划代码", "division code"),
        "applicants": ("申请人数", "applicants"),
        "applications": ("申请量", "applications"),
        "band": ("分值段", "score band"),
        "marks": ("商标数", "marks"),
        "registrations": ("注册", "registrations"),
        "class_no": ("类别", "class"),
        "group": ("类似群", "similar group"),
        "name": ("名称", "name"),
        "name_zh": ("类别名称", "class (Chinese)"),
        "name_en": ("类别名称(英文)", "class"),
        "mark_type": ("商标类型", "mark type"),
        "kind": ("商标种类", "kind"),
        "office": ("受理局", "office"),
        "province": ("省份", "province"),
        "category_code": ("产业代码", "industry code"),
        "category_name": ("产业", "industry"),
        "citations": ("被引次数", "citations"),
        "cited": ("被引申请人", "cited applicant"),
        "cited_app": ("被引专利", "cited patent"),
        "citing": ("施引申请人", "citing applicant"),
        "code": ("分类号", "code"),
        "country": ("国家/地区", "country"),
        "cr4": ("CR4", "CR4"),
        "cr8": ("CR8", "CR8"),
        "entity": ("申请人", "applicant"),
        "field": ("技术领域", "field"),
        "field_no": ("领域号", "field no."),
        "filing_year": ("申请年", "filing year"),
        "filings": ("申请", "filings"),
        "first_applicant": ("第一申请人", "first applicant"),
        "grants": ("授权", "grants"),
        "hhi": ("HHI", "HHI"),
        "horizon": ("数据截至", "data until"),
        "incomplete": ("数据不完整", "incomplete"),
        "inventor": ("发明人", "inventor"),
        "legal_status": ("法律状态", "legal status"),
        "legal_status_reason": ("原因", "reason"),
        "mean_score": ("平均分", "mean score"),
        "measure": ("指标", "measure"),
        "measure_zh": ("指标", "measure"),
        "new_entrants": ("新进入者", "new entrants"),
        "patent_type": ("专利类型", "patent type"),
        "publications": ("公开", "publications"),
        "sector": ("部门", "sector"),
        "sei_code": ("产业代码", "SEI code"),
        "sei_name": ("战略性新兴产业", "strategic emerging industry"),
        "share": ("占比", "share"),
        "source": ("节点甲", "source"),
        "source_type": ("节点甲类型", "source type"),
        "target_type": ("节点乙类型", "target type"),
        "spellings": ("名称写法数", "spellings"),
        "target": ("节点乙", "target"),
        "term": ("技术词", "term"),
        "title": ("名称", "title"),
        "title_en": ("英文名称", "English title"),
        "title_zh": ("中文名称", "Chinese title"),
        "type": ("类型", "type"),
        "type_zh": ("类型", "type"),
        "university_enterprise": ("产学研合作", "university-enterprise"),
        "user_table": ("用户对照表", "user table"),
        "weight": ("合作次数", "joint applications"),
        "year": ("年份", "year"),
    },
    "citation": {
        "examiner": ("审查员引用", "cited by examiner"),
        "applicant": ("申请人引用", "cited by applicant"),
        "other": ("其他引用", "cited by others"),
        "third_party": ("第三方引用", "cited by a third party"),
        "search_report": ("检索报告引用", "search report"),
    },
    "reason": {  # why a patent does not count as an in-force invention patent on the day (ipnav.value.flags)
        "not_invention": ("非发明专利", "not an invention patent"),
        "not_granted": ("未授权", "not granted"),
        "granted_later": ("统计日后授权", "granted after the day"),
        "expired": ("保护期届满", "term expired"),
        "lapsed": ("已失效", "lapsed"),
        "lapsed_undated": ("已失效(无失效日期)", "lapsed (no date)"),
        "status_unknown": ("法律状态未知", "status unknown"),
    },
    "status_reason": {  # what the source said about the legal status (ipnav.normalize)
        "published": ("公开", "published"),
        "examination": ("实质审查", "under examination"),
        "granted": ("授权", "granted"),
        "rejected": ("驳回", "rejected"),
        "withdrawn": ("撤回", "withdrawn"),
        "invalidated": ("宣告无效", "invalidated"),
        "partially_invalidated": ("部分无效", "partially invalidated"),
        "fee_unpaid": ("未缴年费终止", "fees unpaid"),
        "abandoned": ("放弃", "abandoned"),
        "lapsed": ("失效", "lapsed"),
        "pending": ("审中", "pending"),
        "valid": ("有效", "in force"),
        "terminated": ("终止", "terminated"),
        "expired": ("期限届满", "term expired"),
        "transferred": ("权利转移", "rights transferred"),
        "owner_changed": ("专利权人变更", "owner changed"),
    },
    "run": {
        "running": ("进行中", "running"),
        "finished": ("完成", "finished"),
        "done": ("完成", "finished"),
        "failed": ("失败", "failed"),
        "interrupted": ("中断", "interrupted"),
    },
    "audit": {
        "login": ("登录", "log in"),
        "logout": ("退出", "log out"),
        "login.failed": ("登录失败", "failed log-in"),
        "login.throttled": ("登录受限(失败过多)", "log-in held back (too many failures)"),
        "login.disabled": ("停用账户尝试登录", "log-in to a disabled account"),
        "ingest.failed": ("数据导入失败", "ingest failed"),
        "plan.import": ("导入规划", "plan imported"),
        "user.add": ("新增用户", "user added"),
        "user.passwd": ("重设密码", "password reset"),
        "user.role": ("修改角色", "role changed"),
        "user.disable": ("停用用户", "user disabled"),
        "user.enable": ("启用用户", "user enabled"),
        "user.unlock": ("解除登录锁定", "log-in unlocked"),
        "topic.create": ("新建专题库", "topic created"),
        "topic.refresh": ("更新专题库", "topic refreshed"),
        "topic.add": ("专题库加入专利", "patents added to topic"),
        "topic.remove": ("专题库移出专利", "patents removed from topic"),
        "topic.note": ("专题库备注", "topic note"),
        "topic.delete": ("删除专题库", "topic deleted"),
        "ingest": ("数据导入", "ingest"),
        "plan.record": ("录入规划数据", "plan figure recorded"),
        "plan.task": ("更新规划任务", "plan task updated"),
    },
    "etype": {
        "enterprise": ("企业", "enterprise"),
        "university": ("高校", "university"),
        "institute": ("科研院所", "research institute"),
        "government": ("机关团体", "government"),
        "individual": ("个人", "individual"),
        "other": ("其他", "other"),
    },
    "risk_signal": {  # ipnav.trademarks.risk
        "volume": ("年申请量大", "many marks a year"),
        "burst": ("集中申请", "burst of filings"),
        "spread": ("跨类别广", "spread over classes"),
        "trading": ("注册后频繁转让", "traded after registration"),
        "ended": ("多被驳回或无效", "mostly refused or cancelled"),
        "copies": ("与他人在先商标近似", "copies of earlier marks"),
        "famous": ("与驰名商标近似", "resembles a well-known mark"),
        "person": ("自然人持有大量商标", "individual holding many marks"),
    },
    "tm_status": {  # ipnav.trademarks.model.STATUSES
        "filed": ("申请中", "filed"),
        "published": ("初审公告", "published for opposition"),
        "registered": ("已注册", "registered"),
        "expired": ("期满未续展", "expired"),
        "cancelled": ("已注销/撤销", "cancelled"),
        "invalidated": ("已宣告无效", "invalidated"),
        "refused": ("已驳回", "refused"),
        "withdrawn": ("已撤回/放弃", "withdrawn"),
        "opposed": ("异议中", "opposed"),
        "unknown": ("状态未知", "status unknown"),
    },
    "mark_type": {
        "word": ("文字", "word"),
        "figurative": ("图形", "figurative"),
        "combined": ("组合", "combined"),
        "3d": ("立体", "3D"),
        "colour": ("颜色", "colour"),
        "sound": ("声音", "sound"),
        "other": ("其他", "other"),
    },
    "mark_kind": {
        "ordinary": ("普通商标", "ordinary"),
        "collective": ("集体商标", "collective"),
        "certification": ("证明商标", "certification"),
        "special": ("特殊标志", "special"),
    },
}


def label(group: str, value: str, language: str) -> str:
    """A code value of the model (`valid`, `utility_model`, `applicant` ...) in the user's language; a value
    the tables do not know is shown as it is."""
    names = CODES.get(group, {}).get(value)
    if names is None:
        return value
    return names[1] if language == "en" else names[0]


_CELL_CODES = {  # column -> code group
    "type": "etype", "legal_status": "status", "patent_type": "type", "legal_status_reason": "status_reason",
    "source_type": "etype", "target_type": "etype", "mark_type": "mark_type", "kind": "mark_kind",
    "status": "tm_status",
}  # fmt: skip
CODED_COLUMNS = frozenset(_CELL_CODES)  # the columns whose cells are code values
_SHARES = ("share", "cr4", "cr8")


def cell(column: str, value: object, language: str) -> str:
    """One cell of an analysis table as users read it: shares as percentages, yes/no, code values as words."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return ("yes" if value else "no") if language == "en" else ("是" if value else "否")
    if column in _SHARES and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if column in _CELL_CODES:
        return label(_CELL_CODES[column], str(value), language)
    return str(value)
