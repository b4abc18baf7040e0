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

/// An import of a workbook: a dry run unless `--commit`.
pub(super) fn import(svc: &mut Service, a: ImportArgs, json: bool) -> Result<(), ServiceError> {
    let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| ServiceError::Io(format!("{}: {e}", p.display())));
    let mut mapping = match &a.map {
        Some(m) => crate::interop::import::Mapping::from_toml(&read(m)?).map_err(ServiceError::Io)?,
        None => crate::interop::import::Mapping::default(),
    };
    if let Some(s) = a.sheet {
        mapping.requests.sheet = s;
    }
    let proposals = match &a.proposals {
        Some(p) => Some(
            crate::interop::import::proposals::Proposals::from_toml(&read(p)?)
                .map_err(|e| ServiceError::Io(format!("{}: {e}", p.display())))?,
        ),
        None => None,
    };
    let options = crate::service::import::ImportOptions {
        commit: a.commit,
        create_missing: a.create_missing,
        proposals,
        leave_unmatched: a.leave_unmatched,
    };
    let progress = crate::progress::Progress::new(0, "importing");
    let report = svc.import_with_progress(&a.file, &mapping, &options, &progress)?;
    progress.finish();
    if let Some(out) = &a.write_proposals {
        let unresolved: Vec<_> = report.unresolved().cloned().collect();
        let text = crate::interop::import::proposals::write_toml(&report.file, &unresolved, &report.suggestions);
        crate::interop::write_private(out, text.as_bytes()).map_err(|e| ServiceError::Io(e.to_string()))?;
    }
    if json {
        print::json(&report)?;
    } else {
        print::import(&report, a.all_problems, a.write_proposals.as_deref());
    }
    let unknown = report.unresolved().count();
    let unmatched = if a.leave_unmatched { 0 } else { report.unmatched.len() };
    if report.rejected.is_empty() && unknown == 0 && unmatched == 0 {
        return Ok(());
    }
    let mut what = Vec::new();
    if !report.rejected.is_empty() {
        let rows: std::collections::BTreeSet<(&str, usize)> =
            report.rejected.iter().map(|r| (r.sheet.as_str(), r.row)).collect();
        what.push(format!("{} row(s) rejected", rows.len()));
    }
    if unknown > 0 {
        what.push(format!("{unknown} unknown name(s)"));
    }
    if unmatched > 0 {
        what.push(format!("{unmatched} tracker row(s) matched to no one request"));
    }
    Err(crate::domain::Refusal::new(
        crate::domain::Rule::Reference,
        format!("{}, so nothing was imported", what.join(", ")),
        "correct or remove those rows, create or alias the names (--create-missing or --proposals), \
         or leave unmatched tracker rows out (--leave-unmatched), and import again",
    )
    .into())
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
