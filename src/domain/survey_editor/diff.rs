//! A line diff between two versions of a survey, for the history page: the longest common
//! subsequence of lines (versions are a few hundred lines, so the table stays small).

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffLine {
    /// `" "` kept, `"-"` only in the older version, `"+"` only in the newer.
    pub sign: &'static str,
    pub text: String,
}

/// The lines of `old` and `new`, each marked kept, removed or added.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: common lines of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let line = |sign, text: &str| DiffLine {
        sign,
        text: text.to_string(),
    };
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(line(" ", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line("-", a[i]));
            i += 1;
        } else {
            out.push(line("+", b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let signs: Vec<(&str, &str)> = d.iter().map(|l| (l.sign, l.text.as_str())).collect();
        assert_eq!(
            signs,
            [(" ", "a"), ("-", "b"), ("+", "B"), (" ", "c"), ("+", "d")]
        );
    }
}
