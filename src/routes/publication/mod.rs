//! Publication material for a school's public link: QR codes and the
//! printable letter. Public like the link itself; per-student code letters
//! are not served here (they are made by the CLI and the school's dashboard).

pub mod letter;
pub mod qr;
