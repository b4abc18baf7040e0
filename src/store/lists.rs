//! List queries: the request list (triage) and the tracker of viewings (who viewed
//! what). Each fetches only the rows asked for, using indexes.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{Result, parse_code};
use crate::domain::{RequestKind, Status, Step, ViewingMethod};

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

fn like(s: &str) -> String {
    let escaped = s.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

struct Where {
    clauses: Vec<String>,
    values: Vec<Box<dyn ToSql>>,
}

impl Where {
    fn new() -> Self {
        Where { clauses: vec![], values: vec![] }
    }
    /// Adds a clause whose `?` placeholders are numbered in order.
    fn push(&mut self, clause: &str, values: Vec<Box<dyn ToSql>>) {
        let mut out = String::new();
        let mut n = self.values.len();
        for ch in clause.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("?{n}"));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.values.extend(values);
    }
    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!("WHERE {}", self.clauses.join(" AND ")) }
    }
    fn params(&self) -> Vec<&dyn ToSql> {
        self.values.iter().map(|b| b.as_ref()).collect()
    }
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
            "EXISTS (SELECT 1 FROM subjects s WHERE s.request_id = r.id AND (s.name LIKE ? ESCAPE '\\' OR s.mosaic_id = ?))",
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
enum Part {
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
fn part_where(f: &ListFilter, today: NaiveDate, part: Option<Part>, counting: bool) -> Where {
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

/// One row of the exported Requests sheet (the spreadsheet's requests tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestExportRow {
    pub reference: String,
    pub requester: String,
    pub requester_role: String,
    pub organisation: String,
    pub subjects: String,
    pub mosaic_ids: String,
    pub service_area: Option<String>,
    pub format: Option<String>,
    pub received_on: NaiveDate,
    pub form_sent_on: Option<NaiveDate>,
    pub form_returned_on: Option<NaiveDate>,
    pub approver: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub decision: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub kind: RequestKind,
    pub status: Status,
}

/// Requests for export, oldest first, with their latest decision.
pub fn requests_for_export(conn: &Connection, f: &ListFilter, today: NaiveDate) -> Result<Vec<RequestExportRow>> {
    let w = part_where(f, today, None, true);
    let sql = format!(
        "SELECT r.reference, r.requester_name, r.requester_role, o.name,
                coalesce((SELECT group_concat(name, ', ') FROM subjects s WHERE s.request_id = r.id), ''),
                coalesce((SELECT group_concat(mosaic_id, ', ') FROM subjects s WHERE s.request_id = r.id), ''),
                a.name, r.format, r.received_on, r.form_sent_on, r.form_returned_on,
                ap.name, ap.decided_on, ap.decision, r.completed_on, r.kind, r.status
         FROM requests r
         JOIN organisations o ON o.id = r.organisation_id
         LEFT JOIN service_areas a ON a.id = r.service_area_id
         LEFT JOIN (SELECT x.request_id, st.name, x.decided_on, x.decision FROM approvals x
                    JOIN staff st ON st.id = x.approver_id
                    WHERE x.id = (SELECT max(id) FROM approvals y WHERE y.request_id = x.request_id)) ap
                ON ap.request_id = r.id
         {}
         ORDER BY r.received_on, r.id",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(w.params().as_slice(), |r| {
            Ok(RequestExportRow {
                reference: r.get(0)?,
                requester: r.get(1)?,
                requester_role: r.get(2)?,
                organisation: r.get(3)?,
                subjects: r.get(4)?,
                mosaic_ids: r.get(5)?,
                service_area: r.get(6)?,
                format: r.get(7)?,
                received_on: r.get(8)?,
                form_sent_on: r.get(9)?,
                form_returned_on: r.get(10)?,
                approver: r.get(11)?,
                approved_on: r.get(12)?,
                decision: r.get(13)?,
                completed_on: r.get(14)?,
                kind: parse_code(&r.get::<_, String>(15)?)?,
                status: parse_code(&r.get::<_, String>(16)?)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

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
            &format!("{} IN (SELECT request_id FROM subjects WHERE mosaic_id = ?)", c.request_id),
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

/// Viewings matching the filter, newest first.
pub fn tracker(conn: &Connection, f: &TrackerFilter) -> Result<Vec<TrackerRow>> {
    let w = who_where(f, &VIEWING_COLUMNS);
    let select = "SELECT v.id, r.reference, v.day, v.start_time, v.end_time, v.viewers, v.viewer_org, s.name, v.method,
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
    newest_first(conn, select, "v.day DESC, v.start_time DESC, v.id DESC", &w, f.limit, |r| {
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

/// Requests for the report: received or completed in `[from, to]`, or open now.
pub fn report_rows(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<crate::domain::report::ReportRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, r.kind, r.status, o.name, r.received_on, r.completed_on,
                (SELECT min(decided_on) FROM approvals a WHERE a.request_id = r.id),
                (SELECT min(day) FROM viewings v WHERE v.request_id = r.id),
                CASE WHEN r.status = 'refused'
                     THEN (SELECT reason FROM approvals a WHERE a.request_id = r.id ORDER BY a.id DESC LIMIT 1) END,
                r.due_on
         FROM requests r JOIN organisations o ON o.id = r.organisation_id
         WHERE r.received_on BETWEEN ?1 AND ?2 OR r.completed_on BETWEEN ?1 AND ?2
            OR r.status NOT IN ('complete', 'refused', 'withdrawn', 'redirected')",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to], |r| {
            Ok(crate::domain::report::ReportRow {
                reference: r.get(0)?,
                kind: parse_code(&r.get::<_, String>(1)?)?,
                status: parse_code(&r.get::<_, String>(2)?)?,
                organisation: r.get(3)?,
                received_on: r.get(4)?,
                completed_on: r.get(5)?,
                first_decision_on: r.get(6)?,
                first_viewing_on: r.get(7)?,
                refusal_reason: r.get(8)?,
                due_on: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Incidents opened in `[from, to]`.
pub fn report_incidents(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<crate::domain::report::IncidentRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, i.opened_on, i.referred_on IS NOT NULL FROM incidents i JOIN requests r ON r.id = i.request_id
         WHERE i.opened_on BETWEEN ?1 AND ?2 ORDER BY i.id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to], |r| {
            Ok(crate::domain::report::IncidentRow { reference: r.get(0)?, opened_on: r.get(1)?, referred: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
