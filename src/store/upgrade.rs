//! Re-coding stored values when a schema changes what they mean, with an event for
//! each request it changes, so the tables stay a projection of the log and
//! `verify` passes after the upgrade.
//!
//! Schema 10 ([`v10`]): the lawful basis as SPEC section 2 models it. The old
//! `art9` codes (`safeguarding`, `statutory`, `social_care`, `legal_claims`,
//! `none`) become an Art. 9(2) gateway with its Schedule 1 condition, the old
//! `statutory_power` codes stay except `ca2004_s11` (not a sharing power: cleared)
//! and `dsa_exists` becomes the agreement answer; what cannot be mapped is written
//! in words to `basis_review` for a person to complete, never guessed
//! ([`crate::domain::map_legacy`]).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::{Map, Value, json};

use super::Result;
use super::events;
use crate::domain::*;

/// Who the upgrade's events are recorded as.
pub const UPGRADE_LOGIN: &str = "caseshare-upgrade";

/// Re-codes every request's basis (see the module docs); one `upgrade` event per
/// request changed, whose `before`/`after` hold exactly the fields re-coded, and
/// its version goes up by one.
pub fn v10(conn: &Connection, at: DateTime<Utc>) -> Result<()> {
    for (table, column, decl) in super::schema::V10_COLUMNS {
        let present: bool =
            conn.query_row("SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |r| {
                r.get(0)
            })?;
        if !present {
            // Names and declarations are the constants above, never user text.
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl};"))?;
        }
    }
    type Row = (i64, String, Option<String>, Option<String>, String, Option<i64>, bool);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT id, reference, art9, statutory_power, power_detail, dsa_exists, agreement IS NOT NULL
             FROM requests ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, reference, art9, power, detail, dsa, agreed) in rows {
        let m = map_legacy(art9.as_deref(), power.as_deref(), &detail, dsa, agreed);
        let new_art9 = m.art9.map(Art9Gateway::as_code);
        let new_power = m.power.map(StatutoryPower::as_code);
        let mut basis_before = Map::new();
        let mut basis_after = Map::new();
        if new_art9 != art9.as_deref() {
            basis_before.insert("art9".into(), json!(art9));
            basis_after.insert("art9".into(), json!(new_art9));
        }
        if let Some(c) = m.sch1 {
            basis_before.insert("sch1".into(), Value::Null);
            basis_after.insert("sch1".into(), json!(c.as_code()));
        }
        if new_power != power.as_deref() {
            basis_before.insert("power".into(), json!(power));
            basis_after.insert("power".into(), json!(new_power));
        }
        if let Some(r) = &m.review {
            basis_before.insert("review".into(), Value::Null);
            basis_after.insert("review".into(), json!(r));
        }
        let mut details_before = Map::new();
        let mut details_after = Map::new();
        if let Some(a) = m.agreement {
            details_before.insert("agreement".into(), Value::Null);
            details_after.insert("agreement".into(), json!(a.as_code()));
        }
        if basis_after.is_empty() && details_after.is_empty() {
            continue;
        }
        conn.execute(
            "UPDATE requests SET art9 = ?2, sch1_condition = coalesce(?3, sch1_condition), statutory_power = ?4,
                basis_review = coalesce(?5, basis_review), agreement = coalesce(?6, agreement), version = version + 1
             WHERE id = ?1",
            params![
                id,
                new_art9,
                m.sch1.map(Sch1Condition::as_code),
                new_power,
                m.review,
                m.agreement.map(AgreementAnswer::as_code)
            ],
        )?;
        let side = |basis: Map<String, Value>, details: Map<String, Value>| {
            let mut request = Map::new();
            if !basis.is_empty() {
                request.insert("basis".into(), Value::Object(basis));
            }
            if !details.is_empty() {
                request.insert("details".into(), Value::Object(details));
            }
            json!({ "request": request })
        };
        let before = side(basis_before, details_before);
        let after = side(basis_after, details_after);
        events::append(conn, at, UPGRADE_LOGIN, "upgrade", Some(&reference), &before, &after)?;
    }
    Ok(())
}
