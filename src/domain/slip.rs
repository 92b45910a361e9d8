//! The serial printed on a paper reply slip (回执编号) and the text of its QR code: what a
//! typist types or a barcode reader types for them, parsed back into round, school and slip.
//!
//! A serial reads `轮次-学校-编号-校验`, e.g. `3-17-0042-7`; the last digit catches a mistyped or
//! swapped digit. The QR code carries `HZ1;R=3;S=17;L=<layout>;N=<serial>` and, for a slip
//! bound to a per-student code, `;C=<code>`; the entry page accepts either.

use std::fmt;

use sha2::{Digest, Sha256};

use super::survey::{paper_view, SurveyDefinition};

/// What a QR payload starts with (the format's version).
const PAYLOAD_TAG: &str = "HZ1";

/// One printed slip: its round, its school and its number within them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Serial {
    pub round_id: i64,
    pub school_id: i64,
    pub slip_no: i32,
}

/// A check digit over every digit of the three numbers: weights 3 and 1 alternating from the
/// right, so a wrong digit and most swaps of neighbours change it.
fn check_digit(round_id: i64, school_id: i64, slip_no: i32) -> u32 {
    let digits = format!("{round_id}{school_id}{slip_no:04}");
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let check = check_digit(self.round_id, self.school_id, self.slip_no);
        write!(
            f,
            "{}-{}-{:04}-{check}",
            self.round_id, self.school_id, self.slip_no
        )
    }
}

/// Why a typed serial was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SerialError {
    #[error("回执编号格式不对，应为四段数字，例如 3-17-0042-7。请对照回执右上角的编号重新输入。")]
    Shape,
    #[error("回执编号的最后一位校验码对不上，可能有数字输错了，请对照回执重新输入。")]
    Check,
}

impl Serial {
    /// A typed serial (`3-17-0042-7`; spaces, full-width digits and other dashes tolerated) or a
    /// scanned QR payload.
    pub fn parse(input: &str) -> Result<Scanned, SerialError> {
        let text: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + 0x30).unwrap_or(c),
                '－' | '—' | '–' | ' ' | '_' => '-',
                c => c,
            })
            .collect();
        if let Some(rest) = text.strip_prefix(PAYLOAD_TAG) {
            let field = |k: &str| {
                rest.split(';')
                    .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
                    .map(str::to_string)
            };
            let serial = Self::parse_plain(&field("N").ok_or(SerialError::Shape)?)?;
            return Ok(Scanned {
                serial,
                layout: field("L"),
                code: field("C"),
            });
        }
        Ok(Scanned {
            serial: Self::parse_plain(&text)?,
            layout: None,
            code: None,
        })
    }

    fn parse_plain(text: &str) -> Result<Serial, SerialError> {
        let parts: Vec<&str> = text.split('-').filter(|p| !p.is_empty()).collect();
        let [r, s, n, c] = parts.as_slice() else {
            return Err(SerialError::Shape);
        };
        let digits =
            |p: &str| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit());
        if ![r, s, n, c].iter().all(|p| digits(p)) || c.len() != 1 {
            return Err(SerialError::Shape);
        }
        let serial = Serial {
            round_id: r.parse().map_err(|_| SerialError::Shape)?,
            school_id: s.parse().map_err(|_| SerialError::Shape)?,
            slip_no: n.parse().map_err(|_| SerialError::Shape)?,
        };
        let check = check_digit(serial.round_id, serial.school_id, serial.slip_no);
        if c.parse::<u32>().ok() != Some(check) {
            return Err(SerialError::Check);
        }
        Ok(serial)
    }

    /// The QR code's text for this slip.
    pub fn payload(&self, layout: &str, code: Option<&str>) -> String {
        let mut out = format!(
            "{PAYLOAD_TAG};R={};S={};L={layout};N={self}",
            self.round_id, self.school_id
        );
        if let Some(code) = code {
            out.push_str(";C=");
            out.push_str(code);
        }
        out
    }
}

/// A parsed serial, with what a scanned QR code adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub serial: Serial,
    pub layout: Option<String>,
    pub code: Option<String>,
}

/// How slips are laid out; part of every layout version, so that a slip printed before the
/// layout changed is recognised as such.
const LAYOUT_REVISION: &str = "positioned-1";

/// The slip layout version: six hex digits of a hash over the questions the slip prints (and
/// the layout's revision), so a slip printed from another version of the survey is recognised.
pub fn layout_version(def: &SurveyDefinition) -> String {
    let slip = paper_view(def);
    let json = serde_json::to_string(&slip.questions).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(LAYOUT_REVISION.as_bytes());
    h.update(json.as_bytes());
    hex::encode(&h.finalize()[..3])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn serials_round_trip_and_catch_a_wrong_digit() {
        let s = Serial {
            round_id: 3,
            school_id: 17,
            slip_no: 42,
        };
        let text = s.to_string();
        assert_eq!(Serial::parse(&text).unwrap().serial, s);
        assert_eq!(
            Serial::parse(
                " ３-17 0042-{} "
                    .replace("{}", &text[text.len() - 1..])
                    .as_str()
            )
            .unwrap()
            .serial,
            s
        );
        let wrong = text.replacen("0042", "0043", 1);
        assert_eq!(Serial::parse(&wrong), Err(SerialError::Check));
        assert_eq!(Serial::parse("3-17"), Err(SerialError::Shape));
        let scanned = Serial::parse(&s.payload("abc123", Some("CODE"))).unwrap();
        assert_eq!(scanned.serial, s);
        assert_eq!(scanned.layout.as_deref(), Some("abc123"));
        assert_eq!(scanned.code.as_deref(), Some("CODE"));
    }
}
