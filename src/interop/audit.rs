//! The "Decision record" sheet of `export --audit`: one row per request with what
//! the ICO's data sharing request template expects a decision record to hold
//! (SPEC section 2), for an audit. Built from the requests as loaded whole.

use super::export::Cell;
use crate::domain::RequestFile;

/// The decision record's columns.
pub const AUDIT_HEADERS: &[&str] = &[
    "Reference",
    "Received",
    "Organisation",
    "Kind",
    "Status",
    "Service area",
    "Art. 6",
    "Art. 9(2) gateway",
    "Sch.1 condition",
    "Consent not obtained because",
    "Criminal offence data",
    "Criminal offence condition",
    "Statutory power",
    "Power detail",
    "Guidance",
    "Basis notes",
    "Questions confirmed",
    "Necessity",
    "Consent sought",
    "Consent note",
    "Security",
    "Recipient's retention",
    "Sharing agreement",
    "Agreement note",
    "Controllers",
    "DPIA considered",
    "DPIA outcome",
    "ISA prompt",
    "Decision",
    "Decided by",
    "Decided on",
    "Evidence date",
    "Evidence reference",
    "Recorded by",
    "Items approved",
    "Items declined",
];

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => String::new(),
    }
}

fn label<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A request's row of the decision record. Several decisions (an item added later
/// needs a fresh one) are listed in order, joined by "; ".
pub(super) fn audit_cells(f: &RequestFile) -> Vec<Cell> {
    use Cell::Text;
    let r = &f.request;
    let b = &r.basis;
    let d = &r.details;
    let join = |v: Vec<String>| v.join("; ");
    let decisions = &f.approvals;
    let decided_on = match decisions.as_slice() {
        [one] => Cell::Date(Some(one.decided_on)),
        [] => Cell::Date(None),
        many => Text(join(many.iter().map(|a| crate::domain::dates::uk(a.decided_on)).collect())),
    };
    let evidence_date = match decisions.as_slice() {
        [one] => Cell::Date(one.evidence_date),
        many => Text(join(many.iter().filter_map(|a| a.evidence_date).map(crate::domain::dates::uk).collect())),
    };
    let declined: Vec<String> = f
        .items
        .iter()
        .filter(|i| i.approved == Some(false))
        .map(|i| match &i.decline_reason {
            Some(why) => format!("{} ({why})", i.number),
            None => i.number.to_string(),
        })
        .collect();
    let approved: Vec<String> = f.approved_items().map(|i| i.number.to_string()).collect();
    vec![
        Text(r.reference.clone()),
        Cell::Date(Some(r.received_on)),
        Text(r.organisation.name.clone()),
        Text(r.kind.label().into()),
        Text(r.status.label().into()),
        Text(r.service_area.as_ref().map(|a| a.name.clone()).unwrap_or_default()),
        Text(label(b.art6)),
        Text(label(b.art9)),
        Text(label(b.sch1)),
        Text(label(b.consent_not_obtained)),
        Text(yes_no(b.criminal)),
        Text(label(b.criminal_condition)),
        Text(label(b.power)),
        Text(b.power_detail.clone()),
        Text(b.guidance_line().unwrap_or_default()),
        Text(b.notes.clone()),
        Text(join(b.confirmed.clone())),
        Text(d.necessity.clone()),
        Text(yes_no(d.consent_sought)),
        Text(d.consent_note.clone()),
        Text(d.security.clone()),
        Text(d.retention.clone()),
        Text(label(d.agreement)),
        Text(d.agreement_note.clone()),
        Text(label(d.controller)),
        Text(yes_no(d.dpia_considered)),
        Text(d.dpia_outcome.clone()),
        Text(r.isa_prompt.clone().unwrap_or_default()),
        Text(join(decisions.iter().map(|a| a.decision.label().to_string()).collect())),
        Text(join(decisions.iter().map(|a| a.approver.name.clone()).collect())),
        decided_on,
        evidence_date,
        Text(join(decisions.iter().filter_map(|a| a.evidence_ref.clone()).collect())),
        Text(join(decisions.iter().map(|a| a.recorded_by.name.clone()).collect())),
        Text(approved.join(", ")),
        Text(declined.join(", ")),
    ]
}
