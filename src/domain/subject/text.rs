//! The subject report as text: one-line facts, a section per request. The command
//! line prints these lines, `--out` writes them, and the TUI wraps them to its width.
//! Every stored string passes through [`crate::domain::text::safe`].

use chrono::NaiveTime;
use chrono_tz::Tz;

use super::SubjectReport;
use crate::domain::basis::AgreementAnswer;
use crate::domain::dates::uk;
use crate::domain::request::*;
use crate::domain::types::*;

fn s(v: &str) -> String {
    crate::domain::text::safe(v, false).into_owned()
}

fn or_none(v: &str) -> String {
    if v.trim().is_empty() { "none given".into() } else { s(v) }
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn who(p: &StaffRef) -> String {
    if p.position.is_empty() { s(&p.name) } else { format!("{} ({})", s(&p.name), s(&p.position)) }
}

/// The report, line by line, times in `tz`.
pub fn lines(report: &SubjectReport, tz: Tz) -> Vec<String> {
    let mut out = vec![
        format!("Subject report for {}", s(&report.query.matched_by())),
        format!(
            "Made {} by {}",
            report.generated_at.with_timezone(&tz).format("%d/%m/%Y %H:%M"),
            s(&report.generated_by)
        ),
    ];
    if report.subjects.is_empty() {
        out.push("No request names this child.".into());
    }
    for m in &report.subjects {
        let dob = m.dob.map_or_else(|| "date of birth not recorded".into(), |d| format!("born {}", uk(d)));
        out.push(format!("Child: {}, {dob}, Mosaic ID {}", s(&m.name), or_none(&m.mosaic_id)));
    }
    out.push(format!("{} request(s), {} lookup(s) naming this child", report.requests.len(), report.lookups.len()));
    for f in &report.requests {
        out.push(String::new());
        request_lines(f, &mut out);
    }
    if let (Some(first), Some(last)) = (report.disposed.first_on, report.disposed.last_on) {
        out.push(String::new());
        out.push("== Disposed of ==".into());
        out.push(format!(
            "{} request(s) were disposed of under the retention schedule, from {} to {}. Disposal erases every name, date of birth and Mosaic ID, so none of them can be matched to this child; each one's residue (reference, dates, organisation, outcome, counts) is kept for the reports.",
            report.disposed.requests,
            uk(first),
            uk(last)
        ));
    }
    out.push(String::new());
    out.push("== Lookups naming this child ==".into());
    if report.lookups.is_empty() {
        out.push("none recorded".into());
    }
    for l in &report.lookups {
        out.push(format!(
            "{} {} ({}), {}: {}",
            l.at.with_timezone(&tz).format("%d/%m/%Y %H:%M"),
            s(&l.login),
            s(&l.op),
            l.face(),
            s(&l.query)
        ));
    }
    out
}

fn request_lines(f: &RequestFile, out: &mut Vec<String>) {
    let r = &f.request;
    out.push(format!("== {} — {} ==", s(&r.reference), r.status.label()));
    out.push(format!("Received: {} by {} ({})", uk(r.received_on), r.channel.label().to_lowercase(), r.kind.label()));
    let q = &r.requester;
    out.push(format!(
        "Asked by: {}, {}; email {}; phone {}",
        or_none(&q.name),
        or_none(&q.role),
        or_none(&q.email),
        or_none(&q.phone)
    ));
    out.push(format!("Organisation: {} ({})", s(&r.organisation.name), r.organisation.kind.label()));
    if let Some(a) = &r.service_area {
        out.push(format!("Service area: {} (asset owner {})", s(&a.name), who(&a.asset_owner)));
    }
    if let Some(fmt) = r.format {
        out.push(format!("Format: {}", fmt.label()));
    }
    out.push(format!("Purpose: {}", or_none(&r.purpose)));
    let others: Vec<String> =
        f.subjects.iter().map(|x| format!("{} ({})", s(&x.name), or_none(&x.mosaic_id))).collect();
    out.push(format!("Subjects on this request: {}", others.join(", ")));
    if let Some(route) = &r.redirect_route {
        out.push(format!("Redirected: {}", s(route)));
    }
    for (label, value) in decision_record_lines(r) {
        out.push(format!("{label}: {}", s(&value)));
    }
    for i in &f.items {
        let state = match i.approved {
            Some(true) => "approved".to_string(),
            Some(false) => match &i.decline_reason {
                Some(why) => format!("declined: {}", s(why)),
                None => "declined".into(),
            },
            None => "not decided".into(),
        };
        let agency = i.third_party.as_deref().map(|a| format!(" [{} material]", s(a))).unwrap_or_default();
        out.push(format!("Item {}. {}{agency}: {state}", i.number, s(&i.description)));
    }
    for a in &f.approvals {
        let behalf = match (a.evidence_date, &a.evidence_ref) {
            (Some(d), Some(rf)) => format!("; on behalf, evidence {} {}", uk(d), s(rf)),
            (Some(d), None) => format!("; on behalf, evidence {}", uk(d)),
            (None, Some(rf)) => format!("; on behalf, evidence {}", s(rf)),
            (None, None) => String::new(),
        };
        out.push(format!(
            "Decision {}: {} by {}; reason: {}; recorded by {}{behalf}",
            uk(a.decided_on),
            a.decision.label(),
            who(&a.approver),
            or_none(&a.reason),
            s(&a.recorded_by.name)
        ));
    }
    for v in &f.viewings {
        viewing_lines(f, v, out);
    }
    if let Some(on) = r.shared_on {
        let items: Vec<String> = f.approved_items().map(|i| format!("{}. {}", i.number, s(&i.description))).collect();
        out.push(format!(
            "Sent directly {} by {}: {}",
            uk(on),
            or_none(r.share_method.as_deref().unwrap_or("")),
            if items.is_empty() { "no items listed".into() } else { items.join("; ") }
        ));
    }
    for i in &f.incidents {
        let referral = match (i.referred_on, &i.ig_ref) {
            (Some(d), Some(rf)) => format!("referred to information governance {} (ref {})", uk(d), s(rf)),
            (Some(d), None) => format!("referred to information governance {}", uk(d)),
            (None, _) => "not referred".into(),
        };
        out.push(format!("Incident {}: {}; {referral}", uk(i.opened_on), s(&i.description)));
    }
    if let Some(c) = &r.case_note {
        out.push(format!("Case note: {} by {}, Mosaic ref {}", uk(c.on), s(&c.by.name), s(&c.mosaic_ref)));
    }
    if let Some(on) = r.withdrawn_on {
        out.push(format!("Withdrawn {}: {}", uk(on), or_none(r.withdraw_reason.as_deref().unwrap_or(""))));
    }
    if let Some(on) = r.completed_on {
        out.push(format!("Completed {}", uk(on)));
    }
}

fn viewing_lines(f: &RequestFile, v: &Viewing, out: &mut Vec<String>) {
    let confirmed =
        v.supervision_confirmed_by.as_ref().map(|p| format!(", confirmed by {}", s(&p.name))).unwrap_or_default();
    let throughout = if v.supervised {
        "yes".to_string()
    } else {
        format!("no: {}", or_none(v.unsupervised_note.as_deref().unwrap_or("")))
    };
    out.push(format!(
        "Viewing {} {}-{}: {} of {}; {}; supervised by {}; supervised throughout: {throughout}{confirmed}",
        uk(v.day),
        hm(v.start),
        hm(v.end),
        s(&v.viewers),
        s(&v.viewer_org),
        v.method.label(),
        who(&v.supervisor)
    ));
    let shown = f.describe_items(&v.item_ids);
    out.push(format!("  Shown: {}", if shown.is_empty() { "nothing listed".into() } else { s(&shown.join("; ")) }));
    let given = |list: &[CopyGiven]| -> String {
        if list.is_empty() {
            return "none".into();
        }
        list.iter()
            .map(|c| {
                let what = f.describe_items(&[c.item_id]).join("");
                format!("{} ({})", s(&what), s(&c.reason))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    out.push(format!("  Copies given: {}", given(&v.copies)));
    if let Some(d) = &v.downloads {
        out.push(format!("  Downloaded: {}", given(d)));
    }
    if let Some(lcc) = v.lcc_devices_only {
        out.push(format!("  LCC devices and logins only: {}", if lcc { "yes" } else { "no" }));
    }
}

/// The lawful basis and decision record as `request show` prints them: a line per
/// answer given, the basis lines even when empty (so a gap shows as not recorded).
pub fn decision_record_lines(r: &Request) -> Vec<(&'static str, String)> {
    let b = &r.basis;
    let d = &r.details;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if r.kind == RequestKind::Redirect {
        return out;
    }
    let scoped = r.form_returned_on.is_some() || r.shared_on.is_some() || !b.is_empty();
    if !scoped {
        if let Some(p) = &r.isa_prompt {
            out.push(("ISA prompt", p.clone()));
        }
        return out;
    }
    let or_not = |v: Option<String>| v.unwrap_or_else(|| "not recorded".into());
    out.push(("Lawful basis", or_not(b.art6.map(|a| a.label().to_string()))));
    out.push(("Art. 9/Sch.1", or_not(b.art9_line())));
    out.push(("Criminal data", or_not(b.criminal_line())));
    out.push(("Power", or_not(b.power_line())));
    if let Some(g) = b.guidance_line() {
        out.push(("Guidance", g));
    }
    if !b.notes.is_empty() {
        out.push(("Basis notes", b.notes.clone()));
    }
    for q in &b.confirmed {
        out.push(("Questioned", format!("{q} (confirmed)")));
    }
    if let Some(review) = &b.review {
        out.push(("Basis review", format!("needs review: {review}")));
    }
    out.push(("Necessity", if d.necessity.is_empty() { "not recorded".into() } else { d.necessity.clone() }));
    match d.consent_sought {
        Some(true) => out.push(("Consent", "sought".into())),
        Some(false) => out.push(("Consent", format!("not sought: {}", d.consent_note))),
        None => {}
    }
    let agreement = match d.agreement {
        Some(AgreementAnswer::Yes) if !d.agreement_note.is_empty() => format!("yes ({})", d.agreement_note),
        Some(AgreementAnswer::NotApplicable) => format!("not applicable: {}", d.agreement_note),
        Some(a) => a.label().to_lowercase(),
        None => "not recorded".into(),
    };
    out.push(("Agreement", agreement));
    if let Some(p) = &r.isa_prompt {
        out.push(("ISA prompt", p.clone()));
    }
    out.push(("Security", if d.security.is_empty() { "not recorded".into() } else { d.security.clone() }));
    out.push(("Retention", if d.retention.is_empty() { "not recorded".into() } else { d.retention.clone() }));
    if let Some(c) = d.controller {
        out.push(("Controllers", c.label().to_string()));
    }
    match d.dpia_considered {
        Some(true) => out.push(("DPIA", format!("considered: {}", d.dpia_outcome))),
        Some(false) => out.push(("DPIA", "not considered".into())),
        None => {}
    }
    out
}
