//! Reading the tick boxes of a located slip: each box's ink is measured against the slip's own
//! blank boxes (so grey paper, a dark copy or a light pencil shift every box alike), and each
//! question is read only when every box is clearly blank or clearly marked. Anything else (a
//! faint mark, two marks in a one-answer question, a struck-out option, an incomplete number)
//! goes to a person with a picture of the question.

use image::GrayImage;

use super::geometry::{sample, warp, Homography};
use crate::domain::slip_layout::{LaidBox, LaidQuestion, Marks, Rect, SlipLayout, BOX, MARK};

/// A sample darker than this share of the way from paper to ink counts as ink.
const INKED: f32 = 0.35;
/// A box with less ink than its blank neighbours plus this is blank…
const BLANK_BELOW: f32 = 0.06;
/// …and with at least this much more, marked; in between it is unclear.
const MARKED_FROM: f32 = 0.14;
/// Ink on both sides of a box beside its middle: a stroke through the option.
const STRUCK_FROM: f32 = 0.3;
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
#[derive(Clone, Copy)]
struct Measure {
    inside: f32,
    struck: bool,
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

    /// The share of `r` that is ink.
    fn ink_share(&self, r: Rect, lv: &Levels) -> f32 {
        let g = self.grid(r);
        let span = (lv.paper - lv.ink).max(1.0);
        let inked = g.iter().filter(|v| (lv.paper - **v) / span > INKED).count();
        inked as f32 / g.len().max(1) as f32
    }

    fn measure(&self, b: &LaidBox, lv: &Levels) -> Measure {
        let s = b.square;
        let inside = Rect::new(
            s.x + INSET,
            s.y + INSET,
            BOX - 2.0 * INSET,
            BOX - 2.0 * INSET,
        );
        let mid = (s.y + 1.0, BOX - 2.0);
        let left = Rect::new(s.x - 0.75, mid.0, 0.45, mid.1);
        let right = Rect::new(s.x + BOX + 0.3, mid.0, 0.55, mid.1);
        Measure {
            inside: self.ink_share(inside, lv),
            struck: self.ink_share(left, lv) >= STRUCK_FROM
                && self.ink_share(right, lv) >= STRUCK_FROM,
        }
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

/// Reads every question of `layout` from `img`, where `map` takes slip millimetres to pixels.
/// `None` when the page has too little contrast to tell ink from paper.
pub fn read(
    img: &GrayImage,
    map: &Homography,
    layout: &SlipLayout,
) -> Option<Vec<QuestionReading>> {
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
    let mut insides: Vec<f32> = Vec::new();
    for q in &layout.questions {
        for b in boxes_of(q) {
            let s = b.square;
            insides.extend(reader.grid(Rect::new(
                s.x + INSET,
                s.y + INSET,
                BOX - 2.0 * INSET,
                BOX - 2.0 * INSET,
            )));
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
    let measured: Vec<Vec<Measure>> = layout
        .questions
        .iter()
        .map(|q| {
            boxes_of(q)
                .iter()
                .map(|b| reader.measure(b, &levels))
                .collect()
        })
        .collect();
    let mut shares: Vec<f32> = measured.iter().flatten().map(|m| m.inside).collect();
    shares.sort_by(f32::total_cmp);
    let baseline = shares.get(shares.len() / 2).copied().unwrap_or(0.0);
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
