//! The printable report (A4, no script, no external resource): response rates, category demand
//! charts, the category × township heatmap and urban/rural comparison, top-3 scores, answer
//! distributions, and the plan gap list ready to attach to a revised 一校一案.

use std::fmt::Write;

use super::charts::bar_chart;
use super::html_notes::{self as notes, heading};
use super::model::{Base, Dim, Report, ShareRow};
use super::stats::Interval;
use crate::domain::tally::CATEGORY;

use crate::templates::escape as esc;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

pub(super) fn interval(i: Option<Interval>) -> String {
    i.map_or_else(
        || "—".into(),
        |i| {
            format!(
                "{:.1}%（{:.1}–{:.1}）",
                i.estimate * 100.0,
                i.low * 100.0,
                i.high * 100.0
            )
        },
    )
}

/// The weighted share when there is one, else the raw one.
pub(super) fn best(s: &ShareRow) -> Option<Interval> {
    s.weighted.or(s.raw)
}

pub(super) fn top_categories<'a>(
    r: &'a Report,
    dim: Dim,
    group: &'a str,
    base: Base,
) -> Vec<&'a ShareRow> {
    r.shares
        .iter()
        .filter(|s| {
            s.dim == dim
                && &*s.group == group
                && &*s.question == CATEGORY
                && s.base == base
                && !s.value.contains('.')
        })
        .collect()
}

/// The report's own style, every rule under `.report` so that it fits inside the staff layout
/// as well as in a document of its own; wide tables scroll inside their box, charts fit.
pub const CSS: &str = ".report table{border-collapse:collapse;margin:0;width:auto}\
    .report td,.report th{border:1px solid #999;padding:2px 6px;text-align:right}\
    .report td:first-child,.report th:first-child{text-align:left;min-width:6em}\
    .report h2{break-before:auto;margin-top:20px}.report svg{max-width:100%;height:auto}\
    .report .scroll{overflow-x:auto;margin:8px 0;max-width:100%}\
    .report-links a{margin-right:12px}.report-links details{display:inline-block}\
    @page{size:A4;margin:12mm}@media print{.report-links{display:none}.report .scroll{overflow:visible}}";

/// [`CSS`] and the notes' style together, for a page that embeds [`body`].
pub fn page_css() -> String {
    format!("{CSS}{}", notes::CSS)
}

/// The report's title: its scope, round and subject.
pub fn title(r: &Report) -> String {
    format!("{} · {} · 课后服务需求分析", r.scope, r.round_name)
}

/// The report as one HTML document. `links` (label, href) appear as a bar at the top on screen
/// (downloads and the way back, on the staff pages) and are left out of print.
/// `titles` are the survey's `(question id, title)` pairs: rows name questions by title.
pub fn render(r: &Report, titles: &[(String, String)], links: &[(&str, String)]) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">\
         <title>{t}</title><style>\
         body{{font-family:sans-serif;font-size:16px;margin:16px}}@media print{{body{{font-size:11pt;margin:0}}}}{css}{notes}\
         </style></head><body><main><h1>{t}</h1>{body}</main></body></html>",
        t = esc(&title(r)),
        css = CSS,
        notes = notes::CSS,
        body = body(r, titles, links)
    )
}

/// The report's content below its title, for a page of its own or the staff layout.
pub fn body(r: &Report, titles: &[(String, String)], links: &[(&str, String)]) -> String {
    let mut h = String::from("<div class=\"report\">");
    if !links.is_empty() {
        h.push_str("<nav class=\"report-links\" aria-label=\"报告操作\">");
        // Technical formats (for analysts and other systems) wait under 「更多格式」.
        let (more, main): (Vec<_>, Vec<_>) = links.iter().partition(|(_, href)| {
            ["format=csv", "format=parquet", "format=json"]
                .iter()
                .any(|f| href.contains(f))
        });
        for (label, href) in main {
            let _ = write!(h, "<a href=\"{}\">{}</a>", esc(href), esc(label));
        }
        if !more.is_empty() {
            h.push_str("<details><summary>更多格式</summary><ul>");
            for (label, href) in more {
                let _ = write!(h, "<li><a href=\"{}\">{}</a></li>", esc(href), esc(label));
            }
            h.push_str("</ul></details>");
        }
        h.push_str("</nav>");
    }
    let _ = write!(
        h,
        "<p>问卷：{}。“加权”指按学校×年级在校生数事后分层加权；括号内为 95% 误差范围：如果换一批家庭来填，比例大约会落在这个范围内，家庭越多范围越窄。{}各项口径见文末<a href=\"#definitions\">口径说明</a>。</p>",
        esc(&r.survey_title),
        if r.single_school {
            "本校报告，不隐藏小样本。".to_string()
        } else {
            format!("少于 {} 人的格子不显示，标“—”。", r.min_cell)
        }
    );
    notes::caution(&mut h, r);
    heading(&mut h, "回收率", "rate");
    h.push_str("<table><tr><th>学校</th><th>乡镇（街道）</th><th>城乡</th><th>在校生</th><th>填写</th><th>回收率</th><th>说明</th></tr>");
    for s in &r.schools {
        let note = if s.over_enrolment {
            crate::domain::school::OVER_ENROLMENT
        } else if s.low_rate {
            super::low_rate::NOTE
        } else {
            ""
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{w}>{}</td><td{w}>{}</td></tr>",
            esc(&s.name),
            esc(&s.township),
            esc(&s.urban3),
            s.enrolment,
            s.respondents,
            pct(s.rate),
            esc(note),
            w = if note.is_empty() { "" } else { " class=\"warn\"" }
        );
    }
    h.push_str("</table>");
    notes::low_rate_schools(&mut h, r);
    notes::by_grade(&mut h, r);
    for (base, name) in [
        (Base::All, "全部填写家庭"),
        (Base::Need, "需要课后服务的家庭"),
        (Base::Interest, "需要或可能需要的家庭"),
    ] {
        let rows = top_categories(r, Dim::Total, "all", base);
        let bars: Vec<(String, Option<Interval>)> = rows
            .iter()
            .map(|s| (s.label.to_string(), best(s)))
            .collect();
        if !bars.is_empty() {
            let name = super::model::said_of(name, r.respondent);
            heading(&mut h, &format!("课程类别需求（{name}，加权）"), "weighted");
            h.push_str(&bar_chart(&format!("希望参加的比例 · {name}"), &bars));
            // The chart's figures as a table: the same function picks the same figure.
            h.push_str("<table><tr><th>类别</th><th>基数人数</th><th>比例（95% 误差范围）</th><th>口径</th></tr>");
            for s in rows {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&s.label),
                    s.n,
                    interval(best(s)),
                    match (s.weighted, s.raw) {
                        (Some(_), _) => "加权",
                        (None, Some(_)) => "未加权",
                        (None, None) => "—",
                    }
                );
            }
            h.push_str("</table>");
        }
    }
    super::html_compare::comparison(&mut h, r);
    super::html_compare::channels(&mut h, r);
    super::voices::render(&mut h, r);
    gaps(&mut h, r);
    heading(
        &mut h,
        "前三位排序得分（第一位 3 分，第二位 2 分，第三位 1 分）",
        "score",
    );
    h.push_str("<table><tr><th>类别</th><th>回答人数</th><th>得分</th><th>加权得分</th><th>排第一</th></tr>");
    for s in r.scores.iter().filter(|s| s.dim == Dim::Total) {
        let f = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| format!("{v:.2}"));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.label),
            s.n,
            f(s.score),
            f(s.weighted_score),
            pct(s.first)
        );
    }
    h.push_str("</table>");
    heading(&mut h, "各题选项分布（回答该题的家庭）", "base");
    h.push_str("<table><tr><th>题目 · 选项</th><th>n</th><th>比例（未加权）</th><th>比例（加权）</th></tr>");
    for s in r
        .shares
        .iter()
        .filter(|s| s.dim == Dim::Total && s.base == Base::Answered)
    {
        let _ = write!(
            h,
            "<tr><td>{} · {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(super::export::question_title(titles, &s.question)),
            esc(&s.label),
            s.n,
            interval(s.raw),
            interval(s.weighted)
        );
    }
    h.push_str("</table>");
    means(&mut h, r);
    targets(&mut h, r);
    changes(&mut h, r);
    notes::definitions_section(&mut h, r);
    h.push_str("</div>");
    // Every table in a box of its own that scrolls sideways on a narrow screen.
    h.replace("<table>", "<div class=\"scroll\" tabindex=\"0\"><table>")
        .replace("</table>", "</table></div>")
}

/// The averages of number and scale questions (such as how many weeks of summer care).
fn means(h: &mut String, r: &Report) {
    let rows: Vec<_> = r.means.iter().filter(|m| m.dim == Dim::Total).collect();
    if rows.is_empty() {
        return;
    }
    heading(h, "数量题的平均数（回答该题的家庭）", "base");
    h.push_str("<table><tr><th>题目</th><th>回答人数</th><th>平均（未加权）</th><th>平均（加权）</th></tr>");
    let mean = |m: Option<super::stats::Mean>| {
        m.map_or_else(
            || "—".into(),
            |m| format!("{:.1}（{:.1}–{:.1}）", m.mean, m.low, m.high),
        )
    };
    for m in rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.title),
            m.n,
            mean(m.raw),
            mean(m.weighted)
        );
    }
    h.push_str("</table>");
}

fn gaps(h: &mut String, r: &Report) {
    let listed: Vec<_> = r.gaps.iter().filter(|g| g.action.is_some()).collect();
    if listed.is_empty() {
        if r.single_school {
            heading(h, "方案修订建议（新增 / 扩容 / 复核）", "gap");
            h.push_str(if r.gaps.is_empty() {
                "<p>本校尚未填报一校一案，所以还不能把需求和方案对照。请在“本校一校一案”页面填报后再打开本报告，这里会列出建议新增、扩容或复核的活动。</p>"
            } else {
                "<p>本校一校一案已能满足各类课程的需求：没有需要新增、扩容或复核的活动。</p>"
            });
        }
        return;
    }
    heading(h, "方案修订建议（新增 / 扩容 / 复核）", "gap");
    h.push_str("<table><tr><th>学校</th><th>类别</th><th>需求比例</th><th>预计参加人数</th><th>方案容量</th><th>建议</th></tr>");
    for g in listed {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.0}（{:.0}–{:.0}）{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.school),
            esc(&g.label),
            interval(Some(g.share)),
            g.expected.estimate,
            g.expected.low,
            g.expected.high,
            if g.low_rate {
                format!("<br><span class=\"warn\">{}</span>", super::low_rate::NOTE)
            } else {
                String::new()
            },
            g.capacity,
            g.action.map_or("", |a| a.label())
        );
    }
    h.push_str("</table>");
}

/// The bureau's two targets over the urban schools, and who misses them.
fn targets(h: &mut String, r: &Report) {
    let Some(t) = &r.targets else { return };
    let _ = write!(
        h,
        "<h2>政策目标（城区学校，目标 ≥ {:.0}%）</h2><table><tr><th>目标</th><th>达到的学校</th><th>城区学校</th><th>比例</th><th>是否达标</th></tr>",
        t.target * 100.0
    );
    for (name, met) in [
        ("开展“2+3”及以上", t.two_plus_three),
        ("开设科学教育活动", t.science),
    ] {
        let share = t.share(met);
        let _ = write!(
            h,
            "<tr><td>{name}</td><td>{met}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.urban_schools,
            pct(share),
            match share {
                Some(s) if s >= t.target => "达标",
                Some(_) => "未达标",
                None => "—",
            }
        );
    }
    h.push_str("</table>");
    if t.missing.is_empty() {
        return;
    }
    h.push_str("<table><tr><th>乡镇（街道）</th><th>学校</th><th>方案</th><th>缺“2+3”</th><th>缺科学教育</th></tr>");
    let yes = |b: bool| if b { "缺" } else { "" };
    for m in &t.missing {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.township),
            esc(&m.name),
            if m.has_plan { "已填报" } else { "未填报" },
            yes(m.lacks_two_plus_three),
            yes(m.lacks_science)
        );
    }
    h.push_str("</table>");
}

/// Changes since an earlier round (overall, by category).
fn changes(h: &mut String, r: &Report) {
    let rows: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.dim == Dim::Total && c.question == CATEGORY && c.base == Base::All)
        .collect();
    if rows.is_empty() {
        return;
    }
    heading(h, "与上一轮相比（全部填写家庭，百分点）", "interval");
    h.push_str(
        "<table><tr><th>类别</th><th>上一轮</th><th>本轮</th><th>变化（95% 误差范围）</th></tr>",
    );
    for c in rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:+.1}（{:+.1} 至 {:+.1}）</td></tr>",
            esc(&c.label),
            interval(Some(c.before)),
            interval(Some(c.after)),
            c.change.estimate * 100.0,
            c.change.low * 100.0,
            c.change.high * 100.0
        );
    }
    h.push_str("</table>");
}
