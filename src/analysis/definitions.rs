//! What each figure of a report means, in the one set of words every output uses: the XLSX
//! 说明 sheet and the HTML report's 口径说明 section (each chart and table links to its entry).

use super::low_rate::{explanation, percent, NOTE};
use super::model::Report;
use crate::domain::school::OVER_ENROLMENT;

/// One definition: its anchor (`def-{key}` in the HTML report), its term and what it says.
pub struct Definition {
    pub key: &'static str,
    pub term: &'static str,
    pub text: String,
}

/// Label of the rows of responses whose grade the school does not teach, or has no pupils
/// recorded in.
pub const GRADE_MISMATCH: &str = "年级不符";

/// The definitions of `report`'s figures, in reading order.
pub fn definitions(report: &Report) -> Vec<Definition> {
    let d = |key, term, text: String| Definition {
        key,
        term,
        text: super::model::said_of(&text, report.respondent),
    };
    let gap = super::plans::GapRules::default();
    vec![
        d(
            "rate",
            "回收率",
            format!(
                "填写份数 ÷ 在校生人数（名册中各年级人数之和）。没有在校生人数的学校不计算回收率。回收率超过 100% 标“{OVER_ENROLMENT}”，核实之前该校的数字不能作为依据。"
            ),
        ),
        d("low_rate", "回收率低", explanation(report.low_rate_percent)),
        d(
            "base",
            "比例的基数",
            "比例 = 选择该项的家庭 ÷ 基数。“全部填写家庭”：本轮填写问卷的所有家庭；“需要课后服务的家庭”：分段题选第一项（需要 / 参加了）的家庭；“需要或可能需要的家庭”（有兴趣）：回答“需要”或“还不确定”的家庭，与“需要”并列给出；“回答该题的家庭”：看到并回答了该题的家庭，受跳题规则控制的题、只在部分学校或部分轮次询问的题，只含被问到的家庭。".into(),
        ),
        d(
            "demand",
            "希望参加的类别",
            "只计家长在“希望孩子参加哪些类别”题及其细分题中选择的类别。排序题只反映先后，不计为需求；只在镇区、乡村学校询问的乡土特色题单独统计，不计入类别需求。".into(),
        ),
        d("raw", "未加权", "按填写家庭直接计算的比例，每个家庭算一份。".into()),
        d(
            "weighted",
            "按在校生数加权",
            format!(
                "按学校×年级事后分层加权：每个年级填写的家庭代表该年级的全部在校生（权重 = 在校生人数 ÷ 填写份数），回收率高的学校不会压过回收率低的学校。未填年级、{GRADE_MISMATCH}的回答没有对应的在校生人数，只计入未加权比例。图中的比例是加权比例；没有在校生人数、无法加权时用未加权比例。"
            ),
        ),
        d(
            "interval",
            "95% 误差范围",
            "只有部分家庭填写，比例会有抽样误差。括号中是 95% 误差范围：有 95% 的把握认为，全体家庭的真实比例落在这个范围内；填写的家庭越多，范围越窄。加权比例按加权后相当于多少份回答（有效样本量）计算误差范围。图中每条横线就是误差范围。".into(),
        ),
        d(
            "suppression",
            "隐藏",
            if report.single_school {
                "本校自己的报告，不隐藏小样本。".into()
            } else {
                format!(
                    "跨校报告中，少于 {} 人的格子只显示人数，不显示比例，标“已隐藏”。如果一组中只隐藏了一格，能从合计倒推出来，就把同组中人数最少的另一格也隐藏。",
                    report.min_cell
                )
            },
        ),
        d(
            "grade",
            "年级不符、未填年级",
            format!(
                "所填年级在该校名册中没有在校生（学校不开设该年级，或名册未填该年级人数）的回答，在按年级和按学段的表中单列为“{GRADE_MISMATCH}”，请核对名册；没有填年级的单列为“未填年级”。两者都计入合计，因此各年级、各学段之和等于合计。"
            ),
        ),
        d(
            "channel",
            "填写方式",
            "“网上填写”是家长用手机或电脑填写的问卷；“纸质回执”是学校发放、收回后由老师录入系统的纸质回执。两种方式的回答都计入回收率和各项比例。按填写方式分列时，每个家庭的权重与合计中相同（按学校×年级的全部回答计算），所以两列可以直接比较；纸质回执份数少时误差范围较宽。跨校报告中纸质回执人数不足、比例被隐藏时，网上填写一列也随之隐藏（否则能用合计倒推出来）。".into(),
        ),
        d(
            "score",
            "前三得分",
            "排序题：排第一得 3 分，第二 2 分，第三 1 分，按回答该题的家庭平均。“排第一”是把该项排在第一位的家庭所占比例。".into(),
        ),
        d(
            "voices",
            "家长和学生的需求对比",
            "同一轮同时请学生填写学生版问卷时，按同样的类别把两者并列：家长一列是选择该类别的家庭 ÷ 全部填写家庭，学生一列是选择该类别的学生 ÷ 全部填写学生，各自按在校生数加权，括号中是 95% 误差范围。表格按两者相差的百分点从大到小排列；两个误差范围不重叠的标“差别明显”。".into(),
        ),
        d(
            "gap",
            "预计参加人数",
            format!(
                "在校生人数 × 需求比例（本校按年级加权），括号中是按误差范围算出的人数。建议新增：方案未开设，需求比例 ≥ {}；建议扩容：误差范围下限的人数仍超过方案容量；建议复核：误差范围上限的比例仍低于 {}。回收率低的学校标“{NOTE}”。",
                percent(gap.high * 100.0),
                percent(gap.low * 100.0)
            ),
        ),
        d(
            "free_text",
            "自由填写",
            "意见建议等文字回答不计入统计，不出本校。".into(),
        ),
    ]
}
