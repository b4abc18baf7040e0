//! The guards of every step (SPEC.md sections 2, 3 and 6). Each `check_*` takes the
//! request as loaded and the typed input, and returns what to write or a [`Refusal`].
//!
//! This file holds what every guard shares (who may act, routes, order and date
//! checks); `intake` covers steps 2-4, `visit` steps 5-9, `closing` steps 10-12.

mod basis;
mod closing;
mod decision;
mod intake;
mod retention;
mod visit;

pub use basis::*;
pub use closing::*;
pub use decision::decided_by;
pub use intake::*;
pub use retention::*;
pub use visit::*;

use chrono::NaiveDate;

use super::dates::uk;
use super::process::{is_done, is_required};
use super::request::*;
use super::settings::Settings;
use super::types::*;
use super::{Refusal, Rule};

/// Who is acting, on what day, under which settings.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a Staff,
    pub today: NaiveDate,
    pub settings: &'a Settings,
}

pub(super) fn no(rule: Rule, message: impl Into<String>, fix: impl Into<String>) -> Refusal {
    Refusal::new(rule, message, fix)
}

/// Read-only and deactivated logins change nothing.
pub fn may_edit(actor: &Staff) -> Result<(), Refusal> {
    if actor.can_edit() {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} ({}) may look things up but not change them", actor.login, actor.roles_code()),
            "ask an administrator to give this login the bsa role",
        )
        .hint("caseshare staff set-roles"))
    }
}

/// Exports take personal data out of the application: staff roles only, not read-only on-call logins.
pub fn may_export(actor: &Staff) -> Result<(), Refusal> {
    if actor.active && !actor.has(Role::Readonly) {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} may look things up but not export records", actor.login),
            "ask a BSA or administrator to run the export",
        ))
    }
}

/// The subject report and the audit export gather everything about a child or every
/// decision record: administrators and the information governance team only.
pub fn may_report_on_subject(actor: &Staff) -> Result<(), Refusal> {
    if actor.active && (actor.has(Role::Admin) || actor.has(Role::Ig)) {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} ({}) may not run subject reports or audit exports", actor.login, actor.roles_code()),
            "ask an administrator or the information governance team to run it, or an administrator to give this login the ig role",
        )
        .hint(format!("caseshare staff set-roles {} {}", actor.login, with_ig(actor))))
    }
}

/// The login's roles with `ig` added (read-only dropped: it combines with nothing).
fn with_ig(actor: &Staff) -> String {
    let mut roles: Vec<&str> = actor.roles.iter().filter(|r| **r != Role::Readonly).map(|r| r.as_code()).collect();
    roles.push(Role::Ig.as_code());
    roles.join(",")
}

/// A retired organisation, service area or room (`what`, as `caseshare WHAT
/// reinstate` names it) is used for no new request, booking or viewing; the
/// requests that already name it keep it.
pub fn not_retired(what: &str, command: &str, name: &str, retired: bool) -> Result<(), Refusal> {
    if !retired {
        return Ok(());
    }
    Err(no(Rule::Retired, format!("{what} '{name}' is retired"), "choose another, or an administrator reinstates it")
        .hint(format!("caseshare {command} reinstate \"{name}\"")))
}

/// Only administrators keep the staff list, service areas, organisations and rooms.
pub fn may_administer(actor: &Staff) -> Result<(), Refusal> {
    if actor.active && actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} is not an administrator", actor.login),
            "ask an administrator to make this change",
        ))
    }
}

/// Where a request from this kind of body goes instead of this process, if anywhere.
pub fn route_for(kind: OrgKind, settings: &Settings) -> Option<String> {
    let ig = "the information governance team";
    match kind {
        OrgKind::LocalAuthority => None,
        OrgKind::Cafcass => Some(format!(
            "CAFCASS requests do not follow this process: forward it to the CPRU admin mailbox {}",
            settings.cpru_mailbox
        )),
        OrgKind::Police => Some(format!(
            "police requests follow the police disclosure route (DPA 2018 Sch.2 para 2 request form): pass it to {ig}"
        )),
        OrgKind::Health => Some(format!("health and NHS requests are handled by {ig}")),
        OrgKind::Solicitor => {
            Some(format!("solicitors' requests need a court order or consent and are handled by {ig}"))
        }
        OrgKind::Individual => Some(format!(
            "a person asking for their own or their child's records makes a subject access request: pass it to {ig}"
        )),
        OrgKind::Other => Some(format!("requests from bodies that are not local authorities go to {ig}")),
    }
}

/// A closed request takes no more steps.
pub fn open(file: &RequestFile) -> Result<(), Refusal> {
    let status = file.request.status;
    if status.is_closed() {
        Err(no(
            Rule::Closed,
            format!("{} is {}", file.request.reference, status.label().to_lowercase()),
            "start a new request if more is needed",
        ))
    } else {
        Ok(())
    }
}

/// The date is not after today.
pub fn not_future(field: &str, date: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if date > today {
        Err(no(
            Rule::DateOrder,
            format!("{field} {} is in the future", uk(date)),
            "record a step on or after the day it happens",
        ))
    } else {
        Ok(())
    }
}

/// `date` is not before `anchor`.
pub fn not_before(field: &str, date: NaiveDate, anchor_name: &str, anchor: NaiveDate) -> Result<(), Refusal> {
    if date < anchor {
        Err(no(
            Rule::DateOrder,
            format!("{field} {} is before {anchor_name} {}", uk(date), uk(anchor)),
            "check the date",
        ))
    } else {
        Ok(())
    }
}

pub(super) fn past_and_after(
    field: &str,
    date: NaiveDate,
    anchor_name: &str,
    anchor: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    not_future(field, date, today)?;
    not_before(field, date, anchor_name, anchor)
}

/// Refuses a step that does not apply, is already done, or whose earlier steps are missing.
pub fn prerequisite(file: &RequestFile, step: Step) -> Result<(), Refusal> {
    open(file)?;
    let r = &file.request;
    if !is_required(file, step) {
        let what = match (r.kind, r.format) {
            (RequestKind::Viewing, Some(f)) => format!("a {} request", f.label().to_lowercase()),
            (kind, _) => format!("a {} request", kind.label().to_lowercase()),
        };
        return Err(no(
            Rule::NotApplicable,
            format!("'{}' does not apply to {what}", step.label()),
            "see the checklist for the steps that apply",
        )
        .hint("caseshare request show"));
    }
    let repeatable = matches!(step, Step::VenueBooked | Step::Viewing);
    if !repeatable && is_done(file, step) && step != Step::Approval {
        return Err(no(
            Rule::AlreadyDone,
            format!("'{}' is already recorded for {}", step.label(), r.reference),
            "nothing to do",
        ));
    }
    let need = |earlier: Step| -> Result<(), Refusal> {
        if is_done(file, earlier) {
            Ok(())
        } else {
            Err(no(
                Rule::StepOrder,
                format!("'{}' comes after '{}', which is not recorded yet", step.label(), earlier.label()),
                format!("record step {} first", earlier.number()),
            ))
        }
    };
    let approved = || -> Result<(), Refusal> {
        if file.approved_items().next().is_some() {
            Ok(())
        } else {
            Err(no(
                Rule::StepOrder,
                format!("'{}' needs an approval of at least one item", step.label()),
                "record the asset owner's approval (step 4) first",
            ))
        }
    };
    match step {
        Step::Received | Step::DirectShare => Ok(()),
        Step::FormSent => need(Step::Received),
        Step::Scope => need(Step::FormSent),
        Step::Approval => {
            need(Step::Scope)?;
            if file.pending_items().next().is_none() {
                return Err(no(
                    Rule::AlreadyDone,
                    format!("every item of {} is already decided", r.reference),
                    "add an item if more is asked for; it then needs a fresh approval",
                )
                .hint("caseshare add-item"));
            }
            Ok(())
        }
        Step::RestoreRequested | Step::VenueBooked => approved(),
        Step::FilesAvailable => approved(),
        Step::Confirmed => need(Step::VenueBooked),
        Step::Viewing => {
            need(Step::Confirmed)?;
            files_ready(file)
        }
        Step::CaseNote => {
            if file.shared_anything() {
                Ok(())
            } else {
                Err(no(
                    Rule::StepOrder,
                    "the case note records what was shared, and nothing has been shared yet",
                    "log a viewing (step 9) first",
                ))
            }
        }
        Step::FilesReturned => need(Step::Viewing),
        Step::Complete => {
            let missing: Vec<String> = super::process::required_steps(file)
                .into_iter()
                .filter(|s| *s != Step::Complete && !is_done(file, *s))
                .map(|s| s.number().to_string())
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(no(
                    Rule::StepOrder,
                    if missing.len() == 1 {
                        format!("step {} is not done yet", missing[0])
                    } else {
                        format!("steps {} are not done yet", missing.join(", "))
                    },
                    "finish the required steps first",
                ))
            }
        }
    }
}

/// Step 9 needs step 6: physical files restored and the Mosaic checks done; for a
/// digital request the Mosaic checks alone (SPEC section 3). Also checked for a
/// request recorded whole with its viewings (the demo's generator).
pub fn files_ready(file: &RequestFile) -> Result<(), Refusal> {
    let r = &file.request;
    let checked = r.mosaic_checked_on.is_some();
    if !r.format.is_some_and(Format::has_paper) {
        return if checked {
            Ok(())
        } else {
            Err(no(
                Rule::StepOrder,
                format!(
                    "'{}' needs the Mosaic checks of step 6 (file location updated, file not locked)",
                    Step::Viewing.label()
                ),
                "record step 6 first",
            )
            .hint(format!("caseshare mosaic-checks {} --location-updated --not-locked", r.reference)))
        };
    }
    let restored = r.restored_on.is_some();
    let (missing, hint) = match (restored, checked) {
        (true, true) => return Ok(()),
        (false, false) => (
            "the files are not recorded as restored, and the Mosaic checks (location updated, not locked) are not recorded",
            format!(
                "caseshare restored {0} / caseshare mosaic-checks {0} --location-updated --not-locked",
                r.reference
            ),
        ),
        (false, true) => ("the files are not recorded as restored", format!("caseshare restored {}", r.reference)),
        (true, false) => (
            "the Mosaic checks (location updated, not locked) are not recorded",
            format!("caseshare mosaic-checks {} --location-updated --not-locked", r.reference),
        ),
    };
    Err(no(
        Rule::StepOrder,
        format!("'{}' needs step 6 first: {missing}", Step::Viewing.label()),
        "record step 6 first",
    )
    .hint(hint))
}

pub(super) fn item(file: &RequestFile, number: i64) -> Result<&ScopeItem, Refusal> {
    file.item_by_number(number).ok_or_else(|| {
        no(
            Rule::Reference,
            format!("{} has no item {number}", file.request.reference),
            format!("items are numbered 1 to {}", file.items.len()),
        )
    })
}
