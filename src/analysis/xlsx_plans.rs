//! The plan and comparison sheets of the XLSX report: each school's gap list (add / expand /
//! review), the bureau's targets with the urban schools that miss them, and changes between rounds.

use rust_xlsxwriter::Worksheet;

use super::export::{header_row, number, text, Formats};
use super::model::Report;
use super::plans::Targets;

pub(super) fn gaps_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("方案差距")?;
    header_row(
        ws,
        f,
        &[
            "学校",
            "类别",
            "需求比例",
            "下限",
            "上限",
            "在校生数",
            "预计参加人数",
            "预计下限",
            "预计上限",
            "方案是否开设",
            "方案容量",
            "建议",
            "预计人数可信度",
        ],
    )?;
    for (i, g) in report.gaps.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &g.school)?;
        text(ws, r, 1, &g.label)?;
        number(ws, r, 2, Some(g.share.estimate), &f.pct)?;
        number(ws, r, 3, Some(g.share.low), &f.pct)?;
        number(ws, r, 4, Some(g.share.high), &f.pct)?;
        ws.write_number(r, 5, g.enrolment as f64)?;
        number(ws, r, 6, Some(g.expected.estimate), &f.num1)?;
        number(ws, r, 7, Some(g.expected.low), &f.num1)?;
        number(ws, r, 8, Some(g.expected.high), &f.num1)?;
        text(ws, r, 9, if g.offered { "是" } else { "否" })?;
        ws.write_number(r, 10, f64::from(g.capacity))?;
        text(ws, r, 11, g.action.map_or("", |a| a.label()))?;
        if g.low_rate {
            text(ws, r, 12, super::low_rate::NOTE)?;
        }
    }
    Ok(())
}

pub(super) fn targets_sheet(ws: &mut Worksheet, t: &Targets, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("目标达成")?;
    header_row(
        ws,
        f,
        &[
            "指标",
            "城区学校数",
            "达标学校数",
            "达标比例",
            "目标",
            "是否达成",
        ],
    )?;
    for (r, (name, met)) in [
        ("城区学校实行“2+3”及以上模式", t.two_plus_three),
        ("城区学校开设科学教育活动", t.science),
    ]
    .into_iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        let share = t.share(met);
        text(ws, r, 0, name)?;
        ws.write_number(r, 1, t.urban_schools as f64)?;
        ws.write_number(r, 2, met as f64)?;
        number(ws, r, 3, share, &f.pct)?;
        number(ws, r, 4, Some(t.target), &f.pct)?;
        text(
            ws,
            r,
            5,
            if share.is_some_and(|s| s >= t.target) {
                "是"
            } else {
                "否"
            },
        )?;
    }
    let start = 4;
    for (c, h) in [
        "乡镇（街道）",
        "学校代码",
        "学校名称",
        "有无方案",
        "未达“2+3”",
        "未开设科学教育",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(start, c as u16, *h, &f.header)?;
    }
    for (i, m) in t.missing.iter().enumerate() {
        let r = start + 1 + i as u32;
        text(ws, r, 0, &m.township)?;
        text(ws, r, 1, &m.code)?;
        text(ws, r, 2, &m.name)?;
        text(ws, r, 3, if m.has_plan { "有" } else { "无" })?;
        text(ws, r, 4, if m.lacks_two_plus_three { "是" } else { "" })?;
        text(ws, r, 5, if m.lacks_science { "是" } else { "" })?;
    }
    Ok(())
}

pub(super) fn changes_sheet(
    ws: &mut Worksheet,
    report: &Report,
    f: &Formats,
) -> anyhow::Result<()> {
    ws.set_name("轮次比较")?;
    header_row(
        ws,
        f,
        &[
            "维度",
            "分组",
            "题目代码",
            "选项/类别",
            "比例的基数",
            "上一轮",
            "本轮",
            "变化",
            "变化下限",
            "变化上限",
        ],
    )?;
    for (i, c) in report.changes.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, c.dim.label())?;
        text(ws, r, 1, &c.group_label)?;
        text(ws, r, 2, &c.question)?;
        text(ws, r, 3, &c.label)?;
        text(ws, r, 4, c.base.label())?;
        number(ws, r, 5, Some(c.before.estimate), &f.pct)?;
        number(ws, r, 6, Some(c.after.estimate), &f.pct)?;
        number(ws, r, 7, Some(c.change.estimate), &f.pct)?;
        number(ws, r, 8, Some(c.change.low), &f.pct)?;
        number(ws, r, 9, Some(c.change.high), &f.pct)?;
    }
    Ok(())
}
