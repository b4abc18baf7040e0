//! Issue 10, the viewing steps through the CLI: a viewing needs step 6 (files restored
//! and the Mosaic checks for physical files, the Mosaic checks for digital ones), the
//! restore has its own target, and the checklist reads as the request stands.

mod common;

use common::*;

/// `viewing REF` of item 1, 20 days ago, supervised by SUPERVISOR.
fn viewing<'a>(r: &'a str, day: &'a str, method: &'a str) -> Vec<&'a str> {
    vec![
        "viewing",
        r,
        "--date",
        day,
        "--start",
        "10:00",
        "--end",
        "11:30",
        "--viewers",
        "Rita Madeup",
        "--supervisor",
        SUPERVISOR,
        "--method",
        method,
        "--items",
        "1",
        "--supervised",
        "yes",
    ]
    .into_iter()
    .chain(if method == "in_person_paper" { vec![] } else { vec!["--lcc-devices", "yes", "--no-downloads"] })
    .collect()
}

/// A request approved 34 days ago, booked (Room A or the Teams room) and confirmed,
/// with nothing of step 6 recorded.
fn confirmed_without_step_6(db: &Db, format: &str) -> String {
    // A long viewing target, so step 9 shows why it is blocked rather than overdue.
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let r = db.preparing(format);
    let (venue, room) = if format == "digital" { ("teams_room", "Teams Room") } else { ("room", "Room A") };
    db.ok(&["book", &r, "--venue", venue, "--room", room, "--day", &ago(20), "--start", "10:00", "--end", "11:30"]);
    db.ok(&["confirm", &r, "--date", &ago(30)]);
    r
}

#[test]
fn a_paper_viewing_is_refused_until_the_files_are_restored_and_the_mosaic_checks_are_done() {
    let db = Db::standard();
    let day = ago(20);
    let r = confirmed_without_step_6(&db, "paper");
    assert_eq!(db.step_state(&r, 9), "blocked");
    let before = db.events();
    let e = db.refused(&viewing(&r, &day, "in_person_paper"), "step order");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (step order): 'Viewing(s) logged' needs step 6 first: the files are not recorded as restored, and the Mosaic checks (location updated, not locked) are not recorded; record step 6 first (caseshare restored {r} / caseshare mosaic-checks {r} --location-updated --not-locked)"
        )
    );
    assert_eq!(db.events(), before, "nothing written");
    let why = db.show(&r)["checklist"][8]["why"].as_str().unwrap().to_string();
    assert!(why.starts_with("'Viewing(s) logged' needs step 6 first"), "{why}");

    db.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(33)]);
    db.ok(&["restored", &r, "--date", &ago(31)]);
    let e = db.refused(&viewing(&r, &day, "in_person_paper"), "step order");
    assert!(
        e.contains(
            "needs step 6 first: the Mosaic checks (location updated, not locked) are not recorded; record step 6 first"
        ),
        "{e}"
    );
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    assert_eq!(db.step_state(&r, 9), "pending");
    db.view(&r, "in_person_paper");
    assert_eq!(db.status(&r), "viewed");
}

#[test]
fn a_paper_viewing_with_the_mosaic_checks_but_no_restore_names_the_restore() {
    let db = Db::standard();
    let day = ago(20);
    let r = confirmed_without_step_6(&db, "both");
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    let e = db.refused(&viewing(&r, &day, "in_person_paper"), "step order");
    assert!(
        e.ends_with(&format!(
            "needs step 6 first: the files are not recorded as restored; record step 6 first (caseshare restored {r})"
        )),
        "{e}"
    );
}

#[test]
fn a_digital_viewing_is_refused_until_the_mosaic_checks_are_done() {
    let db = Db::standard();
    let day = ago(20);
    let r = confirmed_without_step_6(&db, "digital");
    assert_eq!(db.step_state(&r, 9), "blocked");
    let e = db.refused(&viewing(&r, &day, "teams_screen_share"), "step order");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (step order): 'Viewing(s) logged' needs the Mosaic checks of step 6 (file location updated, file not locked); record step 6 first (caseshare mosaic-checks {r} --location-updated --not-locked)"
        )
    );
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    db.view(&r, "teams_screen_share");
    assert_eq!(db.status(&r), "viewed");
}

/// The references of `request list --json`, in the list's order.
fn listed(db: &Db) -> Vec<String> {
    let v = db.json(&["request", "list", "--json"]);
    v.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_late_restore_is_overdue_on_step_6_and_sorts_its_request_to_the_top() {
    let db = Db::standard();
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let on_time = db.preparing("paper");
    let late = db.preparing("paper");
    db.ok(&["restore-requested", &on_time, "--restore-ref", "RST-1", "--date", &ago(1)]);
    db.ok(&["restore-requested", &late, "--restore-ref", "RST-2", "--date", &ago(12)]);
    assert_eq!(db.step_state(&on_time, 6), "pending");
    assert_eq!(db.step_state(&late, 6), "overdue");
    assert_eq!(db.step_state(&late, 9), "blocked", "only the restore is late");
    assert_eq!(listed(&db), vec![late.clone(), on_time.clone()], "the late restore sorts first");
    let text = db.ok(&["request", "list"]);
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with(&late) && first.contains("! OVERDUE"), "{text}");
    let shown = db.ok(&["request", "show", &late]);
    assert!(shown.lines().any(|l| l.contains("6.") && l.contains("OVERDUE since")), "{shown}");

    // Restored: no longer overdue, and the list goes back to the order received.
    db.ok(&["restored", &late, "--date", &ago(0)]);
    assert_eq!(db.step_state(&late, 6), "pending", "the Mosaic checks are still to do, with no target");
    assert_eq!(listed(&db), vec![on_time, late]);
}

#[test]
fn the_restore_target_is_a_setting() {
    let db = Db::standard();
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let r = db.preparing("paper");
    db.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(12)]);
    assert_eq!(db.step_state(&r, 6), "overdue");
    db.ok(&["settings", "set", "target.restore", "30"]);
    assert_eq!(db.step_state(&r, 6), "pending");
    assert!(db.ok(&["settings", "list"]).contains("target.restore"));
}

#[test]
fn upgrading_brings_an_outstanding_restores_due_date_forward() {
    let db = Db::standard();
    db.ok(&["settings", "set", "target.viewing", "60"]);
    let r = db.preparing("paper");
    db.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(12)]);
    // As a database of the schema before: the due date cached by the viewing target alone.
    behind_the_back(&db.path, &format!("UPDATE requests SET due_on = '2099-01-01' WHERE reference = '{r}'"));
    // Back to schema 12, before the viewings' migration (13) and retention's (14).
    for (table, column) in caseshare::store::schema::V14_COLUMNS.iter().chain(caseshare::store::schema::V16_COLUMNS) {
        behind_the_back(&db.path, &format!("ALTER TABLE {table} DROP COLUMN {column}"));
    }
    behind_the_back(
        &db.path,
        "ALTER TABLE viewings DROP COLUMN viewer_org_id; ALTER TABLE viewings DROP COLUMN supervision_confirmed_by;
         ALTER TABLE viewings DROP COLUMN lcc_devices_only; ALTER TABLE viewings DROP COLUMN downloads;
         PRAGMA user_version = 12",
    );
    let listed = db.json(&["request", "list", "--json"]);
    let due = listed[0]["due_on"].as_str().unwrap().to_string();
    assert!(due < today().format("%Y-%m-%d").to_string(), "due {due}: brought forward to the restore target");
    db.verified();
}

/// A paper request whose form came back 40 days ago, refused by the asset owner 14 days ago.
fn refused(db: &Db) -> String {
    let r = db.receive(LA, AREA, "paper", 40);
    db.form_and_scope(&r, 40);
    db.ok(&[
        "refuse",
        &r,
        "--approver",
        OWNER,
        "--reason",
        "Not necessary",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager",
    ]);
    r
}

/// The checklist line of `request show` for step `n`, without its leading spaces.
fn step_line(shown: &str, n: u32) -> String {
    let prefix = format!("{n}. ");
    shown.lines().map(str::trim_start).find(|l| l.starts_with(&prefix)).unwrap().to_string()
}

#[test]
fn a_refused_request_shows_step_4_refused_and_the_later_steps_closed() {
    let db = Db::standard();
    let r = refused(&db);
    let shown = db.ok(&["request", "show", &r]);
    let four = step_line(&shown, 4);
    assert!(
        four.ends_with(&format!("refused {} by {OWNER} (recorded by {}): Not necessary", uk_ago(14), me())),
        "{four}"
    );
    for n in 5..=12 {
        assert!(step_line(&shown, n).ends_with("closed — refused"), "{}", step_line(&shown, n));
    }
    assert!(!shown.contains("not required"), "{shown}");
    assert_eq!(db.step_state(&r, 4), "refused");
    assert_eq!(db.step_state(&r, 9), "closed");
    assert_eq!(db.show(&r)["checklist"][4]["why"], "closed — refused");
}

#[test]
fn a_withdrawn_request_shows_the_steps_it_did_not_take_as_closed_withdrawn() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "digital", 10);
    db.ok(&["withdraw", &r, "--reason", "The family moved again", "--date", &ago(1)]);
    let shown = db.ok(&["request", "show", &r]);
    assert!(step_line(&shown, 2).ends_with("closed — withdrawn"), "{shown}");
    assert!(step_line(&shown, 5).ends_with("not required"), "a digital request never restores files: {shown}");
    assert!(step_line(&shown, 6).ends_with("closed — withdrawn"), "{shown}");
}

#[test]
fn step_7_shows_the_day_it_was_booked_beside_the_slot_and_every_year_in_four_digits() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let shown = db.ok(&["request", "show", &r]);
    let seven = step_line(&shown, 7);
    assert!(seven.ends_with(&format!("booked {} by {}; slot {} 10:00–11:30", uk_ago(0), me(), uk_ago(20))), "{seven}");
    let line = &db.show(&r)["checklist"][6];
    assert_eq!(line["on"], today().format("%Y-%m-%d").to_string());
    assert_eq!(line["slot"]["day"], ago(20));
    for n in 1..=12 {
        let l = step_line(&shown, n);
        for word in l.split_whitespace().filter(|w| w.matches('/').count() == 2) {
            assert_eq!(word.rsplit('/').next().unwrap().len(), 4, "{l}");
        }
    }
}

#[test]
fn the_viewers_organisation_is_the_requesting_authority_or_another_registered_local_authority() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let before = db.events();
    let with_org = |org: &'static str| {
        let mut v = viewing(&r, &day, "in_person_paper");
        v[9] = "Ola Invented";
        v.extend_from_slice(&["--viewer-org", org]);
        v
    };
    let e = db.refused(&with_org("Demo Constabulary"), "route");
    assert_eq!(
        e,
        "caseshare: refused (route): Demo Constabulary is police, not a local authority: police requests follow the police disclosure route (DPA 2018 Sch.2 para 2 request form): pass it to the information governance team; only the requesting authority or another local authority views under this process"
    );
    let e = db.refused(&with_org("Nowhere Council"), "unknown record");
    assert_eq!(
        e,
        "caseshare: refused (unknown record): unknown organisation 'Nowhere Council'; an administrator adds it with: caseshare org add \"Nowhere Council\" --kind local_authority"
    );
    assert_eq!(db.events(), before, "nothing written");

    db.ok(&with_org(LA2));
    db.view(&r, "in_person_paper");
    let viewings = db.show(&r)["request"]["viewings"].clone();
    let orgs: Vec<(String, bool)> = viewings
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["viewer_org"].as_str().unwrap().to_string(), v["viewer_org_id"].is_i64()))
        .collect();
    assert_eq!(orgs, vec![(LA2.to_string(), true), (LA.to_string(), true)], "the requesting authority by default");
    assert_ne!(viewings[0]["viewer_org_id"], viewings[1]["viewer_org_id"]);
    db.verified();
}

#[test]
fn a_viewing_the_same_as_one_logged_needs_confirming_as_a_second_viewing() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    db.view(&r, "in_person_paper");
    let done_by = db.show(&r)["checklist"][8].clone();
    let before = db.events();
    let day = ago(20);
    // The same viewer (in capitals) at the same times.
    let mut again = viewing(&r, &day, "in_person_paper");
    again[9] = "RITA MADEUP";
    let e = db.refused(&again, "possible duplicate");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (possible duplicate): a viewing by Rita Madeup on {} 10:00–11:30 is already logged (viewing 1); if this was a second, separate viewing, confirm it (--confirm-duplicate)",
            uk_ago(20)
        )
    );
    assert_eq!(db.events(), before, "nothing written");
    assert_eq!(db.show(&r)["checklist"][8], done_by, "'done by' unchanged");

    // Another viewer, or another time, is not the same viewing.
    let mut other = viewing(&r, &day, "in_person_paper");
    other[9] = "Rita Madeup, Ola Invented";
    db.ok(&other);
    let mut confirmed = again.clone();
    confirmed.push("--confirm-duplicate");
    db.ok(&confirmed);
    assert_eq!(db.show(&r)["request"]["viewings"].as_array().unwrap().len(), 3);
}

/// `viewing` of item 1 on `r`, 20 days ago, with only `extra` answering the questions.
fn asked<'a>(r: &'a str, day: &'a str, method: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "viewing",
        r,
        "--date",
        day,
        "--start",
        "10:00",
        "--end",
        "11:30",
        "--viewers",
        "Rita Madeup",
        "--supervisor",
        SUPERVISOR,
        "--method",
        method,
        "--items",
        "1",
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn supervised_throughout_has_no_default_and_names_who_confirmed_it() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let before = db.events();
    let e = db.refused(&asked(&r, &day, "in_person_paper", &[]), "supervision");
    assert_eq!(
        e,
        "caseshare: refused (supervision): whether the visitor was supervised throughout is not answered; answer yes or no: it has no default (--supervised yes|no)"
    );
    let e = db.error(&asked(&r, &day, "in_person_paper", &["--supervised", "maybe"]));
    assert!(e.contains("supervised throughout"), "{e}");
    let e = db.refused(
        &asked(&r, &day, "in_person_paper", &["--supervised", "yes", "--confirmed-by", "nobody"]),
        "unknown record",
    );
    assert!(e.contains("no staff member with login 'nobody'"), "{e}");
    assert_eq!(db.events(), before, "nothing written");

    // Confirmed by the acting login unless another is named; a paper viewing is not
    // asked about devices or downloads.
    db.ok(&asked(&r, &day, "in_person_paper", &["--supervised", "yes"]));
    let v = &db.show(&r)["request"]["viewings"][0];
    assert_eq!(v["supervised"], true);
    assert_eq!(v["supervision_confirmed_by"]["login"], me());
    assert!(v["lcc_devices_only"].is_null() && v["downloads"].is_null(), "{v}");
    let mut second = asked(&r, &day, "in_person_paper", &["--supervised", "yes", "--confirmed-by", SUPERVISOR]);
    second[9] = "Ola Invented";
    db.ok(&second);
    assert_eq!(db.show(&r)["request"]["viewings"][1]["supervision_confirmed_by"]["login"], SUPERVISOR);
    db.verified();
}

#[test]
fn a_screen_viewing_confirms_lcc_devices_and_logins_and_records_what_was_downloaded() {
    let db = Db::standard();
    let r = db.scheduled("digital", "Teams Room", 20);
    let day = ago(20);
    let teams = "teams_screen_share";
    let before = db.events();
    let e = db.refused(&asked(&r, &day, teams, &["--supervised", "yes"]), "security");
    assert_eq!(
        e,
        "caseshare: refused (security): for a screen or Teams viewing, whether only LCC devices and LCC logins were used is not confirmed; confirm it, or say no and describe what happened (--lcc-devices yes|no)"
    );
    let e = db.refused(&asked(&r, &day, teams, &["--supervised", "yes", "--lcc-devices", "no"]), "security");
    assert!(e.contains("devices or logins other than LCC's were used but what happened is not described"), "{e}");
    let e = db.refused(&asked(&r, &day, teams, &["--supervised", "yes", "--lcc-devices", "yes"]), "minimum necessary");
    assert_eq!(
        e,
        "caseshare: refused (minimum necessary): what was downloaded is not recorded; list each item downloaded with its reason, or say none was (--download ITEM|REASON or --no-downloads)"
    );
    let yes = ["--supervised", "yes", "--lcc-devices", "yes"];
    let e = db
        .refused(&asked(&r, &day, teams, &[&yes[..], &["--download", "3|for the file"]].concat()), "minimum necessary");
    assert!(e.contains("item 3 was downloaded but is not among those shown"), "{e}");
    let e = db.refused(&asked(&r, &day, teams, &[&yes[..], &["--download", "1"]].concat()), "minimum necessary");
    assert!(e.contains("no reason for downloading item 1"), "{e}");
    assert_eq!(db.events(), before, "nothing written");

    db.ok(&asked(&r, &day, teams, &[&yes[..], &["--download", "1|Needed for the strategy meeting"]].concat()));
    let v = &db.show(&r)["request"]["viewings"][0];
    assert_eq!(v["lcc_devices_only"], true);
    assert_eq!(v["downloads"][0]["reason"], "Needed for the strategy meeting");
    assert!(v["downloads"][0]["item_id"].is_i64());

    // Other devices used: recorded with what happened, and an incident opened.
    let out = db.ok(&asked(
        &r,
        &ago(19),
        teams,
        &[
            "--supervised",
            "yes",
            "--lcc-devices",
            "no",
            "--what-happened",
            "Visitor joined from a personal laptop",
            "--no-downloads",
        ],
    ));
    assert!(out.contains("Incident 1 opened"), "{out}");
    let show = db.show(&r);
    assert_eq!(show["request"]["viewings"][1]["downloads"], serde_json::json!([]), "{show}");
    let incident = &show["request"]["incidents"][0]["description"];
    assert_eq!(incident, "Devices or logins other than LCC's were used: Visitor joined from a personal laptop");
    let text = db.ok(&["request", "show", &r]);
    assert!(
        text.contains(
            "supervision confirmed by Robin Runner; only LCC devices and logins; downloaded 1. Child and family assessment (Needed for the strategy meeting)"
        ),
        "{text}"
    );
    assert!(text.contains("NOT only LCC devices and logins; nothing downloaded"), "{text}");
    db.verified();
}
