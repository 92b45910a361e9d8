//! QR codes for publication links, as SVG (for print) and PNG (for WeChat).
//!
//! Error correction is level Q (~25% of the symbol can be lost): letters get
//! folded, smudged and photographed off phone screens. The quiet zone is the
//! standard 4 modules, which scanners need to find the symbol.

use anyhow::Context;
use image::{ImageEncoder, Luma};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

fn code_for(url: &str) -> anyhow::Result<QrCode> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::Q)
        .with_context(|| format!("making a QR code for a {}-byte link", url.len()))
}

/// A standalone SVG document, scaled by the viewer (print CSS sets its size).
pub fn svg(url: &str) -> anyhow::Result<String> {
    let code = code_for(url)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// A PNG of at least `min_px` pixels a side, with whole pixels per module.
pub fn png(url: &str, min_px: u32) -> anyhow::Result<Vec<u8>> {
    let code = code_for(url)?;
    let img = code
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .min_dimensions(min_px, min_px)
        .build();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .context("encoding the QR PNG")?;
    Ok(out)
}

/// An inline SVG fragment (no XML prolog) for embedding in HTML letters.
pub fn inline_svg(url: &str) -> anyhow::Result<String> {
    let doc = svg(url)?;
    Ok(match doc.find("<svg") {
        Some(i) => doc[i..].to_string(),
        None => doc,
    })
}
