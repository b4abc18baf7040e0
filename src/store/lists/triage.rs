//! The request list: filters, the triage order (overdue first, then oldest
//! received), its pages, counts and a request's place in it.

use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{Where, like};
use crate::domain::{RequestKind, Status, Step};
use crate::store::{Result, parse_code};

/// One line of the request list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestSummary {
    pub id: i64,
    pub reference: String,
    pub kind: RequestKind,
    pub status: Status,
    pub received_on: NaiveDate,
    pub organisation: String,
    pub subjects: String,
    pub requester: String,
    pub owner: String,
    pub service_area: Option<String>,
    pub next_step: Option<Step>,
    pub due_on: Option<NaiveDate>,
}

impl RequestSummary {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due_on.is_some_and(|d| d < today)
    }
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Leave out closed requests.
    pub open_only: bool,
    /// Only requests past their target date.
    pub overdue: bool,
    /// Only requests owned by this staff id.
    pub owner_id: Option<i64>,
    /// Organisation name contains.
    pub organisation: Option<String>,
    /// A subject's name contains, or a subject's Mosaic ID is exactly.
    pub subject: Option<String>,
    /// Filter-as-you-type: reference, organisation, subject, Mosaic ID or requester contains.
    pub text: Option<String>,
    /// Only requests with a booking on a day in this range (inclusive).
    pub booked: Option<(NaiveDate, NaiveDate)>,
    /// Received on or after / on or before.
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub limit: Option<u32>,
    pub offset: u32,
}

fn request_where(f: &ListFilter) -> Where {
    let mut w = Where::new();
    if !f.statuses.is_empty() {
        let marks = vec!["?"; f.statuses.len()].join(", ");
        w.push(
            &format!("r.status IN ({marks})"),
            f.statuses.iter().map(|s| Box::new(s.as_code()) as Box<dyn ToSql>).collect(),
        );
    }
    if f.open_only {
        w.push("r.status NOT IN ('complete', 'refused', 'withdrawn', 'redirected')", vec![]);
    }
    if let Some(id) = f.owner_id {
        w.push("r.owner_id = ?", vec![Box::new(id)]);
    }
    if let Some(o) = &f.organisation {
        w.push("o.name LIKE ? ESCAPE '\\'", vec![Box::new(like(o))]);
    }
    if let Some(s) = &f.subject {
        w.push(
            "EXISTS (SELECT 1 FROM subjects s WHERE s.request_id = r.id AND (s.name LIKE ? ESCAPE '\\' OR s.mosaic_id = ? COLLATE NOCASE))",
            vec![Box::new(like(s)), Box::new(s.trim().to_string())],
        );
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
        // The trigram index answers substring searches of three or more characters,
        // but only for a LIKE without ESCAPE: wildcard characters typed are dropped.
        let plain: String = t.trim().chars().filter(|c| !matches!(c, '%' | '_')).collect();
        w.push("r.id IN (SELECT rowid FROM request_search WHERE text LIKE ?)", vec![Box::new(format!("%{plain}%"))]);
    }
    if let Some((from, to)) = f.booked {
        w.push(
            "EXISTS (SELECT 1 FROM bookings b WHERE b.request_id = r.id AND b.day BETWEEN ? AND ?)",
            vec![Box::new(from), Box::new(to)],
        );
    }
    if let Some(d) = f.received_from {
        w.push("r.received_on >= ?", vec![Box::new(d)]);
    }
    if let Some(d) = f.received_to {
        w.push("r.received_on <= ?", vec![Box::new(d)]);
    }
    w
}

/// Which slice of the triage order a query reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// Past their target date.
    Overdue,
    /// Not past it (or without one).
    Rest,
}

/// Requests matching the filter: overdue first, then oldest received.
///
/// The order is read as two index-ordered scans (overdue, then the rest), each
/// stopping at the page's limit, so a page costs the same at any size: no sort of
/// the whole table per page or keystroke.
pub fn requests(conn: &Connection, f: &ListFilter, today: NaiveDate) -> Result<Vec<RequestSummary>> {
    let overdue = if f.overdue { 0 } else { count_part(conn, f, today, Some(Part::Overdue))? };
    requests_after(conn, f, today, overdue)
}

/// As [`requests`], given how many of the filter's requests are overdue (the
/// count of the same filter with `overdue` set), which a session may remember.
pub fn requests_after(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    overdue: i64,
) -> Result<Vec<RequestSummary>> {
    let limit = f.limit.map_or(usize::MAX, |l| l as usize);
    let offset = f.offset as usize;
    if f.overdue {
        return page(conn, f, today, Part::Overdue, limit, offset);
    }
    let overdue = overdue as usize;
    let mut rows = Vec::new();
    if offset < overdue {
        rows = page(conn, f, today, Part::Overdue, limit, offset)?;
    }
    if rows.len() < limit {
        let more = page(conn, f, today, Part::Rest, limit - rows.len(), offset.saturating_sub(overdue))?;
        rows.extend(more);
    }
    Ok(rows)
}

/// The filter's conditions plus the slice of the order. `counting` lets the overdue
/// condition use the target index; a page instead walks the age-ordered index and
/// checks the target from it (unary `+`), rather than sorting every overdue request.
pub(super) fn part_where(f: &ListFilter, today: NaiveDate, part: Option<Part>, counting: bool) -> Where {
    let mut w = request_where(f);
    if f.overdue || part == Some(Part::Overdue) {
        let term = if counting { "r.due_on < ?" } else { "+r.due_on < ?" };
        w.push(term, vec![Box::new(today)]);
    } else if part == Some(Part::Rest) {
        w.push("(r.due_on IS NULL OR r.due_on >= ?)", vec![Box::new(today)]);
    }
    w
}

fn page(
    conn: &Connection,
    f: &ListFilter,
    today: NaiveDate,
    part: Part,
    limit: usize,
    offset: usize,
) -> Result<Vec<RequestSummary>> {
    let w = part_where(f, today, Some(part), false);
    let n = w.values.len();
    // The page's ids come from the index alone; only the page's rows are read whole.
    let join = if f.organisation.is_some() { "JOIN organisations o ON o.id = r.organisation_id" } else { "" };
    let sql = format!(
        "{SUMMARY_SELECT}
         WHERE r.id IN (SELECT r.id FROM requests r {join} {} ORDER BY r.received_on, r.id LIMIT ?{} OFFSET ?{})
         ORDER BY r.received_on, r.id",
        w.sql(),
        n + 1,
        n + 2
    );
    let mut params = w.params();
    let limit = i64::try_from(limit).unwrap_or(-1);
    let offset = offset as i64;
    params.push(&limit);
    params.push(&offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params.as_slice(), summary)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The columns of a list line.
const SUMMARY_SELECT: &str = "SELECT r.id, r.reference, r.kind, r.status, r.received_on, o.name,
                coalesce((SELECT group_concat(name, ', ') FROM subjects s WHERE s.request_id = r.id), ''),
                r.requester_name, ow.login, a.name, r.next_step, r.due_on
         FROM requests r
         JOIN organisations o ON o.id = r.organisation_id
         JOIN staff ow ON ow.id = r.owner_id
         LEFT JOIN service_areas a ON a.id = r.service_area_id";

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestSummary> {
    Ok(RequestSummary {
        id: r.get(0)?,
        reference: r.get(1)?,
        kind: parse_code(&r.get::<_, String>(2)?)?,
        status: parse_code(&r.get::<_, String>(3)?)?,
        received_on: r.get(4)?,
        organisation: r.get(5)?,
        subjects: r.get(6)?,
        requester: r.get(7)?,
        owner: r.get(8)?,
        service_area: r.get(9)?,
        next_step: r.get::<_, Option<String>>(10)?.map(|s| parse_code(&s)).transpose()?,
        due_on: r.get(11)?,
    })
}

/// The list lines of these requests, in the order given (a page of search matches).
pub fn summaries_by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<RequestSummary>> {
    let list = serde_json::to_string(ids).expect("ids serialize");
    let sql = format!("{SUMMARY_SELECT} WHERE r.id IN (SELECT value FROM json_each(?1))");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<RequestSummary> = stmt.query_map([list], summary)?.collect::<rusqlite::Result<_>>()?;
    let at: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    rows.sort_by_key(|r| at.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// A request's id from its reference.
pub fn id_of(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM requests WHERE reference = ?1")?
        .query_row([reference], |r| r.get(0))
        .optional()?)
}

/// The ids of every request the filter includes, in no particular order (for the
/// in-memory search, which orders them itself).
pub fn ids_matching(conn: &Connection, f: &ListFilter, today: NaiveDate) -> Result<Vec<i64>> {
    let w = part_where(f, today, None, true);
    let join = if f.organisation.is_some() { "JOIN organisations o ON o.id = r.organisation_id" } else { "" };
    let sql = format!("SELECT r.id FROM requests r {join} {}", w.sql());
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt.query_map(w.params().as_slice(), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// How many requests match (for "n of m" and scrolling).
pub fn count_requests(conn: &Connection, f: &ListFilter, today: NaiveDate) -> Result<i64> {
    count_part(conn, f, today, None)
}

/// Where a request stands in the triage order of this filter, if it is in it.
pub fn position(conn: &Connection, f: &ListFilter, today: NaiveDate, reference: &str) -> Result<Option<usize>> {
    let me: Option<(i64, NaiveDate, Option<NaiveDate>)> = conn
        .query_row("SELECT id, received_on, due_on FROM requests WHERE reference = ?1", [reference], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((id, received, due)) = me else { return Ok(None) };
    let mut only = part_where(f, today, None, true);
    only.push("r.id = ?", vec![Box::new(id)]);
    if count_where(conn, f, &only)? == 0 {
        return Ok(None);
    }
    let overdue = due.is_some_and(|d| d < today);
    let mut before = part_where(f, today, Some(if overdue { Part::Overdue } else { Part::Rest }), true);
    // (the same order the page query reads)
    before.push(
        "(r.received_on < ? OR (r.received_on = ? AND r.id < ?))",
        vec![Box::new(received), Box::new(received), Box::new(id)],
    );
    let mut n = count_where(conn, f, &before)?;
    if !overdue && !f.overdue {
        n += count_part(conn, f, today, Some(Part::Overdue))?;
    }
    Ok(Some(n as usize))
}

fn count_part(conn: &Connection, f: &ListFilter, today: NaiveDate, part: Option<Part>) -> Result<i64> {
    count_where(conn, f, &part_where(f, today, part, true))
}

fn count_where(conn: &Connection, f: &ListFilter, w: &Where) -> Result<i64> {
    // Counting needs the organisation only when a filter names it.
    let join = if f.organisation.is_some() { "JOIN organisations o ON o.id = r.organisation_id" } else { "" };
    let sql = format!("SELECT count(*) FROM requests r {join} {}", w.sql());
    Ok(conn.prepare_cached(&sql)?.query_row(w.params().as_slice(), |r| r.get(0))?)
}
