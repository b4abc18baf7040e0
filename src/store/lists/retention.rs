//! The closed requests retention looks at: each one's closing facts and any hold,
//! oldest first; the domain works out when each falls due.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::domain::Status;
use crate::domain::retention::Closing;
use crate::store::{Result, parse_code};

/// A closed request not yet disposed of.
#[derive(Debug, Clone)]
pub struct ClosedRow {
    pub reference: String,
    pub organisation: String,
    pub closing: Closing,
    /// When, by whom and why it is held, if it is.
    pub hold: Option<(NaiveDate, String, String)>,
}

/// Every closed request not yet disposed of, in reference order.
pub fn closed_requests(conn: &Connection) -> Result<Vec<ClosedRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.reference, o.name, r.status, r.received_on, r.completed_on, r.withdrawn_on,
                (SELECT a.decided_on FROM approvals a WHERE a.request_id = r.id ORDER BY a.id DESC LIMIT 1),
                r.shared_on IS NOT NULL OR EXISTS (SELECT 1 FROM viewings v WHERE v.request_id = r.id),
                r.held_on, hb.login, r.hold_reason
         FROM requests r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN staff hb ON hb.id = r.held_by
         WHERE r.status IN ('complete', 'refused', 'withdrawn', 'redirected') AND r.disposed_on IS NULL
         ORDER BY r.reference",
    )?;
    let rows = stmt.query_map([], |r| {
        let status: Status = parse_code(&r.get::<_, String>(2)?)?;
        let hold = match r.get::<_, Option<NaiveDate>>(8)? {
            Some(on) => Some((on, r.get(9)?, r.get(10)?)),
            None => None,
        };
        Ok(ClosedRow {
            reference: r.get(0)?,
            organisation: r.get(1)?,
            closing: Closing {
                status,
                received_on: r.get(3)?,
                completed_on: r.get(4)?,
                withdrawn_on: r.get(5)?,
                decided_on: r.get(6)?,
                shared: r.get(7)?,
            },
            hold,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
