"""吉人社发〔2022〕10号 关于做好就业困难人员认定帮扶工作的通知 (from 2022-05-10)."""

from datetime import date

from eligibility.dates import add_years
from eligibility.policies import common
from eligibility.policies.base import Commitment, ExitReason, MaterialItem, Person, Policy, Procedure

policy = Policy(
    code="jilin-2022",
    document="吉人社发〔2022〕10号",
    title="关于做好就业困难人员认定帮扶工作的通知",
    province="22",
    province_name="吉林省",
    issuer="吉林省人力资源和社会保障厅",  # 落款
    issued_on=date(2022, 5, 10),  # 落款
    valid_from=date(2022, 5, 10),  # 六: 自下发之日起执行
    valid_until=None,
    version="1",
    approval_form_title="吉林省就业困难人员申请认定表",  # 附件; 二(一)
    approval_form_short="认定表",  # 二(一): 以下简称认定表
    notice_heading="就业困难人员初审公示",  # 二(二) names the step, prescribes no template
    notice_list_heading="就业困难人员初审公示名单",
    facts=(
        "id_number",
        "female_original_retirement_age",
        "local_hukou",
        "urban",
        "able_to_work",
        "willing_to_work",
        "unemployment_registered_on",
        "laid_off_from_soe",
        "disability_certified",
        "zero_employment_household",
        "receiving_dibao",
        "land_fully_expropriated",
        "graduated_on",
        "full_time_domestic_graduate",
        "ever_employed",
        "has_social_insurance_record",
        "employed_or_insured",
        "business_operating",
        "company_officer",
        "monthly_income",
        "minimum_monthly_wage",
        "other_exclusion",
    ),
    procedure=Procedure(
        township_review=False,
        forward_negative_initial=False,  # 二(二): 对不符合认定条件的，在认定表上注明原因，并告知申请人
        stage_working_days={},
        whole_working_days=10,
        articles={"whole": "二(四)", "forward_negative_initial": "二(二)", "accepting_unit": "二(一)"},
    ),
    materials=(
        MaterialItem("application_form", "《吉林省就业困难人员申请认定表》", "二(一)"),
        MaterialItem("id_card", "有效的居民身份证", "二(一)"),
        MaterialItem("household_register", "户口簿（或城镇居住证明）", "二(一)"),
        MaterialItem(
            "labour_termination_proof",
            "解除（终止）劳动关系证明或其它可证明下岗失业人员身份的相关凭证",
            "二(一)1",
            frozenset({"laid_off_soe"}),
        ),
        MaterialItem(
            "disability_certificate", "残疾人联合会核发的《中华人民共和国残疾人证》", "二(一)2", frozenset({"disabled"})
        ),
        MaterialItem("dibao_certificate", "民政部门核发的最低生活保障证明", "二(一)3", frozenset({"dibao"})),
        MaterialItem(
            "land_expropriation_proof",
            "乡（镇）及以上人民政府或国土资源部门出具的土地被征用协议书或相关证明",
            "二(一)4",
            frozenset({"landless_farmer"}),
        ),
        MaterialItem("graduation_certificate", "毕业证等证明材料", "二(一)5", frozenset({"graduate"})),
    ),
    commitments=(  # 一(三): 劳动者书面承诺
        Commitment(
            "truthfulness", "本人承诺所填信息及所交材料真实有效，如有虚假愿承担相应责任", "一(三)", required=True
        ),
    ),
    # 三: the text names no exit for employment, incapacity or lost contact; employment ends the
    # unemployment registration, which is 三(七)
    exit_reasons=(
        ExitReason("pension", "已享受基本养老保险待遇", "三(一)"),
        ExitReason("retirement_age", "达到法定退休年龄", "三(一)"),
        ExitReason("policy_period_expired", "享受就业援助政策期满", "三(二)"),
        # 三(三): 入学、服兵役、死亡、移居境（省）外
        ExitReason("enrolled_in_school", "入学", "三(三)"),
        ExitReason("military_service", "服兵役", "三(三)"),
        ExitReason("deceased", "死亡", "三(三)"),
        ExitReason("emigrated", "移居境外", "三(三)"),
        ExitReason("moved_out_of_province", "移居省外", "三(三)"),
        ExitReason("imprisoned", "被判刑收监执行", "三(四)"),
        # 三(五): three reasons in one item
        ExitReason("voluntary", "本人申请退出援助", "三(五)"),
        ExitReason("no_employment_need", "终止就业要求", "三(五)"),
        ExitReason("refused_services", "半年内拒绝接受公共就业服务3次以上", "三(五)"),
        # 三(六)
        ExitReason("no_longer_eligible", "经查实不再符合就业困难人员条件", "三(六)"),
        ExitReason("fraud", "弄虚作假，骗取就业困难人员身份认定", "三(六)"),
        ExitReason("unemployment_registration_cancelled", "失业登记被注销的其他情形", "三(七)"),
    ),
)


# 一(一): 具有本省户籍
@policy.requirement("in_jurisdiction", "具有本省户籍", "一(一)")
def in_jurisdiction(p: Person) -> bool:
    return p.facts.local_hukou


policy.requirement("working_age", "法定劳动年龄内", "一(一)")(common.working_age)
policy.requirement("able_to_work", "有劳动能力", "一(一)")(common.able_to_work)
policy.requirement("willing_to_work", "有就业意愿", "一(一)")(common.willing_to_work)
policy.requirement("registered_unemployed", "登记失业人员", "一(一)")(common.registered_unemployed)


# 一(一)1: 原国有（含厂办大集体）企业下岗失业人员
@policy.category("laid_off_soe", "下岗失业人员", "一(一)1")
def laid_off_soe(p: Person) -> bool:
    return p.facts.laid_off_from_soe


# 一(一)2: 城镇户籍及城镇常住人员中，女性年满40周岁、男性年满50周岁且失业6个月以上
@policy.category("older", "大龄失业人员", "一(一)2")
def older(p: Person) -> bool:
    return p.facts.urban and p.age_at_least(women=40, men=50) and p.unemployed_at_least(6)


# 一(一)3: 城镇户籍及城镇常住人员中，持有《中华人民共和国残疾人证》
@policy.category("disabled", "残疾失业人员", "一(一)3")
def disabled(p: Person) -> bool:
    return p.facts.urban and p.facts.disability_certified


# 一(一)4: 经各级公共就业服务机构认定的零就业家庭失业人员
@policy.category("zero_employment_household", "零就业家庭成员", "一(一)4")
def zero_employment_household(p: Person) -> bool:
    return p.facts.zero_employment_household


# 一(一)5: 城镇户籍及城镇常住人员中，正在享受城镇最低生活保障待遇且连续失业1年以上
@policy.category("dibao", "低保失业人员", "一(一)5")
def dibao(p: Person) -> bool:
    return p.facts.urban and p.facts.receiving_dibao and p.unemployed_at_least(12)


# 一(一)6: 依法被县级以上（含县级）政府实施统一征地后，完全失去原承包耕地的农民
@policy.category("landless_farmer", "失地农民", "一(一)6")
def landless_farmer(p: Person) -> bool:
    return p.facts.land_fully_expropriated


# 一(一)7: 离校2年及以上未就业（从未有过就业经历和社会保险缴费记录）的国内全日制普通高等学校毕业生
@policy.category("graduate", "就业困难高校毕业生", "一(一)7")
def graduate(p: Person) -> bool:
    f = p.facts
    return (
        f.full_time_domestic_graduate
        and f.graduated_on is not None
        and p.as_of >= add_years(f.graduated_on, 2)
        and not f.ever_employed
        and not f.has_social_insurance_record
    )


# 一(二)1: 已与用人单位建立劳动关系或在用人单位参加社会保险
policy.exclusion("employed", "已与用人单位建立劳动关系或在用人单位参加社会保险", "一(二)1")(common.employed)


# 一(二)2 (first half): 从事个体经营、创办企业并已领取营业执照或办理法定登记手续
@policy.exclusion("business_operating", "从事个体经营、创办企业并已领取营业执照或办理法定登记手续", "一(二)2")
def business_operating(p: Person) -> bool:
    return p.facts.business_operating


# 一(二)2 (second half): 在其他单位担任法定代表人、股东（合伙人）、监事、理事或负责人等职务
@policy.exclusion("company_officer", "在其他单位担任法定代表人、股东（合伙人）、监事、理事或负责人等职务", "一(二)2")
def company_officer(p: Person) -> bool:
    return p.facts.company_officer


# 一(二)3: 从事一定的经济活动，有稳定收入且月收入不低于当地最低工资标准
policy.exclusion("income_at_least_minimum_wage", "月收入不低于当地最低工资标准", "一(二)3")(
    common.income_at_least_minimum_wage
)

# 一(二)4: 不予认定就业困难人员的其他情形 (staff flag with a note)
policy.exclusion("other", "不予认定就业困难人员的其他情形", "一(二)4")(common.other_exclusion)
