//! Looking back: who viewed a child's file, and the figures.

use super::print;
use super::*;
use crate::domain::dates::parse_date;
use crate::service::{Service, ServiceError};
use crate::store::lists::TrackerFilter;

/// Every viewing of a child's file (recorded as a lookup).
pub(super) fn who_viewed(svc: &mut Service, a: WhoViewedArgs, json: bool) -> Result<(), ServiceError> {
    let today = svc.today();
    let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
    let filter = TrackerFilter {
        mosaic_id: a.mosaic_id,
        subject: a.subject,
        organisation: a.org,
        viewer: a.viewer,
        from: opt("from", &a.from)?,
        to: opt("to", &a.to)?,
        text: None,
        limit: None,
    };
    print::who_viewed(&svc.who_viewed(&filter)?, json)
}

/// Figures for a period.
pub(super) fn report(
    svc: &mut Service,
    from: Option<String>,
    to: Option<String>,
    json: bool,
) -> Result<(), ServiceError> {
    let today = svc.today();
    let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
    let report = svc.report(opt("from", &from)?, opt("to", &to)?)?;
    print::report(&report, json)
}
