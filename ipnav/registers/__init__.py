"""The other IP registers a regional office keeps or receives as spreadsheets: geographical indications
(地理标志) and their authorised users, copyright registrations (版权登记), plant variety rights
(植物新品种权), transfers, licences and pledges (转让/许可/质押登记), enforcement and protection cases
(执法/司法/维权援助/调解案件), credit lists (信用名单), named lists of organisations (示范企业, 服务机构,
商标受理窗口 ...) and technology contracts (技术合同登记).

Each register is declared once (`ipnav.registers.spec`): its fields with their Chinese and English names and
the header spellings that name them, its types, and which fields give the number, name, holder, dates,
amount and region. From that one declaration come the table layouts ingest recognises
(`ipnav.registers.formats`), the warehouse rows (`registers` table), the Excel template with validation
(`ipnav.registers.template`), the list, facet and record pages, and the indicators (`ipnav.kpi.registers`).
"""
