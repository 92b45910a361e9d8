//! Handlebars templates, embedded in the binary so that one file is the whole
//! application. Sources live in `templates/`; HTML-escaping is on.

use anyhow::Context;
use handlebars::Handlebars;
use serde::Serialize;

/// (registered name, source), in dependency order.
const TEMPLATES: &[(&str, &str)] = &[
    ("css", include_str!("../templates/static/app.css")),
    (
        "print_css",
        include_str!("../templates/partials/print_css.hbs"),
    ),
    (
        "slip_css",
        include_str!("../templates/partials/slip_css.hbs"),
    ),
    (
        "admin_css",
        include_str!("../templates/partials/admin_css.hbs"),
    ),
    (
        "admin_form",
        include_str!("../templates/partials/admin_form.hbs"),
    ),
    (
        "layouts/base",
        include_str!("../templates/layouts/base.hbs"),
    ),
    (
        "question",
        include_str!("../templates/partials/question.hbs"),
    ),
    ("letter", include_str!("../templates/pages/letter.hbs")),
    ("form", include_str!("../templates/pages/form.hbs")),
    ("thanks", include_str!("../templates/pages/thanks.hbs")),
    (
        "class_next",
        include_str!("../templates/pages/class_next.hbs"),
    ),
    (
        "class_session",
        include_str!("../templates/pages/class_session.hbs"),
    ),
    ("message", include_str!("../templates/pages/message.hbs")),
    ("home", include_str!("../templates/pages/home.hbs")),
    ("code", include_str!("../templates/pages/code.hbs")),
    (
        "print_letter",
        include_str!("../templates/pages/print_letter.hbs"),
    ),
    (
        "print_slips",
        include_str!("../templates/pages/print_slips.hbs"),
    ),
    ("admin", include_str!("../templates/pages/admin.hbs")),
    (
        "editor_field",
        include_str!("../templates/partials/editor_field.hbs"),
    ),
    (
        "survey_editor",
        include_str!("../templates/pages/survey_editor.hbs"),
    ),
    (
        "paper_entry",
        include_str!("../templates/pages/paper_entry.hbs"),
    ),
    ("feedback", include_str!("../templates/pages/feedback.hbs")),
    ("cases", include_str!("../templates/pages/cases.hbs")),
];

/// The optional survey script, served at /static/survey.js.
pub const SURVEY_JS: &str = include_str!("../templates/static/survey.js");

/// The optional key handling of the paper-slip entry screen, served at /static/paper.js.
pub const PAPER_JS: &str = include_str!("../templates/static/paper.js");

/// The optional editor script (drag to reorder, live preview), served at /static/editor.js.
pub const EDITOR_JS: &str = include_str!("../templates/static/editor.js");

/// The optional staff script (copy buttons), served at /static/staff.js.
pub const STAFF_JS: &str = include_str!("../templates/static/staff.js");

pub struct Templates {
    hb: Handlebars<'static>,
}

impl Templates {
    pub fn new() -> anyhow::Result<Self> {
        let mut hb = Handlebars::new();
        for (name, src) in TEMPLATES {
            hb.register_template_string(name, *src)
                .with_context(|| format!("template {name}"))?;
        }
        Ok(Self { hb })
    }

    pub fn render(&self, name: &str, data: &impl Serialize) -> anyhow::Result<String> {
        self.hb
            .render(name, data)
            .with_context(|| format!("rendering template {name}"))
    }
}

/// A minimal page for errors, built without the registry so that it works
/// even when rendering is what failed.
/// The one escaper for HTML and SVG built outside the templates (reports, charts, e-mails):
/// `&`, `<`, `>`, `"` and `'`, so that text is safe between tags and inside any quoted
/// attribute (every attribute this code writes is quoted).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn plain_message_page(title: &str, message: &str, way_back: &[(&str, &str)]) -> String {
    let t = handlebars::html_escape(title);
    let m = handlebars::html_escape(message);
    let links: String = way_back
        .iter()
        .map(|(href, text)| {
            format!(
                "<a href=\"{}\">{}</a>",
                handlebars::html_escape(href),
                handlebars::html_escape(text)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let nav = if links.is_empty() {
        String::new()
    } else {
        format!("<nav aria-label=\"返回\"><p>{links}</p></nav>")
    };
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>body{{font:16px/1.6 sans-serif;max-width:40rem;\
         margin:0 auto;padding:1rem;color:#1a1a1a}}h1{{font-size:1.3rem}}\
         nav a{{display:inline-block;min-height:44px;line-height:44px;margin:0 1rem 0 0;color:#0645ad}}</style></head>\
         <body><main><h1>{t}</h1><p>{m}</p>{nav}</main></body></html>"
    )
}

/// Splits a multi-line text into trimmed, non-empty paragraphs.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::views::admin::{Cell, Field, Form, Page, Section, Table};

    #[test]
    fn the_escaper_covers_both_quotes() {
        assert_eq!(
            escape(r#"<a href='x' title="y">&</a>"#),
            "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("?format=xlsx 科学"), "?format=xlsx 科学");
    }

    #[test]
    fn every_template_compiles_and_the_staff_page_renders() {
        let t = Templates::new().unwrap();
        let mut cell = Cell::text("x");
        cell.button = Some(Form::post(
            "/b",
            "tok",
            "停用",
            vec![Field::input("hidden", "a", "").value("1")],
        ));
        let page = Page::public("标题").section(Section {
            table: Some(Table {
                headers: vec!["h".into()],
                rows: vec![vec![cell]],
            }),
            form: Some(Form::post(
                "/a",
                "tok",
                "提交",
                vec![
                    Field::input("text", "name", "姓名<script>"),
                    Field::select("s", "选择", vec![("1".into(), "一".into())], "1"),
                    Field::textarea("t", "文字"),
                ],
            )),
            ..Section::default()
        });
        let html = t
            .render("admin", &page)
            .map_err(|e| format!("{e:#}"))
            .unwrap();
        assert!(html.contains("姓名&lt;script&gt;"));
        assert!(html.contains(r#"name="csrf" value="tok""#));
        assert!(html.contains(r#"<option value="1" selected>一</option>"#));
    }
}
