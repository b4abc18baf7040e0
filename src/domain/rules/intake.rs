//! Steps 2 to 4: form sent, scope and lawful basis, items, consent, approval.

use chrono::NaiveDate;

use super::{Ctx, check_basis, check_decision_record, item, no, open, past_and_after, prerequisite};
use crate::domain::request::*;
use crate::domain::types::*;
use crate::domain::{Refusal, Rule};

use crate::domain::process::is_done;

/// Step 2.
pub fn check_form_sent(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FormSent)?;
    past_and_after("form sent date", on, "the date received", file.request.received_on, ctx.today)
}

/// Whether a request has details to correct at all: a redirected one keeps none.
pub fn check_correctable(file: &RequestFile) -> Result<(), Refusal> {
    let r = &file.request;
    if r.kind == RequestKind::Redirect {
        return Err(no(
            Rule::Route,
            format!("{} was redirected and keeps no requester details", r.reference),
            "nothing to correct: the route it was sent on is the record",
        ));
    }
    Ok(())
}

/// Corrections to who asked and why (a mistyped email, a new phone number): allowed
/// at any time, closed requests included, since a record must be accurate; never on
/// a redirected request, which keeps no requester details at all; and only when
/// something actually changes.
pub fn check_correct(file: &RequestFile, requester: &Requester, purpose: &str) -> Result<(), Refusal> {
    check_correctable(file)?;
    let r = &file.request;
    if *requester == r.requester && purpose == r.purpose {
        return Err(no(
            Rule::AlreadyDone,
            format!("{}'s details are already as given", r.reference),
            "change a field to correct it",
        ));
    }
    Ok(())
}

/// What step 3 records.
#[derive(Debug, Clone, Default)]
pub struct ScopeInput {
    pub returned_on: Option<NaiveDate>,
    pub items: Vec<(String, Option<String>)>,
    pub purpose: String,
    pub basis: LawfulBasis,
    pub details: ScopeDetails,
    /// The person answered yes to the questions the basis raises.
    pub confirm_basis: bool,
}

/// Step 3: the returned form, the items asked for, the purpose and the lawful basis.
/// Returns the questions the person confirmed, to be stored with the basis.
pub fn check_scope(file: &RequestFile, input: &ScopeInput, ctx: Ctx) -> Result<Vec<String>, Refusal> {
    prerequisite(file, Step::Scope)?;
    let on = input.returned_on.unwrap_or(ctx.today);
    if let Some(sent) = file.request.form_sent_on {
        past_and_after("form returned date", on, "the form sent date", sent, ctx.today)?;
    }
    check_scope_content(input)
}

/// The parts of a scope every path needs (also used by direct shares): the items,
/// the lawful basis (refused if it does not fit, questioned where it may not) and
/// the decision record. Returns the questions confirmed.
pub fn check_scope_content(input: &ScopeInput) -> Result<Vec<String>, Refusal> {
    if input.items.is_empty() {
        return Err(no(
            Rule::MinimumNecessary,
            "no items are listed",
            "list each item asked for, so approval can be given item by item",
        )
        .hint("--item"));
    }
    check_basis_and_record(&input.basis, &input.details, input.confirm_basis)
}

/// The lawful basis (refused if it does not fit, questioned where it may not), the
/// consent answers and the decision record: at scope, a direct share and when the
/// basis is changed. Returns the questions confirmed.
pub fn check_basis_and_record(
    basis: &LawfulBasis,
    details: &ScopeDetails,
    confirm: bool,
) -> Result<Vec<String>, Refusal> {
    let confirmed = check_basis(basis, confirm)?;
    if details.consent_sought.is_none() {
        return Err(no(
            Rule::LawfulBasis,
            "whether consent was sought is not answered",
            "answer yes or no: it has no default",
        )
        .hint("--consent-sought yes|no"));
    }
    if details.consent_sought == Some(false) && details.consent_note.is_empty() {
        return Err(no(
            Rule::LawfulBasis,
            "consent was not sought and no reason is given",
            "say why consent was not sought, e.g. the child would be at risk",
        )
        .hint("--consent-note"));
    }
    check_decision_record(details)?;
    Ok(confirmed)
}

/// At the decision: the basis the asset owner decides on is recorded (records from
/// before schema 10 included, which may not say whether criminal offence data is
/// involved).
fn basis_recorded(basis: &LawfulBasis) -> Result<(), Refusal> {
    let mut missing = Vec::new();
    if basis.art6.is_none() {
        missing.push("the Art. 6 basis");
    }
    if basis.art9.is_none() {
        missing.push("the Art. 9(2) gateway (or none)");
    }
    if basis.power.is_none() {
        missing.push("the statutory power");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(no(
        Rule::LawfulBasis,
        format!("{} {} not recorded", missing.join(", "), if missing.len() == 1 { "is" } else { "are" }),
        "record the full lawful basis before approval",
    )
    .hint("--art6, --art9, --power"))
}

/// Changing the lawful basis and decision record after step 3 (or a direct share):
/// while the request is open and undecided; after a decision only to complete a
/// record the schema 10 upgrade left for review, which the change then clears.
pub fn check_amend_basis(file: &RequestFile) -> Result<(), Refusal> {
    open(file)?;
    let r = &file.request;
    let recorded = match r.kind {
        RequestKind::Viewing => is_done(file, Step::Scope),
        RequestKind::DirectShare => true,
        RequestKind::Redirect => false,
    };
    if !recorded {
        return Err(no(
            Rule::StepOrder,
            "the lawful basis is recorded with the returned form (step 3), which is not recorded yet",
            "record the returned form with its basis",
        )
        .hint("caseshare scope"));
    }
    if !file.approvals.is_empty() && r.basis.review.is_none() {
        return Err(no(
            Rule::LawfulBasis,
            "the asset owner decided on the basis as recorded; changing it needs a fresh decision",
            "it stands as decided",
        ));
    }
    Ok(())
}

/// Adding an item after the form: allowed while open; it then needs a fresh approval.
pub fn check_add_item(file: &RequestFile) -> Result<(), Refusal> {
    open(file)?;
    if file.request.kind != RequestKind::Viewing || !is_done(file, Step::Scope) {
        return Err(no(
            Rule::StepOrder,
            "items are added to a request whose form has come back",
            "record the returned form with its items first",
        )
        .hint("caseshare scope"));
    }
    Ok(())
}

/// Recording the originating agency's consent for a third-party item.
pub fn check_item_consent(file: &RequestFile, number: i64, on: NaiveDate, ctx: Ctx) -> Result<i64, Refusal> {
    open(file)?;
    let item = item(file, number)?;
    if item.third_party.is_none() {
        return Err(no(
            Rule::ThirdPartyConsent,
            format!("item {number} is not marked as another agency's material"),
            "consent is only recorded for third-party items",
        ));
    }
    past_and_after("consent date", on, "the date received", file.request.received_on, ctx.today)?;
    Ok(item.id)
}

/// What step 4 records.
#[derive(Debug, Clone)]
pub struct ApprovalInput {
    pub approver: Staff,
    pub decided_on: NaiveDate,
    pub evidence_date: Option<NaiveDate>,
    pub evidence_ref: Option<String>,
    pub reason: String,
    /// Item numbers approved; every other undecided item is declined.
    pub approve: Vec<i64>,
    /// A reason per declined item (number, reason), where the asset owner gave one.
    pub decline_reasons: Vec<(i64, String)>,
}

/// The decision as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalPlan {
    pub decision: Decision,
    pub approved_ids: Vec<i64>,
    pub declined_ids: Vec<i64>,
    /// (item id, reason) for declined items given a reason.
    pub decline_reasons: Vec<(i64, String)>,
}

/// Only the service area's asset owner decides on a request for its files (step 4,
/// and a decision brought in by import).
pub fn decided_by_asset_owner(area: &ServiceArea, approver: &StaffRef) -> Result<(), Refusal> {
    if approver.id != area.asset_owner.id {
        return Err(no(
            Rule::AssetOwner,
            format!(
                "{} is not the asset owner of {}; only {} ({}) may decide",
                approver.name, area.name, area.asset_owner.name, area.asset_owner.login
            ),
            "ask the asset owner for the decision",
        ));
    }
    Ok(())
}

/// Separation of duties: whoever recorded the request (or brings it in) does not
/// also decide it.
pub fn not_decided_by_recorder(approver: &StaffRef, recorder: &StaffRef) -> Result<(), Refusal> {
    if approver.id == recorder.id {
        return Err(no(
            Rule::SeparationOfDuties,
            format!("{} recorded this request and cannot also approve it", approver.name),
            "the decision must come from an asset owner who did not record the request: an administrator can make another manager asset owner",
        )
        .hint("caseshare area set-owner"));
    }
    Ok(())
}

/// Step 4: only the asset owner decides; never the BSA who recorded the request.
pub fn check_approval(file: &RequestFile, input: &ApprovalInput, ctx: Ctx) -> Result<ApprovalPlan, Refusal> {
    prerequisite(file, Step::Approval)?;
    let r = &file.request;
    basis_recorded(&r.basis)?;
    let area = r.service_area.as_ref().expect("viewing requests have a service area");
    super::decided_by(
        area,
        &input.approver,
        &r.created_by,
        ctx.actor,
        input.evidence_date,
        input.evidence_ref.as_deref(),
    )?;
    let returned = r.form_returned_on.unwrap_or(r.received_on);
    past_and_after("decision date", input.decided_on, "the form returned date", returned, ctx.today)?;
    if let Some(ev) = input.evidence_date {
        past_and_after("evidence date", ev, "the form returned date", returned, ctx.today)?;
    }
    let pending: Vec<&ScopeItem> = file.pending_items().collect();
    for n in &input.approve {
        let it = item(file, *n)?;
        if it.approved.is_some() {
            return Err(no(
                Rule::AlreadyDone,
                format!("item {n} was already decided"),
                "approve only the undecided items",
            ));
        }
    }
    let (approved_ids, declined_ids): (Vec<i64>, Vec<i64>) = {
        let (a, d): (Vec<&ScopeItem>, Vec<&ScopeItem>) =
            pending.iter().partition(|i| input.approve.contains(&i.number));
        (a.iter().map(|i| i.id).collect(), d.iter().map(|i| i.id).collect())
    };
    let decision = if declined_ids.is_empty() {
        Decision::Approved
    } else if approved_ids.is_empty() {
        Decision::Refused
    } else {
        Decision::ApprovedInPart
    };
    let mut decline_reasons = Vec::new();
    for (n, reason) in &input.decline_reasons {
        let it = item(file, *n)?;
        if !declined_ids.contains(&it.id) {
            return Err(no(
                Rule::MinimumNecessary,
                format!("item {n} is not declined by this decision, so it takes no reason for declining"),
                "give reasons only for the items declined",
            )
            .hint("--decline-reason"));
        }
        decline_reasons.push((it.id, reason.clone()));
    }
    Ok(ApprovalPlan { decision, approved_ids, declined_ids, decline_reasons })
}
