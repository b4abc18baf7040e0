//! Every request file read in one pass: each request table read once, in request id
//! order, and the rows put together a request at a time, for `verify`'s rebuild
//! ([`super::rebuild`]). Loading each request on its own ([`super::requests::load`],
//! a dozen indexed queries a request) took most of the rebuild's time.
//!
//! The columns and row functions are those of `requests::load`, so a request read
//! here is the request the application loads, but for its step ticks, which no
//! payload holds and which are not read.

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::{Connection, Row, Rows, Statement};

use super::Result;
use super::requests::{self as rq};
use crate::domain::{CopyGiven, RequestFile};

/// One table read in request order: the rows of one request taken at a time.
pub(super) struct ByRequest<'s> {
    rows: Rows<'s>,
    /// The column holding the request id.
    key: usize,
}

impl<'s> ByRequest<'s> {
    /// Runs `stmt` (ordered by the request id in column `key`, without parameters).
    pub(super) fn new(stmt: &'s mut Statement<'_>, key: usize) -> Result<Self> {
        let mut rows = stmt.query([])?;
        rows.advance()?;
        Ok(ByRequest { rows, key })
    }

    /// Calls `f` for each row of request `id`, in the query's order. Rows of a
    /// request before `id` that was not asked for (no row in `requests`) are passed
    /// over.
    pub(super) fn each(&mut self, id: i64, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        while let Some(r) = self.rows.get() {
            let at: i64 = r.get(self.key)?;
            if at > id {
                break;
            }
            if at == id {
                f(r)?;
            }
            self.rows.advance()?;
        }
        Ok(())
    }

    /// The rows of request `id`, each mapped by `f`.
    fn take<T>(&mut self, id: i64, f: impl Fn(&Row<'_>) -> rusqlite::Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(id, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Calls `each` with every request file (without its ticks), in request id order.
pub fn each_request(conn: &Connection, mut each: impl FnMut(RequestFile) -> Result<()>) -> Result<()> {
    let sql = |select: &str, key: &str, order: &str| format!("{select} ORDER BY {key}, {order}");
    let mut subjects = conn.prepare(&sql(rq::SUBJECTS, "request_id", "id"))?;
    let mut items = conn.prepare(&sql(rq::ITEMS, "request_id", "number"))?;
    let mut approvals = conn.prepare(&sql(rq::APPROVALS, "ap.request_id", "ap.id"))?;
    let mut bookings = conn.prepare(&sql(rq::BOOKINGS, "b.request_id", "b.id"))?;
    let mut viewings = conn.prepare(&sql(rq::VIEWINGS, "v.request_id", rq::VIEWING_ORDER))?;
    let mut viewing_items = conn.prepare(
        "SELECT vi.viewing_id, vi.item_id, v.request_id
         FROM viewings v INDEXED BY viewings_request CROSS JOIN viewing_items vi ON vi.viewing_id = v.id
         ORDER BY v.request_id, v.id, vi.item_id",
    )?;
    let mut copies = conn.prepare(
        "SELECT c.viewing_id, c.item_id, c.reason, v.request_id
         FROM viewings v INDEXED BY viewings_request CROSS JOIN copies c ON c.viewing_id = v.id
         ORDER BY v.request_id, v.id, c.item_id",
    )?;
    let mut incidents = conn.prepare(&sql(rq::INCIDENTS, "request_id", "id"))?;
    let key = |stmt: &Statement| stmt.column_count() - 1;
    let (k_subjects, k_items, k_approvals, k_bookings, k_viewings, k_incidents) =
        (key(&subjects), key(&items), key(&approvals), key(&bookings), key(&viewings), key(&incidents));
    let mut subjects = ByRequest::new(&mut subjects, k_subjects)?;
    let mut items = ByRequest::new(&mut items, k_items)?;
    let mut approvals = ByRequest::new(&mut approvals, k_approvals)?;
    let mut bookings = ByRequest::new(&mut bookings, k_bookings)?;
    let mut viewings = ByRequest::new(&mut viewings, k_viewings)?;
    let mut viewing_items = ByRequest::new(&mut viewing_items, 2)?;
    let mut copies = ByRequest::new(&mut copies, 3)?;
    let mut incidents = ByRequest::new(&mut incidents, k_incidents)?;

    let mut requests = conn.prepare(&format!("{} ORDER BY r.id", rq::REQUEST_SELECT))?;
    let mut rows = requests.query([])?;
    while let Some(r) = rows.next()? {
        let request = rq::row_to_request(r)?;
        let id = request.id;
        let mut file = RequestFile {
            subjects: subjects.take(id, rq::subject_row)?,
            items: items.take(id, rq::item_row)?,
            approvals: approvals.take(id, rq::approval_row)?,
            bookings: bookings.take(id, rq::booking_row)?,
            viewings: viewings.take(id, rq::viewing_row)?,
            incidents: incidents.take(id, rq::incident_row)?,
            ticks: vec![],
            request,
        };
        // Both are read without a sort (the index on viewings.request_id, then each
        // viewing's rows by their primary key), item by item as a load reads them.
        viewing_items.each(id, |r| {
            let viewing: i64 = r.get(0)?;
            if let Some(v) = file.viewings.iter_mut().find(|v| v.id == viewing) {
                v.item_ids.push(r.get(1)?);
            }
            Ok(())
        })?;
        copies.each(id, |r| {
            let viewing: i64 = r.get(0)?;
            if let Some(v) = file.viewings.iter_mut().find(|v| v.id == viewing) {
                v.copies.push(CopyGiven { item_id: r.get(1)?, reason: r.get(2)? });
            }
            Ok(())
        })?;
        each(file)?;
    }
    Ok(())
}
