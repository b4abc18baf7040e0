//! Command-line arguments turned into the service's forms (what was typed stays text).

use super::*;
use crate::service::forms::*;

pub(super) fn split_pipe(s: &str) -> Vec<String> {
    s.split('|').map(|p| p.trim().to_string()).collect()
}

fn subjects(raw: &[String]) -> Vec<SubjectForm> {
    raw.iter()
        .map(|s| {
            let p = split_pipe(s);
            SubjectForm {
                name: p.first().cloned().unwrap_or_default(),
                mosaic_id: p.get(1).cloned().unwrap_or_default(),
                dob: p.get(2).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

pub(super) fn items(raw: &[String]) -> Vec<ItemForm> {
    raw.iter()
        .map(|s| {
            let p = split_pipe(s);
            ItemForm {
                description: p.first().cloned().unwrap_or_default(),
                third_party: p.get(1).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

pub(super) fn new_request_form(a: NewRequestArgs) -> NewRequestForm {
    NewRequestForm {
        received: a.received,
        channel: a.channel,
        organisation: a.org,
        requester_name: a.requester,
        requester_role: a.requester_role,
        requester_email: a.requester_email,
        requester_phone: a.requester_phone,
        subjects: subjects(&a.subjects),
        purpose: a.purpose,
        service_area: a.area,
        format: a.format,
        owner: a.owner,
    }
}

pub(super) fn basis_form(b: BasisArgs) -> BasisForm {
    BasisForm {
        art6: b.art6,
        art9: b.art9,
        sch1: b.sch1,
        consent_not_obtained: b.consent_not_obtained,
        criminal: b.criminal,
        power: b.power,
        power_detail: b.power_detail,
        guidance: b.guidance.join(","),
        guidance_other: b.guidance_other,
        notes: b.basis_notes,
        necessity: b.necessity,
        consent_sought: b.consent_sought,
        consent_note: b.consent_note,
        dsa_exists: b.dsa,
        dsa_note: b.dsa_note,
        security: b.security,
        retention: b.retention,
        controller: b.controller,
        dpia_considered: b.dpia,
        dpia_outcome: b.dpia_outcome,
        confirm_basis: b.confirm_basis,
    }
}
