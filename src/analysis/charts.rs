//! Server-rendered SVG charts (no JavaScript, print well): horizontal bars with 95% interval
//! whiskers, and a category × township heatmap. Labels are XML-escaped.

use std::fmt::Write;

use super::stats::Interval;

use crate::templates::escape as esc;

const LABEL_W: f64 = 170.0;
const PLOT_W: f64 = 360.0;
const ROW_H: f64 = 22.0;

/// A bar per `(label, share)` (0–1), its whisker spanning the interval; `None` draws
/// “已隐藏/无数据” instead of a bar.
pub fn bar_chart(title: &str, bars: &[(String, Option<Interval>)]) -> String {
    let h = 40.0 + ROW_H * bars.len() as f64 + 20.0;
    let w = LABEL_W + PLOT_W + 60.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\">\
         <title>{t}</title><text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{t}</text>",
        t = esc(title)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = LABEL_W + PLOT_W * tick;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"30\" x2=\"{x}\" y2=\"{}\" stroke=\"#ccc\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}%</text>",
            h - 18.0,
            h - 4.0,
            tick * 100.0
        );
    }
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = 34.0 + ROW_H * i as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 6.0,
            y + 13.0,
            esc(label)
        );
        match v {
            Some(iv) => {
                let bw = PLOT_W * iv.estimate.clamp(0.0, 1.0);
                let (lo, hi) = (
                    LABEL_W + PLOT_W * iv.low.clamp(0.0, 1.0),
                    LABEL_W + PLOT_W * iv.high.clamp(0.0, 1.0),
                );
                let mid = y + 8.0;
                let _ = write!(
                    s,
                    "<rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{bw:.1}\" height=\"16\" fill=\"#4a7ab5\"><title>{} {:.1}%（{:.1}%–{:.1}%）</title></rect>\
                     <line x1=\"{lo:.1}\" y1=\"{mid}\" x2=\"{hi:.1}\" y2=\"{mid}\" stroke=\"#000\"/>\
                     <line x1=\"{lo:.1}\" y1=\"{}\" x2=\"{lo:.1}\" y2=\"{}\" stroke=\"#000\"/>\
                     <line x1=\"{hi:.1}\" y1=\"{}\" x2=\"{hi:.1}\" y2=\"{}\" stroke=\"#000\"/>\
                     <text x=\"{}\" y=\"{}\">{:.0}%</text>",
                    esc(label),
                    iv.estimate * 100.0,
                    iv.low * 100.0,
                    iv.high * 100.0,
                    mid - 5.0,
                    mid + 5.0,
                    mid - 5.0,
                    mid + 5.0,
                    hi + 4.0,
                    y + 13.0,
                    iv.estimate * 100.0
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" fill=\"#888\">已隐藏/无数据</text>",
                    LABEL_W + 4.0,
                    y + 13.0
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// A heatmap: one row per category, one column per township, cells shaded by share (0–1);
/// `None` cells (suppressed or no data) are hatched grey and marked “—”.
pub fn heatmap(
    title: &str,
    rows: &[String],
    cols: &[String],
    cells: &[Vec<Option<f64>>],
) -> String {
    let (cw, ch, top) = (46.0, 22.0, 90.0);
    let w = LABEL_W + cw * cols.len() as f64 + 10.0;
    let h = top + ch * rows.len() as f64 + 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"11\">\
         <title>{t}</title><text x=\"4\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{t}</text>",
        t = esc(title)
    );
    for (j, c) in cols.iter().enumerate() {
        let x = LABEL_W + cw * j as f64 + cw / 2.0;
        let _ = write!(
            s,
            "<text transform=\"translate({x},{}) rotate(-55)\">{}</text>",
            top - 6.0,
            esc(c)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + ch * i as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 6.0,
            y + 15.0,
            esc(r)
        );
        for (j, v) in cells
            .get(i)
            .map_or(&[][..], |v| v.as_slice())
            .iter()
            .enumerate()
        {
            let x = LABEL_W + cw * j as f64;
            let (fill, label, ink) = match v {
                Some(p) => {
                    let p = p.clamp(0.0, 1.0);
                    // White to dark blue; text turns white on dark cells.
                    let c = |lo: f64, hi: f64| (lo + (hi - lo) * p).round() as u8;
                    (
                        format!(
                            "#{:02x}{:02x}{:02x}",
                            c(255.0, 8.0),
                            c(255.0, 48.0),
                            c(255.0, 107.0)
                        ),
                        format!("{:.0}", p * 100.0),
                        if p > 0.5 { "#fff" } else { "#000" },
                    )
                }
                None => ("#ddd".to_string(), "—".to_string(), "#555"),
            };
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cw}\" height=\"{ch}\" fill=\"{fill}\" stroke=\"#fff\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\">{label}</text>",
                x + cw / 2.0,
                y + 15.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_whiskers_at_the_interval_and_labels_are_escaped() {
        let svg = bar_chart(
            "需求<比例>",
            &[
                (
                    "科学&技术".into(),
                    Some(Interval {
                        estimate: 0.5,
                        low: 0.25,
                        high: 0.75,
                    }),
                ),
                ("小样本".into(), None),
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("需求&lt;比例&gt;") && svg.contains("科学&amp;技术"));
        // Bar to 50% of the plot, whisker from 25% to 75%.
        assert!(svg.contains("width=\"180.0\""));
        let lo = LABEL_W + PLOT_W * 0.25;
        let hi = LABEL_W + PLOT_W * 0.75;
        assert!(svg.contains(&format!(
            "x1=\"{lo:.1}\" y1=\"42\" x2=\"{hi:.1}\" y2=\"42\""
        )));
        assert!(svg.contains("已隐藏/无数据"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn heatmap_shades_by_share_and_marks_missing_cells() {
        let svg = heatmap(
            "类别×乡镇",
            &["科学教育".into()],
            &["青阳街道".into(), "安海镇".into()],
            &[vec![Some(1.0), None]],
        );
        assert!(svg.contains("fill=\"#08306b\""), "full share is darkest");
        assert!(svg.contains(">100<") && svg.contains(">—<"));
    }
}
