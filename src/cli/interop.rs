//! Moving records in and out: export, import, backup.

use std::path::PathBuf;

use super::print;
use super::*;
use crate::domain::Status;
use crate::domain::dates::parse_date;
use crate::service::forms::code;
use crate::service::interop::ExportTarget;
use crate::service::{Service, ServiceError};
use crate::store::lists::ListFilter;

/// An export to a workbook or CSV folder (recorded).
pub(super) fn export(svc: &mut Service, a: ExportArgs, json: bool) -> Result<(), ServiceError> {
    let today = svc.today();
    let statuses = a.status.iter().map(|s| code::<Status>("status", s)).collect::<Result<Vec<_>, _>>()?;
    let opt = |field: &str, v: &Option<String>| v.as_deref().map(|s| parse_date(field, s, today)).transpose();
    let filter = ListFilter {
        statuses,
        overdue: a.overdue,
        owner_id: a.mine.then(|| svc.actor().id),
        organisation: a.org,
        subject: a.subject,
        received_from: opt("from", &a.from)?,
        received_to: opt("to", &a.to)?,
        ..ListFilter::default()
    };
    let target = match (a.xlsx, a.csv) {
        (Some(f), _) => ExportTarget::Xlsx(f),
        (None, Some(d)) => ExportTarget::CsvDir(d),
        (None, None) => unreachable!("clap requires one"),
    };
    let progress = crate::progress::Progress::new(0, "exporting");
    let out = svc.export_with(&filter, a.with_log, a.audit, &target, &progress)?;
    progress.finish();
    if json {
        return print::json(&out);
    }
    let files: Vec<String> = out.files.iter().map(|f| f.display().to_string()).collect();
    say!(
        "Exported {} requests, {} viewings{}{} to {} (mode 0600). The export is recorded in the event log.",
        out.requests,
        out.viewings,
        if a.with_log { format!(", {} events", out.events) } else { String::new() },
        if a.audit { " with the decision record" } else { "" },
        files.join(", ")
    );
    Ok(())
}

/// An import of a workbook.
pub(super) fn import(
    svc: &mut Service,
    file: PathBuf,
    sheet: Option<String>,
    map: Option<PathBuf>,
    dry_run: bool,
    json: bool,
) -> Result<(), ServiceError> {
    let mut mapping = match map {
        Some(m) => {
            let text = std::fs::read_to_string(&m).map_err(|e| ServiceError::Io(format!("{}: {e}", m.display())))?;
            crate::interop::import::Mapping::from_toml(&text).map_err(ServiceError::Io)?
        }
        None => crate::interop::import::Mapping::default(),
    };
    if let Some(s) = sheet {
        mapping.requests.sheet = s;
    }
    let report = svc.import(&file, &mapping, dry_run)?;
    if json {
        print::json(&report)?;
    } else {
        print::import(&report);
    }
    if report.rejected.is_empty() {
        Ok(())
    } else {
        Err(crate::domain::Refusal::new(
            crate::domain::Rule::Reference,
            format!("{} row(s) rejected, so nothing was imported", report.rejected.len()),
            "correct or remove those rows (listed above) and import again",
        )
        .into())
    }
}

/// A checked backup.
pub(super) fn backup(svc: &mut Service, file: PathBuf, json: bool) -> Result<(), ServiceError> {
    let progress = crate::progress::Progress::new(0, "backing up");
    let r = svc.backup_with(&file, &progress)?;
    progress.finish();
    if json {
        print::json(&r)
    } else {
        say!(
            "Backed up to {} (mode 0600): {} requests, {} events; integrity check and event chain OK.",
            file.display(),
            r.requests,
            r.events
        );
        let local = |at: &str| {
            chrono::DateTime::parse_from_rfc3339(at)
                .map(|t| t.with_timezone(&svc.settings().timezone).format("%d/%m/%Y %H:%M").to_string())
                .unwrap_or_else(|_| at.to_string())
        };
        for b in &r.predate_disposals {
            say!(
                "Older backup {} (made {}) predates the disposal of {} on {} and still holds what it erased: delete it once the schedule allows (docs/deployment.md, \"Backups and disposal\").",
                crate::domain::text::safe(&b.file, false),
                local(&b.made_at),
                b.disposal_of,
                local(&b.disposal_at)
            );
        }
        Ok(())
    }
}
