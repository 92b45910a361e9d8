//! The first two sheets of the XLSX report: 说明 (the round, the scope and what every figure
//! means) and 学校回收率 (each school's response rate, flagged when low or impossible).

use rust_xlsxwriter::Worksheet;

use super::definitions::definitions;
use super::export::{header_row, number, text, Formats};
use super::low_rate::NOTE;
use super::model::Report;
use crate::domain::school::OVER_ENROLMENT;

pub(super) fn notes_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("说明")?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 90)?;
    let mut rows: Vec<(String, String)> = vec![
        (
            "调查轮次".into(),
            format!("第 {} 轮：{}", report.round_id, report.round_name),
        ),
        ("问卷".into(), report.survey_title.clone()),
        ("范围".into(), report.scope.clone()),
    ];
    if let Some(caution) = super::low_rate::school_caution(report) {
        rows.push(("请注意".into(), caution));
    }
    rows.extend(
        definitions(report)
            .into_iter()
            .map(|d| (d.term.to_string(), d.text)),
    );
    ws.write_string_with_format(0, 0, "项目", &f.header)?;
    ws.write_string_with_format(0, 1, "内容", &f.header)?;
    ws.set_freeze_panes(1, 0)?;
    for (i, (k, v)) in rows.iter().enumerate() {
        text(ws, i as u32 + 1, 0, k)?;
        text(ws, i as u32 + 1, 1, v)?;
    }
    Ok(())
}

pub(super) fn schools_sheet(
    ws: &mut Worksheet,
    report: &Report,
    f: &Formats,
) -> anyhow::Result<()> {
    ws.set_name("学校回收率")?;
    header_row(
        ws,
        f,
        &[
            "学校代码",
            "学校名称",
            "乡镇（街道）",
            "学段",
            "城区/农村",
            "城区/镇区/乡村",
            "在校生数",
            "填写份数",
            "回收率",
            "回收率低",
            "数据异常",
        ],
    )?;
    ws.set_column_width(10, 60)?;
    for (i, s) in report.schools.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in [
            &s.code,
            &s.name,
            &s.township,
            &s.level,
            &s.urban2,
            &s.urban3,
        ]
        .iter()
        .enumerate()
        {
            text(ws, r, c as u16, v)?;
        }
        ws.write_number(r, 6, s.enrolment as f64)?;
        ws.write_number(r, 7, s.respondents as f64)?;
        number(ws, r, 8, s.rate, &f.pct)?;
        if s.low_rate {
            text(ws, r, 9, NOTE)?;
        }
        if s.over_enrolment {
            text(ws, r, 10, OVER_ENROLMENT)?;
        }
    }
    Ok(())
}
