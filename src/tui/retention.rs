//! The retention screen's saves: a disposal (its dry run first, for the y/n
//! question), a legal hold and its release, through the same `Service::apply` and
//! in the same words as `caseshare dispose`, `hold` and `release`.

use crate::app::form::fields::{DisposeValues, HoldValues, Values};
use crate::service::op::{Change, On, Op, Outcome};
use crate::service::retention::{DisposeForm, DisposeOutcome};
use crate::service::{Service, ServiceError};

/// Saves a retention form for real; the status line's message.
pub fn submit(svc: &mut Service, on: On, values: &Values) -> Result<String, ServiceError> {
    let reference = on.reference.clone();
    match values {
        Values::Dispose(v) => {
            let out = dispose(svc, &reference, v, false)?;
            let mut msg = out
                .disposed
                .iter()
                .map(|d| {
                    format!(
                        "{} disposed of: {} event payloads and {} lookups erased",
                        d.reference, d.events_erased, d.lookups_erased
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            if let Some(note) = out.log_note() {
                msg.push_str(&format!(". Note: {note}"));
            }
            Ok(msg)
        }
        Values::Hold(HoldValues { reason }) => {
            svc.apply(Op::Change(on, Change::Hold { reason: reason.clone() }))?;
            Ok(format!("{reference}: legal hold recorded: it will not be disposed of until released"))
        }
        Values::Release(_) => {
            svc.apply(Op::Change(on, Change::Release))?;
            Ok(format!("{reference}: legal hold released"))
        }
        other => unreachable!("{:?} is saved by tui::submit, not here", other.kind()),
    }
}

/// A disposal's dry run: what would go, in the command line's words.
pub fn dry_run(svc: &mut Service, reference: &str, values: &DisposeValues) -> Result<String, ServiceError> {
    let out = dispose(svc, reference, values, true)?;
    Ok(out.disposed.iter().map(|d| d.describe(true)).collect::<Vec<_>>().join("; "))
}

fn dispose(
    svc: &mut Service,
    reference: &str,
    v: &DisposeValues,
    dry_run: bool,
) -> Result<DisposeOutcome, ServiceError> {
    let early = v.early.trim();
    let form = DisposeForm {
        references: vec![reference.to_string()],
        authorised_by: v.authorised_by.clone().unwrap_or_default(),
        reason: v.reason.clone(),
        early: (!early.is_empty()).then(|| early.to_string()),
    };
    match svc.apply(Op::Dispose { form, dry_run })? {
        Outcome::Disposed(out) => Ok(out),
        _ => unreachable!("a disposal answers with what it disposed of"),
    }
}
