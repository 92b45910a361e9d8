//! Filling in one slip as a parent might: random true answers, each marked with a tick, a
//! cross or a fill in one pen, now and then a wrong option struck through and the right one
//! ticked, stray marks away from the boxes and handwriting on the text lines.

use image::GrayImage;

use super::draw::{polyline, Pen};
use super::{Base, Rng};
use crate::domain::slip_layout::{text_width, LaidBox, Marks, Rect, BOX, LABEL_FONT};

/// What a question truly holds.
#[derive(Debug, Clone)]
pub struct Truth {
    /// The values a correct reading gives (none marked: empty); `None` for free text.
    pub values: Option<Vec<String>>,
    /// How many boxes are marked.
    pub marks: usize,
    /// The key of an option struck out.
    pub struck: Option<String>,
    /// Which boxes hold a mark, in the scanner's order (a struck box counts as marked).
    pub inked: Vec<bool>,
}

#[derive(Clone, Copy)]
enum Style {
    Tick,
    Cross,
    Fill,
}

struct Hand<'a> {
    base: &'a Base,
    img: GrayImage,
    pen: Pen,
    style: Style,
    per_mm: f64,
}

impl Hand<'_> {
    fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        self.base.to_px.map((x, y))
    }

    fn stroke(&mut self, mm: &[(f64, f64)], pen: Pen) {
        let pts: Vec<(f64, f64)> = mm.iter().map(|p| self.px(*p)).collect();
        polyline(&mut self.img, &pts, pen);
    }

    /// A mark in box `b` in this hand's style, with size, place and pressure a little off.
    fn mark(&mut self, b: &LaidBox, rng: &mut Rng) {
        let (cx, cy) = b.square.centre();
        let (cx, cy) = (
            f64::from(cx) + rng.range(-0.5, 0.5),
            f64::from(cy) + rng.range(-0.5, 0.5),
        );
        let s = f64::from(BOX) * rng.range(0.75, 1.3);
        let pen = Pen {
            width: self.pen.width * rng.range(0.85, 1.15),
            ink: (self.pen.ink + rng.range(-10.0, 10.0)).clamp(15.0, 160.0),
        };
        let tilt = rng.range(-0.25, 0.25);
        let (sin, cos) = tilt.sin_cos();
        let at = |dx: f64, dy: f64| (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
        match self.style {
            Style::Tick => self.stroke(
                &[
                    at(-0.4 * s, 0.0),
                    at(-0.1 * s, 0.35 * s),
                    at(0.45 * s, -0.45 * s),
                ],
                pen,
            ),
            Style::Cross => {
                self.stroke(&[at(-0.38 * s, -0.38 * s), at(0.38 * s, 0.38 * s)], pen);
                self.stroke(&[at(0.38 * s, -0.38 * s), at(-0.38 * s, 0.38 * s)], pen);
            }
            Style::Fill => {
                let half = (0.42 * s).min(0.5 * f64::from(BOX) + 0.3);
                let pen = Pen {
                    width: pen.width.max(0.5 * self.per_mm),
                    ..pen
                };
                let step = pen.width / self.per_mm * rng.range(0.7, 1.0);
                let mut pts = Vec::new();
                let mut y = -half;
                let mut left = true;
                while y <= half {
                    pts.push(at(if left { -half } else { half }, y));
                    left = !left;
                    y += step;
                }
                self.stroke(&pts, pen);
            }
        }
    }

    /// A line struck through option `b`: its key, its box and the start of its label.
    fn strike(&mut self, b: &LaidBox, rng: &mut Rng) {
        let y = f64::from(b.square.centre().1) + rng.range(-0.5, 0.5);
        let x0 = f64::from(b.key_at.x) + rng.range(0.0, 0.8);
        let x1 = if b.label.is_empty() {
            f64::from(b.square.x + BOX) + rng.range(0.8, 1.6)
        } else {
            f64::from(b.label_at.x)
                + f64::from(text_width(&b.label, LABEL_FONT).min(b.label_at.w)).min(12.0)
                    * rng.range(0.5, 1.0)
                + 1.0
        };
        let rise = (x1 - x0) * rng.range(-0.035, 0.035);
        self.stroke(&[(x0, y - rise / 2.0), (x1, y + rise / 2.0)], self.pen);
    }

    /// A stray stroke or dot at least 3 mm from every box, mark and the QR code.
    fn stray(&mut self, keep_clear: &[Rect], rng: &mut Rng) {
        let l = &self.base.layout;
        for _ in 0..30 {
            let x = rng.range(8.0, f64::from(l.width) - 8.0);
            let y = rng.range(8.0, f64::from(l.height) - 8.0);
            let len = rng.range(0.3, 6.0);
            let a = rng.range(0.0, std::f64::consts::TAU);
            let end = (x + len * a.cos(), y + len * a.sin());
            let near = |(px, py): (f64, f64)| {
                keep_clear.iter().any(|r| {
                    let r = r.grown(3.0);
                    px >= f64::from(r.x)
                        && px <= f64::from(r.x + r.w)
                        && py >= f64::from(r.y)
                        && py <= f64::from(r.y + r.h)
                })
            };
            if near((x, y)) || near(end) {
                continue;
            }
            self.stroke(&[(x, y), end], self.pen);
            return;
        }
    }

    /// Handwriting-like loops along a text line.
    fn scribble(&mut self, line: Rect, rng: &mut Rng) {
        let len = rng.range(10.0, f64::from(line.w) - 4.0);
        let (x0, y0) = (f64::from(line.x) + 2.0, f64::from(line.y + line.h) - 2.0);
        let mut pts = Vec::new();
        let mut x = 0.0;
        while x < len {
            pts.push((x0 + x, y0 - rng.range(0.0, 3.5)));
            x += rng.range(0.6, 1.6);
        }
        let pen = Pen {
            width: 0.35 * self.per_mm,
            ..self.pen
        };
        self.stroke(&pts, pen);
    }
}

fn choose<T: Clone>(items: &[T], k: usize, rng: &mut Rng) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..items.len()).collect();
    for i in 0..idx.len() {
        let j = i + rng.below(idx.len() - i);
        idx.swap(i, j);
    }
    idx.truncate(k.min(items.len()));
    idx.sort_unstable();
    idx
}

/// The base slip filled in at random, and what each question truly holds.
pub fn fill(base: &Base, struck: f64, rng: &mut Rng) -> (GrayImage, Vec<Truth>) {
    let per_mm = base.dpi / 25.4;
    let style = match rng.below(20) {
        0..=10 => Style::Tick,
        11..=15 => Style::Cross,
        _ => Style::Fill,
    };
    let mut hand = Hand {
        base,
        img: base.page.clone(),
        pen: Pen {
            width: rng.range(0.3, 0.8) * per_mm,
            ink: rng.range(20.0, 150.0),
        },
        style,
        per_mm,
    };
    let mut truths = Vec::new();
    let mut keep_clear: Vec<Rect> = base.layout.marks().to_vec();
    keep_clear.push(base.layout.qr);
    for q in &base.layout.questions {
        let truth = match &q.marks {
            Marks::Choice { multi, boxes } => {
                keep_clear.extend(boxes.iter().flat_map(|b| [b.square, b.key_at]));
                let k = if *multi {
                    1 + rng.below(3)
                } else {
                    usize::from(!rng.chance(0.1))
                };
                let picked = choose(boxes, k, rng);
                let struck =
                    (k > 0 && picked.len() < boxes.len() && rng.chance(struck)).then(|| loop {
                        let i = rng.below(boxes.len());
                        if !picked.contains(&i) {
                            break i;
                        }
                    });
                if let Some(i) = struck {
                    hand.mark(&boxes[i], rng);
                    hand.strike(&boxes[i], rng);
                }
                for &i in &picked {
                    hand.mark(&boxes[i], rng);
                }
                let inked = (0..boxes.len())
                    .map(|i| picked.contains(&i) || struck == Some(i))
                    .collect();
                Truth {
                    values: Some(picked.iter().map(|&i| boxes[i].value.clone()).collect()),
                    marks: picked.len(),
                    struck: struck.map(|i| boxes[i].key.clone()),
                    inked,
                }
            }
            Marks::Digits { rows } => {
                keep_clear.extend(rows.iter().flat_map(|r| r.boxes.iter().map(|b| b.square)));
                let mut inked = Vec::new();
                if rng.chance(0.05) {
                    inked.resize(rows.iter().map(|r| r.boxes.len()).sum(), false);
                    Truth {
                        values: Some(Vec::new()),
                        marks: 0,
                        struck: None,
                        inked,
                    }
                } else {
                    let mut digits = String::new();
                    for row in rows {
                        let i = rng.below(row.boxes.len());
                        hand.mark(&row.boxes[i], rng);
                        digits.push_str(&row.boxes[i].value);
                        inked.extend((0..row.boxes.len()).map(|k| k == i));
                    }
                    let n: u32 = digits.parse().unwrap_or(0);
                    Truth {
                        values: Some(vec![n.to_string()]),
                        marks: rows.len(),
                        struck: None,
                        inked,
                    }
                }
            }
            Marks::Lines { lines } => {
                if let Some(first) = lines.first().filter(|_| rng.chance(0.5)) {
                    hand.scribble(*first, rng);
                }
                Truth {
                    values: None,
                    marks: 0,
                    struck: None,
                    inked: Vec::new(),
                }
            }
        };
        truths.push(truth);
    }
    for _ in 0..rng.below(3) {
        hand.stray(&keep_clear, rng);
    }
    (hand.img, truths)
}
