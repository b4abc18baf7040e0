//! Filter-as-you-type: the TUI keeps the searchable text in memory, one-shot
//! commands query the full-text index; both must list the same requests in the
//! same order, and the in-memory copy must follow changes to the database.

use chrono::{TimeZone, Utc};

use caseshare::service::forms::{NewRequestForm, SubjectForm};
use caseshare::service::op::Op;
use caseshare::service::{Clock, Service};
use caseshare::store::lists::ListFilter;
use caseshare::store::{OpenMode, Store};

fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap())
}

fn open(path: &std::path::Path, in_memory: bool) -> Service {
    let mut svc = Service::open(Store::open(path, OpenMode::Existing).unwrap(), "tester", clock()).unwrap();
    if in_memory {
        svc.keep_session_cache();
    }
    svc
}

/// A demo database with `extra` generated requests, in a temporary folder.
fn demo(extra: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    caseshare::demo::build_with(&path, "tester", clock(), extra).unwrap();
    (dir, path)
}

fn references(svc: &Service, f: &ListFilter) -> Vec<String> {
    svc.list(f).unwrap().into_iter().map(|r| r.reference).collect()
}

/// The views the TUI offers, each with a text.
fn filters(text: &str, me: i64) -> Vec<ListFilter> {
    let t = Some(text.to_string());
    vec![
        ListFilter { text: t.clone(), ..ListFilter::default() },
        ListFilter { text: t.clone(), open_only: true, ..ListFilter::default() },
        ListFilter { text: t.clone(), open_only: true, overdue: true, ..ListFilter::default() },
        ListFilter { text: t.clone(), open_only: true, owner_id: Some(me), ..ListFilter::default() },
        ListFilter {
            text: t,
            statuses: vec![caseshare::domain::Status::Complete, caseshare::domain::Status::Refused],
            ..ListFilter::default()
        },
    ]
}

#[test]
fn in_memory_search_lists_what_the_full_text_index_lists_in_the_same_order() {
    let (_dir, path) = demo(3000);
    let index = open(&path, false);
    let memory = open(&path, true);
    let me = index.actor().id;
    let mut compared = 0;
    for text in ["kara", "EXAMPLESHIRE", "req-2026-00", "demo-10004", "  madeup ", "Imaginary City", "zzz-nothing"] {
        for f in filters(text, me) {
            let all = references(&index, &f);
            assert_eq!(references(&memory, &f), all, "{text:?} in {f:?}");
            assert_eq!(memory.count(&f).unwrap(), index.count(&f).unwrap(), "{text:?}");
            // A page from the middle, and where a request stands.
            let page = ListFilter { limit: Some(7), offset: 5, ..f.clone() };
            assert_eq!(references(&memory, &page), references(&index, &page), "{text:?} page");
            if let Some(r) = all.get(all.len() / 2) {
                assert_eq!(memory.position(&f, r).unwrap(), index.position(&f, r).unwrap(), "{text:?} {r}");
                assert_eq!(memory.position(&f, r).unwrap(), Some(all.len() / 2));
            }
            compared += all.len();
        }
    }
    assert!(compared > 1000, "the searches found enough to compare ({compared})");
    // Something that matches nothing lists nothing, both ways.
    let none = ListFilter { text: Some("zzz-nothing".into()), ..ListFilter::default() };
    assert!(references(&memory, &none).is_empty());
}

fn new_request(child: &str) -> NewRequestForm {
    NewRequestForm {
        received: "today".into(),
        channel: "email".into(),
        organisation: "Imaginary City Council".into(),
        requester_name: "Ada Searchtest".into(),
        requester_role: "Social worker".into(),
        requester_email: "ada@example.invalid".into(),
        subjects: vec![SubjectForm { name: child.into(), dob: String::new(), mosaic_id: "DEMO-77777".into() }],
        purpose: "Care proceedings".into(),
        service_area: "Family Support".into(),
        format: "paper".into(),
        ..NewRequestForm::default()
    }
}

#[test]
fn the_sessions_search_and_counts_follow_its_own_saves_and_other_users_saves() {
    let (_dir, path) = demo(0);
    let mut memory = open(&path, true);
    let find =
        |svc: &Service, text: &str| references(svc, &ListFilter { text: Some(text.into()), ..Default::default() });
    assert!(find(&memory, "Quentin Newchild").is_empty());
    let open_list = ListFilter { open_only: true, limit: Some(10), ..ListFilter::default() };
    let open_before = memory.count(&open_list).unwrap();
    // Paging on does not need a new count, and gets the same one.
    assert_eq!(memory.count(&ListFilter { offset: 10, ..open_list.clone() }).unwrap(), open_before);

    // Saved in this session: found at the next keystroke.
    let mine = memory.apply(Op::NewRequest(new_request("Quentin Newchild"))).unwrap().created();
    assert_eq!(find(&memory, "quentin new"), vec![mine.reference.clone()]);
    assert_eq!(memory.count(&open_list).unwrap(), open_before + 1);

    // Saved by another user's process: found once that commit lands.
    let mut other = open(&path, false);
    let theirs = other.apply(Op::NewRequest(new_request("Rhiannon Otherdesk"))).unwrap().created();
    assert_eq!(find(&memory, "otherdesk"), vec![theirs.reference.clone()]);
    assert_eq!(find(&memory, "demo-77777").len(), 2);
    assert_eq!(memory.count(&open_list).unwrap(), open_before + 2);

    // Changed behind the application's back (the sqlite3 tool): still seen.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE requests SET status = 'withdrawn' WHERE reference = ?1", [&theirs.reference]).unwrap();
    drop(raw);
    assert_eq!(memory.count(&open_list).unwrap(), open_before + 1);
}

#[test]
fn letters_beyond_a_to_z_match_the_same_way_in_memory_and_in_the_index() {
    let (_dir, path) = demo(0);
    let mut writer = open(&path, false);
    let mut form = new_request("ZOË Élodie-Ångström");
    form.requester_name = "Ólafur Testsson".into();
    writer.apply(Op::NewRequest(form)).unwrap();
    let index = open(&path, false);
    let memory = open(&path, true);
    let mut found = 0;
    for text in ["élodie", "Élodie", "ÉLODIE", "zoë", "ZOË", "zoË", "ångström", "Ångström", "ólafur", "testsson"]
    {
        let f = ListFilter { text: Some(text.into()), ..ListFilter::default() };
        let expected = references(&index, &f);
        assert_eq!(references(&memory, &f), expected, "{text:?}");
        found += expected.len();
    }
    assert!(found >= 5, "exact-case and ASCII-folded searches find the request ({found})");
}
