//! `caseshare letter`: routine correspondence from templates, with built-in
//! defaults an administrator can replace.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

fn demo() -> Db {
    let db = Db::empty();
    db.ok(&["demo"]);
    db
}

#[test]
fn letters_carry_the_request_the_decision_and_the_visit_rules() {
    let db = demo();
    let ack = db.ok(&["letter", "REQ-2026-0001", "acknowledgement"]);
    assert!(ack.contains("Dear Rita Madeup") && ack.contains("Request to view Children's Service Records"), "{ack}");
    let refusal = db.ok(&["letter", "REQ-2026-0011", "refusal"]);
    assert!(refusal.contains("Not necessary: the requester already holds the assessment"), "{refusal}");
    assert!(refusal.contains("We are not able to share"), "{refusal}");
    let confirm = db.ok(&["letter", "REQ-2026-0007", "confirmation"]);
    assert!(confirm.contains("present throughout") && confirm.contains("No photographs"), "{confirm}");
    assert!(confirm.contains("Teams Room (demo)"), "{confirm}");
    let note = db.ok(&["letter", "REQ-2026-0008", "case_note"]);
    assert_eq!(note, db.ok(&["case-note", "REQ-2026-0008"]));
}

#[test]
fn a_letter_about_a_step_not_taken_is_refused() {
    let db = demo();
    let e = db.refused(&["letter", "REQ-2026-0001", "refusal"], "step order");
    assert!(e.contains("no decision not to share"), "{e}");
    db.refused(&["letter", "REQ-2026-0001", "confirmation"], "step order");
    db.error(&["letter", "REQ-2026-0001", "memo"]);
}

#[test]
fn an_administrators_template_replaces_the_built_in_one_and_letters_save_privately() {
    let db = demo();
    let home = db.dir().join("home");
    let templates = home.join(".config/caseshare/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("acknowledgement.txt"),
        "Ref {{ reference }} for {{ requester.name }} from {{ council }}\n",
    )
    .unwrap();
    let run =
        |args: &[&str]| db.command().env("HOME", &home).env_remove("XDG_CONFIG_HOME").args(args).output().unwrap();
    let out = run(&["letter", "REQ-2026-0001", "acknowledgement"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Ref REQ-2026-0001 for Rita Madeup from Lincolnshire County Council\n"
    );
    let listed = String::from_utf8_lossy(&run(&["letter", "--templates"]).stdout).into_owned();
    assert!(listed.contains("acknowledgement.txt") && listed.contains("refusal          built in"), "{listed}");

    std::fs::write(templates.join("refusal.txt"), "{{ broken ").unwrap();
    let out = run(&["letter", "REQ-2026-0011", "refusal"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusal.txt"));

    let file = db.dir().join("ack.txt");
    let said = db.ok(&["letter", "REQ-2026-0001", "acknowledgement", "--out", file.to_str().unwrap()]);
    assert_eq!(said, format!("REQ-2026-0001: acknowledgement written to {} (mode 0600).\n", file.display()));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    // A shared templates folder for everyone, then back to each user's own.
    let shared = db.dir().join("shared-templates");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("acknowledgement.txt"), "Shared template for {{ reference }}\n").unwrap();
    db.ok(&["settings", "set", "templates_dir", shared.to_str().unwrap()]);
    let out = run(&["letter", "REQ-2026-0001", "acknowledgement"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Shared template for REQ-2026-0001\n");
    assert_eq!(db.ok(&["settings", "set", "templates_dir", ""]), "templates_dir cleared: back to its default.\n");
    let out = run(&["letter", "REQ-2026-0001", "acknowledgement"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Ref REQ-2026-0001 for Rita Madeup from Lincolnshire County Council\n",
        "cleared: the user's own folder again"
    );
}

#[test]
fn letters_as_json_for_scripts() {
    let db = demo();
    let v = db.json(&["letter", "REQ-2026-0001", "acknowledgement"]);
    assert_eq!(v["reference"], "REQ-2026-0001");
    assert_eq!(v["kind"], "acknowledgement");
    assert!(v["text"].as_str().unwrap().contains("Dear Rita Madeup"), "{v}");
}
