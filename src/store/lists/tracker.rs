//! The tracker: who saw what. Viewings, and copies shared directly without one,
//! found by child, Mosaic ID, organisation, viewer, date or typed text, newest first.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::Connection;
use rusqlite::types::ToSql;
use serde::Serialize;

use super::{Where, like};
use crate::domain::ViewingMethod;
use crate::store::{Result, parse_code};

/// One viewing, as the tracker and `who-viewed` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackerRow {
    pub viewing_id: i64,
    pub reference: String,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub viewers: String,
    pub viewer_org: String,
    pub supervisor: String,
    pub method: ViewingMethod,
    pub items: String,
    pub subjects: String,
    pub mosaic_ids: String,
    pub supervised: bool,
    pub copies: i64,
}

/// Which viewings to find.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrackerFilter {
    pub mosaic_id: Option<String>,
    pub subject: Option<String>,
    pub organisation: Option<String>,
    pub viewer: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Filter-as-you-type over child, Mosaic ID, organisation, viewer and reference.
    pub text: Option<String>,
    #[serde(skip)]
    pub limit: Option<u32>,
}

impl TrackerFilter {
    pub fn is_empty(&self) -> bool {
        self.mosaic_id.is_none()
            && self.subject.is_none()
            && self.organisation.is_none()
            && self.viewer.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.text.as_deref().is_none_or(|t| t.trim().is_empty())
    }
}

/// The columns a who-saw-what filter looks at: viewings and direct shares keep the
/// person, their organisation and the day in different places.
struct WhoColumns {
    request_id: &'static str,
    person: &'static str,
    /// Where the organisation's name may be (the viewer's own, the request's).
    orgs: &'static [&'static str],
    day: &'static str,
}

const VIEWING_COLUMNS: WhoColumns =
    WhoColumns { request_id: "v.request_id", person: "v.viewers", orgs: &["v.viewer_org", "o.name"], day: "v.day" };
/// A direct share's day is the day it was shared; one imported from the old
/// spreadsheet may have only the day it was completed, or received.
const SHARE_DAY: &str = "coalesce(r.shared_on, r.completed_on, r.received_on)";
const SHARE_COLUMNS: WhoColumns =
    WhoColumns { request_id: "r.id", person: "r.requester_name", orgs: &["o.name"], day: SHARE_DAY };

fn who_where(f: &TrackerFilter, c: &WhoColumns) -> Where {
    let mut w = Where::new();
    let boxed = |p: &String, n: usize| (0..n).map(|_| Box::new(p.clone()) as Box<dyn ToSql>).collect::<Vec<_>>();
    let any_org = |p: &str| c.orgs.iter().map(|o| format!("{o} LIKE {p} ESCAPE '\\'")).collect::<Vec<_>>();
    if let Some(m) = &f.mosaic_id {
        w.push(
            // Mosaic IDs are stored trimmed and compared without case, by the
            // `subjects_mosaic_nocase` index.
            &format!("{} IN (SELECT request_id FROM subjects WHERE mosaic_id = ? COLLATE NOCASE)", c.request_id),
            vec![Box::new(m.trim().to_string())],
        );
    }
    if let Some(s) = &f.subject {
        w.push(
            &format!("{} IN (SELECT request_id FROM subjects WHERE name LIKE ? ESCAPE '\\')", c.request_id),
            vec![Box::new(like(s))],
        );
    }
    if let Some(o) = &f.organisation {
        w.push(&format!("({})", any_org("?").join(" OR ")), boxed(&like(o), c.orgs.len()));
    }
    if let Some(v) = &f.viewer {
        w.push(&format!("{} LIKE ? ESCAPE '\\'", c.person), vec![Box::new(like(v))]);
    }
    if let Some(d) = f.from {
        w.push(&format!("{} >= ?", c.day), vec![Box::new(d)]);
    }
    if let Some(d) = f.to {
        w.push(&format!("{} <= ?", c.day), vec![Box::new(d)]);
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let mut any = vec![format!("{} LIKE ? ESCAPE '\\'", c.person)];
        any.extend(any_org("?"));
        any.push("r.reference LIKE ? ESCAPE '\\'".into());
        any.push(format!(
            "{} IN (SELECT request_id FROM subjects WHERE name LIKE ? ESCAPE '\\' OR mosaic_id LIKE ? ESCAPE '\\')",
            c.request_id
        ));
        let n = any.len() + 1;
        w.push(&format!("({})", any.join(" OR ")), boxed(&like(t), n));
    }
    w
}

/// One copy shared directly (no viewing): to whom, from where, how, when, what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareRow {
    pub reference: String,
    pub day: NaiveDate,
    pub shared_with: String,
    pub organisation: String,
    pub method: String,
    pub items: String,
    pub subjects: String,
    pub mosaic_ids: String,
}

/// Copies shared directly matching the filter (the person is the requester), newest first.
pub fn direct_shares(conn: &Connection, f: &TrackerFilter) -> Result<Vec<ShareRow>> {
    let mut w = who_where(f, &SHARE_COLUMNS);
    w.push("r.kind = 'direct_share'", vec![]);
    let select = format!(
        "SELECT r.reference, {SHARE_DAY}, r.requester_name, o.name, coalesce(r.share_method, ''),
                coalesce((SELECT group_concat(i.number || '. ' || i.description, '; ')
                          FROM items i WHERE i.request_id = r.id AND i.approved IS NOT 0), ''),
                coalesce((SELECT group_concat(name, ', ') FROM subjects WHERE request_id = r.id), ''),
                coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects WHERE request_id = r.id), '')
         FROM requests r
         JOIN organisations o ON o.id = r.organisation_id"
    );
    newest_first(conn, &select, &format!("{SHARE_DAY} DESC, r.id DESC"), &w, f.limit, |r| {
        Ok(ShareRow {
            reference: r.get(0)?,
            day: r.get(1)?,
            shared_with: r.get(2)?,
            organisation: r.get(3)?,
            method: r.get(4)?,
            items: r.get(5)?,
            subjects: r.get(6)?,
            mosaic_ids: r.get(7)?,
        })
    })
}

/// Runs `select` with the filter's conditions, in `order`, up to `limit` rows.
fn newest_first<T>(
    conn: &Connection,
    select: &str,
    order: &str,
    w: &Where,
    limit: Option<u32>,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let sql = format!("{select} {} ORDER BY {order} LIMIT ?{}", w.sql(), w.values.len() + 1);
    let mut params = w.params();
    let limit = limit.map(i64::from).unwrap_or(-1);
    params.push(&limit);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params.as_slice(), row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The tracker's rows, before the filter's conditions.
const TRACKER_SELECT: &str =
    "SELECT v.id, r.reference, v.day, v.start_time, v.end_time, v.viewers, v.viewer_org, s.name, v.method,
                coalesce((SELECT group_concat(i.number || '. ' || i.description, '; ')
                          FROM viewing_items vi JOIN items i ON i.id = vi.item_id WHERE vi.viewing_id = v.id), ''),
                coalesce((SELECT group_concat(name, ', ') FROM subjects WHERE request_id = v.request_id), ''),
                coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects WHERE request_id = v.request_id), ''),
                v.supervised,
                (SELECT count(*) FROM copies c WHERE c.viewing_id = v.id)
         FROM viewings v
         JOIN requests r ON r.id = v.request_id
         JOIN organisations o ON o.id = r.organisation_id
         JOIN staff s ON s.id = v.supervisor_id";
const TRACKER_ORDER: &str = "v.day DESC, v.start_time DESC, v.id DESC";

/// Viewings matching the filter, newest first.
pub fn tracker(conn: &Connection, f: &TrackerFilter) -> Result<Vec<TrackerRow>> {
    let w = who_where(f, &VIEWING_COLUMNS);

    newest_first(conn, TRACKER_SELECT, TRACKER_ORDER, &w, f.limit, |r| {
        Ok(TrackerRow {
            viewing_id: r.get(0)?,
            reference: r.get(1)?,
            day: r.get(2)?,
            start: r.get(3)?,
            end: r.get(4)?,
            viewers: r.get(5)?,
            viewer_org: r.get(6)?,
            supervisor: r.get(7)?,
            method: parse_code(&r.get::<_, String>(8)?)?,
            items: r.get(9)?,
            subjects: r.get(10)?,
            mosaic_ids: r.get(11)?,
            supervised: r.get(12)?,
            copies: r.get(13)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mosaic_id_is_looked_up_by_the_index_that_ignores_case() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrations().to_latest(&mut conn).unwrap();
        let f = TrackerFilter { mosaic_id: Some(" demo-1008 ".into()), ..Default::default() };
        for (select, order, c) in [
            (TRACKER_SELECT.to_string(), TRACKER_ORDER, &VIEWING_COLUMNS),
            (
                "SELECT r.id FROM requests r JOIN organisations o ON o.id = r.organisation_id".to_string(),
                "r.id",
                &SHARE_COLUMNS,
            ),
        ] {
            let w = who_where(&f, c);
            let sql = format!("EXPLAIN QUERY PLAN {select} {} ORDER BY {order}", w.sql());
            let mut stmt = conn.prepare(&sql).unwrap();
            let plan: Vec<String> =
                stmt.query_map(w.params().as_slice(), |r| r.get::<_, String>(3)).unwrap().map(|r| r.unwrap()).collect();
            assert!(
                plan.iter().any(|p| p.contains("subjects USING") && p.contains("INDEX subjects_mosaic_nocase")),
                "{plan:#?}"
            );
        }
    }
}
