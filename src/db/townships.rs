//! Townships (镇/街道): the bureau's units of comparison, seeded at start-up.

use diesel::prelude::*;

use super::schema::townships;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = townships)]
pub struct Township {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub sort_order: i32,
}

/// Parses the `name,kind` CSV shipped in survey-definitions/townships.csv.
pub fn parse_csv(src: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut rdr = csv::Reader::from_reader(src.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| anyhow::anyhow!("townships.csv row {}: {e}", i + 2))?;
        let name = rec.get(0).unwrap_or("").trim().to_string();
        let kind = rec.get(1).unwrap_or("").trim().to_string();
        if name.is_empty() {
            anyhow::bail!("townships.csv row {}: empty name", i + 2);
        }
        out.push((name, kind));
    }
    Ok(out)
}

/// Inserts the townships that are not there yet; existing ones keep their ids.
pub fn seed(conn: &mut DbConnection, list: &[(String, String)]) -> QueryResult<usize> {
    let existing: Vec<String> = townships::table.select(townships::name).load(conn)?;
    let mut added = 0;
    for (name, kind) in list {
        if existing.iter().any(|e| e == name) {
            continue;
        }
        let order = existing.len() + added;
        diesel::insert_into(townships::table)
            .values((
                townships::name.eq(name),
                townships::kind.eq(kind),
                townships::sort_order.eq(order as i32),
            ))
            .execute(conn)?;
        added += 1;
    }
    Ok(added)
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Township>> {
    townships::table
        .order((townships::sort_order, townships::id))
        .select(Township::as_select())
        .load(conn)
}
