//! Printable paper reply slips (回执): one A4 page per slip, the letter's text above a cut line
//! and the slip below it, with corner marks, a QR code, the serial, numbered tick boxes (the
//! number is the key the typist presses), digit boxes and ruled lines for free text.

use serde::Serialize;

use crate::app::slips::SlipPrint;
use crate::domain::school::SchoolLevel;
use crate::domain::survey::{
    boxes, class_label, condition, grade_label, paper_view, Question, QuestionKind,
};
use crate::domain::token::display_code;
use crate::templates::{paragraphs, Templates};

use super::letters::Pager;
use super::qr;

/// Ruled lines printed for a free-text question.
const TEXT_LINES: usize = 3;

#[derive(Serialize)]
struct BoxView {
    key: String,
    label: String,
}

/// One question as printed.
#[derive(Serialize)]
struct PaperQuestion {
    number: usize,
    title: String,
    /// When to answer it, for a question asked only after some answer.
    condition: Option<String>,
    multi: bool,
    boxes: Vec<BoxView>,
    /// Digit boxes (a class or a number).
    digits: Vec<()>,
    unit: Option<String>,
    lines: Vec<()>,
}

#[derive(Serialize)]
struct SlipView {
    serial: String,
    qr_svg: String,
    code: Option<String>,
    class_label: Option<String>,
}

#[derive(Serialize)]
struct SlipsPage<'a> {
    title: String,
    survey_title: &'a str,
    school_name: &'a str,
    round_name: &'a str,
    letter: Vec<String>,
    questions: Vec<PaperQuestion>,
    slips: Vec<SlipView>,
    pager: Option<&'a Pager>,
}

/// Renders the slips of a print.
pub fn render(templates: &Templates, print: &SlipPrint) -> anyhow::Result<String> {
    let p = &print.link.publication;
    let level = SchoolLevel::from_db_code(&p.school_level);
    let def = paper_view(&print.link.def);
    let with_code = print.slips.iter().any(|s| s.code.is_some());
    let printed: Vec<&Question> = def
        .questions
        .iter()
        .filter(|q| {
            !(with_code
                && matches!(
                    q.kind,
                    QuestionKind::Grade { .. } | QuestionKind::Class { .. }
                ))
        })
        .collect();
    let numbers: Vec<(String, usize)> = printed
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.clone(), i + 1))
        .collect();
    let questions = printed
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let digits = match &q.kind {
                QuestionKind::Class { max_class } => max_class.to_string().len(),
                QuestionKind::Number { max, .. } => max.to_string().len(),
                _ => 0,
            };
            PaperQuestion {
                number: i + 1,
                title: q.title.clone(),
                condition: condition(&def, &numbers, q),
                multi: matches!(q.kind, QuestionKind::Multi { .. }),
                boxes: boxes(q, level)
                    .into_iter()
                    .map(|(key, _, label)| BoxView { key, label })
                    .collect(),
                digits: vec![(); digits],
                unit: match &q.kind {
                    QuestionKind::Number { unit, .. } => unit.clone(),
                    QuestionKind::Class { .. } => Some("班".into()),
                    _ => None,
                },
                lines: vec![
                    ();
                    if matches!(q.kind, QuestionKind::Text { .. }) {
                        TEXT_LINES
                    } else {
                        0
                    }
                ],
            }
        })
        .collect();
    let slips = print
        .slips
        .iter()
        .map(|s| {
            let code = s.code.as_ref();
            let payload = s
                .serial
                .payload(&print.layout, code.map(|c| c.code.as_str()));
            Ok(SlipView {
                serial: s.serial.to_string(),
                qr_svg: qr::inline_svg(&payload)?,
                code: code.map(|c| display_code(&c.code)),
                class_label: code.and_then(|c| match (c.grade, c.class_no) {
                    (Some(g), Some(k)) => Some(format!(
                        "{}{}",
                        grade_label(u8::try_from(g).unwrap_or(0)),
                        class_label(u16::try_from(k).unwrap_or(0))
                    )),
                    _ => None,
                }),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    templates.render(
        "print_slips",
        &SlipsPage {
            title: format!("{} · {} · 纸质回执", def.title, p.school_name),
            survey_title: &def.title,
            school_name: &p.school_name,
            round_name: &p.round_name,
            letter: paragraphs(&def.letter_for(&p.school_name)),
            questions,
            slips,
            pager: print.pager.as_ref(),
        },
    )
}
