//! The clean page a synthetic corpus is drawn on: the shipped survey's slip printed the way
//! schools print it (the slips template, headless Chromium, then `pdftoppm` at 300 dpi), or,
//! without a browser, a plain drawing of the same layout (marks, box borders and QR code, no
//! text) so the corpus still runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use anyhow::Context;
use image::GrayImage;

use crate::app::slips::{PrintedSlip, SlipPrint};
use crate::app::submission::Link;
use crate::db::rounds::Publication;
use crate::domain::school::SchoolLevel;
use crate::domain::slip::{layout_version, Serial};
use crate::domain::slip_layout::{self, SlipLayout, BOX};
use crate::domain::survey::{parse_definition, SurveyDefinition, Taxonomy};
use crate::publish::qr;

/// Resolution of the base page.
pub const BASE_DPI: f64 = 300.0;

/// The shipped needs survey, as a school prints it.
pub fn shipped_survey() -> anyhow::Result<SurveyDefinition> {
    let tax = Taxonomy::parse(include_str!("../../../survey-definitions/taxonomy.toml"))
        .map_err(|e| anyhow::anyhow!("taxonomy: {e:?}"))?;
    let text = include_str!("../../../survey-definitions/after-school-needs.toml");
    parse_definition(text, &tax).map_err(|e| anyhow::anyhow!("survey: {e:?}"))
}

/// The slip of the shipped survey at a primary school, without per-student codes.
pub fn shipped_layout(def: &SurveyDefinition) -> SlipLayout {
    slip_layout::for_survey(def, Some(SchoolLevel::Primary), false)
}

/// The serial printed on every corpus slip.
fn serial() -> Serial {
    Serial {
        round_id: 1,
        school_id: 1,
        slip_no: 1,
    }
}

/// The print of one blank slip, as the slips command would make it.
fn fake_print(def: &SurveyDefinition) -> SlipPrint {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let def = Arc::new(def.clone());
    SlipPrint {
        version: layout_version(&def),
        layout: shipped_layout(&def),
        link: Link {
            publication: Publication {
                round_id: 1,
                school_id: 1,
                slug: "corpus".into(),
                round_name: "2026年秋季学期".into(),
                survey_hash: String::new(),
                opens_at: at,
                closes_at: at,
                school_code: "DEMO0001".into(),
                school_name: "示范小学".into(),
                school_level: "primary".into(),
                codes_required: false,
                sections: String::new(),
                school_urban_rural: 111,
                supplement_hash: None,
            },
            def: def.clone(),
            pinned: def,
        },
        slips: vec![PrintedSlip {
            serial: serial(),
            code: None,
        }],
        pager: None,
    }
}

fn scratch_dir() -> anyhow::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("slip-corpus-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// The slip printed by `browser` (e.g. `chromium`) and rasterised by `pdftoppm` at 300 dpi:
/// the page of the print that holds the slip.
pub fn printed(def: &SurveyDefinition, browser: &str) -> anyhow::Result<GrayImage> {
    let html =
        crate::publish::slips::render(&crate::templates::Templates::new()?, &fake_print(def))?;
    let dir = scratch_dir()?;
    let result = print_in(&dir, &html, browser);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn print_in(dir: &Path, html: &str, browser: &str) -> anyhow::Result<GrayImage> {
    let page = dir.join("slip.html");
    let pdf = dir.join("slip.pdf");
    std::fs::write(&page, html)?;
    let out = Command::new(browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ])
        .arg(&page)
        .output()
        .with_context(|| format!("running {browser}"))?;
    anyhow::ensure!(
        pdf.exists(),
        "{browser} printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let prefix = dir.join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png"])
        .arg(&pdf)
        .arg(&prefix)
        .output()
        .context("running pdftoppm (poppler-utils)")?;
    anyhow::ensure!(out.status.success(), "pdftoppm failed");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    for p in pages {
        let img = image::open(&p)?.to_luma8();
        if super::super::locate(&img).is_ok() {
            return Ok(img);
        }
    }
    anyhow::bail!("no page of the print holds a readable slip")
}

/// The slip drawn from its layout alone on a white A4 page at 300 dpi: corner marks, box
/// borders and the QR code, without any text.
pub fn drawn(def: &SurveyDefinition) -> anyhow::Result<GrayImage> {
    let print = fake_print(def);
    let layout = &print.layout;
    let per_mm = BASE_DPI / 25.4;
    let (w, h) = ((210.0 * per_mm) as u32, (297.0 * per_mm) as u32);
    let mut img = GrayImage::from_pixel(w, h, image::Luma([255]));
    let origin = (14.0, 297.0 - 12.0 - f64::from(layout.height));
    let px = |x: f32, y: f32| {
        (
            (origin.0 + f64::from(x)) * per_mm,
            (origin.1 + f64::from(y)) * per_mm,
        )
    };
    let mut fill = |x0: f32, y0: f32, x1: f32, y1: f32, v: u8| {
        let (a, b) = (px(x0, y0), px(x1, y1));
        for y in a.1.round() as u32..(b.1.round() as u32).min(h) {
            for x in a.0.round() as u32..(b.0.round() as u32).min(w) {
                img.put_pixel(x, y, image::Luma([v]));
            }
        }
    };
    for m in layout.marks() {
        fill(m.x, m.y, m.x + m.w, m.y + m.h, 0);
    }
    let line = 0.3;
    for q in &layout.questions {
        for b in super::super::boxes::boxes_of(q) {
            let s = b.square;
            fill(s.x, s.y, s.x + BOX, s.y + line, 0);
            fill(s.x, s.y + BOX - line, s.x + BOX, s.y + BOX, 0);
            fill(s.x, s.y, s.x + line, s.y + BOX, 0);
            fill(s.x + BOX - line, s.y, s.x + BOX, s.y + BOX, 0);
        }
    }
    let payload = serial().payload(&print.version, None);
    let code = image::load_from_memory(&qr::png(&payload, 600)?)?.to_luma8();
    let r = layout.qr;
    let (a, b) = (px(r.x, r.y), px(r.x + r.w, r.y + r.h));
    let side = (b.0 - a.0).min(b.1 - a.1);
    for y in 0..side as u32 {
        for x in 0..side as u32 {
            let cx = (f64::from(x) / side * f64::from(code.width())) as u32;
            let cy = (f64::from(y) / side * f64::from(code.height())) as u32;
            let v = code.get_pixel(cx.min(code.width() - 1), cy.min(code.height() - 1));
            img.put_pixel(a.0 as u32 + x, a.1 as u32 + y, *v);
        }
    }
    Ok(img)
}
