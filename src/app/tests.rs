//! Update logic, driven by actions, with no terminal and no database.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::{Form, FormKind, Values};
use super::*;
use crate::domain::fixtures;
use crate::domain::{Format, RequestKind, Status, Step, StepState};
use crate::store::lists::RequestSummary;

fn key(c: char) -> Action {
    Action::Input(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn summary(n: usize) -> RequestSummary {
    RequestSummary {
        id: n as i64,
        reference: format!("REQ-2026-{n:04}"),
        kind: RequestKind::Viewing,
        status: Status::New,
        received_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        organisation: "Exampleshire County Council".into(),
        subjects: "Tom Fictional".into(),
        requester: "Rita Requester".into(),
        owner: "absa".into(),
        service_area: Some("Family Support".into()),
        next_step: Some(Step::FormSent),
        due_on: None,
    }
}

fn page(top: usize, rows: impl IntoIterator<Item = usize>, total: usize) -> Action {
    Action::ListLoaded(Ok(ListPage { top, rows: rows.into_iter().map(summary).collect(), total }))
}

/// An app at 120×24 (19 visible rows) showing rows 0.. of 100, with request 1 loaded,
/// as the loop would bring them.
fn app() -> App {
    let mut a = App::new(fixtures::bsa(), fixtures::d("2026-11-24"), Default::default(), Default::default());
    a.lookups.staff = vec![fixtures::bsa(), fixtures::owner(), fixtures::other_manager(), fixtures::observer()];
    a.update(Action::Resize(120, 24));
    let rows = a.page();
    assert_eq!(a.update(page(0, 1..=rows, 100)), vec![Effect::LoadDetail("REQ-2026-0001".into())]);
    assert!(a.update(Action::DetailLoaded(Ok(Box::new(fixtures::scoped(Format::Paper))))).is_empty());
    a
}

#[test]
fn letters_typed_into_the_filter_are_text_and_each_reloads_the_list() {
    let mut a = app();
    a.update(Action::StartFilter);
    for c in "q/n?".chars() {
        assert_eq!(a.update(key(c)), vec![Effect::LoadList]);
    }
    assert_eq!(a.filter, "q/n?");
    assert!(!a.quit && a.form.is_none() && !a.help);
    a.update(Action::EndFilter);
    assert!(!a.filtering);
    assert_eq!(a.filter, "q/n?", "Enter keeps the filter");
    assert_eq!(a.update(Action::Back), vec![Effect::LoadList]);
    assert_eq!(a.filter, "", "Esc clears it");
}

#[test]
fn moving_within_the_page_loads_the_request_and_past_it_loads_the_next_window() {
    let mut a = app();
    assert_eq!(a.update(Action::Down), vec![Effect::LoadDetail("REQ-2026-0002".into())]);
    let page = a.page();
    a.update(Action::Top);
    assert_eq!(a.list.selected, 0);
    for _ in 0..page - 1 {
        a.update(Action::Down);
    }
    assert_eq!(a.update(Action::Down), vec![Effect::LoadList]);
    assert_eq!((a.list.selected, a.list.top), (page, 1));
    a.update(Action::Bottom);
    assert_eq!(a.list.selected, 99, "the last of 100, not past it");
}

#[test]
fn enter_on_a_checklist_step_opens_its_form_and_esc_closes_it() {
    let mut a = app();
    a.update(Action::Open);
    assert_eq!(a.focus, Focus::Checklist);
    // Entering the checklist lands on the next step to do, not the first row.
    let d = a.detail.as_ref().unwrap();
    let to_do = d.lines.iter().position(|l| matches!(l.state, StepState::Pending { .. } | StepState::Overdue { .. }));
    assert_eq!(Some(d.cursor), to_do);
    assert!(d.cursor > 0, "step 1 is done: the cursor is past it");
    let approval = d.lines.iter().position(|l| l.step == Step::Approval).unwrap();
    a.update(Action::Top);
    for _ in 0..approval {
        a.update(Action::Down);
    }
    a.update(Action::Open);
    let form = a.form.as_ref().expect("approval form open");
    assert_eq!(form.kind(), FormKind::Approve);
    assert_eq!(form.reference.as_deref(), Some("REQ-2026-0001"));
    let Values::Approve(v) = form.values() else { panic!("approval values") };
    assert_eq!(v.approver.as_deref(), Some("mowner"), "the asset owner is proposed");
    a.update(Action::Back);
    assert!(a.form.is_none());
}

#[test]
fn a_refused_save_keeps_what_was_typed_and_shows_the_rule() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    for c in "Health visitor notes".chars() {
        a.update(key(c));
    }
    let effects = a.update(Action::Save);
    assert!(matches!(&effects[..], [Effect::Submit(Save { values: Values::AddItem(_), .. })]));
    a.update(Action::Refused("refused (request closed): REQ-2026-0001 is complete".into()));
    let form = a.form.as_ref().expect("form still open");
    assert_eq!(added_item(form), "Health visitor notes");
    assert!(form.error.as_deref().unwrap().contains("request closed"));
    assert_eq!(
        a.update(Action::Saved { message: "REQ-2026-0001: item added".into(), made: None }),
        vec![Effect::FollowSelection, Effect::LoadList]
    );
    assert!(a.form.is_none());
    assert_eq!(a.notice, Some(Notice::Info("REQ-2026-0001: item added".into())));
}

#[test]
fn irreversible_steps_ask_first() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::Withdraw));
    // Saving first checks the rules without writing; only an allowed save asks y/n.
    assert!(matches!(&a.update(Action::Save)[..], [Effect::Check(Save { values: Values::Withdraw(_), .. })]));
    assert!(!a.form.as_ref().unwrap().confirming);
    a.update(Action::Refused("refused (withdrawal): a reason is required".into()));
    assert!(!a.form.as_ref().unwrap().confirming, "a refused check asks nothing");
    a.update(Action::Save);
    a.update(Action::Checked);
    assert!(a.form.as_ref().unwrap().confirming);
    assert!(a.update(Action::No).is_empty());
    assert!(!a.form.as_ref().unwrap().confirming);
    a.update(Action::Save);
    a.update(Action::Checked);
    let effects = a.update(Action::Yes);
    assert!(matches!(&effects[..], [Effect::Submit(Save { values: Values::Withdraw(_), version: Some(_), .. })]));
}

#[test]
fn esc_closes_an_untouched_form_at_once_but_asks_before_losing_typing() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    a.update(Action::NextField);
    a.update(Action::Back);
    assert!(a.form.is_none(), "nothing typed: Esc closes");

    a.update(Action::OpenForm(FormKind::AddItem));
    for c in "Chronology".chars() {
        a.update(key(c));
    }
    assert!(a.update(Action::Back).is_empty());
    let form = a.form.as_ref().expect("still open, asking");
    assert!(form.discarding);
    // "n" (or Esc again) goes back to the form with the typing intact.
    a.update(Action::No);
    let form = a.form.as_ref().unwrap();
    assert!(!form.discarding);
    assert_eq!(added_item(form), "Chronology");
    a.update(Action::Back);
    a.update(Action::Back);
    assert_eq!(added_item(a.form.as_ref().unwrap()), "Chronology");
    // "y" closes without saving anything.
    a.update(Action::Back);
    assert!(a.update(Action::Yes).is_empty(), "closing saves nothing");
    assert!(a.form.is_none());
}

#[test]
fn q_quits_only_from_the_home_screen() {
    let mut a = app();
    a.update(Action::Tracker);
    a.update(Action::Quit);
    assert!(!a.quit);
    a.update(Action::Back);
    assert_eq!(a.screen, Screen::Requests);
    a.update(Action::Quit);
    assert!(a.quit);
}

#[test]
fn views_switch_and_reset_the_cursor() {
    let mut a = app();
    a.update(Action::Down);
    assert_eq!(a.update(Action::SwitchView(View::Overdue)), vec![Effect::LoadList]);
    assert_eq!((a.view, a.list.selected), (View::Overdue, 0));
}

#[test]
fn the_tracker_says_how_its_query_settles_and_leaves_the_recording_to_the_service() {
    use crate::app::{Settle, Settled};
    let mut a = app();
    assert_eq!(a.update(Action::Tracker), vec![Effect::LoadTracker(Settle::Now(Settled::Opened))]);
    a.update(Action::StartFilter);
    assert_eq!(a.update(key('M')), vec![Effect::LoadTracker(Settle::Typing)]);
    assert!(a.tracker.typing);
    assert_eq!(a.update(Action::EndFilter), vec![Effect::SettleLookups(Settled::Enter)]);
    assert!(!a.tracker.typing);
    a.update(Action::StartFilter);
    a.update(key('x'));
    assert_eq!(
        a.update(Action::Back),
        vec![Effect::SettleLookups(Settled::Esc), Effect::LoadTracker(Settle::Now(Settled::Esc))]
    );
    assert_eq!(a.update(Action::Back), vec![Effect::SettleLookups(Settled::Left), Effect::LoadList]);
    assert_eq!(a.screen, Screen::Requests);
    // Quitting settles whatever is still pending.
    assert_eq!(a.update(Action::Quit), vec![Effect::SettleLookups(Settled::Quit)]);
    assert!(a.quit);
}

#[test]
fn a_reload_keeps_the_cursor_on_the_same_request_when_rows_move() {
    let mut a = app();
    a.update(Action::Down);
    a.update(Action::Down);
    assert_eq!(a.selected_reference(), Some("REQ-2026-0003"));
    // Someone else's change puts a new overdue request at the top.
    let rows = a.page();
    a.update(page(0, std::iter::once(500).chain(1..rows), 101));
    assert_eq!(a.selected_reference(), Some("REQ-2026-0003"));
    assert_eq!(a.list.selected, 3);
}

#[test]
fn refusals_on_screen_leave_out_the_command_line_hint() {
    let r = crate::domain::Refusal::new(crate::domain::Rule::LawfulBasis, "no basis", "record the full lawful basis")
        .hint("--art6, --art9, --power");
    let cli = crate::service::ServiceError::Refused(r.clone());
    assert_eq!(
        cli.to_string(),
        "refused (lawful basis): no basis; record the full lawful basis (--art6, --art9, --power)"
    );
    assert_eq!(cli.on_screen(), "refused (lawful basis): no basis; record the full lawful basis");
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    a.update(Action::Refused(cli.on_screen()));
    assert_eq!(a.form.as_ref().unwrap().error.as_deref(), Some(r.on_screen().as_str()));
}

#[test]
fn enter_on_a_blocked_or_unneeded_step_says_why_instead_of_opening_a_form() {
    let mut a = app();
    a.update(Action::NextField); // to the checklist
    assert_eq!(a.focus, Focus::Checklist);
    let lines = a.detail.as_ref().unwrap().lines.clone();
    let blocked = lines.iter().position(|l| matches!(l.state, crate::domain::StepState::Blocked { .. })).unwrap();
    a.detail.as_mut().unwrap().cursor = blocked;
    assert!(a.update(Action::Open).is_empty());
    assert!(a.form.is_none(), "no form for a blocked step");
    match &a.notice {
        Some(Notice::Error(m)) => {
            assert!(m.starts_with(&format!("Step {}: ", lines[blocked].number)) && m.contains("first"), "{m}")
        }
        other => panic!("expected the reason, got {other:?}"),
    }
    // A step already done (and not one that repeats) says so too.
    let done = lines.iter().position(|l| l.step == crate::domain::Step::FormSent).unwrap();
    a.detail.as_mut().unwrap().cursor = done;
    a.update(Action::Open);
    assert!(a.form.is_none());
    assert!(matches!(&a.notice, Some(Notice::Error(m)) if m.contains("is already recorded")), "{:?}", a.notice);
    // Step 1, done on arrival, opens the correction of who asked and why.
    a.detail.as_mut().unwrap().cursor = 0;
    a.update(Action::Open);
    assert_eq!(a.form.as_ref().map(|f| f.kind()), Some(FormKind::Correct));
    a.update(Action::Back);
    // A step that can be done opens its form.
    let open = lines
        .iter()
        .position(|l| {
            matches!(l.state, crate::domain::StepState::Pending { .. } | crate::domain::StepState::Overdue { .. })
        })
        .unwrap();
    a.detail.as_mut().unwrap().cursor = open;
    a.update(Action::Open);
    assert!(a.form.is_some());
}

/// What was typed as the item on an add-item form.
fn added_item(form: &Form) -> String {
    let Values::AddItem(v) = form.values() else { panic!("add-item values") };
    v.description
}

fn typed(a: &mut App, text: &str) {
    for c in text.chars() {
        a.update(key(c));
    }
}

#[test]
fn a_refused_save_keeps_the_form_and_its_typing_and_shows_the_reason_under_it() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::Withdraw));
    a.update(Action::NextField);
    typed(&mut a, "No longer needed");
    a.update(Action::Save);
    a.update(Action::Checked);
    assert!(a.form.as_ref().unwrap().confirming);
    assert!(matches!(&a.update(Action::Yes)[..], [Effect::Submit(_)]));
    // The save itself is refused (say the rules changed between check and save).
    assert!(a.update(Action::Refused("refused (request closed): REQ-2026-0001 is complete".into())).is_empty());
    let form = a.form.as_ref().expect("the form stays open");
    assert_eq!(form.error.as_deref(), Some("refused (request closed): REQ-2026-0001 is complete"));
    assert!(!form.confirming, "no longer asking y/n");
    let Values::Withdraw(v) = form.values() else { panic!("withdrawal values") };
    assert_eq!(v.reason, "No longer needed");
    assert_eq!(a.notice, None, "the reason is under the form, not in the status line");
}

#[test]
fn a_successful_save_closes_the_form_says_so_and_selects_the_request_it_made() {
    let mut a = app();
    a.update(Action::NewRequest);
    assert!(a.form.is_some());
    let effects = a.update(Action::Saved {
        message: "REQ-2026-0101: recorded. Status: New".into(),
        made: Some("REQ-2026-0101".into()),
    });
    assert!(a.form.is_none());
    assert_eq!(a.notice, Some(Notice::Info("REQ-2026-0101: recorded. Status: New".into())));
    assert_eq!(effects, vec![Effect::FollowSelection, Effect::Select("REQ-2026-0101".into()), Effect::LoadList]);
    // The loop finds where the new request stands: the selection goes there and the
    // page that arrives lands on it.
    assert!(a.update(Action::Positioned { reference: "REQ-2026-0101".into(), at: Some(60) }).is_empty());
    assert_eq!(a.list.selected, 60);
    let rows = a.page();
    let top = a.list.top;
    assert!(top <= 60 && 60 < top + rows, "the window shows it");
    assert_eq!(a.update(page(top, top + 1..=top + rows, 101)), vec![Effect::LoadDetail(format!("REQ-2026-{:04}", 61))]);
    // A request the view does not list leaves the selection where it was.
    a.update(Action::Positioned { reference: "REQ-2026-0999".into(), at: None });
    assert_eq!(a.list.selected, 60);
}

#[test]
fn a_failed_load_shows_the_error_rather_than_stale_data() {
    let mut a = app();
    assert_eq!(a.update(Action::Down), vec![Effect::LoadDetail("REQ-2026-0002".into())]);
    a.update(Action::DetailLoaded(Err("database is locked".into())));
    assert!(a.detail.is_none(), "request 1's checklist is not shown beside request 2");
    assert_eq!(a.notice, Some(Notice::Error("database is locked".into())));

    a.update(Action::ListLoaded(Err("disk I/O error".into())));
    assert!(a.list.rows.is_empty() && a.selected_reference().is_none());
    assert_eq!(a.notice, Some(Notice::Error("disk I/O error".into())));

    a.update(Action::Tracker);
    a.update(Action::TrackerLoaded { found: Err("disk I/O error".into()), follow: false });
    assert!(a.tracker.is_empty());
    a.update(Action::WholeLog);
    a.update(Action::LogLoaded { reference: None, found: Err("disk I/O error".into()) });
    assert!(a.log.events.is_empty() && a.log.verify.is_none());
}

#[test]
fn loads_that_arrive_keep_the_status_line_message_of_the_save_before_them() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    typed(&mut a, "Chronology");
    a.update(Action::Saved { message: "REQ-2026-0001: item added".into(), made: None });
    let rows = a.page();
    a.update(page(0, 1..=rows, 100));
    a.update(Action::DetailLoaded(Ok(Box::new(fixtures::scoped(Format::Paper)))));
    assert_eq!(a.notice, Some(Notice::Info("REQ-2026-0001: item added".into())));
}

#[test]
fn a_save_refused_for_a_stale_version_rebuilds_the_form_from_the_request_as_it_now_is() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    typed(&mut a, "School reports");
    let mut now = fixtures::scoped(Format::Paper);
    now.request.version += 1;
    let effects = a.update(Action::Stale {
        message: "refused (conflict): changed by demo.bsa1".into(),
        now: Box::new(now.clone()),
    });
    assert_eq!(effects, vec![Effect::LoadDetail(now.request.reference.clone())]);
    let form = a.form.as_ref().unwrap();
    assert_eq!(form.version, Some(now.request.version), "the next save is on the request as it now is");
    assert_eq!(added_item(form), "School reports");
    assert!(form.error.as_deref().unwrap().ends_with("check it, then save again."), "{:?}", form.error);
}

#[test]
fn another_users_change_reloads_what_is_on_screen() {
    let mut a = app();
    a.update(Action::Tracker);
    let settings = Box::new(a.settings.clone());
    let effects = a.update(Action::Reloaded { today: fixtures::d("2026-11-25"), settings, lookups: None });
    assert_eq!(effects, vec![Effect::FollowSelection, Effect::LoadList, Effect::RefreshTracker]);
    assert_eq!(a.today, fixtures::d("2026-11-25"));
    assert_eq!(a.lookups.staff.len(), 4, "pickers that could not be read again are kept");
}

#[test]
fn a_refusal_with_a_question_asks_it_and_yes_saves_again_confirmed() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    for c in "Chronology".chars() {
        a.update(key(c));
    }
    assert!(matches!(&a.update(Action::Save)[..], [Effect::Submit(Save { confirmed, .. })] if confirmed.is_empty()));
    let confirm = crate::domain::Confirm { field: "confirm_it", question: "Save it anyway?".into() };
    a.update(Action::Ask { message: "refused (possible duplicate): the same again".into(), confirm });
    assert_eq!(keymap::mode_of(&a), keymap::Mode::Confirm, "y/n is asked");
    // "n" goes back to the form with the typing and the reason kept.
    assert!(a.update(Action::No).is_empty());
    let form = a.form.as_ref().unwrap();
    assert!(form.asking.is_none());
    assert_eq!(added_item(form), "Chronology");
    assert!(form.error.as_deref().unwrap().contains("possible duplicate"));
    // Asked again, "y" saves the same values with the question confirmed.
    let confirm = crate::domain::Confirm { field: "confirm_it", question: "Save it anyway?".into() };
    a.update(Action::Ask { message: "refused (possible duplicate): the same again".into(), confirm });
    let effects = a.update(Action::Yes);
    assert!(
        matches!(&effects[..], [Effect::Submit(Save { confirmed, .. })] if confirmed == &["confirm_it"]),
        "{effects:?}"
    );
    // Changing anything afterwards withdraws the yes: it was given for those values.
    a.update(Action::Refused("refused (something else): no".into()));
    a.update(key('s'));
    assert!(matches!(&a.update(Action::Save)[..], [Effect::Submit(Save { confirmed, .. })] if confirmed.is_empty()));
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The action a key resolves to in the mode the app is in.
fn press(a: &mut App, k: KeyEvent) -> Vec<Effect> {
    let table = keymap::bindings();
    match keymap::resolve(&table, keymap::mode_of(a), k) {
        Some(action) => a.update(action),
        None => vec![],
    }
}

#[test]
fn ctrl_c_cancels_a_form_as_esc_does_and_quits_only_from_the_list() {
    let mut a = app();
    // A form with typing in it asks first, as Esc does; n keeps the form and its text.
    a.update(Action::OpenForm(FormKind::AddItem));
    typed(&mut a, "Health visitor notes");
    press(&mut a, ctrl('c'));
    assert!(a.form.as_ref().is_some_and(|f| f.discarding), "asks before losing typing");
    a.update(Action::No);
    assert!(a.form.as_ref().is_some_and(|f| !f.discarding));
    press(&mut a, ctrl('c'));
    a.update(Action::Yes);
    assert!(a.form.is_none() && !a.quit);
    // An untouched form closes at once.
    a.update(Action::OpenForm(FormKind::AddItem));
    press(&mut a, ctrl('c'));
    assert!(a.form.is_none() && !a.quit);
    // A filter being typed is cleared, not quit.
    a.update(Action::StartFilter);
    typed(&mut a, "nob");
    press(&mut a, ctrl('c'));
    assert!(!a.filtering && a.filter.is_empty() && !a.quit);
    // From the checklist, back to the list; from the list, quit.
    a.update(Action::Open);
    press(&mut a, ctrl('c'));
    assert_eq!((a.focus, a.quit), (Focus::List, false));
    press(&mut a, ctrl('c'));
    assert!(a.quit);
}

#[test]
fn ctrl_u_clears_the_text_field_and_the_filter() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    typed(&mut a, "Health visitor notes");
    assert_eq!(added_item(a.form.as_ref().unwrap()), "Health visitor notes");
    press(&mut a, ctrl('u'));
    assert_eq!(added_item(a.form.as_ref().unwrap()), "", "the field is empty");
    typed(&mut a, "Chronology");
    assert_eq!(added_item(a.form.as_ref().unwrap()), "Chronology", "and takes typing again");
    a.form = None;
    a.update(Action::StartFilter);
    typed(&mut a, "nob");
    assert_eq!(press(&mut a, ctrl('u')), vec![Effect::LoadList]);
    assert!(a.filter.is_empty() && a.filtering, "the filter is empty and still being typed");
}

#[test]
fn ctrl_z_is_the_loops_to_do_and_changes_nothing_here() {
    let mut a = app();
    a.update(Action::OpenForm(FormKind::AddItem));
    typed(&mut a, "Chronology");
    let table = keymap::bindings();
    for mode in [keymap::Mode::Form, keymap::Mode::List, keymap::Mode::Typing, keymap::Mode::Log] {
        assert_eq!(keymap::resolve(&table, mode, ctrl('z')), Some(Action::Suspend), "{mode:?}");
    }
    assert!(press(&mut a, ctrl('z')).is_empty());
    assert_eq!(added_item(a.form.as_ref().unwrap()), "Chronology");
}

fn event(id: i64, op: &str, login: &str) -> crate::store::events::Event {
    crate::store::events::Event {
        id,
        at: format!("2026-11-2{id}T10:00:00.000Z"),
        login: login.into(),
        op: op.into(),
        reference: Some("REQ-2026-0001".into()),
        before: "null".into(),
        after: "{}".into(),
        prev_hash: String::new(),
        hash: String::new(),
        erased: false,
    }
}

#[test]
fn a_log_opens_at_the_newest_event_and_slash_narrows_it() {
    let mut a = app();
    assert_eq!(a.update(Action::RequestLog), vec![Effect::LoadLog(Some("REQ-2026-0001".into()))]);
    let events = vec![event(1, "request.new", "absa"), event(2, "form_sent", "absa"), event(3, "approve", "mowner")];
    a.update(Action::LogLoaded {
        reference: Some("REQ-2026-0001".into()),
        found: Ok(Box::new(LogPage { events, verify: None })),
    });
    let ids = |a: &App| a.log.shown().iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(&a), [3, 2, 1], "newest first");
    assert_eq!(a.log.scroll, 0, "opens at the newest");
    press(&mut a, KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    assert_eq!(keymap::mode_of(&a), keymap::Mode::Typing, "letters are search text");
    typed(&mut a, "absa");
    assert_eq!(ids(&a), [2, 1]);
    typed(&mut a, " form");
    assert_eq!(ids(&a), [2], "every word must be held");
    press(&mut a, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(!a.log.typing && a.log.search == "absa form", "Enter keeps the search");
    a.update(Action::Back);
    assert_eq!((ids(&a), a.screen), (vec![3, 2, 1], Screen::Log), "Esc clears the search first");
    a.update(Action::Back);
    assert_eq!(a.screen, Screen::Requests);
}

#[test]
fn the_whole_log_says_it_is_verifying_until_the_log_arrives() {
    let mut a = app();
    assert_eq!(a.update(Action::WholeLog), vec![Effect::LoadLog(None)]);
    assert!(a.busy.as_deref().is_some_and(|b| b.starts_with("Verifying")), "{:?}", a.busy);
    a.update(Action::LogLoaded { reference: None, found: Ok(Box::new(LogPage { events: vec![], verify: None })) });
    assert!(a.busy.is_none());
}

#[test]
fn the_clipboard_says_sent_not_copied_and_offers_a_file() {
    let mut a = app();
    a.update(Action::Letters);
    let letter = LetterView {
        reference: "REQ-2026-0001".into(),
        kind: crate::domain::LetterKind::CaseNote,
        text: Ok("Line one\nThe last line".into()),
    };
    a.update(Action::LetterLoaded(letter));
    assert_eq!(a.update(Action::Copy), vec![Effect::Clipboard("Line one\nThe last line".into())]);
    let Some(Notice::Info(said)) = &a.notice else { panic!("{:?}", a.notice) };
    assert!(said.contains("sent to the terminal's clipboard") && !said.contains("copied"), "{said}");
    assert!(said.contains("press s to save it to a file"), "{said}");
    assert!(
        matches!(&a.update(Action::Export)[..], [Effect::WriteFile { name, .. }] if name == "REQ-2026-0001-case_note.txt")
    );
}
