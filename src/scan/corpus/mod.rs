//! A synthetic corpus of filled-in, scanned reply slips with known answers, to prove the scanner
//! reads what parents marked and sends every doubt to a person: slips of the shipped survey are
//! filled at random (ticks, crosses and fills of varied pen and ink, stray marks, struck-out
//! answers), turned, resampled, blurred, noised and JPEG-compressed, then scanned and compared
//! with the truth.

pub mod base;
pub mod draw;
mod fill;

use std::fmt;

use image::GrayImage;

use super::geometry::Homography;
use super::{locate, read, Doubt, Outcome, PageProblem, QuestionReading};
use crate::domain::slip_layout::SlipLayout;
use draw::Distortion;
pub use fill::Truth;

/// A small seeded random source (splitmix64): the corpus is the same for the same seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The clean printed slip the corpus fills in: the page cut to the slip (with a margin, as a
/// parent returns it), its layout, and where its millimetres are in its pixels.
pub struct Base {
    pub page: GrayImage,
    pub layout: SlipLayout,
    pub dpi: f64,
    to_px: Homography,
}

impl Base {
    /// The slip of `layout` on `page` (a whole printed page at `dpi`), cut out with 6 mm of paper.
    pub fn new(page: &GrayImage, layout: SlipLayout, dpi: f64) -> anyhow::Result<Base> {
        let found = locate(page).map_err(|p| anyhow::anyhow!("base page: {p:?}"))?;
        let map = found
            .map_to(&layout)
            .ok_or_else(|| anyhow::anyhow!("base page: the marks make no slip"))?;
        let (a, b) = (
            map.map((-6.0, -6.0)),
            map.map((
                f64::from(layout.width) + 6.0,
                f64::from(layout.height) + 6.0,
            )),
        );
        let (x0, y0) = (a.0.min(b.0).max(0.0) as u32, a.1.min(b.1).max(0.0) as u32);
        let x1 = (a.0.max(b.0) as u32).min(page.width());
        let y1 = (a.1.max(b.1) as u32).min(page.height());
        let cut = image::imageops::crop_imm(page, x0, y0, x1 - x0, y1 - y0).to_image();
        let found = locate(&cut).map_err(|p| anyhow::anyhow!("cut base: {p:?}"))?;
        let to_px = found
            .map_to(&layout)
            .ok_or_else(|| anyhow::anyhow!("cut base: the marks make no slip"))?;
        Ok(Base {
            page: cut,
            layout,
            dpi,
            to_px,
        })
    }
}

/// One generated page and what was marked on it.
pub struct Sample {
    pub page: GrayImage,
    pub jpeg: Vec<u8>,
    pub truth: Vec<Truth>,
    pub dpi: f64,
    pub quarter_turns: u8,
}

/// Resolutions to draw scans at, and how the slips lie.
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    pub dpi: (f64, f64),
    /// Share of pages upside down, and of pages on their side.
    pub upside_down: f64,
    pub sideways: f64,
    /// Share of answered choice questions with a wrong option ticked and struck through.
    pub struck: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Spread {
            dpi: (150.0, 300.0),
            upside_down: 0.2,
            sideways: 0.04,
            struck: 0.02,
        }
    }
}

/// A filled, scanned slip drawn from `rng`.
pub fn sample(base: &Base, spread: Spread, rng: &mut Rng) -> Option<Sample> {
    let (page, truth) = fill::fill(base, spread.struck, rng);
    let dpi = rng.range(spread.dpi.0, spread.dpi.1).round();
    let r = rng.unit();
    let quarter_turns = if r < spread.upside_down {
        2
    } else if r < spread.upside_down + spread.sideways {
        if rng.chance(0.5) {
            1
        } else {
            3
        }
    } else {
        0
    };
    let d = Distortion { dpi, quarter_turns };
    let (page, jpeg) = draw::scan(&page, base.dpi, d, rng)?;
    Some(Sample {
        page,
        jpeg,
        truth,
        dpi,
        quarter_turns,
    })
}

/// What the scanner made of a corpus.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub pages: usize,
    /// Pages the scanner gave up on (every question of them goes to a person).
    pub unread_pages: usize,
    pub questions: usize,
    /// Questions read without doubt, and of them those read wrong.
    pub read: usize,
    pub silently_wrong: usize,
    pub reviewed: usize,
    /// Reviews by reason: faint, two marks, corrected, digits.
    pub by_doubt: [usize; 4],
    /// Questions with a struck-out option, and of them those sent to review.
    pub struck: usize,
    pub struck_reviewed: usize,
    /// Marked boxes, and of them those read (right) without review.
    pub marks: usize,
    pub marks_read: usize,
    /// Marks in questions with a struck-out option (those are meant for a person).
    pub struck_marks: usize,
    /// The first few wrong readings, described.
    pub wrong: Vec<String>,
    pub page_problems: Vec<String>,
}

impl Report {
    /// Share of marks read without review.
    pub fn read_share(&self) -> f64 {
        self.marks_read as f64 / self.marks.max(1) as f64
    }

    /// Share of marks read without review, leaving out questions with a struck-out option.
    pub fn clean_read_share(&self) -> f64 {
        let clean = self.marks - self.struck_marks;
        let read = self.marks_read.min(clean);
        read as f64 / clean.max(1) as f64
    }

    /// Adds one page's reading to the tally.
    pub fn add(&mut self, s: &Sample, got: Result<Vec<QuestionReading>, PageProblem>) {
        self.pages += 1;
        let got = match got {
            Ok(g) => g,
            Err(p) => {
                self.unread_pages += 1;
                if self.page_problems.len() < 10 {
                    self.page_problems.push(format!(
                        "page {} ({} dpi, {} quarter turns): {p:?}",
                        self.pages, s.dpi, s.quarter_turns
                    ));
                }
                for t in &s.truth {
                    self.questions += 1;
                    if t.struck.is_some() {
                        self.struck_marks += t.marks;
                    }
                    self.reviewed += 1;
                    self.marks += t.marks;
                    self.struck += usize::from(t.struck.is_some());
                    self.struck_reviewed += usize::from(t.struck.is_some());
                }
                return;
            }
        };
        for (t, q) in s.truth.iter().zip(&got) {
            self.questions += 1;
            self.marks += t.marks;
            self.struck += usize::from(t.struck.is_some());
            if t.struck.is_some() {
                self.struck_marks += t.marks;
            }
            match (&q.outcome, &t.values) {
                (Outcome::Read(v), Some(truth)) => {
                    self.read += 1;
                    let (mut a, mut b) = (v.clone(), truth.clone());
                    a.sort();
                    b.sort();
                    if a == b {
                        if t.struck.is_none() {
                            self.marks_read += t.marks;
                        }
                    } else {
                        self.silently_wrong += 1;
                        if self.wrong.len() < 20 {
                            self.wrong.push(format!(
                                "page {} ({} dpi, {} quarter turns) {}: read {a:?}, marked {b:?}{}",
                                self.pages,
                                s.dpi,
                                s.quarter_turns,
                                q.id,
                                t.struck
                                    .as_ref()
                                    .map_or(String::new(), |k| format!(", struck {k}"))
                            ));
                        }
                    }
                }
                (Outcome::Review { doubt, .. }, _) => {
                    self.reviewed += 1;
                    self.struck_reviewed += usize::from(t.struck.is_some());
                    let i = match doubt {
                        Doubt::Faint => 0,
                        Doubt::TwoMarks => 1,
                        Doubt::Corrected => 2,
                        Doubt::Digits => 3,
                    };
                    self.by_doubt[i] += 1;
                }
                (Outcome::Text, None) => {}
                (other, truth) => {
                    self.silently_wrong += 1;
                    self.wrong
                        .push(format!("{}: {other:?} for {truth:?}", q.id));
                }
            }
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "pages: {} ({} not read)", self.pages, self.unread_pages)?;
        writeln!(
            f,
            "questions: {} read, {} to review (faint {}, two marks {}, corrected {}, digits {}), {} silently wrong",
            self.read,
            self.reviewed,
            self.by_doubt[0],
            self.by_doubt[1],
            self.by_doubt[2],
            self.by_doubt[3],
            self.silently_wrong
        )?;
        writeln!(
            f,
            "struck-out answers: {}, {} sent to review",
            self.struck, self.struck_reviewed
        )?;
        writeln!(
            f,
            "marks read without review: {} of {} ({:.2}%); leaving out the {} in questions with a struck-out option, {:.2}%",
            self.marks_read,
            self.marks,
            100.0 * self.read_share(),
            self.struck_marks,
            100.0 * self.clean_read_share()
        )?;
        for w in self.page_problems.iter().chain(&self.wrong) {
            writeln!(f, "  {w}")?;
        }
        Ok(())
    }
}

/// Scans one sample.
pub fn scan(s: &Sample, layout: &SlipLayout) -> Result<Vec<QuestionReading>, PageProblem> {
    let found = locate(&s.page)?;
    read(&s.page, &found, layout)
}

/// Generates `n` slips from `seed` and scans each, keeping only the tally.
pub fn run(base: &Base, n: usize, seed: u64, spread: Spread) -> Report {
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    for _ in 0..n {
        if let Some(s) = sample(base, spread, &mut rng) {
            report.add(&s, scan(&s, &base.layout));
        }
    }
    report
}

#[cfg(test)]
mod tests;
