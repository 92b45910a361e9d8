//! The report's comparisons: above one school, categories against the city's townships or one
//! township's schools (a heatmap with its legend), and 城区 against 农村 where a scope has both;
//! in any report with paper reply slips, the online answers against the slips.

use std::fmt::Write;

use super::charts::heatmap;
use super::html::{best, interval, top_categories};
use super::html_notes::heading;
use super::model::{Base, Dim, Report};
use crate::domain::tally::CATEGORY;
use crate::templates::escape as esc;

/// Above one school: the heatmap of categories against the scope's townships (the city) or its
/// schools (one township), with its legend; then 城区 and 农村 side by side, only when the scope
/// has both.
pub(super) fn comparison(h: &mut String, r: &Report) {
    if r.single_school {
        return;
    }
    let cats = top_categories(r, Dim::Total, "all", Base::All);
    let mut towns: Vec<String> = Vec::new();
    for s in &r.schools {
        if !towns.contains(&s.township) {
            towns.push(s.township.clone());
        }
    }
    let find = |dim: Dim, group: &str, value: &str| {
        r.shares
            .iter()
            .find(|s| {
                s.dim == dim
                    && &*s.group == group
                    && &*s.question == CATEGORY
                    && &*s.value == value
                    && s.base == Base::All
            })
            .and_then(best)
    };
    // One township: compare its schools, which is what its officer needs.
    let (dim, keys, names, what) = if towns.len() == 1 {
        (
            Dim::School,
            r.schools
                .iter()
                .map(|s| s.school_id.to_string())
                .collect::<Vec<_>>(),
            r.schools.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "学校",
        )
    } else {
        (Dim::Township, towns.clone(), towns, "乡镇（街道）")
    };
    let cells: Vec<Vec<Option<f64>>> = cats
        .iter()
        .map(|c| {
            keys.iter()
                .map(|k| find(dim, k, &c.value).map(|i| i.estimate))
                .collect()
        })
        .collect();
    let rows: Vec<String> = cats.iter().map(|c| c.label.to_string()).collect();
    let short = if dim == Dim::School {
        "学校"
    } else {
        "乡镇"
    };
    heading(h, &format!("{short}比较（加权，%）"), "weighted");
    h.push_str(&heatmap(
        &format!("课程类别 × {what}"),
        &rows,
        &names,
        &cells,
    ));
    let _ = write!(
        h,
        "<p class=\"legend\">图例：格中数字是希望参加该类课程的家庭比例（%），颜色越深比例越高：\
         <span style=\"background:#ffffff;border:1px solid #999\">&nbsp;0%&nbsp;</span>\
         <span style=\"background:#8397b5;color:#000\">&nbsp;50%&nbsp;</span>\
         <span style=\"background:#08306b;color:#fff\">&nbsp;100%&nbsp;</span>；\
         灰色“—”表示填写人数少于 {} 人，不显示。</p>",
        r.min_cell
    );
    let has = |label: &str| r.schools.iter().any(|s| s.urban2 == label);
    if !(has("城区") && has("农村")) {
        return;
    }
    heading(h, "城区与农村（加权，括号内为 95% 误差范围）", "interval");
    h.push_str("<table><tr><th>类别</th><th>城区</th><th>农村</th><th>其中：镇区</th><th>其中：乡村</th></tr>");
    for c in &cats {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.label),
            interval(find(Dim::Urban2, "城区", &c.value)),
            interval(find(Dim::Urban2, "农村", &c.value)),
            interval(find(Dim::Urban3, "镇区", &c.value)),
            interval(find(Dim::Urban3, "乡村", &c.value)),
        );
    }
    h.push_str("</table>");
}

/// Where some families answered on paper reply slips: categories among the online answers and
/// among the slips side by side, so that the bureau sees whether the families without a phone
/// (often rural, often grandparents) want something else. Hidden cells show "—" as elsewhere.
pub(super) fn channels(h: &mut String, r: &Report) {
    use crate::db::responses::{ONLINE, PAPER};
    let has = |channel: &str| {
        r.shares
            .iter()
            .any(|s| s.dim == Dim::Channel && &*s.group == channel)
    };
    if !has(PAPER) {
        return;
    }
    let cats = top_categories(r, Dim::Total, "all", Base::All);
    let find = |channel: &str, value: &str| {
        r.shares.iter().find(|s| {
            s.dim == Dim::Channel
                && &*s.group == channel
                && &*s.question == CATEGORY
                && &*s.value == value
                && s.base == Base::All
        })
    };
    let n = |channel: &str| {
        cats.first()
            .and_then(|c| find(channel, &c.value))
            .map_or(0, |s| s.n)
    };
    heading(
        h,
        "网上填写与纸质回执（加权，括号内为 95% 误差范围）",
        "channel",
    );
    let _ = write!(
        h,
        "<p>{}</p>",
        esc(&super::model::said_of(
            &format!(
                "网上填写 {} 份，纸质回执 {} 份。两种方式的回答都计入回收率和上面的各项比例；下表把两者分开，看用纸质回执的家庭希望参加的课程是否不同。",
                n(ONLINE),
                n(PAPER)
            ),
            r.respondent
        ))
    );
    h.push_str("<table><tr><th>类别</th><th>网上填写</th><th>纸质回执</th></tr>");
    for c in &cats {
        let cell = |channel: &str| interval(find(channel, &c.value).and_then(best));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.label),
            cell(ONLINE),
            cell(PAPER),
        );
    }
    h.push_str("</table>");
}
