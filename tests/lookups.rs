//! Searches that can find a child's file are recorded (SPEC section 6).

mod common;

use common::*;

#[test]
fn searching_requests_by_child_or_organisation_is_recorded() {
    let db = Db::standard();
    db.receive(LA, AREA, "paper", 5);
    let before = db.events();
    db.ok(&["request", "list", "--subject", "Alfie"]);
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "lookup");
    assert!(log[0]["after"].as_str().unwrap().contains("Alfie"), "{log}");
    db.ok(&["request", "list"]);
    assert_eq!(db.events(), before + 1, "an unfiltered list is not a search");
}
