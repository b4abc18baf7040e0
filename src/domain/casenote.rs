//! The Mosaic case note text the tool drafts (principle 4: a record of sharing).
//!
//! It says what was shared, with whom, why, on what lawful basis, when, how, who
//! approved it and who supervised; the BSA pastes it into Mosaic.

use super::dates::uk;
use super::request::*;
use super::types::*;

/// The drafted case note for a request (the same text every time for the same record).
pub fn draft(file: &RequestFile) -> String {
    let r = &file.request;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let title = match r.kind {
        RequestKind::DirectShare => "Information shared directly with another local authority",
        RequestKind::Redirect => "Request redirected (not shared)",
        RequestKind::Viewing => "Records viewed by another local authority",
    };
    line(format!("{title} — {}", r.reference));
    line(format!(
        "Requested by: {}{}, {} ({}), received {} {}.",
        r.requester.name,
        if r.requester.role.is_empty() { String::new() } else { format!(" ({})", r.requester.role) },
        r.organisation.name,
        r.organisation.kind.label(),
        uk(r.received_on),
        channel_phrase(r.channel),
    ));
    if !file.subjects.is_empty() {
        let subjects: Vec<String> = file
            .subjects
            .iter()
            .map(|s| {
                let dob = s.dob.map(|d| format!(", born {}", uk(d))).unwrap_or_default();
                format!("{} (Mosaic {}{dob})", s.name, s.mosaic_id)
            })
            .collect();
        line(format!("About: {}.", subjects.join("; ")));
    }
    line(format!("Purpose: {}", r.purpose));
    if !r.details.necessity.is_empty() {
        line(format!("Why sharing is necessary: {}", r.details.necessity));
    }
    for l in basis_lines(&r.basis) {
        line(l);
    }
    match r.details.consent_sought {
        Some(true) => line("Consent: sought.".to_string()),
        Some(false) => line(format!("Consent: not sought — {}", r.details.consent_note)),
        None => {}
    }
    for a in &file.approvals {
        let evidence = match (&a.evidence_ref, a.evidence_date) {
            (Some(re), Some(d)) => format!(" (email {re} of {}, recorded by {})", uk(d), a.recorded_by.name),
            _ => String::new(),
        };
        line(format!(
            "Decision: {} on {} by {}, {}{evidence}. Reason: {}",
            a.decision.label(),
            uk(a.decided_on),
            a.approver.name,
            a.approver.position,
            a.reason
        ));
    }
    let approved: Vec<String> = file.approved_items().map(|i| format!("{}. {}", i.number, i.description)).collect();
    let declined: Vec<String> = file
        .items
        .iter()
        .filter(|i| i.approved == Some(false))
        .map(|i| format!("{}. {}", i.number, i.description))
        .collect();
    if r.kind == RequestKind::DirectShare {
        let items: Vec<String> = file.items.iter().map(|i| format!("{}. {}", i.number, i.description)).collect();
        line(format!(
            "Shared on {} ({}): {}.",
            r.shared_on.map(uk).unwrap_or_default(),
            r.share_method.as_deref().unwrap_or("method not recorded"),
            items.join("; ")
        ));
    } else {
        if !approved.is_empty() {
            line(format!("Approved for viewing: {}.", approved.join("; ")));
        }
        if !declined.is_empty() {
            line(format!("Not approved (not shared): {}.", declined.join("; ")));
        }
    }
    for v in &file.viewings {
        line(format!(
            "Viewing {} {}–{}: {} ({}) viewed {} — {}, supervised by {} ({}).",
            uk(v.day),
            v.start.format("%H:%M"),
            v.end.format("%H:%M"),
            v.viewers,
            v.viewer_org,
            file.describe_items(&v.item_ids).join("; "),
            method_phrase(v.method),
            v.supervisor.name,
            if v.supervised { "present throughout" } else { "NOT present throughout" },
        ));
        for c in &v.copies {
            let what = file.describe_items(&[c.item_id]).join("");
            line(format!("  Copy given: {what} — {}", c.reason));
        }
    }
    for i in &file.incidents {
        let referred = match (i.referred_on, &i.ig_ref) {
            (Some(d), Some(re)) => {
                format!("referred to information governance {} (ref {re})", uk(d))
            }
            (Some(d), None) => format!("referred to information governance {}", uk(d)),
            _ => "not yet referred to information governance".to_string(),
        };
        line(format!("Incident {}: {} — {referred}.", uk(i.opened_on), i.description));
    }
    if !r.details.retention.is_empty() {
        line(format!("Recipient retention: {}", r.details.retention));
    }
    out
}

/// How a request arrived, as the end of "received 01/10/2026 …".
fn channel_phrase(c: Channel) -> &'static str {
    match c {
        Channel::Email => "by email",
        Channel::Phone => "by phone",
        Channel::Letter => "by letter",
        Channel::Form => "by MS Form",
        Channel::InPerson => "in person",
    }
}

/// How the files were seen, in a sentence (names keep their capitals).
fn method_phrase(m: ViewingMethod) -> &'static str {
    match m {
        ViewingMethod::InPersonPaper => "in person, on paper",
        ViewingMethod::InPersonScreen => "in person, on screen",
        ViewingMethod::TeamsScreenShare => "by Teams screen share",
    }
}

/// The lawful basis, a line per part recorded (never "Lawful basis: ." when empty).
fn basis_lines(b: &LawfulBasis) -> Vec<String> {
    let mut out = vec![match (b.art6, b.is_empty()) {
        (Some(a), _) => format!("Lawful basis: {}.", a.label()),
        (None, true) => "Lawful basis: not recorded.".to_string(),
        (None, false) => "Lawful basis: the Art. 6 basis is not recorded.".to_string(),
    }];
    if let Some(l) = b.art9_line() {
        out.push(format!("Art. 9 / Schedule 1: {l}."));
    }
    if let Some(l) = b.criminal_line() {
        out.push(format!("Criminal offence data: {l}."));
    }
    if let Some(l) = b.power_line() {
        out.push(format!("Statutory power: {l}."));
    }
    if let Some(l) = b.guidance_line() {
        out.push(format!("Guidance relied on: {l}."));
    }
    if !b.notes.is_empty() {
        out.push(format!("Basis notes: {}", b.notes));
    }
    for q in &b.confirmed {
        out.push(format!("Questioned and confirmed: {q}."));
    }
    if let Some(r) = &b.review {
        out.push(format!("Lawful basis needs review: {r}."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::paper_request;

    #[test]
    fn names_what_with_whom_why_basis_and_approver() {
        let file = paper_request();
        let text = draft(&file);
        assert!(text.contains("REQ-2026-0001"), "{text}");
        assert!(text.contains("Exampleshire County Council"), "{text}");
        assert!(text.contains("Art. 6(1)(e) public task"), "{text}");
        assert!(text.contains("Approved for viewing: 1. Core assessment 2025"), "{text}");
        assert!(text.contains("Not approved (not shared): 2. Police report"), "{text}");
        assert!(text.contains("supervised by Bea Observer"), "{text}");
        assert!(text.contains("Decision: Approved in part"), "{text}");
        // How, in a sentence: names keep their capitals.
        assert!(
            text.contains("— in person, on paper, supervised by") || text.contains("— by Teams screen share"),
            "{text}"
        );
        assert!(text.contains(" by email.") || text.contains(" by MS Form.") || text.contains(" in person."), "{text}");
    }

    #[test]
    fn the_basis_is_a_line_per_part_and_never_an_empty_sentence() {
        let mut file = paper_request();
        let text = draft(&file);
        for line in [
            "Lawful basis: Art. 6(1)(e) public task.",
            "Art. 9 / Schedule 1: Art. 9(2)(g) substantial public interest with DPA 2018 Sch.1 Part 2 para 18",
            "Criminal offence data: not involved.",
            "Statutory power: Children Act 1989 s.27 (duty to help another authority that asks).",
        ] {
            assert!(text.contains(line), "missing {line:?} in {text}");
        }
        file.request.basis.confirmed = vec!["a question".into()];
        file.request.basis.review = Some("name the enactment".into());
        let text = draft(&file);
        assert!(text.contains("Questioned and confirmed: a question."), "{text}");
        assert!(text.contains("Lawful basis needs review: name the enactment."), "{text}");
        file.request.basis = LawfulBasis::default();
        let text = draft(&file);
        assert!(text.contains("Lawful basis: not recorded."), "{text}");
        assert!(!text.contains("Lawful basis: ."), "{text}");
    }
}
