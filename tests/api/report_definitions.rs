//! Each figure's definition is one click away, and a chart and its table agree: every section
//! of the printable report links to its entry in the 口径说明 section at the end, and each bar
//! of a chart shows the figure its table gives for the same label.

use kehou_survey::domain::account::Role;

use crate::analysis::{families, submit_all};
use crate::helpers::spawn_app;

/// `(label, "12.3%（4.5–6.7）")` of each bar's tooltip in the report's charts.
fn bars(html: &str) -> Vec<(String, String)> {
    html.split("<rect ")
        .skip(1)
        .filter_map(|r| {
            let t = r.split("<title>").nth(1)?.split("</title>").next()?;
            let (label, figure) = t.rsplit_once(' ')?;
            Some((label.to_string(), figure.replace('%', "")))
        })
        .collect()
}

#[tokio::test]
async fn every_section_links_to_its_definition_and_charts_agree_with_their_tables() {
    let app = spawn_app().await;
    let round = app.setup_round();
    submit_all(&app, round, &families()).await;
    let school = app.school_id("3505820001");
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    for path in [
        format!("/admin/schools/{school}/rounds/{round}/analysis"),
        format!("/admin/rounds/{round}/analysis"),
    ] {
        let (status, html) = bureau.get_html(&path).await;
        assert_eq!(status, 200);
        let defs = &html[html.find("<section id=\"definitions\">").expect("口径说明")..];
        for term in [
            "95% 误差范围",
            "按在校生数加权",
            "隐藏",
            "回收率低",
            "年级不符",
        ] {
            assert!(defs.contains(&format!("\">{term}")), "{term}: {defs}");
        }
        // Every link lands on an entry, and every heading but the targets' has a link.
        let links: Vec<&str> = html
            .split("href=\"#def-")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(links.len() >= 5, "{links:?}");
        for key in &links {
            assert!(defs.contains(&format!("<dt id=\"def-{key}\">")), "{key}");
        }
        for h2 in html.split("<h2>").skip(1) {
            let h2 = &h2[..h2.find("</h2>").unwrap()];
            assert!(
                h2.contains("口径说明") || h2.starts_with("政策目标") || h2 == "口径说明",
                "{h2}"
            );
        }
        // Each bar's figure is the one its table gives: same label, same estimate and range.
        let mut charts = 0;
        for part in html.split("<svg").skip(1) {
            let (svg, after) = part.split_once("</svg>").unwrap();
            let table = &after[..after.find("<h2>").unwrap_or(after.len())];
            let bars = bars(svg);
            charts += usize::from(!bars.is_empty());
            for (label, figure) in bars {
                let (estimate, range) = figure.split_once('（').unwrap();
                let range = range.trim_end_matches('）');
                let row = format!("<tr><td>{label}</td><td>");
                let at = table
                    .find(&row)
                    .unwrap_or_else(|| panic!("no row {label}: {table}"));
                let cell = table[at + row.len()..].split("</td><td>").nth(1).unwrap();
                assert_eq!(cell, format!("{estimate}%（{range}）"), "{label}");
            }
        }
        assert!(charts >= 1, "{html}");
    }
}
