//! Every guard of SPEC.md, allowed and refused.

use super::checklist::{checklist, derive_status, due_date, required_steps};
use super::fixtures::*;
use super::rules::*;
use super::settings::Settings;
use super::*;

fn ctx<'a>(actor: &'a Staff, settings: &'a Settings) -> Ctx<'a> {
    Ctx { actor, today: d("2026-11-24"), settings }
}

fn rule_of<T: std::fmt::Debug>(r: Result<T, Refusal>) -> Rule {
    r.expect_err("expected a refusal").rule
}

fn approval_by(approver: Staff, approve: &[i64]) -> ApprovalInput {
    ApprovalInput {
        approver,
        decided_on: d("2026-10-12"),
        evidence_date: None,
        evidence_ref: None,
        reason: "Necessary for the s.47 enquiry".into(),
        approve: approve.to_vec(),
        decline_reasons: vec![],
    }
}

#[test]
fn steps_follow_in_order() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let new = new_request(Format::Paper);
    assert!(check_form_sent(&new, d("2026-10-02"), c).is_ok());
    assert_eq!(rule_of(check_confirmed(&new, d("2026-10-02"), c)), Rule::StepOrder);
    assert_eq!(rule_of(check_restore_requested(&new, d("2026-10-02"), c)), Rule::StepOrder);
    let mut sent = new.clone();
    sent.request.form_sent_on = Some(d("2026-10-02"));
    assert_eq!(rule_of(check_form_sent(&sent, d("2026-10-03"), c)), Rule::AlreadyDone);
}

#[test]
fn dates_must_be_in_order_and_not_in_the_future() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let new = new_request(Format::Paper);
    assert_eq!(rule_of(check_form_sent(&new, d("2026-09-30"), c)), Rule::DateOrder);
    assert_eq!(rule_of(check_form_sent(&new, d("2026-11-25"), c)), Rule::DateOrder);
    let owner = owner();
    let oc = ctx(&owner, &s);
    let mut early = approval_by(owner.clone(), &[1]);
    early.decided_on = d("2026-10-09"); // before the form came back on 10/10
    assert_eq!(rule_of(check_approval(&scoped(Format::Paper), &early, oc)), Rule::DateOrder);
}

#[test]
fn lawful_basis_is_required_before_approval() {
    let s = Settings::default();
    let owner = owner();
    let mut f = scoped(Format::Paper);
    f.request.basis.art9 = None;
    let err = check_approval(&f, &approval_by(owner.clone(), &[1]), ctx(&owner, &s)).unwrap_err();
    assert_eq!(err.rule, Rule::LawfulBasis);
    assert!(err.to_string().contains("Art. 9"), "{err}");
    let empty = ScopeInput { items: vec![("x".into(), None)], ..ScopeInput::default() };
    assert_eq!(rule_of(check_scope_content(&empty)), Rule::LawfulBasis);
}

#[test]
fn only_the_asset_owner_approves_and_never_the_recording_bsa() {
    let s = Settings::default();
    let f = scoped(Format::Paper);
    let owner = owner();
    let plan = check_approval(&f, &approval_by(owner.clone(), &[1, 2]), ctx(&owner, &s)).unwrap();
    assert_eq!(plan.decision, Decision::Approved);

    let other = other_manager();
    let err = check_approval(&f, &approval_by(other.clone(), &[1]), ctx(&other, &s)).unwrap_err();
    assert_eq!(err.rule, Rule::AssetOwner);
    assert!(err.message.contains("Max Owner"), "{err}");

    // The recording BSA is made asset owner: still refused.
    let mut own = f.clone();
    let bsa = bsa();
    own.request.service_area.as_mut().unwrap().asset_owner = bsa.as_ref();
    let mut bsa_mgr = bsa.clone();
    bsa_mgr.roles.push(Role::Manager);
    let err = check_approval(&own, &approval_by(bsa_mgr.clone(), &[1]), ctx(&bsa_mgr, &s)).unwrap_err();
    assert_eq!(err.rule, Rule::SeparationOfDuties);
}

#[test]
fn a_bsa_records_approval_on_behalf_only_with_evidence() {
    let s = Settings::default();
    let f = scoped(Format::Paper);
    let bsa = bsa();
    let mut input = approval_by(owner(), &[1]);
    assert_eq!(rule_of(check_approval(&f, &input, ctx(&bsa, &s))), Rule::AssetOwner);
    input.evidence_date = Some(d("2026-10-12"));
    input.evidence_ref = Some("Email 12/10 'RE: REQ-2026-0001'".into());
    assert_eq!(check_approval(&f, &input, ctx(&bsa, &s)).unwrap().decision, Decision::ApprovedInPart);
    let ro = oncall();
    assert_eq!(rule_of(check_approval(&f, &input, ctx(&ro, &s))), Rule::Permission);
}

#[test]
fn approving_nothing_refuses_and_closes() {
    let s = Settings::default();
    let owner = owner();
    let mut f = scoped(Format::Paper);
    let plan = check_approval(&f, &approval_by(owner.clone(), &[]), ctx(&owner, &s)).unwrap();
    assert_eq!(plan.decision, Decision::Refused);
    for it in &mut f.items {
        it.approved = Some(false);
    }
    f.approvals.push(approved(Format::Paper).approvals[0].clone());
    f.approvals[0].decision = Decision::Refused;
    f.request.status = derive_status(&f);
    assert_eq!(f.request.status, Status::Refused);
    assert_eq!(rule_of(check_form_sent(&f, d("2026-10-20"), ctx(&owner, &s))), Rule::Closed);
}

#[test]
fn viewings_show_only_approved_items_with_consent_and_a_supervisor() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let f = scheduled(Format::Paper);
    let good = ViewingInput {
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("11:00"),
        viewers: "Rita Requester".into(),
        viewer_org: Organisation {
            id: 1,
            name: "Exampleshire County Council".into(),
            kind: OrgKind::LocalAuthority,
            retired_on: None,
        },
        supervisor: Some(observer()),
        method: ViewingMethod::InPersonPaper,
        item_numbers: vec![1],
        notes: String::new(),
        copies: vec![],
        supervised: Some(true),
        unsupervised_note: None,
        supervision_confirmed_by: Some(observer()),
        lcc_devices_only: None,
        downloads: None,
        confirm_duplicate: false,
    };
    assert!(!check_viewing(&f, &good, c).unwrap().opens_incident());

    let declined = ViewingInput { item_numbers: vec![1, 2], ..good.clone() };
    let err = check_viewing(&f, &declined, c).unwrap_err();
    assert_eq!(err.rule, Rule::MinimumNecessary);
    assert!(err.to_string().contains("fresh approval"), "{err}");

    let nobody = ViewingInput { supervisor: None, ..good.clone() };
    assert_eq!(rule_of(check_viewing(&f, &nobody, c)), Rule::Supervision);

    let teams = ViewingInput { method: ViewingMethod::TeamsScreenShare, ..good.clone() };
    assert_eq!(rule_of(check_viewing(&f, &teams, c)), Rule::NotApplicable);

    let before = ViewingInput { day: d("2026-10-11"), ..good.clone() };
    assert_eq!(rule_of(check_viewing(&f, &before, c)), Rule::DateOrder);

    let copy_unshown = ViewingInput { copies: vec![(2, "asked".into())], ..good.clone() };
    assert_eq!(rule_of(check_viewing(&f, &copy_unshown, c)), Rule::MinimumNecessary);

    let alone = ViewingInput { supervised: Some(false), ..good.clone() };
    assert_eq!(rule_of(check_viewing(&f, &alone, c)), Rule::Supervision);
    let alone =
        ViewingInput { supervised: Some(false), unsupervised_note: Some("Observer left for 5 minutes".into()), ..good };
    assert!(check_viewing(&f, &alone, c).unwrap().opens_incident());
}

#[test]
fn third_party_material_needs_the_agency_consent() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let mut f = scheduled(Format::Paper);
    f.items[1].approved = Some(true);
    let input = ViewingInput {
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("11:00"),
        viewers: "Rita Requester".into(),
        viewer_org: Organisation {
            id: 1,
            name: "Exampleshire County Council".into(),
            kind: OrgKind::LocalAuthority,
            retired_on: None,
        },
        supervisor: Some(observer()),
        method: ViewingMethod::InPersonPaper,
        item_numbers: vec![2],
        notes: String::new(),
        copies: vec![],
        supervised: Some(true),
        unsupervised_note: None,
        supervision_confirmed_by: Some(observer()),
        lcc_devices_only: None,
        downloads: None,
        confirm_duplicate: false,
    };
    assert_eq!(rule_of(check_viewing(&f, &input, c)), Rule::ThirdPartyConsent);
    assert!(check_item_consent(&f, 2, d("2026-10-15"), c).is_ok());
    assert_eq!(rule_of(check_item_consent(&f, 1, d("2026-10-15"), c)), Rule::ThirdPartyConsent);
    f.items[1].agency_consent_on = Some(d("2026-10-15"));
    assert!(check_viewing(&f, &input, c).is_ok());
}

#[test]
fn rooms_are_fit_and_never_double_booked() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let f = approved(Format::Paper);
    let room = Room {
        id: 1,
        name: "Room 1".into(),
        location: "".into(),
        observer_space: true,
        secure_storage: true,
        teams: false,
        active: true,
    };
    let input = BookingInput {
        venue: Venue::Room,
        room: Some(room.clone()),
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("12:00"),
        teams_reason: None,
    };
    assert!(check_booking(&f, &input, None, c).is_ok());
    assert_eq!(rule_of(check_booking(&f, &input, Some("REQ-2026-0002"), c)), Rule::DoubleBooking);
    let cupboard = BookingInput { room: Some(Room { secure_storage: false, ..room }), ..input.clone() };
    assert_eq!(rule_of(check_booking(&f, &cupboard, None, c)), Rule::Venue);
    let digital = approved(Format::Digital);
    let teams = BookingInput { venue: Venue::TeamsMeeting, room: None, teams_reason: None, ..input.clone() };
    assert_eq!(rule_of(check_booking(&digital, &teams, None, c)), Rule::Venue);
    let teams = BookingInput { teams_reason: Some("Requester is 300 miles away".into()), ..teams };
    assert!(check_booking(&digital, &teams, None, c).is_ok());
    assert_eq!(rule_of(check_booking(&scoped(Format::Paper), &input, None, c)), Rule::StepOrder);
}

#[test]
fn digital_requests_skip_restore_and_return_but_keep_mosaic_checks() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let f = approved(Format::Digital);
    assert!(!required_steps(&f).contains(&Step::RestoreRequested));
    assert!(!required_steps(&f).contains(&Step::FilesReturned));
    assert!(required_steps(&f).contains(&Step::FilesAvailable));
    assert_eq!(rule_of(check_restore_requested(&f, d("2026-10-13"), c)), Rule::NotApplicable);
    assert_eq!(rule_of(check_mosaic(&f, d("2026-10-13"), true, false, c)), Rule::StepOrder);
    // Neither check done: both are named, not only the first.
    let both = check_mosaic(&f, d("2026-10-13"), false, false, c).unwrap_err().to_string();
    assert!(both.contains("location is updated") && both.contains("not locked"), "{both}");
    assert!(check_mosaic(&f, d("2026-10-13"), true, true, c).is_ok());
    let paper = approved(Format::Paper);
    assert!(check_restore_requested(&paper, d("2026-10-13"), c).is_ok());
    assert_eq!(rule_of(check_restored(&paper, d("2026-10-13"), c)), Rule::StepOrder);
    // Half of paper step 6 done: its line says which half is left.
    let mut half = paper.clone();
    half.request.restored_on = Some(d("2026-10-14"));
    assert_eq!(super::checklist::step_label(&half, Step::FilesAvailable), "Mosaic checks (files restored)");
    half.request.restored_on = None;
    half.request.mosaic_checked_on = Some(d("2026-10-14"));
    assert_eq!(super::checklist::step_label(&half, Step::FilesAvailable), "Files restored (Mosaic checked)");
}

#[test]
fn completion_needs_every_step_a_case_note_and_referred_incidents() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let mut f = viewed(Format::Digital);
    f.request.mosaic_checked_on = Some(d("2026-10-13"));
    let err = check_complete(&f, d("2026-11-01"), c).unwrap_err();
    assert_eq!(err.rule, Rule::CaseNote);
    assert!(check_case_note(&f, d("2026-10-21"), c).is_ok());
    f.request.case_note =
        Some(CaseNoteRecord { on: d("2026-10-21"), by: bsa.as_ref(), mosaic_ref: "CN1".into(), text: "x".into() });
    f.incidents.push(Incident {
        id: 7,
        viewing_id: Some(1),
        opened_on: d("2026-10-20"),
        description: "left alone".into(),
        referred_on: None,
        ig_ref: None,
    });
    assert_eq!(rule_of(check_complete(&f, d("2026-11-01"), c)), Rule::Incident);
    // The checklist says so before anyone tries: step 12 is blocked by the incident.
    let step12 = |f: &RequestFile| checklist(f, &s, d("2026-11-01")).into_iter().find(|l| l.step == Step::Complete);
    match step12(&f).unwrap().state {
        StepState::Blocked { why } => assert!(why.contains("not referred to information governance"), "{why}"),
        other => panic!("step 12 should be blocked by the incident, is {other:?}"),
    }
    assert!(check_incident_referral(&f, 7, d("2026-10-22"), c).is_ok());
    f.incidents[0].referred_on = Some(d("2026-10-22"));
    assert!(check_complete(&f, d("2026-11-01"), c).is_ok());
    assert!(!matches!(step12(&f).unwrap().state, StepState::Blocked { .. }), "referred: step 12 can be done");
    assert_eq!(rule_of(check_complete(&f, d("2026-10-19"), c)), Rule::DateOrder);
    let paper = viewed(Format::Paper);
    assert_eq!(rule_of(check_complete(&paper, d("2026-11-01"), c)), Rule::CaseNote);
}

#[test]
fn case_note_needs_something_shared() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    assert_eq!(rule_of(check_case_note(&scheduled(Format::Paper), d("2026-10-21"), c)), Rule::StepOrder);
    assert!(check_case_note(&viewed(Format::Paper), d("2026-10-21"), c).is_ok());
}

#[test]
fn withdrawal_any_time_but_a_shared_request_keeps_its_case_note() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    assert!(check_withdraw(&approved(Format::Paper), d("2026-10-20"), c).is_ok());
    assert_eq!(rule_of(check_withdraw(&viewed(Format::Paper), d("2026-10-21"), c)), Rule::CaseNote);
}

#[test]
fn readonly_logins_change_nothing() {
    assert_eq!(rule_of(may_edit(&oncall())), Rule::Permission);
    assert!(may_edit(&bsa()).is_ok());
    assert_eq!(rule_of(may_administer(&bsa())), Rule::Permission);
}

#[test]
fn only_admins_and_information_governance_report_on_a_subject() {
    let ig = staff(6, "igov", "Ida Governance", &[Role::Ig]);
    let admin = staff(7, "adm", "Ada Admin", &[Role::Admin]);
    assert!(may_report_on_subject(&ig).is_ok());
    assert!(may_report_on_subject(&admin).is_ok());
    assert_eq!(rule_of(may_edit(&ig)), Rule::Permission);
    let refused = may_report_on_subject(&oncall()).unwrap_err();
    assert_eq!(refused.rule, Rule::Permission);
    assert!(refused.message.contains("ocall"));
    assert_eq!(refused.hint.as_deref(), Some("caseshare staff set-roles ocall ig"));
    assert_eq!(rule_of(may_report_on_subject(&bsa())), Rule::Permission);
    let mut gone = ig.clone();
    gone.active = false;
    assert_eq!(rule_of(may_report_on_subject(&gone)), Rule::Permission);
}

#[test]
fn routes_for_bodies_outside_the_process() {
    let s = Settings::default();
    assert!(route_for(OrgKind::LocalAuthority, &s).is_none());
    assert!(route_for(OrgKind::Cafcass, &s).unwrap().contains("CPRUAdmin@"));
    assert!(route_for(OrgKind::Police, &s).unwrap().contains("police disclosure"));
    assert!(route_for(OrgKind::Individual, &s).unwrap().contains("subject access request"));
}

#[test]
fn status_is_derived_from_the_steps() {
    assert_eq!(derive_status(&new_request(Format::Paper)), Status::New);
    let mut sent = new_request(Format::Paper);
    sent.request.form_sent_on = Some(d("2026-10-02"));
    assert_eq!(derive_status(&sent), Status::AwaitingForm);
    assert_eq!(derive_status(&scoped(Format::Paper)), Status::AwaitingApproval);
    assert_eq!(derive_status(&approved(Format::Paper)), Status::Preparing);
    assert_eq!(derive_status(&scheduled(Format::Paper)), Status::Scheduled);
    assert_eq!(derive_status(&viewed(Format::Paper)), Status::Viewed);
}

#[test]
fn overdue_counts_working_days_from_the_step_that_started_the_clock() {
    let s = Settings::default();
    let mut sent = new_request(Format::Paper);
    sent.request.form_sent_on = Some(d("2026-10-02")); // a Friday
    // 10 working days after Fri 02/10 is Fri 16/10.
    assert_eq!(due_date(&sent, &s), Some(d("2026-10-16")));
    let lines = checklist(&sent, &s, d("2026-11-24"));
    let scope = lines.iter().find(|l| l.step == Step::Scope).unwrap();
    assert_eq!(scope.state, StepState::Overdue { due: d("2026-10-16") });
    let lines = checklist(&sent, &s, d("2026-10-16"));
    let scope = lines.iter().find(|l| l.step == Step::Scope).unwrap();
    assert_eq!(scope.state, StepState::Pending { due: Some(d("2026-10-16")) });
    let blocked = lines.iter().find(|l| l.step == Step::Viewing).unwrap();
    assert!(matches!(blocked.state, StepState::Blocked { .. }));
    // Approval: 5 working days after the form came back (Sat 10/10 -> Fri 16/10).
    assert_eq!(due_date(&scoped(Format::Paper), &s), Some(d("2026-10-16")));
    // Viewing: 20 working days after approval on Mon 12/10 -> Mon 09/11.
    assert_eq!(due_date(&approved(Format::Paper), &s), Some(d("2026-11-09")));
    assert_eq!(due_date(&viewed(Format::Paper), &s), None);
}

#[test]
fn an_item_added_after_a_decision_is_due_five_working_days_from_the_day_it_was_added() {
    // A request is due by its earliest outstanding target: a long viewing target
    // keeps the first viewing's (09/11 by default) out of the way.
    let mut s = Settings::default();
    s.targets.viewing = 60;
    let mut f = approved(Format::Paper); // decided Mon 12/10
    let added = |on: Option<chrono::NaiveDate>| ScopeItem {
        id: 13,
        number: 3,
        description: "Health visitor records".into(),
        third_party: None,
        agency_consent_on: None,
        agency_consent_ref: None,
        approved: None,
        added_on: on,
        decline_reason: None,
    };
    // Added Wed 11/11: due Wed 18/11, so on Thu 12/11 it is pending, not overdue.
    f.items.push(added(Some(d("2026-11-11"))));
    assert_eq!(due_date(&f, &s), Some(d("2026-11-18")));
    let lines = checklist(&f, &s, d("2026-11-12"));
    let step4 = lines.iter().find(|l| l.step == Step::Approval).unwrap();
    assert_eq!(step4.state, StepState::Pending { due: Some(d("2026-11-18")) });
    // One recorded before the date was kept counts from the last decision, as before.
    f.items.pop();
    f.items.push(added(None));
    assert_eq!(due_date(&f, &s), Some(d("2026-10-19")));
}

#[test]
fn withdrawal_waits_for_the_incident_to_be_referred_and_referral_stays_open_once_closed() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let mut f = viewed(Format::Digital);
    f.request.case_note =
        Some(CaseNoteRecord { on: d("2026-10-21"), by: bsa.as_ref(), mosaic_ref: "CN1".into(), text: "x".into() });
    f.incidents.push(Incident {
        id: 7,
        viewing_id: Some(1),
        opened_on: d("2026-10-20"),
        description: "left alone".into(),
        referred_on: None,
        ig_ref: None,
    });
    let err = check_withdraw(&f, d("2026-11-01"), c).unwrap_err();
    assert_eq!(err.rule, Rule::Incident);
    assert!(err.message.ends_with(&format!("so {} cannot be withdrawn", f.request.reference)), "{}", err.message);
    assert_eq!(err.fix, "refer it to information governance first");
    // Closed before the rule: the incident can still be referred.
    f.request.withdrawn_on = Some(d("2026-11-01"));
    f.request.status = Status::Withdrawn;
    assert!(check_incident_referral(&f, 7, d("2026-11-02"), c).is_ok());
    f.incidents[0].referred_on = Some(d("2026-11-02"));
    f.request.withdrawn_on = None;
    f.request.status = derive_status(&f);
    assert!(check_withdraw(&f, d("2026-11-03"), c).is_ok());
}

#[test]
fn a_viewing_needs_step_6_restored_and_mosaic_checked_or_the_mosaic_checks_for_digital() {
    let for_paper = |restored: bool, checked: bool| {
        let mut f = scheduled(Format::Paper);
        if !restored {
            f.request.restored_on = None;
        }
        if !checked {
            f.request.mosaic_checked_on = None;
        }
        prerequisite(&f, Step::Viewing)
    };
    assert!(for_paper(true, true).is_ok());
    let r = for_paper(false, false).unwrap_err();
    assert_eq!(r.rule, Rule::StepOrder);
    assert!(r.message.contains("not recorded as restored, and the Mosaic checks"), "{}", r.message);
    assert!(for_paper(false, true).unwrap_err().message.ends_with("the files are not recorded as restored"));
    assert!(for_paper(true, false).unwrap_err().message.ends_with("(location updated, not locked) are not recorded"));
    let mut digital = scheduled(Format::Digital);
    assert!(prerequisite(&digital, Step::Viewing).is_ok());
    digital.request.mosaic_checked_on = None;
    let r = prerequisite(&digital, Step::Viewing).unwrap_err();
    assert_eq!(
        r.message,
        "'Viewing(s) logged' needs the Mosaic checks of step 6 (file location updated, file not locked)"
    );
    let line = &checklist(&digital, &Settings::default(), d("2026-10-15"))[8];
    assert!(matches!(&line.state, StepState::Blocked { why } if *why == r.message), "{line:?}");
}

#[test]
fn a_restore_is_due_five_working_days_after_it_was_requested_and_shows_on_step_6() {
    let mut s = Settings::default();
    s.targets.viewing = 60;
    let mut f = approved(Format::Paper);
    // Requested Monday 21/12/2026: five working days over Christmas and Boxing Day
    // (Friday 25th, and Monday 28th as Boxing Day's substitute) end on Wednesday 30th.
    s.holidays = super::dates::Holidays::england_and_wales(Default::default(), Default::default());
    f.request.restore_requested_on = Some(d("2026-12-21"));
    let targets = super::checklist::targets(&f, &s);
    assert!(targets.contains(&(Step::FilesAvailable, d("2026-12-30"))), "{targets:?}");
    assert_eq!(due_date(&f, &s), Some(d("2026-12-30")), "the earliest outstanding target");
    let line = |f: &RequestFile, today: &str| checklist(f, &s, d(today))[5].state.clone();
    assert_eq!(line(&f, "2026-12-30"), StepState::Pending { due: Some(d("2026-12-30")) });
    assert_eq!(line(&f, "2026-12-31"), StepState::Overdue { due: d("2026-12-30") });
    f.request.restored_on = Some(d("2026-12-31"));
    assert!(!super::checklist::targets(&f, &s).iter().any(|(step, _)| *step == Step::FilesAvailable));
    let digital = approved(Format::Digital);
    assert!(!super::checklist::targets(&digital, &s).iter().any(|(step, _)| *step == Step::FilesAvailable));
}

#[test]
fn a_refusal_shows_step_4_refused_and_the_later_steps_closed_and_step_7_its_booking_day_and_slot() {
    let s = Settings::default();
    let mut f = scoped(Format::Paper);
    for it in &mut f.items {
        it.approved = Some(false);
    }
    f.approvals.push(Approval {
        id: 1,
        decision: Decision::Refused,
        approver: owner().as_ref(),
        decided_on: d("2026-10-12"),
        evidence_date: None,
        evidence_ref: None,
        reason: "Not necessary".into(),
        recorded_by: owner().as_ref(),
    });
    let lines = checklist(&f, &s, d("2026-11-24"));
    assert_eq!(
        lines[3].state,
        StepState::Refused { on: d("2026-10-12"), by: owner().login, reason: "Not necessary".into() }
    );
    assert_eq!(lines[3].describe(), format!("refused 12/10/2026 by {}: Not necessary", owner().login));
    assert!(lines[4..].iter().all(|l| l.describe() == "closed — refused"), "{lines:?}");

    let mut booked = scheduled(Format::Paper);
    booked.ticks.push(StepTick {
        step: Step::VenueBooked,
        by: bsa().as_ref(),
        at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 10, 13, 9, 0, 0).unwrap(),
    });
    let seven = &checklist(&booked, &s, d("2026-10-15"))[6];
    assert_eq!(seven.describe(), format!("booked 13/10/2026 by {}; slot 20/10/2026 10:00–12:00", bsa().login));
}

#[test]
fn a_viewing_with_the_same_viewers_and_times_as_one_logged_needs_confirming() {
    let s = Settings::default();
    let bsa = bsa();
    let c = ctx(&bsa, &s);
    let f = viewed(Format::Paper);
    let org = Organisation {
        id: 1,
        name: "Exampleshire County Council".into(),
        kind: OrgKind::LocalAuthority,
        retired_on: None,
    };
    let same = ViewingInput {
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("11:30"),
        viewers: " rita requester ".into(),
        viewer_org: org,
        supervisor: Some(observer()),
        method: ViewingMethod::InPersonPaper,
        item_numbers: vec![1],
        notes: String::new(),
        copies: vec![],
        supervised: Some(true),
        unsupervised_note: None,
        supervision_confirmed_by: Some(observer()),
        lcc_devices_only: None,
        downloads: None,
        confirm_duplicate: false,
    };
    let r = check_viewing(&f, &same, c).unwrap_err();
    assert_eq!(r.rule, Rule::Duplicate);
    assert_eq!(r.confirm.as_ref().map(|q| q.field), Some("confirm_duplicate"));
    assert!(check_viewing(&f, &ViewingInput { confirm_duplicate: true, ..same.clone() }, c).is_ok());
    assert!(check_viewing(&f, &ViewingInput { end: t("11:00"), ..same.clone() }, c).is_ok());
    let two = ViewingInput { viewers: "Rita Requester and Ola Invented".into(), ..same };
    assert!(check_viewing(&f, &two, c).is_ok());
}
