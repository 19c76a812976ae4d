"""新人社规〔2025〕1号 新疆维吾尔自治区就业困难人员认定管理办法 (in force 2025-10-10, five years)."""

from datetime import date

from eligibility.policies import common
from eligibility.policies.base import Commitment, ExitReason, MaterialItem, Person, Policy, Procedure

policy = Policy(
    code="xinjiang-2025",
    document="新人社规〔2025〕1号",
    title="新疆维吾尔自治区就业困难人员认定管理办法",
    province="65",
    province_name="新疆维吾尔自治区",
    issuer="新疆维吾尔自治区人力资源和社会保障厅",  # 文件头
    issued_on=date(2025, 9, 5),  # 落款
    valid_from=date(2025, 10, 10),  # 第二十一条
    valid_until=date(2030, 10, 9),  # 第二十一条: 有效期五年
    version="1",
    approval_form_title="新疆维吾尔自治区就业困难人员申请认定审批表",  # 附件2; 第九条至第十一条
    approval_form_short="审批表",  # 第九条: 《就业困难人员申请认定审批表》
    notice_heading="新疆维吾尔自治区就业困难人员初审公示",  # 附件3 (模板)
    notice_list_heading="就业困难人员初审公示名单",  # 附件3
    facts=(
        "id_number",
        "female_original_retirement_age",
        "local_resident",
        "urban",
        "able_to_work",
        "willing_to_work",
        "unemployment_registered_on",
        "receiving_dibao",
        "disability_certified",
        "land_fully_expropriated",
        "poverty_alleviation_registered",
        "veteran",
        "south_xinjiang_relaxed_months",
        "other_prescribed",
        "employed_or_insured",
        "business_operating",
        "monthly_income",
        "minimum_monthly_wage",
        "receiving_pension",
        "other_exclusion",
    ),
    procedure=Procedure(
        township_review=True,
        forward_negative_initial=True,
        stage_working_days={"initial_review": 2, "township_review": 2, "county_review": 2},
        whole_working_days=None,
        articles={
            "initial_review": "第九条",
            "township_review": "第十条",
            "county_review": "第十一条",
            "forward_negative_initial": "第九条",
            "accepting_unit": "第七条",
        },
    ),
    materials=(
        MaterialItem("id_card", "本人身份证或社会保障卡", "第八条(一)"),
        MaterialItem("household_register", "居民户口簿或居住证", "第八条(一)"),
        MaterialItem("dibao_certificate", "《城乡居民最低生活保障证》", "第八条(一)(1)", frozenset({"dibao"})),
        MaterialItem(
            "disability_certificate",
            "《中华人民共和国残疾人证》或退役军人事务部门发放的伤残证",
            "第八条(一)(2)",
            frozenset({"disabled"}),
        ),
        MaterialItem("land_loss_proof", "失地情况材料", "第八条(一)(3)", frozenset({"landless_farmer"})),
        MaterialItem("veteran_certificate", "退役军人证或优待证", "第八条(一)(4)", frozenset({"veteran"})),
    ),
    commitments=(
        Commitment("family_income", "本人及家庭成员收入情况属实", "第十二条"),
        Commitment("marital_status", "婚姻状况属实", "第十二条"),
        Commitment("children_employment", "子女就业情况属实", "第十二条"),
        Commitment("rural_contracted_land", "有无农村承包土地情况属实", "第十二条"),
        Commitment(
            "truthfulness", "保证申请材料和承诺事项真实，如有虚假愿承担相应责任", "第十二条", required=True
        ),  # 第十二条: 申请人应当诚实守信，保证申请材料和承诺事项的真实性
    ),
    exit_reasons=(
        # 第十六条(一): a person still receiving a difficulty subsidy exits when that subsidy ends
        ExitReason(
            "employed", "已实现就业创业（正在享受就业困难人员补贴政策的，延长至该政策享受期满）", "第十六条(一)"
        ),
        ExitReason("pension", "已享受养老保险待遇", "第十六条(二)"),
        ExitReason("retirement_age", "已达到法定退休年龄", "第十六条(三)"),
        # 第十六条(四): 入学、服兵役、移居境外、被判刑收监执行或死亡(被宣告死亡)
        ExitReason("enrolled_in_school", "入学", "第十六条(四)"),
        ExitReason("military_service", "服兵役", "第十六条(四)"),
        ExitReason("emigrated", "移居境外", "第十六条(四)"),
        ExitReason("imprisoned", "被判刑收监执行", "第十六条(四)"),
        ExitReason("deceased", "死亡（被宣告死亡）", "第十六条(四)"),
        ExitReason("incapacitated", "丧失劳动能力", "第十六条(五)"),
        ExitReason("fraud", "提供虚假材料或虚假承诺获取就业困难人员身份", "第十六条(六)"),
        # 第十六条(七): three reasons in one item
        ExitReason("refused_services", "6个月内无正当理由拒绝接受就业援助服务3次及以上", "第十六条(七)"),
        ExitReason("no_employment_need", "终止就业需求", "第十六条(七)"),
        ExitReason("voluntary", "主动提出要求退出认定", "第十六条(七)"),
        ExitReason(
            "lost_contact",
            "认定后连续6个月失去联系或本人未向公共就业服务机构提出就业援助服务需求",
            "第十六条(八)",
        ),
        ExitReason("no_longer_eligible", "其他不再具备就业困难人员认定条件", "第十六条(九)"),
        # 第十六条第二款: persons recognised as 脱贫人口 exit after the transition period under national and
        # regional provisions (staff name the provision in the note)
        ExitReason("other", "按国家和自治区有关规定退出（如脱贫人口过渡期满后）", "第十六条第二款"),
    ),
)

LONG_TERM_MONTHS = 12
SOUTH_XINJIANG_MINIMUM_MONTHS = 6


# 第五条: 自治区行政区域内
@policy.requirement("in_jurisdiction", "自治区行政区域内（常住）", "第五条")
def in_jurisdiction(p: Person) -> bool:
    return p.facts.local_resident


policy.requirement("working_age", "法定劳动年龄内", "第五条")(common.working_age)
policy.requirement("able_to_work", "有劳动能力", "第五条")(common.able_to_work)
policy.requirement("willing_to_work", "有就业意愿", "第五条")(common.willing_to_work)
policy.requirement("registered_unemployed", "进行失业登记", "第五条")(common.registered_unemployed)


# 第五条(一): 城镇区域内女满45周岁、男满55周岁及以上
@policy.category("older", "大龄人员", "第五条(一)")
def older(p: Person) -> bool:
    return p.facts.urban and p.age_at_least(women=45, men=55)


# 第五条(二): 城镇区域内享受最低生活保障待遇
@policy.category("dibao", "低保人员", "第五条(二)")
def dibao(p: Person) -> bool:
    return p.facts.urban and p.facts.receiving_dibao


# 第五条(三): 经残疾评定机构评定为残疾的城镇区域内人员
@policy.category("disabled", "残疾人员", "第五条(三)")
def disabled(p: Person) -> bool:
    return p.facts.urban and p.facts.disability_certified


# 第五条(四): 因地方政府依法组织实施征地，失去全部土地的农民
@policy.category("landless_farmer", "失地农民", "第五条(四)")
def landless_farmer(p: Person) -> bool:
    return p.facts.land_fully_expropriated


# 第五条(五): 全国防返贫监测和衔接推进乡村振兴信息系统中登记备案人员
@policy.category("poverty_alleviated", "脱贫人口（含防止返贫监测对象）", "第五条(五)")
def poverty_alleviated(p: Person) -> bool:
    return p.facts.poverty_alleviation_registered


# 第五条(六): 城镇区域内登记失业之日起连续失业6个月及以上的退役军人
@policy.category("veteran", "退役军人", "第五条(六)")
def veteran(p: Person) -> bool:
    return p.facts.urban and p.facts.veteran and p.unemployed_at_least(6)


def long_term_months(p: Person) -> int:
    """第五条(七): 1 year; south Xinjiang may relax it, but to no less than 6 months."""
    relaxed = p.facts.south_xinjiang_relaxed_months
    if relaxed is None:
        return LONG_TERM_MONTHS
    return min(LONG_TERM_MONTHS, max(SOUTH_XINJIANG_MINIMUM_MONTHS, relaxed))


# 第五条(七): 城镇区域内登记失业之日起连续失业1年及以上（南疆可放宽，至少6个月）
@policy.category("long_term_unemployed", "连续失业1年及以上人员", "第五条(七)")
def long_term_unemployed(p: Person) -> bool:
    return p.facts.urban and p.unemployed_at_least(long_term_months(p))


# 第五条(八): 自治区人民政府规定的其他就业困难人员 (staff flag with a note)
@policy.category("other", "自治区人民政府规定的其他就业困难人员", "第五条(八)")
def other(p: Person) -> bool:
    return p.facts.other_prescribed


# 第六条(一): 已与用人单位建立劳动关系或在用人单位参加社会保险
policy.exclusion("employed", "已与用人单位建立劳动关系或在用人单位参加社会保险", "第六条(一)")(common.employed)


# 第六条(二): 已领取营业执照且实际开展经营活动
@policy.exclusion("business_operating", "已领取营业执照且实际开展经营活动", "第六条(二)")
def business_operating(p: Person) -> bool:
    return p.facts.business_operating


# 第六条(三): 已从事灵活就业或一定经济活动，收入不低于当地最低工资标准
policy.exclusion("income_at_least_minimum_wage", "收入不低于当地最低工资标准", "第六条(三)")(
    common.income_at_least_minimum_wage
)


# 第六条(四): 已领取养老保险待遇
@policy.exclusion("receiving_pension", "已领取养老保险待遇", "第六条(四)")
def receiving_pension(p: Person) -> bool:
    return p.facts.receiving_pension


# 第六条(五): 其他不符合就业困难人员的情形 (staff flag with a note)
policy.exclusion("other", "其他不符合就业困难人员的情形", "第六条(五)")(common.other_exclusion)
