"""Each register declared once: fields (Chinese and English names, the header spellings that name them,
type, required), the sub-types it holds, and the roles its fields play in the one `registers` table
(number, name, holder, start and end dates, amount, status, level, year, region).

Types: `text`; `date` (any common spelling, Excel serial numbers, `2016-10-27T00:00:00+08:00`); `year`
(`2008年`, `2006.0`); `money` in 万元 (a value may carry its own unit: `28000元`, `1.2亿元`, and a header
that says 元 or 亿元 is converted); `int`; `adcode` (6-digit statistical division code); `list` (several
values separated by ; or 、).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One field of a register: its name, titles, header spellings and type."""

    name: str
    zh: str
    en: str
    type: str = "text"
    headers: tuple[str, ...] = ()  # other spellings of the header (the Chinese title is always one)
    required: bool = False
    choices: tuple[str, ...] = ()  # the template offers these (data validation); other values are kept
    hint: str = ""  # shown in the template's note row

    def spellings(self) -> tuple[str, ...]:
        """Every header that names this field."""
        return (self.zh, *self.headers)


@dataclass(frozen=True)
class Register:
    """One register: its fields, sub-types and the role of its fields."""

    name: str
    title_zh: str
    title_en: str
    fields: tuple[Field, ...]
    subtypes: dict[str, tuple[str, str]]  # code -> (zh, en)
    roles: dict[str, str]  # role (number, name, holder, date, end, amount, status, level, year, ...) -> field
    signatures: tuple[tuple[str, ...], ...]  # a table with the headers of all fields of one is this register
    region_fields: dict[str, str] = field(default_factory=dict)  # adcode | address | province | city | county
    facets: tuple[str, ...] = ()  # fields the list page offers as facets (besides sub-type, region, year)
    description_zh: str = ""
    description_en: str = ""
    private: tuple[str, ...] = ()  # fields shown to analysts only (a demand's contact)

    def field(self, name: str) -> Field:
        """The field of this name."""
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def F(name: str, zh: str, en: str, type: str = "text", *headers: str, required: bool = False,
      choices: tuple[str, ...] = (), hint: str = "") -> Field:  # fmt: skip
    """A field, briefly."""
    return Field(name, zh, en, type, headers, required, choices, hint)


_PLACE = (
    F("province", "省份", "Province", "text", "省", "省份名称", "所在省份", "province"),
    F("city", "市", "City", "text", "地市", "所在城市", "city", "市州"),
    F("county", "区县", "County", "text", "县区", "行政区间", "地市县区名称", "所在区县", "area", "所在地域"),
    F("adcode", "行政区划代码", "Division code", "adcode", "区划代码", "所在地区划代码", "adcode",
      hint="6位统计用区划代码, 如 511922"),
)  # fmt: skip
_PLACE_ROLES = {"province": "province", "city": "city", "county": "county", "adcode": "adcode"}
_SOURCE = (
    F("source", "来源", "Source", "text", "source_name", "数据来源", "公告来源", "发布来源"),
    F("url", "来源网址", "Source address", "text", "source_url", "网址", "链接"),
)

GI = Register(
    "gi", "地理标志", "Geographical indications",
    fields=(
        F("name", "产品名称", "Product", "text", "地理标志名称", "名称", "name", required=True),
        F("gi_type", "地理标志类型", "GI type", "text", "类型", "gi_type", "标志类型",
          choices=("地理标志保护产品", "农产品地理标志", "地理标志商标")),
        F("number", "批准公告号", "Approval announcement", "text", "批准公告(简称)", "产品编号", "登记证书编号",
          "证书编号", "cert_or_spec_no", "质量控制技术规范编号", "登记编号",
          hint="地理标志保护产品: 批准公告号 (如 2003年第86号); 农产品地理标志: 登记证书编号 AGI00054"),
        F("announcement", "批准公告", "Approval announcement (full)", "text", "批准公告(全称)"),
        F("date", "批准公告日", "Approval date", "date", "批准日期", "登记日期", "公告日期", "批准公告日期"),
        F("year", "批准年度", "Year approved", "year", "登记年份", "年份", "年度"),
        F("holder", "申请机构", "Applicant / holder", "text", "证书持有者", "证书持有人", "保护申请人",
          "holder_or_applicant", "申请人", "申请人全称", "登记证书持有人"),
        F("category", "产品类别", "Category", "text", "类别", "产品一级类别", "所属行业"),
        F("subcategory", "产品二级分类", "Sub-category", "text"),
        F("scope", "保护范围", "Protected area", "text", "地域范围", "产地"),
        F("standard", "标准号", "Standard", "text", "技术规范"),
        F("authority", "批准机构", "Approving authority", "text", "受理机构", "初审机构"),
        F("users", "核准企业数量", "Authorised users", "int", "用标企业数量", "专用标志使用企业数"),
        F("output", "年产值(万元)", "Annual output (10k yuan)", "money", "产值(万元)", "年产值"),
        F("sales", "年销售额(万元)", "Annual sales (10k yuan)", "money", "销售额(万元)", "年销售额"),
        F("status", "状态", "Status", "text", "保护状态", choices=("有效", "撤销", "注销")),
        *_PLACE, *_SOURCE,
    ),
    subtypes={"product": ("地理标志保护产品", "GI protected product"),
              "agri": ("农产品地理标志", "Agricultural GI"),
              "mark": ("地理标志商标", "GI trademark")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "date", "year": "year",
           "status": "status", "amount": "sales", **_PLACE_ROLES},
    signatures=(("name", "number"), ("name", "gi_type")),
    region_fields=_PLACE_ROLES,
    facets=("category",),
    description_zh="地理标志保护产品(批准公告)、农产品地理标志(登记证书)和清单中的地理标志商标"
                   "(注册号, 库中有该商标时链接到商标); 商标库中的集体商标、证明商标由 gi_trademarks 统计。",
    description_en="GI protected products (approval announcements), agricultural GIs (certificates) and GI trademarks "
                   "on the list (registration number, linked to the mark when the warehouse holds it); the "
                   "collective and certification marks of the trademark register count in gi_trademarks.",
)  # fmt: skip

GI_USER = Register(
    "gi_user", "地理标志用标企业", "Authorised users of GIs",
    fields=(
        F("holder", "企业名称", "Enterprise", "text", "使用人名称", "用标企业", required=True),
        F("name", "产品名称", "GI product", "text", "地理标志名称", "商标名称", required=True),
        F("mark_number", "商标注册号", "GI mark number", "text", "注册号"),
        F("credit_code", "统一社会信用代码", "Credit code", "text", "信用代码"),
        F("number", "核准公告号", "Approval announcement", "text", "核准公告号(简称)", "批准公告号"),
        F("date", "核准公告日", "Approval date", "date", "核准日期", "核准年度", "公告日期"),
        F("year", "年度", "Year", "year", "年份", "统计年度"),
        F("representative", "法人代表", "Legal representative", "text", "企业法人代表"),
        F("address", "企业地址", "Address", "text", "地址", "申请人地址"),
        F("output", "年产值(万元)", "Annual output (10k yuan)", "money", "产值(万元)", "年产值"),
        F("sales", "年销售额(万元)", "Annual sales (10k yuan)", "money", "销售额(万元)", "年销售额"),
        F("status", "状态", "Status", "text", "商标有效性", "是否变更", choices=("有效", "注销")),
        *_PLACE,
    ),
    subtypes={"product": ("地理标志产品专用标志", "GI product mark"), "mark": ("地理标志商标", "GI trademark")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "date", "year": "year",
           "amount": "sales", "status": "status", "address": "address", **_PLACE_ROLES},
    signatures=(("holder", "name", "number"), ("holder", "name", "mark_number"), ("holder", "name", "sales")),
    region_fields={"address": "address", **_PLACE_ROLES},
    description_zh="经核准使用地理标志专用标志或地理标志商标的企业; 给出年产值、销售额时计入地理标志产品销售额。",
    description_en="Enterprises authorised to use a GI's special mark or a GI trademark; where annual output and "
                   "sales are given they make the GI sales figure.",
)  # fmt: skip

COPYRIGHT = Register(
    "copyright", "版权登记", "Copyright registrations",
    fields=(
        F("number", "登记号", "Registration number", "text", "RegisterNo", "登记证号", required=True,
          hint="软件: 2016SR309930; 作品: 国作登字-2016-F-00269796"),
        F("name", "名称", "Title", "text", "Name", "软件全称", "作品名称", "软件名称", required=True),
        F("short_name", "软件简称", "Short name", "text", "ShortName", "简称"),
        F("version", "版本号", "Version", "text", "VersionNo", "版本"),
        F("category", "作品类别", "Type of work", "text", "Category", "分类号", "类别",
          choices=("文字", "美术", "音乐", "摄影", "影视", "计算机软件", "工程设计图", "其他")),
        F("holder", "著作权人", "Owner", "text", "Owner", "权利人", "著作权人(国籍)", required=True),
        F("author", "作者", "Author", "text", "Author"),
        F("date", "登记日期", "Registration date", "date", "RegisterDate", "RegisterAperDate", "登记日",
          required=True),
        F("finished", "创作完成日期", "Completed", "date", "FinishDate", "开发完成日期"),
        F("published", "首次发表日期", "First publication", "date", "PublishDate"),
        F("address", "地址", "Address", "text", "著作权人地址"),
        F("kind", "登记类型", "Registration type", "text", "类型", choices=("计算机软件", "作品")),
        *_PLACE,
    ),
    subtypes={"software": ("计算机软件著作权", "Software"), "work": ("作品著作权", "Works")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "date", "address": "address",
           **_PLACE_ROLES},
    signatures=(("number", "name", "holder", "date"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("category",),
    description_zh="计算机软件著作权登记(登记号 …SR…)和作品登记(国作登字、各省作登字)。",
    description_en="Software copyright registrations (numbers …SR…) and registrations of works (国作登字 ...).",
)  # fmt: skip

PLANT_VARIETY = Register(
    "plant_variety", "植物新品种权", "Plant variety rights",
    fields=(
        F("number", "品种权号", "Right number", "text", "授权号", "品种权证书号", hint="如 CNA20170123.4"),
        F("application", "申请号", "Application number", "text", "品种申请号", required=True),
        F("name", "品种名称", "Variety", "text", "品种暂定名称", required=True),
        F("crop", "属或者种", "Genus / species", "text", "作物", "作物种类", "属种"),
        F("holder", "品种权人", "Holder", "text", "申请人", "品种权人名称", required=True),
        F("breeder", "培育人", "Breeder", "text", "育种者"),
        F("filing_date", "申请日", "Filing date", "date", "申请日期"),
        F("date", "授权日", "Grant date", "date", "授权公告日", "授权日期"),
        F("announcement", "授权公告号", "Grant announcement", "text"),
        F("sector", "主管部门", "Authority", "text", "审批机关", choices=("农业农村部", "国家林业和草原局")),
        F("status", "状态", "Status", "text", "法律状态", "品种权状态", choices=("有效", "终止", "无效", "申请中")),
        F("end", "终止日", "Ended", "date", "终止日期", "失效日期"),
        F("address", "品种权人地址", "Address", "text", "地址", "申请人地址"),
        *_PLACE,
    ),
    subtypes={"agriculture": ("农业植物新品种", "Agricultural"), "forestry": ("林草植物新品种", "Forestry")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "date", "end": "end",
           "status": "status", "address": "address", **_PLACE_ROLES},
    signatures=(("application", "name", "crop"), ("number", "name", "crop")),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("crop",),
    description_zh="农业农村部、国家林草局授予的植物新品种权(品种权号 CNA…)。",
    description_en="Plant variety rights granted by the agriculture or forestry administration (numbers CNA…).",
)  # fmt: skip

TRANSACTION = Register(
    "ip_transaction", "转让/许可/质押登记", "Transfers, licences and pledges",
    fields=(
        F("kind", "事务类型", "Transaction", "text", "登记类型", "业务类型", "事务数据类型", required=True,
          choices=("专利权转让", "专利申请权转让", "专利实施许可合同备案", "开放许可", "专利权质押登记",
                   "商标转让", "商标使用许可备案", "商标专用权质押登记", "质押登记注销", "许可合同备案注销"),
          hint="CNIPA 事务数据原文亦可, 如: 专利权质押合同登记的生效"),
        F("ip_type", "知识产权类型", "IP type", "text", "权利类型", "质押物类型",
          choices=("专利", "商标", "专利+商标", "著作权", "混合")),
        F("numbers", "专利号/商标号", "Patent or mark numbers", "list", "申请号", "专利号", "专利申请号",
          "商标注册号", "申请号/专利号", "权利号", hint="多个以 ; 分隔"),
        F("number", "登记号", "Registration number", "text", "合同备案号", "备案号", "质押登记号",
          "合同登记号", hint="质押: Y2022980012345; 许可备案: X2022980001234"),
        F("from_party", "出让方", "From", "text", "出质人", "让与人", "许可人", "转让人", "变更前权利人",
          "原权利人", required=True),
        F("to_party", "受让方", "To", "text", "质权人", "受让人", "被许可人", "变更后权利人", "新权利人"),
        F("date", "生效日", "Effective date", "date", "登记日", "登记生效日", "登记日期", "备案日期",
          "生效日期", "事务生效日", "质押登记日", required=True),
        F("end", "解除日", "Released", "date", "注销日", "解除日期", "质押解除日", "合同终止日", "许可期限至"),
        F("amount", "金额(万元)", "Amount (10k yuan)", "money", "质押金额(万元)", "担保金额(万元)",
          "融资金额(万元)", "合同金额(万元)", "许可费(万元)", "转让费(万元)", "金额"),
        F("licence_type", "许可类型", "Licence type", "text", "许可种类", choices=("独占", "排他", "普通", "开放许可")),
        F("title", "发明名称", "Title", "text", "专利名称", "名称"),
        F("address", "出让方地址", "Address of the from party", "text", "出质人地址", "许可人地址", "地址"),
        *_PLACE,
    ),
    subtypes={"transfer": ("转让", "Transfer"), "licence": ("许可", "Licence"), "pledge": ("质押", "Pledge"),
              "other": ("其他", "Other")},
    roles={"number": "number", "name": "title", "holder": "from_party", "date": "date", "end": "end",
           "amount": "amount", "address": "address", **_PLACE_ROLES},
    signatures=(("kind", "from_party", "date"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("ip_type", "licence_type"),
    description_zh="专利和商标的转让、许可合同备案(含开放许可)、质押登记; 读入 CNIPA 事务数据和登记清单。"
                   "地区按出让方/许可人/出质人确定。",
    description_en="Transfers, licence contract filings (open licences included) and pledge registrations of patents "
                   "and marks, from CNIPA's transaction data and registration lists; the region is the transferor's, "
                   "licensor's or pledgor's.",
)  # fmt: skip

CASE = Register(
    "case", "案件", "Enforcement and protection cases",
    fields=(
        F("number", "案号", "Case number", "text", "案件编号", "caseno", "立案号", "文书号", required=True),
        F("name", "案件名称", "Case", "text", "案由", "title", "标题"),
        F("kind", "案件类型", "Case type", "text", "案件类别", "类型", required=True,
          choices=("专利侵权纠纷", "假冒专利", "商标侵权", "地理标志侵权", "版权侵权", "非正常专利申请",
                   "专利代理违法", "商标代理违法", "其他知识产权违法", "维权援助", "纠纷调解")),
        F("procedure", "程序", "Procedure", "text", "案件性质", choices=("行政", "司法", "维权援助", "调解")),
        F("holder", "当事人", "Party", "text", "被请求人", "被处罚人", "被告", "当事人名称"),
        F("claimant", "请求人", "Claimant", "text", "原告", "权利人", "投诉人"),
        F("agency", "办案单位", "Handled by", "text", "agency", "执法机关", "承办单位", "法院"),
        F("filed", "立案日期", "Filed", "date", "立案日", "受理日期", required=True),
        F("date", "结案日期", "Closed", "date", "结案日", "办结日期", "决定日期", "date"),
        F("limit_days", "办案期限(天)", "Time limit (days)", "int", "法定期限(天)", "期限(天)",
          hint="空: 按案件类型的规定期限 (docs/registers.md)"),
        F("extension_days", "延长期限(天)", "Extension (days)", "int", "延期(天)", "批准延长(天)"),
        F("result", "处理结果", "Result", "text", "结案方式", "裁决结果", "kind"),
        F("penalty", "罚没金额(万元)", "Fine (10k yuan)", "money", "罚款金额(万元)", "罚款", "fines", "罚没款"),
        F("address", "当事人地址", "Address", "text", "地址"),
        *_PLACE, *_SOURCE,
    ),
    subtypes={"administrative": ("行政执法", "Administrative"), "judicial": ("司法", "Judicial"),
              "assistance": ("维权援助", "Assistance"), "mediation": ("纠纷调解", "Mediation")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "filed", "end": "date",
           "amount": "penalty", "address": "address", **_PLACE_ROLES},
    signatures=(("number", "kind", "filed"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("kind",),
    description_zh="行政执法、司法、维权援助和调解案件; 按期结案以立案日起的规定期限(含批准延长)判断。",
    description_en="Administrative, judicial, assistance and mediation cases; on time means closed within the "
                   "time limit from filing (approved extensions included).",
)  # fmt: skip

CREDIT = Register(
    "credit", "信用名单", "Credit lists",
    fields=(
        F("list", "名单类型", "List", "text", "名单", "列入类型", required=True,
          choices=("非正常专利申请", "恶意商标注册", "严重违法失信", "专利代理失信", "商标代理失信")),
        F("holder", "主体名称", "Name", "text", "当事人名称", "申请人名称", required=True),
        F("credit_code", "统一社会信用代码", "Credit code", "text", "信用代码"),
        F("date", "列入日期", "Listed", "date", "列入名单日期", "列入时间", required=True),
        F("end", "移出日期", "Removed", "date", "移出名单日期", "信用修复日期"),
        F("authority", "列入机关", "Listed by", "text", "认定机关", "作出决定机关"),
        F("reason", "列入事由", "Reason", "text", "事由", "违法事实"),
        F("number", "决定书文号", "Decision number", "text", "文号"),
        F("address", "地址", "Address", "text", "住所"),
        *_PLACE,
    ),
    subtypes={"abnormal_patent": ("非正常专利申请", "Abnormal patent filing"),
              "bad_faith_mark": ("恶意商标注册", "Bad-faith trademark filing"),
              "dishonest": ("严重违法失信", "Serious dishonesty"), "agency": ("代理机构失信", "Agency dishonesty")},
    roles={"number": "number", "name": "list", "holder": "holder", "date": "date", "end": "end",
           "address": "address", **_PLACE_ROLES},
    signatures=(("list", "holder", "date"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    description_zh="非正常专利申请、恶意商标注册和失信名单; 记录页列出该主体在库中的专利和商标。",
    description_en="Abnormal patent filing, bad-faith trademark and dishonesty lists; the record page lists the "
                   "party's patents and marks in the warehouse.",
)  # fmt: skip

LISTING = Register(
    "listing", "认定名单", "Named lists",
    fields=(
        F("list", "名单类型", "List", "text", "名单", "名单名称", "认定类型", "类别", required=True,
          choices=("知识产权示范企业", "知识产权优势企业", "知识产权试点企业", "贯标认证企业", "版权示范单位",
                   "版权示范园区(基地)", "专利代理机构", "商标代理机构", "知识产权运营服务机构",
                   "知识产权服务机构", "商标受理窗口", "商标品牌指导站", "知识产权保护规范化市场",
                   "正版正货示范街区")),
        F("holder", "单位名称", "Organisation", "text", "企业名称", "机构名称", "名称", required=True),
        F("level", "级别", "Level", "text", "层级", "认定级别", choices=("国家级", "省级", "市级", "县级")),
        F("year", "年度", "Year", "year", "认定年度", "批次年度", "年份", required=True),
        F("date", "认定日期", "Recognised", "date", "发布日期", "设立日期", "备案日期"),
        F("end", "撤销日期", "Revoked", "date", "注销日期", "有效期至", "移出日期"),
        F("authority", "认定机关", "Recognised by", "text", "发布单位", "主管部门"),
        F("number", "文号", "Document", "text", "来源文件", "批次", "证书编号", "机构代码"),
        F("credit_code", "统一社会信用代码", "Credit code", "text", "信用代码"),
        F("address", "地址", "Address", "text", "所在地", "单位地址", "办公地址"),
        *_PLACE,
    ),
    subtypes={
        "model_enterprise": ("知识产权示范企业", "IP model enterprises"),
        "advantage_enterprise": ("知识产权优势企业", "IP advantage enterprises"),
        "pilot_enterprise": ("知识产权试点企业", "IP pilot enterprises"),
        "standard_certified": ("贯标认证企业", "GB/T 29490 certified"),
        "copyright_unit": ("版权示范单位", "Copyright model units"),
        "copyright_park": ("版权示范园区(基地)", "Copyright model parks"),
        "patent_agency": ("专利代理机构", "Patent agencies"),
        "trademark_agency": ("商标代理机构", "Trademark agencies"),
        "operation_agency": ("知识产权运营服务机构", "IP operation agencies"),
        "service_agency": ("其他知识产权服务机构", "Other IP service agencies"),
        "tm_window": ("商标受理窗口", "Trademark filing windows"),
        "tm_station": ("商标品牌指导站", "Trademark brand guidance stations"),
        "model_market": ("知识产权保护规范化市场", "IP-protection model markets"),
        "genuine_street": ("正版正货示范街区", "Genuine-goods model streets"),
    },
    roles={"number": "number", "name": "list", "holder": "holder", "date": "date", "end": "end", "level": "level",
           "year": "year", "address": "address", **_PLACE_ROLES},
    signatures=(("list", "holder", "year"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("level",),
    description_zh="示范/优势/试点企业、贯标企业、版权示范单位和园区、代理与运营服务机构、商标受理窗口和品牌指导站、"
                   "规范化市场; 每条带级别、年度和来源。服务机构按名称与库中专利、商标的代理机构关联。",
    description_en="Model, advantage and pilot enterprises, certified enterprises, copyright model units and parks, "
                   "agencies, trademark windows and guidance stations, model markets; each with level, year and "
                   "source. Agencies are linked by name to the agents of patents and marks in the warehouse.",
)  # fmt: skip

TECH_CONTRACT = Register(
    "tech_contract", "技术合同登记", "Technology contracts",
    fields=(
        F("number", "合同登记号", "Registration number", "text", "登记编号", "合同编号", required=True),
        F("name", "项目名称", "Project", "text", "合同名称", required=True),
        F("kind", "合同类型", "Contract type", "text", "技术合同类型", "合同类别",
          choices=("技术开发", "技术转让", "技术许可", "技术咨询", "技术服务")),
        F("holder", "卖方", "Seller", "text", "让与方", "受托方", "卖方名称", required=True),
        F("buyer", "买方", "Buyer", "text", "受让方", "委托方", "买方名称"),
        F("amount", "成交金额(万元)", "Contract amount (10k yuan)", "money", "合同成交额(万元)", "合同金额(万元)",
          "成交额(万元)", required=True),
        F("tech_amount", "技术交易额(万元)", "Technology value (10k yuan)", "money", "技术交易金额(万元)"),
        F("date", "登记日期", "Registered", "date", "认定登记日期", "登记日", required=True),
        F("address", "卖方地址", "Seller address", "text", "地址"),
        *_PLACE,
    ),
    subtypes={"development": ("技术开发", "Development"), "transfer": ("技术转让", "Transfer"),
              "licence": ("技术许可", "Licence"), "consulting": ("技术咨询", "Consulting"),
              "service": ("技术服务", "Service")},
    roles={"number": "number", "name": "name", "holder": "holder", "date": "date", "amount": "amount",
           "address": "address", **_PLACE_ROLES},
    signatures=(("number", "holder", "amount"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    description_zh="技术合同认定登记; 成交额按卖方(技术输出方)所在地区统计。",
    description_en="Registered technology contracts; turnover counts for the seller's (technology exporter's) region.",
)  # fmt: skip

_COOPERATION = ("技术转让", "专利许可", "合作开发", "委托开发", "技术入股", "技术服务", "开放许可")
_CONTACT = (
    F("contact", "联系人", "Contact", "text", "联系人姓名", "对接人"),
    F("phone", "联系电话", "Phone", "text", "电话", "联系方式", "手机", "邮箱", "email"),
)  # fmt: skip
_MATCH_TEXT = (
    F("field", "技术领域", "Technology field", "text", "所属领域", "行业领域", "所属行业", "应用领域", "产业领域"),
    F("ipc", "IPC分类", "IPC", "list", "IPC", "IPC分类号", "国际专利分类", hint="如 H01M; G06F16"),
    F("keywords", "关键词", "Keywords", "list", "关键字"),
)  # fmt: skip

TECH_DEMAND = Register(
    "tech_demand", "企业技术需求", "Technology demands",
    fields=(
        F("number", "需求编号", "Demand number", "text", "编号", "需求号"),
        F("title", "需求名称", "Demand", "text", "需求标题", "技术需求名称", "技术需求", "需求项目名称", required=True),
        F("description", "需求描述", "Description", "text", "需求内容", "需求详情", "技术需求描述", "需求简介",
          "主要技术指标", "需解决的技术问题", required=True, hint="要解决的问题、技术指标、现有条件"),
        *_MATCH_TEXT,
        F("holder", "需求单位", "Enterprise", "text", "需求企业", "需求方", "企业名称", "需求单位名称"),
        F("budget", "预算(万元)", "Budget (10k yuan)", "money", "拟投入资金(万元)", "意向金额(万元)", "投入预算(万元)",
          "预算金额(万元)"),
        F("cooperation", "合作方式", "Cooperation", "list", "拟合作方式", "对接方式", choices=_COOPERATION),
        F("date", "发布日期", "Published", "date", "发布时间", "征集日期", "登记日期"),
        F("deadline", "截止日期", "Deadline", "date", "有效期至", "需求截止日期", "截止时间"),
        F("status", "状态", "Status", "text", "需求状态", choices=("征集中", "已对接", "已解决", "已关闭")),
        *_CONTACT,
        F("address", "单位地址", "Address", "text", "地址", "企业地址"),
        *_PLACE, *_SOURCE,
    ),
    subtypes={c: (zh, en) for c, zh, en in (
        ("transfer", "技术转让", "Transfer"), ("licence", "专利许可", "Licence"),
        ("joint", "合作开发", "Joint development"), ("commissioned", "委托开发", "Commissioned development"),
        ("equity", "技术入股", "Equity"), ("service", "技术服务", "Service"), ("open", "开放许可", "Open licence"),
        ("any", "不限", "Any"))},
    roles={"number": "number", "name": "title", "holder": "holder", "date": "date", "end": "deadline",
           "amount": "budget", "status": "status", "address": "address", **_PLACE_ROLES},
    signatures=(("title", "description"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("field",),
    description_zh="企业技术需求 (技术供需对接): 分析人员录入、导入或由平台征集; 与专利和成果供给双向匹配。"
    "联系方式仅分析人员可见。",
    description_en="Enterprises' technology needs, matched both ways with patents and offers; contacts shown to "
    "analysts only.",
    private=("contact", "phone"),
)  # fmt: skip

TECH_OFFER = Register(
    "tech_offer", "技术成果供给", "Technology offers",
    fields=(
        F("number", "成果编号", "Offer number", "text", "编号"),
        F("title", "成果名称", "Offer", "text", "技术成果名称", "科技成果名称", "成果标题", required=True),
        F("description", "成果简介", "Description", "text", "成果介绍", "技术简介", "成果描述", "技术说明",
          required=True),
        *_MATCH_TEXT,
        F("holder", "持有单位", "Holder", "text", "成果持有方", "成果持有单位", "成果完成单位", "完成单位", "供给方",
          required=True),
        F("numbers", "专利号", "Patents", "list", "相关专利", "专利申请号", "关联专利",
          hint="多个以;分隔"),
        F("cooperation", "转化方式", "Terms", "list", "合作方式", "交易方式", choices=_COOPERATION),
        F("amount", "意向价格(万元)", "Asking price (10k yuan)", "money", "转让价格(万元)", "许可费(万元)",
          "价格(万元)"),
        F("date", "发布日期", "Published", "date", "发布时间", "登记日期"),
        F("stage", "成熟度", "Maturity", "text", "成果阶段", "技术成熟度",
          choices=("实验室", "小试", "中试", "产业化")),
        *_CONTACT,
        F("address", "单位地址", "Address", "text", "地址"),
        *_PLACE, *_SOURCE,
    ),
    subtypes=TECH_DEMAND.subtypes,
    roles={"number": "number", "name": "title", "holder": "holder", "date": "date", "amount": "amount",
           "address": "address", **_PLACE_ROLES},
    signatures=(("title", "description", "holder"),),
    region_fields={"address": "address", **_PLACE_ROLES},
    facets=("field", "stage"),
    description_zh="技术转移机构录入的可转化成果 (高校院所成果、开放许可); 与企业需求匹配。联系方式仅分析人员可见。",
    description_en="Offers entered by technology-transfer offices, matched with enterprises' demands.",
    private=("contact", "phone"),
)  # fmt: skip

REGISTERS: dict[str, Register] = {
    r.name: r for r in (GI, GI_USER, COPYRIGHT, PLANT_VARIETY, TRANSACTION, CASE, CREDIT, LISTING, TECH_CONTRACT,
                        TECH_DEMAND, TECH_OFFER)
}  # fmt: skip
