//! Who may decide that a child's records are shared: the same for a viewing's
//! approval (step 4) and a copy shared directly.

use chrono::NaiveDate;

use super::intake::{decided_by_asset_owner, not_decided_by_recorder};
use super::*;

/// The decider of a sharing decision: the area's asset owner, not whoever recorded
/// the request; a manager deciding for themselves, or a BSA recording the owner's
/// decision with the owner's email as evidence.
pub fn decided_by(
    area: &ServiceArea,
    approver: &Staff,
    recorder: &StaffRef,
    actor: &Staff,
    evidence_date: Option<NaiveDate>,
    evidence_ref: Option<&str>,
) -> Result<(), Refusal> {
    decided_by_asset_owner(area, &approver.as_ref())?;
    not_decided_by_recorder(&approver.as_ref(), recorder)?;
    if actor.id == approver.id {
        if !actor.has(Role::Manager) {
            return Err(no(
                Rule::Permission,
                format!("{} does not hold the manager role", actor.login),
                "ask an administrator to add the manager role",
            ));
        }
    } else {
        may_edit(actor)?;
        if evidence_date.is_none() || evidence_ref.unwrap_or("").is_empty() {
            return Err(no(
                Rule::AssetOwner,
                format!("recording a decision on behalf of {} needs evidence", approver.name),
                "give the date and reference of the asset owner's email",
            )
            .hint("--evidence-date, --evidence-ref"));
        }
    }
    Ok(())
}
