//! The Mosaic case note text the tool drafts (principle 4: a record of sharing).
//!
//! It says what was shared, with whom, why, on what lawful basis, when, how, who
//! approved it and who supervised; the BSA pastes it into Mosaic.

use super::basis::{AgreementAnswer, Sch1Condition};
use super::dates::uk;
use super::request::*;
use super::types::*;

/// The drafted case note for a request (the same text every time for the same record).
/// Its title and body follow the outcome: what was shared and how for a viewing or
/// a direct share; the decision and its reasons for a refusal; the date and reason
/// for a withdrawal.
pub fn draft(file: &RequestFile, policy_document: Option<&str>) -> String {
    let r = &file.request;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("{} — {}", title(file), r.reference));
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
    if let (Some(on), Status::Withdrawn) = (r.withdrawn_on, r.status) {
        line(format!(
            "Withdrawn on {}: {}",
            uk(on),
            r.withdraw_reason.as_deref().filter(|w| !w.is_empty()).unwrap_or("no reason recorded")
        ));
    }
    if r.kind == RequestKind::Redirect {
        if let Some(route) = &r.redirect_route {
            line(format!("Redirected: {route}"));
        }
        return out;
    }
    if !r.details.necessity.is_empty() {
        line(format!("Why sharing is necessary: {}", r.details.necessity));
    }
    for l in basis_lines(&r.basis) {
        line(l);
    }
    // A Part 1 para 1 or Part 2 condition is relied on under the council's policy document.
    let b = &r.basis;
    if b.sch1.into_iter().chain(b.criminal_condition).any(Sch1Condition::needs_policy_document) {
        line(match policy_document {
            Some(d) => format!("Appropriate policy document: {d}."),
            None => {
                "Appropriate policy document: not set (an administrator sets appropriate_policy_document).".to_string()
            }
        });
    }
    match r.details.consent_sought {
        Some(true) => line("Consent: sought.".to_string()),
        Some(false) => line(format!("Consent: not sought — {}", r.details.consent_note)),
        None => {}
    }
    for a in &file.approvals {
        // A decision a BSA recorded for the asset owner names the owner's email.
        let evidence = match (&a.evidence_ref, a.evidence_date) {
            _ if a.recorded_by.id == a.approver.id => String::new(),
            (Some(re), Some(d)) => format!(" (evidence: {re}, {}; recorded by {})", uk(d), a.recorded_by.name),
            (Some(re), None) => format!(" (evidence: {re}; recorded by {})", a.recorded_by.name),
            (None, Some(d)) => format!(" (evidence dated {}; recorded by {})", uk(d), a.recorded_by.name),
            (None, None) => format!(" (recorded by {})", a.recorded_by.name),
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
    let numbered = |i: &ScopeItem| format!("{}. {}", i.number, i.description);
    let approved: Vec<String> = file.approved_items().map(numbered).collect();
    let declined: Vec<String> = file.items.iter().filter(|i| i.approved == Some(false)).map(numbered).collect();
    if r.kind == RequestKind::DirectShare {
        let items: Vec<String> = file.items.iter().map(numbered).collect();
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
    if r.status == Status::Refused {
        line("Nothing was shared.".to_string());
    }
    // Arrangements for sharing mean nothing on a request closed with nothing shared.
    let closed_unshared = super::rules::closed_unshared_on(file).is_some();
    if !closed_unshared {
        line(format!("Security arrangements: {}", or_not_recorded(&r.details.security)));
        let note = &r.details.agreement_note;
        let with_note = |what: &str| if note.is_empty() { what.to_string() } else { format!("{what} ({note})") };
        line(format!(
            "Data sharing agreement: {}",
            match (r.details.agreement, r.details.dsa_exists) {
                (Some(AgreementAnswer::Yes), _) | (None, Some(true)) => with_note("in place"),
                (Some(AgreementAnswer::No), _) | (None, Some(false)) => with_note("none"),
                (Some(AgreementAnswer::NotApplicable), _) => with_note("not applicable"),
                (None, None) => "not recorded".to_string(),
            }
        ));
    }
    for b in &file.bookings {
        let room = match (&b.room_name, &b.room_location) {
            (Some(n), Some(l)) if !l.is_empty() => format!(", {n} at {l}"),
            (Some(n), _) => format!(", {n}"),
            _ => String::new(),
        };
        let why = b.teams_reason.as_deref().map(|w| format!(" — Teams because: {w}")).unwrap_or_default();
        line(format!(
            "Venue: {}{room}, {} {}–{}{why}.",
            b.venue.label(),
            uk(b.day),
            b.start.format("%H:%M"),
            b.end.format("%H:%M")
        ));
    }
    for v in &file.viewings {
        line(format!(
            "Viewing {} {}–{}: {} ({}) viewed {} — {}, supervised by {} ({}).",
            uk(v.day),
            v.start.format("%H:%M"),
            v.end.format("%H:%M"),
            v.viewers,
            // A viewer from another local authority views for the one that asked.
            if v.viewer_org.is_empty() || v.viewer_org.eq_ignore_ascii_case(&r.organisation.name) {
                v.viewer_org.clone()
            } else {
                format!("{}, for {}", v.viewer_org, r.organisation.name)
            },
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
    if !file.viewings.is_empty() && file.viewings.iter().all(|v| v.copies.is_empty()) {
        line("Copies: none given.".to_string());
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
    if let Some(on) = r.files_returned_on {
        let at = r.files_secured_at.as_deref().map(|w| format!(", secured at {w}")).unwrap_or_default();
        line(format!("Files returned {}{at}.", uk(on)));
    }
    if !r.details.retention.is_empty() && !closed_unshared {
        line(format!("Recipient retention: {}", r.details.retention));
    }
    out
}

/// The first line, by outcome.
fn title(file: &RequestFile) -> String {
    let r = &file.request;
    match (r.kind, r.status) {
        (RequestKind::Redirect, _) => "Request redirected (not shared)".into(),
        (_, Status::Refused) => "Request refused (nothing shared)".into(),
        (_, Status::Withdrawn) => match r.withdrawn_on {
            Some(on) => format!("Request withdrawn on {}", uk(on)),
            None => "Request withdrawn".into(),
        },
        (RequestKind::DirectShare, _) => "Information shared directly with another local authority".into(),
        (RequestKind::Viewing, _) if file.shared_anything() => "Records viewed by another local authority".into(),
        (RequestKind::Viewing, _) => "Request to view records (nothing shared yet)".into(),
    }
}

fn or_not_recorded(s: &str) -> &str {
    if s.is_empty() { "not recorded" } else { s }
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
        let text = draft(&file, None);
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

    use crate::domain::fixtures::{approved, d, scoped};

    #[test]
    fn a_viewing_names_the_venue_where_it_is_and_says_no_copies_were_given() {
        let text = draft(&paper_request(), None);
        assert!(text.starts_with("Records viewed by another local authority — REQ-"), "{text}");
        assert!(
            text.contains("Venue: Private room, Room 1 at Ground floor, County Hall, 20/10/2026 10:00–12:00."),
            "{text}"
        );
        assert!(text.contains("Copies: none given."), "{text}");
        assert!(text.contains("Security arrangements: "), "{text}");
        assert!(text.contains("Data sharing agreement: "), "{text}");
    }

    #[test]
    fn a_refused_request_says_it_was_refused_and_why_and_nothing_about_viewing() {
        let mut f = scoped(Format::Paper);
        for i in &mut f.items {
            i.approved = Some(false);
        }
        f.approvals.push(Approval {
            id: 1,
            decision: Decision::Refused,
            approver: crate::domain::fixtures::owner().as_ref(),
            decided_on: d("2026-10-12"),
            evidence_date: Some(d("2026-10-11")),
            evidence_ref: Some("Email from the asset owner".into()),
            reason: "The purpose does not need these records".into(),
            recorded_by: crate::domain::fixtures::bsa().as_ref(),
        });
        f.request.status = crate::domain::derive_status(&f);
        assert_eq!(f.request.status, Status::Refused);
        let text = draft(&f, None);
        assert!(text.starts_with("Request refused (nothing shared) — REQ-"), "{text}");
        assert!(!text.contains("viewed"), "{text}");
        assert!(text.contains("Reason: The purpose does not need these records"), "{text}");
        assert!(text.contains("Nothing was shared."), "{text}");
        // The evidence reads as the asset owner's email, once.
        assert!(text.contains("(evidence: Email from the asset owner, 11/10/2026; recorded by"), "{text}");
        assert!(!text.to_lowercase().contains("email email"), "{text}");
        assert!(!text.contains("Security arrangements"), "nothing shared, nothing to secure: {text}");
    }

    #[test]
    fn a_viewer_from_another_authority_is_named_as_viewing_for_the_one_that_asked() {
        let mut f = paper_request();
        f.viewings[0].viewer_org = "Fictional Borough Council".into();
        let text = draft(&f, None);
        assert!(
            text.contains("Rita Requester (Fictional Borough Council, for Exampleshire County Council) viewed"),
            "{text}"
        );
    }

    #[test]
    fn a_part_2_condition_names_the_councils_appropriate_policy_document() {
        let f = paper_request(); // Art. 9(2)(g) with Sch.1 Part 2 para 18
        let text = draft(&f, Some("Appropriate policy document v2 (intranet)"));
        assert!(text.contains("Appropriate policy document: Appropriate policy document v2 (intranet)."), "{text}");
        let text = draft(&f, None);
        assert!(text.contains("Appropriate policy document: not set (an administrator sets"), "{text}");
        let mut f = f;
        f.request.basis.art9 = Some(crate::domain::Art9Gateway::HealthOrSocialCare);
        f.request.basis.sch1 = Some(Sch1Condition::P1HealthSocialCare);
        assert!(!draft(&f, None).contains("Appropriate policy document"), "Part 1 para 2 needs none");
    }

    #[test]
    fn returned_files_say_where_they_were_secured() {
        let mut f = paper_request();
        f.request.files_returned_on = Some(d("2026-10-21"));
        f.request.files_secured_at = Some("Locked cabinet, records room".into());
        let text = draft(&f, None);
        assert!(text.contains("Files returned 21/10/2026, secured at Locked cabinet, records room."), "{text}");
    }

    #[test]
    fn a_withdrawn_request_gives_the_date_and_reason() {
        let mut f = approved(Format::Paper);
        f.request.withdrawn_on = Some(d("2026-10-14"));
        f.request.withdraw_reason = Some("The family moved back; the requester no longer needs it".into());
        f.request.status = crate::domain::derive_status(&f);
        assert_eq!(f.request.status, Status::Withdrawn);
        let text = draft(&f, None);
        assert!(text.starts_with("Request withdrawn on 14/10/2026 — REQ-"), "{text}");
        assert!(
            text.contains("Withdrawn on 14/10/2026: The family moved back; the requester no longer needs it"),
            "{text}"
        );
        assert!(!text.contains("Records viewed"), "{text}");
    }

    #[test]
    fn an_unrecorded_basis_says_so_rather_than_printing_an_empty_sentence() {
        let mut f = scoped(Format::Paper);
        f.request.basis = Default::default();
        let text = draft(&f, None);
        assert!(text.contains("Lawful basis: not recorded."), "{text}");
        assert!(!text.contains("Lawful basis: ."), "{text}");
    }

    #[test]
    fn the_basis_is_a_line_per_part_and_never_an_empty_sentence() {
        let mut file = paper_request();
        let text = draft(&file, None);
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
        let text = draft(&file, None);
        assert!(text.contains("Questioned and confirmed: a question."), "{text}");
        assert!(text.contains("Lawful basis needs review: name the enactment."), "{text}");
        file.request.basis = LawfulBasis::default();
        let text = draft(&file, None);
        assert!(text.contains("Lawful basis: not recorded."), "{text}");
        assert!(!text.contains("Lawful basis: ."), "{text}");
    }
}
