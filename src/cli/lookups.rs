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

/// Everything about one child (admin or ig; recorded): text, JSON, or a private file.
pub(super) fn subject_report(svc: &mut Service, a: SubjectReportArgs, json: bool) -> Result<(), ServiceError> {
    use crate::domain::subject::{self, SubjectQuery};
    if json && a.out.is_some() {
        return Err(crate::domain::InputError::new("--out", "writes the text report: leave out --json").into());
    }
    let query = match (a.mosaic_id, a.name) {
        (Some(id), _) => SubjectQuery::MosaicId(id),
        (None, Some(name)) => SubjectQuery::Name(name),
        (None, None) => unreachable!("clap requires one"),
    };
    let report = svc.subject_report(&query)?;
    if json {
        return print::json(&report);
    }
    let lines = subject::lines(&report, svc.settings().timezone);
    match a.out {
        Some(path) => {
            let mut text = lines.join("\n");
            text.push('\n');
            crate::interop::write_private(&path, text.as_bytes()).map_err(ServiceError::Io)?;
            say!(
                "Subject report ({} request(s), {} lookup(s)) written to {} (mode 0600). The report is recorded in the event log.",
                report.requests.len(),
                report.lookups.len(),
                path.display()
            );
        }
        None => {
            for line in lines {
                say!("{line}");
            }
        }
    }
    Ok(())
}
