//! Retention's guards: a legal hold put on and released, and a disposal (SPEC
//! section 4, "Retention").

use super::*;
use crate::domain::retention::{Closing, Due, due};

/// A disposed request keeps only its residue: nothing more is recorded on it.
pub fn not_disposed(file: &RequestFile) -> Result<(), Refusal> {
    match &file.request.disposal {
        None => Ok(()),
        Some(d) => Err(no(
            Rule::Retention,
            format!("{} was disposed of on {}: its details are gone", file.request.reference, uk(d.on)),
            "nothing can be recorded on it; its residue stays for the reports",
        )),
    }
}

/// A legal hold: administrators only, once, on a request not yet disposed of.
pub fn check_hold(file: &RequestFile, ctx: Ctx) -> Result<(), Refusal> {
    may_administer(ctx.actor)?;
    not_disposed(file)?;
    if let Some(h) = &file.request.hold {
        return Err(no(
            Rule::AlreadyDone,
            format!("{} is already under a legal hold since {} ({})", file.request.reference, uk(h.since), h.reason),
            "nothing to do; release it when the hold ends",
        )
        .hint(format!("caseshare release {}", file.request.reference)));
    }
    Ok(())
}

/// Releasing a hold: administrators only, and only a hold that stands.
pub fn check_release(file: &RequestFile, ctx: Ctx) -> Result<(), Refusal> {
    may_administer(ctx.actor)?;
    not_disposed(file)?;
    if file.request.hold.is_none() {
        return Err(no(
            Rule::AlreadyDone,
            format!("{} is not under a legal hold", file.request.reference),
            "nothing to release",
        ));
    }
    Ok(())
}

/// A disposal: run by an administrator, authorised by someone else who is an
/// administrator or the asset owner of the request's service area, of a closed
/// request not under a hold and past its retention date, unless it goes early
/// with a reason. Returns when it fell (or falls) due.
pub fn check_dispose(file: &RequestFile, authoriser: &Staff, early: bool, ctx: Ctx) -> Result<Due, Refusal> {
    may_administer(ctx.actor)?;
    let reference = &file.request.reference;
    if authoriser.id == ctx.actor.id {
        return Err(no(
            Rule::SeparationOfDuties,
            format!("{} cannot authorise a disposal they carry out", authoriser.login),
            "name another administrator, or the service area's asset owner, as the authoriser",
        )
        .hint("--authorised-by LOGIN"));
    }
    let owns_area = file.request.service_area.as_ref().is_some_and(|a| a.asset_owner.id == authoriser.id);
    if !authoriser.active || !(authoriser.has(Role::Admin) || owns_area) {
        let area = file
            .request
            .service_area
            .as_ref()
            .map_or("no service area".to_string(), |a| format!("{} (asset owner {})", a.name, a.asset_owner.login));
        return Err(no(
            Rule::Permission,
            format!("{} may not authorise the disposal of {reference}, which is for {area}", authoriser.login),
            "the authoriser must be an active administrator or the service area's asset owner",
        ));
    }
    if let Some(d) = &file.request.disposal {
        return Err(no(
            Rule::AlreadyDone,
            format!("{reference} was already disposed of on {}", uk(d.on)),
            "nothing to do",
        ));
    }
    let closing = Closing::of(file);
    let Some(due) = due(&closing, ctx.settings) else {
        return Err(no(
            Rule::Retention,
            format!("{reference} is still open ({})", file.request.status.label()),
            "only a closed request is disposed of; its retention period runs from the day it closes",
        ));
    };
    if let Some(h) = &file.request.hold {
        return Err(no(
            Rule::Retention,
            format!("{reference} is under a legal hold since {} ({})", uk(h.since), h.reason),
            "a hold stops disposal until an administrator releases it",
        )
        .hint(format!("caseshare release {reference}")));
    }
    if due.due_on > ctx.today && !early {
        return Err(no(
            Rule::Retention,
            format!("{reference} is not due for disposal until {} ({})", uk(due.due_on), due.rule()),
            "wait until then, or dispose of it early with the reason recorded",
        )
        .hint("--early REASON"));
    }
    Ok(due)
}

#[cfg(test)]
#[path = "retention_tests.rs"]
mod tests;
