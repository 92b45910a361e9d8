//! Telling an option struck through (a parent's correction: a line through the key, the box and
//! the label) from a tick, a cross or a fill. A strike inks, at one height, the gap left of the
//! box, every column inside the box and the gap right of it; a tick or a cross never inks a
//! whole row of the box, and a fill spills over one side at most. A fill that spills over both
//! sides is told from a strike by the label: the slip asks for the line through the whole
//! option, so a strike goes on through the label, where no fill reaches.
//!
//! Digit boxes have no label and are not looked at here: a digit row takes one mark, so a
//! struck digit with its correction beside it is two marks in the row, and goes to a person
//! as such.

use crate::domain::slip_layout::{Rect, BOX};

/// Half the height of the band a strike is looked for in, mm (a hand-drawn line slopes).
const BAND: f64 = 0.6;
/// Share of gap columns the band must ink, on each side.
const GAP_FROM: f32 = 0.6;
/// Share of the box's inside columns the band must ink.
const INSIDE_FROM: f32 = 0.9;
/// Where, right of a labelled box (mm), a strike is looked for, and the share of
/// that stretch's columns it must ink.
const CONTINUES: (f64, f64) = (1.8, 4.2);
const CONTINUES_FROM: f32 = 0.95;
/// Where, left of a box (mm from its edge, outward), the line through the key is looked for:
/// past any fill's spill, across the printed key.
const KEY_STRETCH: (f64, f64) = (2.3, 1.3);

/// Whether the box `square` looks struck through; `dark(x, y)` is the darkness at a point of
/// the slip (mm), 0 paper to 1 ink, `labelled` whether a label follows the box, and `step` the
/// sampling step in mm.
pub fn struck(dark: impl Fn(f64, f64) -> f32, square: Rect, labelled: bool, step: f64) -> bool {
    if !labelled {
        return false;
    }
    let (sx, sy) = (f64::from(square.x), f64::from(square.y));
    let b = f64::from(BOX);
    let (x0, x1) = (sx - 0.8, sx + b + 1.0);
    let (y0, y1) = (sy - 0.4, sy + b + 0.4);
    let cols = ((x1 - x0) / step).ceil().max(1.0) as usize;
    let rows = ((y1 - y0) / step).ceil().max(1.0) as usize;
    let x_of = |c: usize| x0 + (c as f64 + 0.5) * step;
    let y_of = |r: usize| y0 + (r as f64 + 0.5) * step;
    let grid: Vec<f32> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| dark(x_of(c), y_of(r)))
        .collect();
    let inside: Vec<f32> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter(|&(r, c)| {
            let (x, y) = (x_of(c), y_of(r));
            x > sx + 0.5 && x < sx + b - 0.5 && y > sy + 0.5 && y < sy + b - 0.5
        })
        .map(|(r, c)| grid[r * cols + c])
        .collect();
    let mut sorted = inside.clone();
    sorted.sort_by(f32::total_cmp);
    let strong = sorted.get(sorted.len() * 95 / 100).copied().unwrap_or(0.0);
    let cut = (strong * 0.3).clamp(0.12, 0.2);
    let inked = |r: usize, c: usize| grid[r * cols + c] > cut;
    let band = (BAND / step).round().max(1.0) as usize;
    let left: Vec<usize> = (0..cols)
        .filter(|&c| x_of(c) > sx - 0.7 && x_of(c) < sx - 0.12)
        .collect();
    let right: Vec<usize> = (0..cols)
        .filter(|&c| x_of(c) > sx + b + 0.12 && x_of(c) < sx + b + 0.9)
        .collect();
    let middle: Vec<usize> = (0..cols)
        .filter(|&c| x_of(c) > sx + 0.45 && x_of(c) < sx + b - 0.45)
        .collect();
    if left.is_empty() || right.is_empty() || middle.is_empty() {
        return false;
    }
    // A column inked nearly top to bottom is a vertical line (the box's own border blurred
    // outwards, or a fill's edge), which says nothing about a strike.
    let tall = |c: usize| (0..rows).filter(|&r| inked(r, c)).count() * 100 >= rows * 85;
    let covered = |cs: &[usize], lo: usize, hi: usize| {
        let open: Vec<usize> = cs.iter().copied().filter(|&c| !tall(c)).collect();
        if open.is_empty() {
            return 1.0;
        }
        open.iter()
            .filter(|&&c| (lo..hi).any(|r| inked(r, c)))
            .count() as f32
            / open.len() as f32
    };
    // Beside a label, the line must go on through it: every column of a stretch there inked
    // within the band. Where a fill spills into both gaps, it must also come from the key
    // left of the box (a label's own stroke can line up with a fill, but not a key's too).
    let inked_along = |(from, to): (f64, f64), lo: usize, hi: usize| {
        let n = ((to - from) / step).ceil().max(1.0) as usize;
        let inked_cols = (0..n)
            .filter(|&k| {
                let x = from + (k as f64 + 0.5) * step;
                (lo..hi).any(|r| dark(x, y_of(r)) > cut)
            })
            .count();
        inked_cols as f32 >= CONTINUES_FROM * n as f32
    };
    let mostly_tall = |cs: &[usize]| cs.iter().filter(|&&c| tall(c)).count() * 2 >= cs.len();
    let spill = mostly_tall(&left) || mostly_tall(&right);
    let goes_on = |lo: usize, hi: usize| {
        inked_along((sx + b + CONTINUES.0, sx + b + CONTINUES.1), lo, hi)
            && (!spill || inked_along((sx - KEY_STRETCH.0, sx - KEY_STRETCH.1), lo, hi))
    };
    (0..rows.saturating_sub(2 * band)).any(|lo| {
        let hi = lo + 2 * band;
        middle
            .iter()
            .filter(|&&c| (lo..hi).any(|r| inked(r, c)))
            .count() as f32
            >= INSIDE_FROM * middle.len() as f32
            && covered(&left, lo, hi) >= GAP_FROM
            && covered(&right, lo, hi) >= GAP_FROM
            && goes_on(lo, hi)
    })
}
