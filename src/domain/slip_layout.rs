//! Where everything sits on a printed reply slip (回执), in millimetres from the slip's top-left
//! corner: the four corner marks, the QR code, each question's title and each tick box. The
//! printed page places every element at these positions, and the scanner reads each box at the
//! same positions, so print and scan cannot drift apart.
//!
//! Numbers (a class, a count of weeks) are printed as one row of boxes 0–9 per digit, as on an
//! answer sheet, so that a machine can read them as it reads ticks.

use super::school::SchoolLevel;
use super::survey::{boxes, condition, paper_view, Question, QuestionKind, SurveyDefinition};

/// Slip width: the printable width of an A4 page with 14 mm side margins.
pub const WIDTH: f32 = 182.0;
/// The tallest slip that fits on one A4 page with 12 mm top and bottom margins.
pub const MAX_HEIGHT: f32 = 272.0;
/// Side of each solid black corner mark.
pub const MARK: f32 = 5.0;
/// Side of a tick box.
pub const BOX: f32 = 4.0;
/// Side of the QR code, its quiet zone included.
pub const QR: f32 = 26.0;
/// Left and right inner margin: content stays clear of the corner marks.
const PAD: f32 = 9.0;
/// Where the first question starts, below the heading and the QR code.
const TOP: f32 = 37.0;
/// Title text: the size of one Chinese character, and the line height.
pub const TITLE_FONT: f32 = 3.5;
const TITLE_LINE: f32 = 5.0;
/// Option labels: the size of one Chinese character.
pub const LABEL_FONT: f32 = 3.3;
/// One row of boxes.
const ROW: f32 = 6.0;
/// The option's key before its box, and the gaps around the box.
const KEY_W: f32 = 2.6;
const GAP: f32 = 0.8;
const LABEL_GAP: f32 = 1.2;
/// Space after a cell, before the next column.
const CELL_END: f32 = 3.0;
/// One cell of a digit row (`0□`).
const DIGIT_CELL: f32 = 9.5;
/// Width of a digit row's name (十位, 个位).
const DIGIT_NAME: f32 = 12.0;
/// A ruled line for free text.
const TEXT_LINE: f32 = 7.0;
const TEXT_LINES: usize = 3;
/// Space between questions, and the closing note's height.
const Q_GAP: f32 = 2.2;
const FOOTER: f32 = 11.0;
const BOTTOM: f32 = 7.0;
/// The most columns of options in one question.
const MAX_COLS: usize = 5;

/// A rectangle on the slip, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Rect { x, y, w, h }
    }

    pub fn centre(&self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The rectangle grown by `d` on every side.
    pub fn grown(&self, d: f32) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }
}

/// One tick box and its printed key and label.
#[derive(Debug, Clone)]
pub struct LaidBox {
    /// What ticking it answers (an option id, a grade, a digit).
    pub value: String,
    /// The printed key, also the entry screen's key.
    pub key: String,
    pub label: String,
    pub key_at: Rect,
    pub square: Rect,
    pub label_at: Rect,
}

/// One row of digit boxes (a number's hundreds, tens or units).
#[derive(Debug, Clone)]
pub struct DigitRow {
    pub name: &'static str,
    pub name_at: Rect,
    pub boxes: Vec<LaidBox>,
}

/// What a question prints below its title.
#[derive(Debug, Clone)]
pub enum Marks {
    /// Tick boxes: one answer, or several.
    Choice { multi: bool, boxes: Vec<LaidBox> },
    /// A number, one row of boxes per digit, most significant first.
    Digits { rows: Vec<DigitRow> },
    /// Ruled lines for free text, not read by machine.
    Lines { lines: Vec<Rect> },
}

/// One question as laid out.
#[derive(Debug, Clone)]
pub struct LaidQuestion {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub title_at: Rect,
    pub marks: Marks,
    /// Everything the question prints: its title and its boxes.
    pub area: Rect,
}

/// A whole slip.
#[derive(Debug, Clone)]
pub struct SlipLayout {
    pub width: f32,
    pub height: f32,
    pub heading: Rect,
    pub qr: Rect,
    pub questions: Vec<LaidQuestion>,
    pub footer: Rect,
}

impl SlipLayout {
    /// The four corner marks: top left, top right, bottom left, bottom right.
    pub fn marks(&self) -> [Rect; 4] {
        let (r, b) = (self.width - MARK, self.height - MARK);
        [
            Rect::new(0.0, 0.0, MARK, MARK),
            Rect::new(r, 0.0, MARK, MARK),
            Rect::new(0.0, b, MARK, MARK),
            Rect::new(r, b, MARK, MARK),
        ]
    }

    /// Whether the slip fits on one A4 page.
    pub fn fits_a4(&self) -> bool {
        self.height <= MAX_HEIGHT
    }
}

/// The printed width of `text` at `font` millimetres per Chinese character: a Chinese character
/// or full-width sign takes the whole size, anything narrower at most 0.6 of it. The estimate
/// errs wide, so that printed text always fits the room given to it.
pub fn text_width(text: &str, font: f32) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f32>()
        * font
}

/// Lines `text` takes in a room `width` wide.
fn lines(text: &str, font: f32, width: f32) -> usize {
    let w = text_width(text, font);
    ((w / width).ceil() as usize).max(1)
}

/// Names of digit rows, for a number of `digits` digits (most significant first).
fn digit_names(digits: usize) -> &'static [&'static str] {
    match digits {
        1 => &["个位"],
        2 => &["十位", "个位"],
        3 => &["百位", "十位", "个位"],
        _ => &["千位", "百位", "十位", "个位"],
    }
}

/// The question's title as printed: number, title, and when to answer it.
fn printed_title(
    def: &SurveyDefinition,
    numbers: &[(String, usize)],
    q: &Question,
    n: usize,
) -> String {
    let mut t = format!("{n}. {}", q.title);
    match &q.kind {
        QuestionKind::Multi { .. } if !q.title.contains("可多选") => t.push_str("（可多选）"),
        QuestionKind::Number { unit, .. } => {
            t.push_str("（每行涂一个数字");
            if let Some(u) = unit {
                t.push_str("，单位：");
                t.push_str(u);
            }
            t.push('）');
        }
        QuestionKind::Class { .. } => t.push_str("（每行涂一个数字，例如 3 班涂十位 0、个位 3）"),
        _ => {}
    }
    if let Some(c) = condition(def, numbers, q) {
        t.push_str(&format!("（{c}）"));
    }
    t
}

/// The slip of a survey (all its questions; those on paper are laid out) at a school of `level`.
pub fn for_survey(
    def: &SurveyDefinition,
    level: Option<SchoolLevel>,
    with_code: bool,
) -> SlipLayout {
    layout(&paper_view(def), level, with_code)
}

/// The slip for the paper view of a survey (`def` holds only the questions on paper) at a school
/// of `level`; with a per-student code the code gives grade and class, so those are not printed.
pub fn layout(def: &SurveyDefinition, level: Option<SchoolLevel>, with_code: bool) -> SlipLayout {
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
    let inner = WIDTH - 2.0 * PAD;
    let mut y = TOP;
    let mut questions = Vec::with_capacity(printed.len());
    for (i, q) in printed.iter().enumerate() {
        let top = y;
        let title = printed_title(def, &numbers, q, i + 1);
        let title_h = lines(&title, TITLE_FONT, inner) as f32 * TITLE_LINE;
        let title_at = Rect::new(PAD, y, inner, title_h);
        y += title_h + 0.6;
        let marks = match &q.kind {
            QuestionKind::Number { max, .. } => Marks::Digits {
                rows: digit_rows(&max.to_string(), &mut y),
            },
            QuestionKind::Class { max_class } => Marks::Digits {
                rows: digit_rows(&max_class.to_string(), &mut y),
            },
            QuestionKind::Text { .. } => {
                let lines = (0..TEXT_LINES)
                    .map(|k| Rect::new(PAD + 4.0, y + k as f32 * TEXT_LINE, inner - 4.0, TEXT_LINE))
                    .collect();
                y += TEXT_LINES as f32 * TEXT_LINE;
                Marks::Lines { lines }
            }
            _ => Marks::Choice {
                multi: matches!(q.kind, QuestionKind::Multi { .. }),
                boxes: option_grid(boxes(q, level), inner, &mut y),
            },
        };
        questions.push(LaidQuestion {
            id: q.id.clone(),
            number: i + 1,
            title,
            title_at,
            marks,
            area: Rect::new(PAD - 1.0, top - 0.8, inner + 2.0, y - top + 1.0),
        });
        y += Q_GAP;
    }
    let footer = Rect::new(PAD, y, inner, FOOTER);
    let height = y + FOOTER + BOTTOM;
    SlipLayout {
        width: WIDTH,
        height,
        heading: Rect::new(PAD, 6.0, inner - QR - 4.0, TOP - 8.0),
        qr: Rect::new(WIDTH - PAD - QR, 7.0, QR, QR),
        questions,
        footer,
    }
}

/// One box in a cell starting at `(x, y)`: key, box, then the label in `label_w`.
fn cell(
    key: String,
    value: String,
    label: String,
    (x, y): (f32, f32),
    label_w: f32,
    label_h: f32,
) -> LaidBox {
    let box_y = y + (ROW - BOX) / 2.0;
    LaidBox {
        key_at: Rect::new(x, y, KEY_W, ROW),
        square: Rect::new(x + KEY_W + GAP, box_y, BOX, BOX),
        label_at: Rect::new(x + KEY_W + GAP + BOX + LABEL_GAP, y, label_w, label_h),
        value,
        key,
        label,
    }
}

/// Options in as many equal columns as their longest label allows, row by row.
fn option_grid(items: Vec<(String, String, String)>, inner: f32, y: &mut f32) -> Vec<LaidBox> {
    let fixed = KEY_W + GAP + BOX + LABEL_GAP + CELL_END;
    let longest = items
        .iter()
        .map(|(_, _, l)| text_width(l, LABEL_FONT))
        .fold(0.0_f32, f32::max);
    let cols = (1..=MAX_COLS.min(items.len().max(1)))
        .rev()
        .find(|c| (fixed + longest) * *c as f32 <= inner)
        .unwrap_or(1);
    let col_w = inner / cols as f32;
    let label_w = col_w - fixed;
    let mut out = Vec::with_capacity(items.len());
    for row in items.chunks(cols) {
        let row_lines = row
            .iter()
            .map(|(_, _, l)| lines(l, LABEL_FONT, label_w))
            .max()
            .unwrap_or(1);
        let row_h = ROW + (row_lines - 1) as f32 * (LABEL_FONT * 1.45);
        for (c, (key, value, label)) in row.iter().cloned().enumerate() {
            let x = PAD + c as f32 * col_w;
            out.push(cell(key, value, label, (x, *y), label_w, row_h));
        }
        *y += row_h;
    }
    out
}

/// Rows of digit boxes for numbers up to `max` (its decimal digits).
fn digit_rows(max: &str, y: &mut f32) -> Vec<DigitRow> {
    let digits = max.len().clamp(1, 4);
    let first = max.bytes().next().map_or(9, |b| b - b'0');
    digit_names(digits)
        .iter()
        .enumerate()
        .map(|(r, name)| {
            let top = if r == 0 { first } else { 9 };
            let boxes = (0..=top)
                .map(|d| {
                    let x = PAD + DIGIT_NAME + f32::from(d) * DIGIT_CELL;
                    cell(
                        d.to_string(),
                        d.to_string(),
                        String::new(),
                        (x, *y),
                        0.0,
                        ROW,
                    )
                })
                .collect();
            let row = DigitRow {
                name,
                name_at: Rect::new(PAD + 4.0, *y, DIGIT_NAME - 4.0, ROW),
                boxes,
            };
            *y += ROW;
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::domain::survey::{parse_definition, Taxonomy};

    fn shipped() -> SurveyDefinition {
        let tax = Taxonomy::parse(include_str!("../../survey-definitions/taxonomy.toml")).unwrap();
        let text = include_str!("../../survey-definitions/after-school-needs.toml");
        paper_view(&parse_definition(text, &tax).unwrap())
    }

    #[test]
    fn the_shipped_slip_fits_a4_and_no_two_boxes_overlap() {
        for with_code in [false, true] {
            let l = layout(&shipped(), Some(SchoolLevel::Primary), with_code);
            assert!(l.fits_a4(), "{} mm", l.height);
            let mut squares: Vec<Rect> = Vec::new();
            for q in &l.questions {
                let b: Vec<&LaidBox> = match &q.marks {
                    Marks::Choice { boxes, .. } => boxes.iter().collect(),
                    Marks::Digits { rows } => rows.iter().flat_map(|r| &r.boxes).collect(),
                    Marks::Lines { .. } => Vec::new(),
                };
                for x in b {
                    assert!(x.square.x > MARK && x.square.x + BOX < WIDTH - MARK);
                    for s in &squares {
                        let apart = x.square.x >= s.x + s.w + 1.0
                            || s.x >= x.square.x + BOX + 1.0
                            || x.square.y >= s.y + s.h + 1.0
                            || s.y >= x.square.y + BOX + 1.0;
                        assert!(apart, "{} overlaps", q.id);
                    }
                    squares.push(x.square);
                }
            }
            assert!(squares.len() > 20);
        }
    }

    #[test]
    fn a_class_up_to_20_has_a_tens_row_0_to_2_and_a_units_row() {
        let mut y = 0.0;
        let rows = digit_rows("20", &mut y);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].boxes.len(), 3);
        assert_eq!(rows[1].boxes.len(), 10);
        assert_eq!(rows[0].name, "十位");
    }
}
