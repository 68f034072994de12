"""Applicant types of real names: each name below is an applicant or assignee of the bundled sample
(ipnav/sample), typed by hand. Company forms count in any language and where they stand (a trailing
`AB`, `S.p.A.`, `L.L.C.`, `Company`), but a person whose name merely contains `co` stays a person."""

from __future__ import annotations

import pytest

from ipnav.normalize.names import applicant_type, canonical_name, normalize_name

EXPECTED = {
    # enterprises: Chinese company forms, and foreign ones at the end of the name
    "北京钢铁侠科技有限公司": "enterprise",
    "纽力克斯治疗公司": "enterprise",
    "艾视雅健康科技(苏州)有限公司": "enterprise",
    "广东电网有限责任公司广州供电局": "enterprise",  # a company's branch, though it ends in 局
    "Acushnet Company": "enterprise",
    "The Boeing Company": "enterprise",
    "Hyundai Motor Company": "enterprise",
    "Altitude Angel Limited": "enterprise",
    "TATA MOTORS LIMITED": "enterprise",
    "Bernhardt L.L.C.": "enterprise",
    "Binda Italia S.R.L.": "enterprise",
    "CHIESI FARMACEUTICI S.P.A.": "enterprise",
    "Claber S.p.A.": "enterprise",
    "ATTANA AB": "enterprise",
    "Thule Sweden AB": "enterprise",
    "BIOCLUE BV": "enterprise",
    "LAVA THERAPEUTICS N.V.": "enterprise",
    "Chopard International SA": "enterprise",
    "Valois SAS": "enterprise",
    "Ergasta ApS": "enterprise",
    "FREUDENBERG CARL KG": "enterprise",
    "Henkel KGaA": "enterprise",
    "IQM FINLAND OY": "enterprise",
    "NANOFCM ASIA PTE.LTD.": "enterprise",
    "R. M. Industries": "enterprise",
    "10x Genomics, Inc.": "enterprise",
    "ALKALOID AD SKOPJE": "enterprise",  # AD (акционерско друштво), then the seat
    # other: hospitals, associations, schools below university level
    "青岛市市立医院": "other",
    "CHILDREN'S HOSPITAL MEDICAL CENTER": "other",
    "IMEC非营利协会": "other",
    "天津市宝坻区第十一中学": "other",
    # universities, institutes, government
    "深圳技术大学": "university",
    "Kyungpook National University Industry-Academic Cooperation Foundation": "university",
    "上海交通大学医学院附属仁济医院": "university",
    "中国科学院信息工程研究所": "institute",
    "季华实验室": "institute",
    "Shanghai Institute of Materia Medica, Chinese Academy of Sciences": "institute",
    "ACADEMIA SINICA": "institute",
    "Centre for Novostics": "institute",
    "Government of the United States of America, as represented by the Secretary of Commerce": "government",
    "庆云县农业农村局": "government",
    "东明县陆圈镇人民政府": "government",
    # people, including names that contain a company form's letters
    "张莉": "individual",
    "王晨旭": "individual",
    "Mark Gilson": "individual",
    "Justin S. Werner": "individual",
    "Yoshito Fujii": "individual",
    "Claudio Franco": "individual",
    "Francesco Marrocco": "individual",
    "Marco Lambri": "individual",
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_applicant_types_of_real_names(name: str, expected: str) -> None:
    assert applicant_type(name) == expected


def test_one_bracket_convention_for_both_spellings() -> None:
    # Chinese names take full-width brackets, others ASCII ones, in the stored and the analysis spelling
    assert normalize_name("艾视雅健康科技(苏州)有限公司") == "艾视雅健康科技（苏州）有限公司"
    assert canonical_name("艾视雅健康科技（苏州）有限公司") == "艾视雅健康科技（苏州）"
    assert normalize_name("Sony (Japan) Corp.") == "SONY (JAPAN) CORP"
    assert canonical_name("Sony（Japan）Corp.") == "SONY(JAPAN)"  # full-width brackets in a Latin name fold to ASCII
    assert canonical_name("华为技术有限公司") == canonical_name("华为技术股份有限公司") == "华为技术"
