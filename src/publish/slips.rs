//! Printable paper reply slips (回执): one A4 page per slip, the letter's text above a cut line
//! and the slip below it. Every element of the slip (corner marks, QR code, titles, tick boxes,
//! digit rows, ruled lines) is placed where `slip_layout` says, the same positions the scanner
//! reads.

use serde::Serialize;

use crate::app::slips::SlipPrint;
use crate::domain::slip_layout::{LaidBox, Marks, Rect, SlipLayout};
use crate::domain::survey::{class_label, grade_label};
use crate::domain::token::display_code;
use crate::templates::{paragraphs, Templates};

use super::letters::Pager;
use super::qr;

/// One positioned piece of a question: a key, a box, a label, a digit row's name or a line.
#[derive(Serialize)]
struct Piece {
    class: &'static str,
    style: String,
    text: String,
}

/// One question as printed.
#[derive(Serialize)]
struct PaperQuestion {
    title: String,
    title_style: String,
    pieces: Vec<Piece>,
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
    height: String,
    marks: Vec<String>,
    heading: String,
    qr: String,
    footer: String,
    questions: Vec<PaperQuestion>,
    slips: Vec<SlipView>,
    pager: Option<&'a Pager>,
}

/// The CSS placing `r` on the slip.
fn at(r: &Rect) -> String {
    format!(
        "left:{:.2}mm;top:{:.2}mm;width:{:.2}mm;height:{:.2}mm",
        r.x, r.y, r.w, r.h
    )
}

fn box_pieces(b: &LaidBox, out: &mut Vec<Piece>) {
    out.push(Piece {
        class: "k",
        style: at(&b.key_at),
        text: b.key.clone(),
    });
    out.push(Piece {
        class: "box",
        style: at(&b.square),
        text: String::new(),
    });
    if !b.label.is_empty() {
        out.push(Piece {
            class: "l",
            style: at(&b.label_at),
            text: b.label.clone(),
        });
    }
}

fn questions(layout: &SlipLayout) -> Vec<PaperQuestion> {
    layout
        .questions
        .iter()
        .map(|q| {
            let mut pieces = Vec::new();
            match &q.marks {
                Marks::Choice { boxes, .. } => {
                    boxes.iter().for_each(|b| box_pieces(b, &mut pieces))
                }
                Marks::Digits { rows } => {
                    for row in rows {
                        pieces.push(Piece {
                            class: "dn",
                            style: at(&row.name_at),
                            text: row.name.to_string(),
                        });
                        row.boxes.iter().for_each(|b| box_pieces(b, &mut pieces));
                    }
                }
                Marks::Lines { lines } => pieces.extend(lines.iter().map(|r| Piece {
                    class: "line",
                    style: at(r),
                    text: String::new(),
                })),
            }
            PaperQuestion {
                title: q.title.clone(),
                title_style: at(&q.title_at),
                pieces,
            }
        })
        .collect()
}

/// Renders the slips of a print.
pub fn render(templates: &Templates, print: &SlipPrint) -> anyhow::Result<String> {
    let p = &print.link.publication;
    let def = &print.link.def;
    let layout = &print.layout;
    let slips = print
        .slips
        .iter()
        .map(|s| {
            let code = s.code.as_ref();
            let payload = s
                .serial
                .payload(&print.version, code.map(|c| c.code.as_str()));
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
            height: format!("{:.2}", layout.height),
            marks: layout.marks().iter().map(at).collect(),
            heading: at(&layout.heading),
            qr: at(&layout.qr),
            footer: at(&layout.footer),
            questions: questions(layout),
            slips,
            pager: print.pager.as_ref(),
        },
    )
}
