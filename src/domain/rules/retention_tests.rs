//! Retention's guards, allowed and refused.

use super::*;
use crate::domain::fixtures::*;

fn admin() -> Staff {
    staff(9, "aadmin", "Ada Admin", &[Role::Admin])
}

fn ctx<'a>(actor: &'a Staff, settings: &'a Settings) -> Ctx<'a> {
    Ctx { actor, today: d("2033-01-10"), settings }
}

/// Viewed and completed on 01/12/2026: due on 01/12/2032 (shared, 6 years).
fn completed() -> RequestFile {
    let mut f = viewed(Format::Paper);
    f.request.completed_on = Some(d("2026-12-01"));
    f.request.status = Status::Complete;
    f
}

fn rule_of<T: std::fmt::Debug>(r: Result<T, Refusal>) -> Rule {
    r.expect_err("expected a refusal").rule
}

#[test]
fn a_closed_request_past_its_date_is_disposed_of_when_someone_else_authorises_it() {
    let s = Settings::default();
    let (me, other) = (admin(), staff(10, "badmin", "Bo Admin", &[Role::Admin]));
    let due = check_dispose(&completed(), &other, false, ctx(&me, &s)).unwrap();
    assert_eq!(due.due_on, d("2032-12-01"));
    // The area's asset owner may authorise it too.
    assert!(check_dispose(&completed(), &owner(), false, ctx(&me, &s)).is_ok());
}

#[test]
fn disposal_is_refused_by_each_of_its_rules() {
    let s = Settings::default();
    let me = admin();
    let c = ctx(&me, &s);
    // Run by an administrator only.
    assert_eq!(rule_of(check_dispose(&completed(), &me, false, ctx(&bsa(), &s))), Rule::Permission);
    // Authorised by someone else.
    assert_eq!(rule_of(check_dispose(&completed(), &me, false, c)), Rule::SeparationOfDuties);
    // An administrator or the area's asset owner, active.
    assert_eq!(rule_of(check_dispose(&completed(), &other_manager(), false, c)), Rule::Permission);
    let mut retired = owner();
    retired.active = false;
    assert_eq!(rule_of(check_dispose(&completed(), &retired, false, c)), Rule::Permission);
    // Open.
    let open = rule_of(check_dispose(&viewed(Format::Paper), &owner(), false, c));
    assert_eq!(open, Rule::Retention);
    // Under a hold.
    let mut held = completed();
    held.request.hold = Some(Hold { since: d("2033-01-02"), by: me.as_ref(), reason: "SAR".into() });
    let r = check_dispose(&held, &owner(), false, c).unwrap_err();
    assert_eq!((r.rule, r.hint.as_deref()), (Rule::Retention, Some("caseshare release REQ-2026-0001")));
    // Not yet due, unless early.
    let early = Ctx { today: d("2032-11-30"), ..c };
    let r = check_dispose(&completed(), &owner(), false, early).unwrap_err();
    assert!(r.message.contains("not due for disposal until 01/12/2032"), "{}", r.message);
    assert!(check_dispose(&completed(), &owner(), true, early).is_ok());
}

#[test]
fn a_hold_is_put_on_once_and_released_once_by_an_administrator() {
    let s = Settings::default();
    let me = admin();
    let f = completed();
    assert!(check_hold(&f, ctx(&me, &s)).is_ok());
    assert_eq!(rule_of(check_hold(&f, ctx(&bsa(), &s))), Rule::Permission);
    assert_eq!(rule_of(check_release(&f, ctx(&me, &s))), Rule::AlreadyDone);
    let mut held = f.clone();
    held.request.hold = Some(Hold { since: d("2033-01-02"), by: me.as_ref(), reason: "SAR".into() });
    assert_eq!(rule_of(check_hold(&held, ctx(&me, &s))), Rule::AlreadyDone);
    assert!(check_release(&held, ctx(&me, &s)).is_ok());
    assert_eq!(rule_of(check_release(&held, ctx(&bsa(), &s))), Rule::Permission);
}

#[test]
fn nothing_is_recorded_on_a_disposed_request() {
    let s = Settings::default();
    let me = admin();
    let mut gone = completed();
    gone.request.disposal = Some(Disposal {
        on: d("2033-01-05"),
        by: me.as_ref(),
        authorised_by: owner().as_ref(),
        reason: "schedule".into(),
        early: None,
        erased_events: vec![1, 2],
        erased_lookups: vec![],
    });
    assert_eq!(rule_of(not_disposed(&gone)), Rule::Retention);
    assert!(not_disposed(&completed()).is_ok());
    assert_eq!(rule_of(check_hold(&gone, ctx(&me, &s))), Rule::Retention);
    assert_eq!(rule_of(check_dispose(&gone, &owner(), false, ctx(&me, &s))), Rule::AlreadyDone);
}
