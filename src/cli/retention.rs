//! Retention on the command line: what is due, holds, disposal.

use super::print::{self, s};
use super::*;
use crate::domain::dates::uk;
use crate::service::op::Op;
use crate::service::retention::{DisposeForm, DueRequest};
use crate::service::{Service, ServiceError};

/// `retention due`: the requests past their date, then the held ones.
pub(super) fn due(svc: &mut Service, cmd: RetentionCmd, json: bool) -> Result<(), ServiceError> {
    let RetentionCmd::Due { quiet_if_none } = cmd;
    let list = svc.retention_due()?;
    if json {
        return print::json(&list);
    }
    if quiet_if_none && list.due.is_empty() && list.held.is_empty() {
        return Ok(());
    }
    let rows = |v: &[DueRequest]| -> Vec<Vec<String>> {
        v.iter()
            .map(|d| {
                let mut row = vec![d.reference.clone(), uk(d.due.due_on), s(&d.organisation), d.rule.clone()];
                if let Some(h) = &d.hold {
                    row.insert(2, format!("held {} by {}: {}", uk(h.since), s(&h.by), s(&h.reason)));
                }
                row
            })
            .collect()
    };
    if list.due.is_empty() {
        say!("No request is due for disposal on {}.", uk(list.today));
    } else {
        say!("{} due for disposal on {} (oldest first):", plural(list.due.len()), uk(list.today));
        print::table(&["REFERENCE", "DUE", "ORGANISATION", "RULE"], &rows(&list.due));
        say!("Dispose with: caseshare dispose REF… --authorised-by LOGIN --reason TEXT (try --dry-run first)");
    }
    if !list.held.is_empty() {
        say!("");
        say!("{} under a legal hold (not disposed of until released):", plural(list.held.len()));
        print::table(&["REFERENCE", "DUE", "HOLD", "ORGANISATION", "RULE"], &rows(&list.held));
    }
    Ok(())
}

fn plural(n: usize) -> String {
    if n == 1 { "1 request".into() } else { format!("{n} requests") }
}

/// `dispose REF… --authorised-by LOGIN --reason TEXT [--early REASON] [--dry-run]`.
pub(super) fn dispose(svc: &mut Service, form: DisposeForm, dry_run: bool, json: bool) -> Result<(), ServiceError> {
    let out = match svc.apply(Op::Dispose { form, dry_run })? {
        crate::service::op::Outcome::Disposed(out) => out,
        _ => unreachable!("a disposal answers with what it disposed of"),
    };
    if json {
        return print::json(&out);
    }
    for d in &out.disposed {
        say!("{}", d.describe(out.dry_run));
    }
    if out.dry_run {
        say!("Dry run: nothing was changed. Run again without --dry-run to dispose of them.");
    } else if let Some(note) = out.log_note() {
        say!("Note: {note}.");
    }
    Ok(())
}
