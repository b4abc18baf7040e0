//! Requests: receiving, listing and showing one, its case note and letters.

use std::path::PathBuf;

use super::args::new_request_form;
use super::print;
use super::*;
use crate::domain::{Status, text};
use crate::service::forms::code;
use crate::service::lookup::{Settle, Settled};
use crate::service::op::Op;
use crate::service::{Service, ServiceError};
use crate::store::lists::ListFilter;

/// `request new|list|show`.
pub(super) fn request(svc: &mut Service, c: RequestCmd, json: bool) -> Result<(), ServiceError> {
    let today = svc.today();
    match c {
        RequestCmd::New(a) => {
            let out = svc.apply(Op::NewRequest(new_request_form(a)))?.created();
            print::new_outcome(&out, json)
        }
        RequestCmd::List { status, overdue, mine, org, subject, text: search, all, limit } => {
            if let Some(t) = &search
                && t.trim().chars().count() < crate::app::MIN_SEARCH
            {
                return Err(crate::domain::InputError::new(
                    "text",
                    format!("'{}' is too short to search for: give 3 or more characters", text::safe(t, false)),
                )
                .into());
            }
            let statuses = status.iter().map(|s| code::<Status>("status", s)).collect::<Result<Vec<_>, _>>()?;
            let limit = limit.unwrap_or(if json { 0 } else { 500 });
            let filter = ListFilter {
                open_only: !all && statuses.is_empty(),
                statuses,
                overdue,
                owner_id: mine.then(|| svc.actor().id),
                organisation: org,
                subject,
                text: search,
                limit: (limit > 0).then_some(limit),
                ..ListFilter::default()
            };
            // A search that can find a child's file is a lookup: the service records it.
            let rows = svc.search_list(&filter, Settle::Now(Settled::Cli))?;
            print::request_list(&rows, today, json)?;
            if !json && limit > 0 && rows.len() == limit as usize {
                let total = svc.count(&filter)?;
                if total > i64::from(limit) {
                    say!("Showing the first {limit} of {total} in triage order; --limit 0 lists every one.");
                }
            }
            Ok(())
        }
        RequestCmd::Show { reference } => {
            let f = svc.request(&reference)?;
            print::request_show(&f, svc.settings(), today, json)
        }
    }
}

/// The case note text to paste into Mosaic.
pub(super) fn case_note(svc: &mut Service, reference: String, json: bool) -> Result<(), ServiceError> {
    let t = svc.case_note_text(&reference)?;
    if json {
        print::json(&serde_json::json!({ "reference": reference, "text": t }))
    } else {
        crate::cli::write_out(format_args!("{}", text::safe(&t, true)));
        Ok(())
    }
}

/// A letter, or where the templates come from.
pub(super) fn letter(
    svc: &mut Service,
    reference: Option<String>,
    kind: Option<String>,
    out: Option<PathBuf>,
    templates: bool,
    json: bool,
) -> Result<(), ServiceError> {
    if templates {
        let dir = crate::interop::letters::template_dir(svc.settings());
        for k in crate::domain::LetterKind::ALL {
            let (_, origin) = crate::interop::letters::source(*k, dir.as_deref()).map_err(ServiceError::Io)?;
            say!("{:<16} {origin}", k.as_code());
        }
        if let Some(d) = dir {
            say!("Put a file named KIND.txt in {} to replace a built-in template.", d.display());
        }
        return Ok(());
    }
    let (Some(reference), Some(kind)) = (reference, kind) else { unreachable!("clap requires both") };
    let kind: crate::domain::LetterKind = code("letter", &kind)?;
    let text = svc.letter(&reference, kind)?;
    match out {
        Some(path) => {
            crate::interop::write_private(&path, text.as_bytes()).map_err(ServiceError::Io)?;
            if json {
                print::json(&serde_json::json!({ "reference": reference, "kind": kind, "file": path }))?;
            } else {
                say!("{reference}: {} written to {} (mode 0600).", kind.as_code(), path.display());
            }
        }
        None if json => print::json(&serde_json::json!({ "reference": reference, "kind": kind, "text": text }))?,
        None => crate::cli::write_out(format_args!("{}", text::safe(&text, true))),
    }
    Ok(())
}
