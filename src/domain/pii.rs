//! Personal information in free text: mobile and landline numbers, ID-card numbers and e-mail
//! addresses. The parent is asked, before the answer is stored, not to include them; exports mask
//! them by default. A heuristic: it catches the usual ways of writing them, not every one.

/// The kinds found, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Phone,
    IdNumber,
    Email,
}

/// What replaces each piece of personal information in an export.
pub const MASK: &str = "［已隐去］";

/// Byte spans of personal information in `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<(std::ops::Range<usize>, Kind)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        // A run of digits, allowing single spaces or dashes between groups (138-1234-5678).
        if c.is_ascii_digit() {
            let mut digits = String::new();
            let mut j = i;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits.push(d);
                    j += 1;
                } else if (d == '-' || d == ' ')
                    && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit())
                    && !digits.is_empty()
                {
                    j += 1;
                } else if (d == 'X' || d == 'x') && digits.len() == 17 {
                    digits.push('X');
                    j += 1;
                    break;
                } else {
                    break;
                }
            }
            let kind = match digits.len() {
                18 if digits[..17].bytes().all(|b| b.is_ascii_digit()) => Some(Kind::IdNumber),
                11 if digits.starts_with('1') && digits.as_bytes()[1] >= b'3' => Some(Kind::Phone),
                // Landlines with the area code (0595-8568 2803) or without (8568 2803).
                10..=12 if digits.starts_with('0') => Some(Kind::Phone),
                7 | 8 if j > i + digits.len() || digits.len() == 8 => Some(Kind::Phone),
                _ => None,
            };
            if let Some(k) = kind {
                out.push((chars[i].0..end_of(j), k));
            }
            i = j.max(i + 1);
            continue;
        }
        if c == '@' {
            // An e-mail address: a local part before, a dotted domain after.
            let is_local = |ch: char| ch.is_ascii_alphanumeric() || "._%+-".contains(ch);
            let is_domain = |ch: char| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-';
            let mut s = i;
            while s > 0 && is_local(chars[s - 1].1) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < chars.len() && is_domain(chars[e].1) {
                e += 1;
            }
            let domain: String = chars[i + 1..e].iter().map(|c| c.1).collect();
            let domain = domain.trim_end_matches('.');
            if s < i && domain.contains('.') && !domain.starts_with('.') {
                let start = chars[s].0;
                // Drop a number-run match that the local part overlaps.
                out.retain(|(r, _)| r.end <= start);
                out.push((start..chars[i].0 + 1 + domain.len(), Kind::Email));
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether `text` seems to hold personal information.
pub fn contains(text: &str) -> bool {
    !find(text).is_empty()
}

/// `text` with each piece of personal information replaced by [`MASK`].
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, _) in find(text) {
        out.push_str(&text[at..r.start]);
        out.push_str(MASK);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_usual_forms() {
        for (text, kind) in [
            ("我的电话13812345678，谢谢", Kind::Phone),
            ("电话 138-1234-5678", Kind::Phone),
            ("电话 138 1234 5678", Kind::Phone),
            ("座机0595-85682803", Kind::Phone),
            ("座机 8568 2803", Kind::Phone),
            ("身份证350582201001011234", Kind::IdNumber),
            ("身份证 35058220100101123X 号", Kind::IdNumber),
            ("邮箱 wang.li@example.com。", Kind::Email),
            ("联系 parent_1@163.com", Kind::Email),
        ] {
            let found = find(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].1, kind, "{text}");
        }
    }

    #[test]
    fn leaves_ordinary_numbers_alone() {
        for text in [
            "希望每周开设 2 次科学课，每次 90 分钟",
            "2026年9月开始",
            "孩子三年级2班，希望17:30以后还有托管",
            "费用每月100～200元可以接受",
            "@老师 谢谢",
            "a@b",
        ] {
            assert!(!contains(text), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn masks_each_piece_and_keeps_the_rest() {
        assert_eq!(
            mask("请联系13812345678或wang@example.com，谢谢"),
            format!("请联系{MASK}或{MASK}，谢谢")
        );
        assert_eq!(mask("没有个人信息"), "没有个人信息");
    }
}
