//! Reading the tick boxes of a located slip: each box's ink is measured against the slip's own
//! blank boxes (so grey paper, a dark copy or a light pencil shift every box alike), and each
//! question is read only when every box is clearly blank or clearly marked. Anything else (a
//! faint mark, two marks in a one-answer question, a struck-out option, an incomplete number)
//! goes to a person with a picture of the question.

use image::GrayImage;

use super::geometry::{sample, warp, Homography};
use super::strike;
use crate::domain::slip_layout::{LaidBox, LaidQuestion, Marks, Rect, SlipLayout, BOX, MARK};

/// A box whose mean darkness (0 paper, 1 ink as dark as the corner marks) is less than its
/// blank neighbours' plus this is blank…
const BLANK_BELOW: f32 = 0.02;
/// …and with at least this much more, marked; in between it is unclear.
const MARKED_FROM: f32 = 0.045;
/// Margin inside a box's printed border that is not measured.
const INSET: f32 = 0.7;
/// Pixels per millimetre of the pictures shown for review.
const CROP_PER_MM: f64 = 6.0;

/// Why a question needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// A box neither clearly blank nor clearly marked.
    Faint,
    /// More than one box marked where one answer is asked.
    TwoMarks,
    /// An option looks struck out or corrected.
    Corrected,
    /// A number with a digit row left empty or marked twice.
    Digits,
}

impl Doubt {
    /// What the review screen says.
    pub fn text(self) -> &'static str {
        match self {
            Doubt::Faint => "有方框的记号太淡或不完整，机器分不清是否选了",
            Doubt::TwoMarks => "这道题只能选一项，但有不止一个方框有记号",
            Doubt::Corrected => "有选项像是被划掉或改过",
            Doubt::Digits => "数字没有涂完整（有的行没涂，或一行涂了不止一个）",
        }
    }
}

/// What was read of one question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Read without doubt: the values chosen (an option id, a grade, a number), none when left
    /// blank.
    Read(Vec<String>),
    /// For a person: why, and the boxes that looked marked (shown, never taken as the answer).
    Review {
        doubt: Doubt,
        looked_marked: Vec<String>,
    },
    /// Free text: not read by machine.
    Text,
}

/// One question of a scanned slip.
#[derive(Debug, Clone)]
pub struct QuestionReading {
    pub id: String,
    pub outcome: Outcome,
    /// A PNG of the question, for review.
    pub crop: Option<Vec<u8>>,
}

/// Paper and ink levels of one slip.
struct Levels {
    paper: f32,
    ink: f32,
}

/// Everything measured of one box.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measure {
    /// Mean darkness inside the box's border.
    pub inside: f32,
    /// Whether the option looks struck through.
    pub struck: bool,
}

struct Reader<'a> {
    img: &'a GrayImage,
    map: &'a Homography,
    per_mm: f64,
}

impl Reader<'_> {
    /// Grey values on an even grid over `r` (mm).
    fn grid(&self, r: Rect) -> Vec<f32> {
        let n = ((f64::from(r.w.max(r.h)) * self.per_mm).ceil() as usize).clamp(4, 24);
        let (nx, ny) = if r.w >= r.h {
            (n, ((n as f32 * r.h / r.w).ceil() as usize).max(2))
        } else {
            (((n as f32 * r.w / r.h).ceil() as usize).max(2), n)
        };
        let mut out = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            for i in 0..nx {
                let x = f64::from(r.x) + (i as f64 + 0.5) * f64::from(r.w) / nx as f64;
                let y = f64::from(r.y) + (j as f64 + 0.5) * f64::from(r.h) / ny as f64;
                let p = self.map.map((x, y));
                out.push(sample(self.img, p.0, p.1));
            }
        }
        out
    }

    /// Darkness at a point: 0 for paper, 1 for ink as dark as the corner marks.
    fn dark_at(&self, (x, y): (f64, f64), lv: &Levels) -> f32 {
        let p = self.map.map((x, y));
        (lv.paper - sample(self.img, p.0, p.1)) / (lv.paper - lv.ink).max(1.0)
    }

    /// Mean darkness of `r`.
    fn darkness(&self, r: Rect, lv: &Levels) -> f32 {
        let g = self.grid(r);
        let span = (lv.paper - lv.ink).max(1.0);
        g.iter()
            .map(|v| ((lv.paper - v) / span).clamp(-0.5, 1.2))
            .sum::<f32>()
            / g.len().max(1) as f32
    }
}

pub(crate) fn boxes_of(q: &LaidQuestion) -> Vec<&LaidBox> {
    match &q.marks {
        Marks::Choice { boxes, .. } => boxes.iter().collect(),
        Marks::Digits { rows } => rows.iter().flat_map(|r| &r.boxes).collect(),
        Marks::Lines { .. } => Vec::new(),
    }
}

enum Seen {
    Blank,
    Marked,
    Unclear,
}

fn seen(inside: f32, baseline: f32) -> Seen {
    let above = inside - baseline;
    if above < BLANK_BELOW {
        Seen::Blank
    } else if above >= MARKED_FROM {
        Seen::Marked
    } else {
        Seen::Unclear
    }
}

/// Every box of `layout` on `img` measured, question by question, and the darkness of a blank
/// box on this slip. `None` when the page has too little contrast to tell ink from paper.
pub(crate) fn measure_all(
    img: &GrayImage,
    map: &Homography,
    layout: &SlipLayout,
) -> Option<(Vec<Vec<Measure>>, f32)> {
    let per_mm = map.scale_at((
        f64::from(layout.width) / 2.0,
        f64::from(layout.height) / 2.0,
    ));
    let reader = Reader { img, map, per_mm };
    let ink = {
        let mut all = Vec::new();
        for m in layout.marks() {
            all.extend(reader.grid(Rect::new(m.x + 1.0, m.y + 1.0, MARK - 2.0, MARK - 2.0)));
        }
        all.iter().sum::<f32>() / all.len().max(1) as f32
    };
    let inner = |s: Rect| {
        Rect::new(
            s.x + INSET,
            s.y + INSET,
            BOX - 2.0 * INSET,
            BOX - 2.0 * INSET,
        )
    };
    let mut insides: Vec<f32> = Vec::new();
    for q in &layout.questions {
        for b in boxes_of(q) {
            insides.extend(reader.grid(inner(b.square)));
        }
    }
    insides.sort_by(f32::total_cmp);
    let paper = insides
        .get(insides.len() * 9 / 10)
        .copied()
        .unwrap_or(255.0);
    if paper - ink < 60.0 {
        return None;
    }
    let levels = Levels { paper, ink };
    let dark: Vec<Vec<f32>> = layout
        .questions
        .iter()
        .map(|q| {
            boxes_of(q)
                .iter()
                .map(|b| reader.darkness(inner(b.square), &levels))
                .collect()
        })
        .collect();
    let mut all: Vec<f32> = dark.iter().flatten().copied().collect();
    all.sort_by(f32::total_cmp);
    let baseline = all.get(all.len() / 2).copied().unwrap_or(0.0);
    let step = (1.0 / per_mm).clamp(0.08, 0.2);
    let measured = layout
        .questions
        .iter()
        .zip(dark)
        .map(|(q, d)| {
            boxes_of(q)
                .iter()
                .zip(d)
                .map(|(b, inside)| Measure {
                    inside,
                    struck: inside - baseline >= BLANK_BELOW
                        && strike::struck(
                            |x, y| reader.dark_at((x, y), &levels),
                            b.square,
                            !b.label.is_empty(),
                            step,
                        ),
                })
                .collect()
        })
        .collect();
    Some((measured, baseline))
}

/// Reads every question of `layout` from `img`, where `map` takes slip millimetres to pixels.
/// `None` when the page has too little contrast to tell ink from paper.
pub fn read(
    img: &GrayImage,
    map: &Homography,
    layout: &SlipLayout,
) -> Option<Vec<QuestionReading>> {
    let (measured, baseline) = measure_all(img, map, layout)?;
    Some(
        layout
            .questions
            .iter()
            .zip(&measured)
            .map(|(q, m)| {
                let outcome = judge(q, m, baseline);
                let crop =
                    matches!(outcome, Outcome::Review { .. }).then(|| crop(img, map, q.area));
                QuestionReading {
                    id: q.id.clone(),
                    outcome,
                    crop: crop.flatten(),
                }
            })
            .collect(),
    )
}

/// A question's outcome from its boxes' measures.
fn judge(q: &LaidQuestion, m: &[Measure], baseline: f32) -> Outcome {
    let boxes = boxes_of(q);
    let looked: Vec<String> = boxes
        .iter()
        .zip(m)
        .filter(|(_, m)| !matches!(seen(m.inside, baseline), Seen::Blank))
        .map(|(b, _)| b.key.clone())
        .collect();
    let review = |doubt| Outcome::Review {
        doubt,
        looked_marked: looked.clone(),
    };
    if m.iter().any(|m| m.struck) {
        return review(Doubt::Corrected);
    }
    if m.iter()
        .any(|m| matches!(seen(m.inside, baseline), Seen::Unclear))
    {
        return review(Doubt::Faint);
    }
    let marked = |bs: &[&LaidBox], ms: &[Measure]| -> Vec<String> {
        bs.iter()
            .zip(ms)
            .filter(|(_, m)| matches!(seen(m.inside, baseline), Seen::Marked))
            .map(|(b, _)| b.value.clone())
            .collect()
    };
    match &q.marks {
        Marks::Lines { .. } => Outcome::Text,
        Marks::Choice { multi, .. } => {
            let chosen = marked(&boxes, m);
            if !multi && chosen.len() > 1 {
                review(Doubt::TwoMarks)
            } else {
                Outcome::Read(chosen)
            }
        }
        Marks::Digits { rows } => {
            let mut at = 0;
            let mut digits = String::new();
            let mut empty_rows = 0;
            for row in rows {
                let n = row.boxes.len();
                let chosen = marked(&boxes[at..at + n], &m[at..at + n]);
                at += n;
                match chosen.as_slice() {
                    [] => empty_rows += 1,
                    [d] => digits.push_str(d),
                    _ => return review(Doubt::Digits),
                }
            }
            if empty_rows == rows.len() {
                Outcome::Read(Vec::new())
            } else if empty_rows > 0 {
                review(Doubt::Digits)
            } else {
                let n: u32 = digits.parse().unwrap_or(0);
                Outcome::Read(vec![n.to_string()])
            }
        }
    }
}

/// A PNG of `area` (mm) straightened, for the review screen.
fn crop(img: &GrayImage, map: &Homography, area: Rect) -> Option<Vec<u8>> {
    let r = area.grown(1.0);
    let pic = warp(
        img,
        map,
        (
            f64::from(r.x),
            f64::from(r.y),
            f64::from(r.w),
            f64::from(r.h),
        ),
        CROP_PER_MM,
    );
    let mut out = std::io::Cursor::new(Vec::new());
    pic.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}
