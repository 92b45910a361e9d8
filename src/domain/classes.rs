//! Which classes get per-student codes: "1:1-4,2:1-3" means grade 1 classes
//! 1–4 and grade 2 classes 1–3.

/// Most codes made by one request: a large school (80 classes) at 60 per class, in one
/// transaction of bounded length.
pub const MAX_CODES: usize = 5_000;

/// Most codes one class can have in one round, however many requests make them: a class of
/// 60 printed three times over, lost letters included.
pub const MAX_PER_CLASS: i64 = 200;

/// Parses "GRADE:FIRST-LAST" or "GRADE:CLASS", comma-separated, into
/// (grade, class) pairs.
pub fn parse_classes(spec: &str) -> Result<Vec<(i32, i32)>, String> {
    let mut out = Vec::new();
    for part in spec
        .split([',', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let bad = || format!("“{part}”格式不正确，应为 年级:起始班-结束班，例如 3:1-4");
        let (g, classes) = part.split_once([':', '：']).ok_or_else(bad)?;
        let grade: i32 = g.trim().parse().map_err(|_| bad())?;
        if !(1..=9).contains(&grade) {
            return Err(format!("年级 {grade} 不在 1–9 之间"));
        }
        let (a, b) = classes.split_once('-').unwrap_or((classes, classes));
        let first: i32 = a.trim().parse().map_err(|_| bad())?;
        let last: i32 = b.trim().parse().map_err(|_| bad())?;
        if !(1 <= first && first <= last && last <= 99) {
            return Err(format!("班级 {first}-{last} 不在 1–99 之间"));
        }
        out.extend((first..=last).map(|c| (grade, c)));
    }
    if out.is_empty() {
        return Err("请填写班级，例如 1:1-4".into());
    }
    Ok(out)
}

/// The class list for the same range of classes in each ticked grade, as [`parse_classes`]
/// reads it; what is missing is said in words.
pub fn grade_classes(
    grades: &[i32],
    first: Option<i32>,
    last: Option<i32>,
) -> Result<String, String> {
    if grades.is_empty() {
        return Err("请至少勾选一个年级。".into());
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Err("请填写从第几班到第几班，例如从第 1 班到第 4 班。".into());
    };
    Ok(grades
        .iter()
        .map(|g| format!("{g}:{first}-{last}"))
        .collect::<Vec<_>>()
        .join(","))
}

pub fn check_count(classes: usize, per_class: usize) -> Result<(), String> {
    if !(1..=200).contains(&per_class) {
        return Err("每班份数应在 1–200 之间".into());
    }
    if classes * per_class > MAX_CODES {
        return Err(format!("一次最多生成 {MAX_CODES} 个填写码"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ticked_grades_and_a_range_make_a_class_list() {
        let spec = grade_classes(&[1, 3], Some(1), Some(2)).unwrap();
        assert_eq!(
            parse_classes(&spec).unwrap(),
            vec![(1, 1), (1, 2), (3, 1), (3, 2)]
        );
        assert!(grade_classes(&[], Some(1), Some(2)).is_err());
        assert!(grade_classes(&[1], Some(1), None).is_err());
    }

    #[test]
    fn class_specs() {
        assert_eq!(
            parse_classes("1:1-2, 3:4").unwrap(),
            vec![(1, 1), (1, 2), (3, 4)]
        );
        assert_eq!(parse_classes("2：1-2，").unwrap(), vec![(2, 1), (2, 2)]);
        assert!(parse_classes("10:1").is_err());
        assert!(parse_classes("1:3-2").is_err());
        assert!(parse_classes("").is_err());
        assert!(check_count(400, 60).is_err());
        assert!(check_count(26, 200).is_err());
        assert!(check_count(80, 60).is_ok());
        assert!(check_count(4, 0).is_err());
    }
}
