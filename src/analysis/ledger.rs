//! The monthly ledger (台账月报告): for a month, every round open during it with its response
//! rates city-wide and per school, each school's plan (一校一案) as it stood at the month's end,
//! and the bureau's two targets city-wide and per township. Written as an XLSX workbook for the
//! bureau's files and e-mailed on the first working day of the next month.

use std::collections::HashMap;

use rust_xlsxwriter::{Workbook, Worksheet};

use super::export::{header_row, number, text, Formats};
use super::model::SchoolRate;
use super::plans::{targets, Targets};
use crate::db::ledger::LedgerData;
use crate::domain::month::Month;
use crate::domain::time::to_local;

pub struct RoundLine {
    pub id: i64,
    pub name: String,
    /// "2026-09-01 – 2026-09-15", local dates.
    pub dates: String,
    pub schools: usize,
    pub enrolment: i64,
    pub responses: i64,
    pub rate: Option<f64>,
    pub low_rate_schools: usize,
}

pub struct SchoolLine {
    pub rate: SchoolRate,
    /// Per round of the ledger: `(responses, rate)`, or `None` if the school is not in it.
    pub rounds: Vec<Option<(i64, Option<f64>)>>,
    /// "2026秋 · 2+3", or `None` without a plan.
    pub plan: Option<String>,
    pub science: bool,
    pub two_plus_three: bool,
}

pub struct TownshipLine {
    pub name: String,
    pub schools: usize,
    pub with_plan: usize,
    pub targets: Targets,
}

pub struct Ledger {
    pub month: Month,
    /// Below this response rate (in percent) a school counts as low, as on the coverage page.
    pub low_rate_percent: f64,
    pub rounds: Vec<RoundLine>,
    pub schools: Vec<SchoolLine>,
    pub townships: Vec<TownshipLine>,
    pub city: Targets,
    /// Complaints and their rectification at the month's end.
    pub rectification: super::rectification::Rectification,
}

fn rate(responses: i64, enrolment: i64) -> Option<f64> {
    (enrolment > 0).then(|| responses as f64 / enrolment as f64)
}

pub fn build(data: &LedgerData, low_rate_percent: f64) -> Ledger {
    let township: HashMap<i64, &str> = data
        .townships
        .iter()
        .map(|t| (t.id, t.name.as_str()))
        .collect();
    let order: HashMap<i64, i32> = data
        .townships
        .iter()
        .map(|t| (t.id, t.sort_order))
        .collect();
    let mut schools: Vec<_> = data.schools.iter().collect();
    schools.sort_by_key(|s| (order.get(&s.township_id).copied(), s.code.clone()));
    let rates: Vec<SchoolRate> = schools
        .iter()
        .map(|s| {
            SchoolRate::new(
                (
                    s.id,
                    &s.code,
                    &s.name,
                    township.get(&s.township_id).unwrap_or(&""),
                ),
                &s.level,
                s.urban_rural_code,
                data.enrolment.get(&s.id).copied().unwrap_or(0),
                0,
            )
        })
        .collect();
    let rounds = data
        .rounds
        .iter()
        .map(|r| {
            let enrolment: i64 = r
                .responses
                .keys()
                .map(|s| data.enrolment.get(s).copied().unwrap_or(0))
                .sum();
            let responses: i64 = r.responses.values().sum();
            RoundLine {
                id: r.round.id,
                name: r.round.name.clone(),
                dates: format!(
                    "{} – {}",
                    to_local(r.round.opens_at).format("%Y-%m-%d"),
                    to_local(r.round.closes_at).format("%Y-%m-%d")
                ),
                schools: r.responses.len(),
                enrolment,
                responses,
                rate: rate(responses, enrolment),
                low_rate_schools: r
                    .responses
                    .iter()
                    .filter(|(s, n)| {
                        let r = rate(**n, data.enrolment.get(s).copied().unwrap_or(0));
                        super::low_rate::is_low(r.map(|x| x * 100.0), low_rate_percent)
                    })
                    .count(),
            }
        })
        .collect();
    let lines = rates
        .iter()
        .map(|s| {
            let plan = data.plans.get(&s.school_id);
            SchoolLine {
                rate: s.clone(),
                rounds: data
                    .rounds
                    .iter()
                    .map(|r| {
                        r.responses
                            .get(&s.school_id)
                            .map(|n| (*n, rate(*n, s.enrolment)))
                    })
                    .collect(),
                plan: plan.map(|p| format!("{} · {}", p.term, p.model())),
                science: plan.is_some_and(|p| p.offers("science")),
                two_plus_three: plan.is_some_and(|p| p.extra_n >= 3),
            }
        })
        .collect();
    let townships = data
        .townships
        .iter()
        .filter_map(|t| {
            let mine: Vec<SchoolRate> = rates
                .iter()
                .filter(|s| s.township == t.name)
                .cloned()
                .collect();
            (!mine.is_empty()).then(|| TownshipLine {
                name: t.name.clone(),
                schools: mine.len(),
                with_plan: mine
                    .iter()
                    .filter(|s| data.plans.contains_key(&s.school_id))
                    .count(),
                targets: targets(&mine, &data.plans),
            })
        })
        .collect();
    Ledger {
        month: data.month,
        low_rate_percent,
        rounds,
        schools: lines,
        townships,
        city: targets(&rates, &data.plans),
        rectification: super::rectification::build(
            &data.complaints,
            &data.townships,
            data.month.start_utc(),
            data.month.end_utc(),
        ),
    }
}

/// The ledger as an XLSX workbook: 汇总, 乡镇, 学校, 未达标学校, 投诉整改.
pub fn xlsx(l: &Ledger) -> anyhow::Result<Vec<u8>> {
    let f = Formats::standard();
    let mut wb = Workbook::new();
    summary_sheet(wb.add_worksheet(), l, &f)?;
    townships_sheet(wb.add_worksheet(), l, &f)?;
    schools_sheet(wb.add_worksheet(), l, &f)?;
    missing_sheet(wb.add_worksheet(), l, &f)?;
    super::rectification::sheet(wb.add_worksheet(), &l.rectification, &f)?;
    Ok(wb.save_to_buffer()?)
}

fn summary_sheet(ws: &mut Worksheet, l: &Ledger, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("汇总")?;
    header_row(
        ws,
        f,
        &[
            "调查轮次",
            "起止日期",
            "学校数",
            "在校生数",
            "月底已回收",
            "回收率",
            &super::low_rate::schools_heading(l.low_rate_percent),
        ],
    )?;
    let mut r = 1;
    for x in &l.rounds {
        text(ws, r, 0, &format!("第 {} 轮：{}", x.id, x.name))?;
        text(ws, r, 1, &x.dates)?;
        ws.write_number(r, 2, x.schools as f64)?;
        ws.write_number(r, 3, x.enrolment as f64)?;
        ws.write_number(r, 4, x.responses as f64)?;
        number(ws, r, 5, x.rate, &f.pct)?;
        ws.write_number(r, 6, x.low_rate_schools as f64)?;
        r += 1;
    }
    if l.rounds.is_empty() {
        text(
            ws,
            r,
            0,
            &format!("{}没有进行中的调查轮次。", l.month.label()),
        )?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "政策目标（城区学校）", &f.header)?;
    ws.write_string_with_format(r, 2, "城区学校数", &f.header)?;
    ws.write_string_with_format(r, 3, "达标学校数", &f.header)?;
    ws.write_string_with_format(r, 4, "达标比例", &f.header)?;
    ws.write_string_with_format(r, 5, "目标", &f.header)?;
    for (name, met) in [
        ("开展“2+3”及以上", l.city.two_plus_three),
        ("开设科学教育活动", l.city.science),
    ] {
        r += 1;
        text(ws, r, 0, name)?;
        ws.write_number(r, 2, l.city.urban_schools as f64)?;
        ws.write_number(r, 3, met as f64)?;
        number(ws, r, 4, l.city.share(met), &f.pct)?;
        number(ws, r, 5, Some(l.city.target), &f.pct)?;
    }
    Ok(())
}

fn townships_sheet(ws: &mut Worksheet, l: &Ledger, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("乡镇")?;
    header_row(
        ws,
        f,
        &[
            "乡镇（街道）",
            "学校数",
            "已填报方案",
            "城区学校数",
            "“2+3”达标比例",
            "科学教育达标比例",
        ],
    )?;
    for (i, t) in l.townships.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &t.name)?;
        ws.write_number(r, 1, t.schools as f64)?;
        ws.write_number(r, 2, t.with_plan as f64)?;
        ws.write_number(r, 3, t.targets.urban_schools as f64)?;
        number(ws, r, 4, t.targets.share(t.targets.two_plus_three), &f.pct)?;
        number(ws, r, 5, t.targets.share(t.targets.science), &f.pct)?;
    }
    Ok(())
}

fn schools_sheet(ws: &mut Worksheet, l: &Ledger, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("学校")?;
    let mut headers: Vec<String> = [
        "学校代码",
        "学校名称",
        "乡镇（街道）",
        "学段",
        "城区/农村",
        "在校生数",
        "一校一案",
        "“2+3”及以上",
        "科学教育",
    ]
    .map(String::from)
    .to_vec();
    for x in &l.rounds {
        headers.push(format!("第{}轮回收", x.id));
        headers.push(format!("第{}轮回收率", x.id));
    }
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    header_row(ws, f, &refs)?;
    let yes = |b: bool| if b { "是" } else { "否" };
    for (i, s) in l.schools.iter().enumerate() {
        let r = i as u32 + 1;
        let x = &s.rate;
        for (c, v) in [&x.code, &x.name, &x.township, &x.level, &x.urban2]
            .iter()
            .enumerate()
        {
            text(ws, r, c as u16, v)?;
        }
        ws.write_number(r, 5, x.enrolment as f64)?;
        text(ws, r, 6, s.plan.as_deref().unwrap_or("未填报"))?;
        text(ws, r, 7, yes(s.two_plus_three))?;
        text(ws, r, 8, yes(s.science))?;
        for (k, round) in s.rounds.iter().enumerate() {
            let c = 9 + 2 * k as u16;
            match round {
                Some((n, rate)) => {
                    ws.write_number(r, c, *n as f64)?;
                    number(ws, r, c + 1, *rate, &f.pct)?;
                }
                None => text(ws, r, c, "未参加")?,
            }
        }
    }
    Ok(())
}

fn missing_sheet(ws: &mut Worksheet, l: &Ledger, f: &Formats) -> anyhow::Result<()> {
    ws.set_name("未达标学校")?;
    header_row(
        ws,
        f,
        &[
            "乡镇（街道）",
            "学校代码",
            "学校名称",
            "方案",
            "缺“2+3”",
            "缺科学教育",
        ],
    )?;
    for (i, m) in l.city.missing.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &m.township)?;
        text(ws, r, 1, &m.code)?;
        text(ws, r, 2, &m.name)?;
        text(ws, r, 3, if m.has_plan { "已填报" } else { "未填报" })?;
        text(ws, r, 4, if m.lacks_two_plus_three { "缺" } else { "" })?;
        text(ws, r, 5, if m.lacks_science { "缺" } else { "" })?;
    }
    Ok(())
}
