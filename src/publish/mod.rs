//! What a round produces for its schools: public links, QR codes, printable
//! letters (one per school, or one per student code), and raw-data exports.

pub mod export;
pub mod letters;
pub mod qr;
pub mod slips;

/// The public link parents open for a school in a round.
pub fn school_url(public_base: &str, slug: &str) -> String {
    format!("{public_base}/s/{slug}")
}

/// The link printed on a per-student letter.
pub fn code_url(public_base: &str, code: &str) -> String {
    format!("{public_base}/c/{code}")
}
