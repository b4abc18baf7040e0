//! The retention screen's update logic: state → action → effects and state, with no
//! terminal and no database.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::fields::DisposeValues;
use super::form::{FormKind, Values};
use super::*;
use crate::domain::Format;
use crate::domain::fixtures::{self, d};
use crate::domain::retention::{Due, Outcome};
use crate::service::retention::{DueRequest, HoldRow, RetentionDue};

fn row(reference: &str, due_on: &str, hold: Option<HoldRow>) -> DueRequest {
    let due = Due { outcome: Outcome::Shared, closed_on: d("2020-09-01"), years: 6, due_on: d(due_on) };
    DueRequest {
        reference: reference.into(),
        organisation: "Exampleshire County Council".into(),
        due,
        rule: due.rule(),
        hold,
    }
}

fn list() -> RetentionDue {
    let hold = HoldRow { since: d("2026-11-01"), by: "root".into(), reason: "Inquiry".into() };
    RetentionDue {
        today: d("2026-11-24"),
        due: vec![row("REQ-2026-0001", "2026-03-17", None), row("REQ-2026-0002", "2026-09-01", None)],
        held: vec![row("REQ-2026-0003", "2026-10-01", Some(hold))],
    }
}

/// The retention screen on `list()`, the first row's request loaded, as the loop
/// would bring them.
fn screen() -> App {
    let today: NaiveDate = d("2026-11-24");
    let mut a = App::new(fixtures::bsa(), today, Default::default(), Default::default());
    a.lookups.staff = vec![fixtures::bsa(), fixtures::owner(), fixtures::other_manager(), fixtures::observer()];
    a.update(Action::Resize(80, 24));
    assert_eq!(a.update(Action::Retention), vec![Effect::LoadRetention]);
    assert_eq!(a.screen, Screen::Retention);
    assert_eq!(
        a.update(Action::RetentionLoaded(Ok(Box::new(list())))),
        vec![Effect::LoadDetail("REQ-2026-0001".into())]
    );
    a.update(Action::DetailLoaded(Ok(Box::new(fixtures::scoped(Format::Paper)))));
    a
}

fn typed(a: &mut App, text: &str) {
    for c in text.chars() {
        a.update(Action::Input(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
}

fn dispose_values(a: &App) -> DisposeValues {
    match a.form.as_ref().map(|f| f.values()) {
        Some(Values::Dispose(v)) => v,
        other => panic!("not a disposal form: {other:?}"),
    }
}

#[test]
fn the_screen_lists_due_then_held_and_the_cursor_loads_the_request_under_it() {
    let mut a = screen();
    assert_eq!(a.retention.len(), 3);
    assert_eq!(a.update(Action::Down), vec![Effect::LoadDetail("REQ-2026-0002".into())]);
    assert!(!a.retention.selected_is_held());
    a.update(Action::Bottom);
    assert_eq!(a.retention.selected_row().map(|r| r.reference.as_str()), Some("REQ-2026-0003"));
    assert!(a.retention.selected_is_held(), "the last row is in the held section");
    assert_eq!(a.update(Action::Down), vec![Effect::LoadDetail("REQ-2026-0003".into())], "not past the end");
    // A reload (after a disposal) keeps the cursor on its request where it moved to.
    let mut fewer = list();
    fewer.due.remove(0);
    a.update(Action::RetentionLoaded(Ok(Box::new(fewer))));
    assert_eq!((a.retention.selected, a.retention.len()), (1, 2));
    assert_eq!(a.retention.selected_row().map(|r| r.reference.as_str()), Some("REQ-2026-0003"));
}

#[test]
fn enter_jumps_to_the_request_in_the_list_as_the_tracker_does_and_esc_goes_back() {
    let mut a = screen();
    a.update(Action::Down);
    assert_eq!(a.update(Action::Open), vec![Effect::LoadList]);
    assert_eq!((a.screen, a.view, a.filter.as_str()), (Screen::Requests, View::AllOpen, "REQ-2026-0002"));
    a.update(Action::Retention);
    assert_eq!(a.update(Action::Back), vec![Effect::LoadList]);
    assert_eq!(a.screen, Screen::Requests);
}

#[test]
fn another_users_change_reloads_the_retention_list() {
    let mut a = screen();
    let effects = a.update(Action::Reloaded { today: a.today, settings: Box::default(), lookups: None });
    assert!(effects.contains(&Effect::LoadRetention), "{effects:?}");
}

#[test]
fn a_failed_load_says_why_and_lists_nothing() {
    let mut a = screen();
    assert!(a.update(Action::RetentionLoaded(Err("database is locked".into()))).is_empty());
    assert!(a.retention.list.is_none() && a.retention.is_empty());
    assert_eq!(a.notice, Some(Notice::Error("database is locked".into())));
}

#[test]
fn dispose_offers_authorisers_with_nobody_chosen_runs_the_dry_run_then_asks_y_n() {
    let mut a = screen();
    assert!(a.update(Action::OpenForm(FormKind::Dispose)).is_empty());
    let form = a.form.as_ref().expect("the disposal form");
    assert_eq!(form.reference.as_deref(), Some("REQ-2026-0001"));
    assert_eq!(dispose_values(&a).authorised_by, None, "nobody is put down as the authoriser");
    // Only those who may authorise are offered: managers (asset owners) and administrators.
    a.update(Action::Input(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)));
    assert_eq!(dispose_values(&a).authorised_by.as_deref(), Some("mowner"));
    a.update(Action::NextField);
    typed(&mut a, "Schedule reached");
    let effects = a.update(Action::Save);
    let [Effect::Check(save)] = effects.as_slice() else { panic!("the dry run first: {effects:?}") };
    assert_eq!(save.kind(), FormKind::Dispose);
    assert!(!a.form.as_ref().unwrap().confirming, "nothing asked before the dry run answers");
    a.update(Action::DisposalChecked("REQ-2026-0001: would be disposed of, due 17/03/2026".into()));
    let form = a.form.as_ref().unwrap();
    assert!(form.confirming);
    assert_eq!(
        form.question.as_deref(),
        Some(
            "REQ-2026-0001: would be disposed of, due 17/03/2026. Dispose of REQ-2026-0001? Its personal \
             details are erased for good. y / n"
        )
    );
    // n: back to the form, nothing written, the typing kept.
    assert!(a.update(Action::No).is_empty());
    assert!(!a.form.as_ref().unwrap().confirming);
    assert_eq!(dispose_values(&a).reason, "Schedule reached");
    // Save, the dry run, y: the disposal for real, with the same values.
    a.update(Action::Save);
    a.update(Action::DisposalChecked("REQ-2026-0001: would be disposed of".into()));
    let effects = a.update(Action::Yes);
    let [Effect::Submit(real)] = effects.as_slice() else { panic!("y saves: {effects:?}") };
    assert_eq!(real, save);
    let done = "REQ-2026-0001 disposed of: 15 event payloads and 0 lookups erased".to_string();
    let effects = a.update(Action::Saved { message: done.clone(), made: None });
    assert!(effects.contains(&Effect::LoadRetention), "the list reloads: {effects:?}");
    assert!(a.form.is_none());
    assert_eq!(a.notice, Some(Notice::Info(done)));
    assert_eq!(a.screen, Screen::Retention);
}

#[test]
fn a_refused_disposal_keeps_the_form_and_what_was_typed() {
    let mut a = screen();
    a.update(Action::OpenForm(FormKind::Dispose));
    a.update(Action::NextField);
    typed(&mut a, "Schedule reached");
    a.update(Action::Save);
    let why = "refused (separation of duties): absa cannot authorise a disposal they carry out";
    assert!(a.update(Action::Refused(why.into())).is_empty());
    let form = a.form.as_ref().expect("the form stays");
    assert_eq!(form.error.as_deref(), Some(why));
    assert!(!form.confirming);
    assert_eq!(dispose_values(&a).reason, "Schedule reached");
}

#[test]
fn hold_asks_for_a_reason_and_saves_without_y_n() {
    let mut a = screen();
    a.update(Action::OpenForm(FormKind::Hold));
    assert_eq!(a.form.as_ref().map(|f| (f.kind(), f.version)), Some((FormKind::Hold, Some(1))));
    typed(&mut a, "Inquiry");
    let effects = a.update(Action::Save);
    let [Effect::Submit(save)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(save.reference.as_deref(), Some("REQ-2026-0001"));
}

#[test]
fn release_is_checked_at_once_then_asks_y_n() {
    let mut a = screen();
    a.update(Action::Bottom);
    a.update(Action::DetailLoaded(Ok(Box::new(reference(fixtures::scoped(Format::Paper), "REQ-2026-0003")))));
    let effects = a.update(Action::OpenForm(FormKind::Release));
    assert!(matches!(effects.as_slice(), [Effect::Check(s)] if s.kind() == FormKind::Release), "{effects:?}");
    a.update(Action::Checked);
    let form = a.form.as_ref().unwrap();
    assert!(form.confirming);
    assert!(form.question.as_deref().is_some_and(|q| q.starts_with("Release the legal hold on REQ-2026-0003?")));
    assert!(matches!(a.update(Action::Yes).as_slice(), [Effect::Submit(_)]));
}

#[test]
fn an_action_before_the_request_under_the_cursor_has_loaded_waits_for_it() {
    let mut a = screen();
    a.update(Action::Down);
    // REQ-2026-0002 not loaded yet: the form would not know its version.
    assert!(a.update(Action::OpenForm(FormKind::Hold)).is_empty());
    assert!(a.form.is_none());
    assert!(matches!(&a.notice, Some(Notice::Info(m)) if m.contains("REQ-2026-0002")));
}

fn reference(mut file: crate::domain::RequestFile, r: &str) -> crate::domain::RequestFile {
    file.request.reference = r.into();
    file
}
