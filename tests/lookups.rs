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

#[test]
fn request_list_text_finds_any_part_of_a_request_and_is_recorded() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let refs = |text: &str, all: bool| -> Vec<String> {
        let mut args = vec!["request", "list", "--text", text];
        if all {
            args.push("--all");
        }
        db.json(&args).as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
    };
    // Reference, child, Mosaic ID, requester, organisation, any letter case.
    assert_eq!(refs("req-2026-0004", false), ["REQ-2026-0004"]);
    assert_eq!(refs("daisy fake", false), ["REQ-2026-0004"]);
    assert_eq!(refs("DEMO-1004", false), ["REQ-2026-0004"]);
    assert!(refs("rita madeup", true).contains(&"REQ-2026-0001".to_string()));
    let org = refs("exampleshire", true);
    assert!(org.len() >= 3 && org.contains(&"REQ-2026-0010".to_string()), "{org:?}");
    assert!(!refs("exampleshire", false).contains(&"REQ-2026-0010".to_string()), "closed ones only with --all");
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "lookup");
    assert!(log[0]["after"].as_str().unwrap().contains("exampleshire"), "{log}");

    let before = db.events();
    let e = db.error(&["request", "list", "--text", "ka"]);
    assert!(e.contains("'ka' is too short to search for: give 3 or more characters"), "{e}");
    assert_eq!(db.events(), before, "a refused search records nothing");
}

#[test]
fn a_mosaic_id_is_found_whatever_its_letter_case_and_surrounding_spaces() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let viewed = |id: &str| -> Vec<String> {
        let found = db.json(&["who-viewed", "--mosaic-id", id]);
        found["viewings"].as_array().unwrap().iter().map(|v| v["reference"].as_str().unwrap().to_string()).collect()
    };
    let exact = viewed("DEMO-1008");
    assert!(!exact.is_empty(), "the demo's DEMO-1008 was viewed");
    assert_eq!(viewed(" demo-1008 "), exact);
    assert_eq!(viewed("Demo-1008"), exact);
    let text = db.ok(&["who-viewed", "--mosaic-id", " demo-1008 "]);
    assert!(text.contains(&exact[0]) && !text.contains("No viewings match"), "{text}");

    let listed = |subject: &str| -> Vec<String> {
        let found = db.json(&["request", "list", "--all", "--subject", subject]);
        found.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(listed("demo-1008"), [exact[0].clone()]);
    assert_eq!(listed(" demo-1008 "), [exact[0].clone()]);
    assert_eq!(listed("DEMO-1008"), [exact[0].clone()]);
}

#[test]
fn who_viewed_on_the_command_line_records_one_lookup_with_its_query() {
    let db = Db::empty();
    db.ok(&["demo"]);
    let count =
        || db.json(&["log", "--limit", "1000"]).as_array().unwrap().iter().filter(|e| e["op"] == "who_viewed").count();
    let before = count();
    db.ok(&["who-viewed", "--mosaic-id", "DEMO-1008"]);
    assert_eq!(count(), before + 1);
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "who_viewed");
    let after = log[0]["after"].as_str().unwrap();
    assert!(after.contains("DEMO-1008") && after.contains("\"settled\":\"cli\""), "{after}");
    let e = db.error(&["who-viewed"]);
    assert!(e.contains("needs something to look for"), "{e}");
    assert_eq!(count(), before + 1, "a refused lookup records nothing");
}
