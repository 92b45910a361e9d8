//! The parts of the printable report that say how far its figures can be trusted: the caution
//! before a low-rate school's figures, the list of low-rate schools above one school, responses
//! by grade (年级不符 and 未填年级 included, so they add up to the total), and the 口径说明
//! section every chart and table links to.

use std::fmt::Write;

use super::definitions::definitions;
use super::low_rate::{low_schools, school_caution, schools_heading};
use super::model::{Base, Dim, Report};
use crate::domain::tally::CATEGORY;
use crate::templates::escape as esc;

/// The report's own style for the parts below.
pub const CSS: &str =
    ".caution{border:2px solid #b00;background:#fff3f3;padding:8px 12px;margin:12px 0}\
    .warn{color:#b00}a.def{font-size:12px;font-weight:normal;margin-left:8px}\
    dl.defs dt{font-weight:bold;margin-top:8px}dl.defs dd{margin:2px 0 0 16px}";

/// A link to the definition `key` in the 口径说明 section.
pub fn def_link(key: &str) -> String {
    format!("<a class=\"def\" href=\"#def-{}\">口径说明</a>", esc(key))
}

/// An `<h2>` with its 口径说明 link.
pub fn heading(h: &mut String, title: &str, key: &str) {
    let _ = write!(h, "<h2>{}{}</h2>", esc(title), def_link(key));
}

/// The caution that opens a school's figures when its rate is low or above 100%.
pub fn caution(h: &mut String, r: &Report) {
    if r.old_counting_rule {
        let what = if r.old_rule_purged {
            "本轮原始答卷已按保留期限删除，无法重新计数，比较各轮时请留意这一差别。".to_string()
        } else {
            format!(
                "请系统管理员重新计数后再使用本报告（命令：kehou-survey recount --round {}）。",
                r.round_id
            )
        };
        let _ = write!(
            h,
            "<p class=\"caution\" role=\"note\"><strong>请注意：</strong>本轮的汇总数字是按旧口径统计的，当时排序题中排到的类别也算作“希望参加”。{}{}</p>",
            esc(&what),
            def_link("demand")
        );
    }
    if let Some(text) = school_caution(r) {
        let _ = write!(
            h,
            "<p class=\"caution\" role=\"note\"><strong>请注意：</strong>{}{}</p>",
            esc(&text),
            def_link("low_rate")
        );
    }
}

/// Above one school: the schools whose figures rest on a low rate.
pub fn low_rate_schools(h: &mut String, r: &Report) {
    if r.single_school {
        return;
    }
    heading(h, &schools_heading(r.low_rate_percent), "low_rate");
    let low: Vec<_> = low_schools(r).collect();
    if low.is_empty() {
        h.push_str("<p>没有回收率低的学校。</p>");
        return;
    }
    let _ = write!(
        h,
        "<p class=\"caution\">以下 {} 所学校填写的家庭少，它们各自的比例和预计参加人数仅供参考；合计中，这些学校每份回答代表的学生较多。</p>\
         <table><tr><th>学校</th><th>乡镇（街道）</th><th>填写</th><th>在校生</th><th>回收率</th></tr>",
        low.len()
    );
    for s in low {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"warn\">{:.1}%</td></tr>",
            esc(&s.name),
            esc(&s.township),
            s.respondents,
            s.enrolment,
            s.rate.unwrap_or(0.0) * 100.0
        );
    }
    h.push_str("</table>");
}

/// Responses by grade, every response in exactly one row, with the total.
pub fn by_grade(h: &mut String, r: &Report) {
    let mut rows: Vec<(&str, i64)> = Vec::new();
    for s in r
        .shares
        .iter()
        .filter(|s| s.dim == Dim::Grade && &*s.question == CATEGORY && s.base == Base::All)
    {
        if !rows.iter().any(|(g, _)| *g == &*s.group_label) {
            rows.push((&s.group_label, s.n));
        }
    }
    if rows.is_empty() {
        return;
    }
    heading(h, "按年级的填写份数", "grade");
    h.push_str("<table><tr><th>年级</th><th>填写</th></tr>");
    for (g, n) in &rows {
        let _ = write!(h, "<tr><td>{}</td><td>{n}</td></tr>", esc(g));
    }
    // The scope's own count, not the rows' sum: a response missing from the rows would show.
    let total = r
        .shares
        .iter()
        .find(|s| s.dim == Dim::Total && &*s.question == CATEGORY && s.base == Base::All)
        .map_or(0, |s| s.n);
    let _ = write!(h, "<tr><th>合计</th><th>{total}</th></tr></table>");
}

/// The definitions section at the end of the report.
pub fn definitions_section(h: &mut String, r: &Report) {
    h.push_str("<section id=\"definitions\"><h2>口径说明</h2><dl class=\"defs\">");
    for d in definitions(r) {
        let _ = write!(
            h,
            "<dt id=\"def-{}\">{}</dt><dd>{}</dd>",
            esc(d.key),
            esc(d.term),
            esc(&d.text)
        );
    }
    h.push_str("</dl></section>");
}
