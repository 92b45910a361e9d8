//! Print: the school's A4 letter and the per-student code letters, printed to
//! PDF by headless Chromium, one letter per A4 page, each with a QR code that
//! still decodes from a 150 dpi rendering and is at least 25 mm wide.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use super::driver::{base64_field, chromedriver, Browser, Js};
use crate::helpers::spawn_app;

const DPI: f64 = 150.0;
const MIN_QR_MM: f64 = 25.0;

/// Prints the open page to `pdf` with the page's own `@page` size and margins.
async fn print_to_pdf(b: &Browser, pdf: &Path) {
    let v = b
        .cdp(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "printBackground": false}),
        )
        .await;
    std::fs::write(pdf, base64_field(&v, "data")).expect("write PDF");
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Renders each PDF page to PNG and returns, per page, the decoded QR text
/// and the QR's printed width in mm. Also checks every page is A4.
fn qr_codes_per_page(pdf: &Path) -> Vec<(String, f64)> {
    let info = tool("pdfinfo", &[pdf.to_str().expect("utf-8 path")]);
    assert!(info.contains("(A4)"), "not A4:\n{info}");
    let prefix = pdf.with_extension("");
    tool(
        "pdftoppm",
        &[
            "-r",
            &DPI.to_string(),
            "-gray",
            "-png",
            pdf.to_str().expect("utf-8"),
            prefix.to_str().expect("utf-8"),
        ],
    );
    let dir = pdf.parent().expect("folder");
    let stem = prefix
        .file_name()
        .and_then(|s| s.to_str())
        .expect("stem")
        .to_string();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "png")
                && p.file_name()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| s.starts_with(&format!("{stem}-")))
        })
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|png| {
            let img = image::open(png).expect("PNG").to_luma8();
            let mut prepared = rqrr::PreparedImage::prepare(img);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "{}: QR codes found", png.display());
            let (_, text) = grids[0]
                .decode()
                .unwrap_or_else(|e| panic!("{}: {e}", png.display()));
            let [a, b, ..] = grids[0].bounds;
            let px = f64::from((b.x - a.x).pow(2) + (b.y - a.y).pow(2)).sqrt();
            (text, px / DPI * 25.4)
        })
        .collect()
}

#[tokio::test]
async fn letters_print_one_per_a4_page_with_a_scannable_qr() {
    let test = "letters_print_one_per_a4_page_with_a_scannable_qr";
    let Some(cd) = chromedriver(test) else { return };
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let mut b = Browser::start(&cd, test, Js::On).await;
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(test);

    // The school's letter, as the bureau prints it from the browser.
    b.goto(&format!("{}/s/{slug}/letter", app.address)).await;
    b.shot("school-letter-screen").await;
    let pdf = out.join("school-letter.pdf");
    print_to_pdf(&b, &pdf).await;
    let pages = qr_codes_per_page(&pdf);
    assert_eq!(pages.len(), 1, "the school letter fills one page");
    assert_eq!(pages[0].0, format!("{}/s/{slug}", app.address));
    println!("school letter: QR {:.1} mm wide", pages[0].1);
    assert!(pages[0].1 >= MIN_QR_MM, "QR {:.1} mm", pages[0].1);

    // Per-student letters from the CLI: one page per code, in order.
    let html = app.temp_path("codes.html");
    app.cli_ok(&[
        "codes",
        "--round",
        &round.to_string(),
        "--school",
        "3505820001",
        "--classes",
        "3:1-2",
        "--per-class",
        "2",
        "--out",
        html.to_str().expect("utf-8"),
    ]);
    let source = std::fs::read_to_string(&html).expect("letters HTML");
    let urls: Vec<String> = source
        .split("<span class=\"url\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(urls.len(), 4);
    b.goto(&format!("file://{}", html.display())).await;
    let pdf = out.join("code-letters.pdf");
    print_to_pdf(&b, &pdf).await;
    let pages = qr_codes_per_page(&pdf);
    let decoded: Vec<&str> = pages.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(decoded, urls, "one letter per page, each with its own code");
    for (url, mm) in &pages {
        println!("code letter {url}: QR {mm:.1} mm wide");
        assert!(*mm >= MIN_QR_MM, "QR {mm:.1} mm");
    }
}
