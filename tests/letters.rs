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
    // Paragraphs are wrapped: read them with the line breaks as spaces.
    let confirm = confirm.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(confirm.contains("present throughout") && confirm.contains("No photographs"), "{confirm}");
    assert!(confirm.contains("Teams Room (demo)"), "{confirm}");
    let note = db.ok(&["letter", "REQ-2026-0008", "case_note"]);
    assert_eq!(note, db.ok(&["case-note", "REQ-2026-0008"]));
}

#[test]
fn a_letter_is_dated_addressed_to_the_requester_and_quotes_our_reference() {
    let db = demo();
    for (reference, kind) in
        [("REQ-2026-0001", "acknowledgement"), ("REQ-2026-0011", "refusal"), ("REQ-2026-0007", "confirmation")]
    {
        let letter = db.ok(&["letter", reference, kind]);
        let dated = today().format("%-d %B %Y").to_string();
        let head: Vec<&str> = letter.lines().take(9).collect();
        assert_eq!(head[0], "Lincolnshire County Council", "{letter}");
        assert_eq!(head[2], dated, "{letter}");
        // The recipient block: the requester, their role, their organisation.
        let shown = db.json(&["request", "show", reference, "--json"]);
        let r = &shown["request"]["request"];
        assert_eq!(head[4], r["requester"]["name"].as_str().unwrap(), "{letter}");
        assert_eq!(head[5], r["requester"]["role"].as_str().unwrap(), "{letter}");
        assert_eq!(head[6], r["organisation"]["name"].as_str().unwrap(), "{letter}");
        assert_eq!(head[8], format!("Our reference: {reference}"), "{letter}");
        assert!(!letter.contains("Your reference"), "the reference is ours, not theirs: {letter}");
        let long: Vec<&str> = letter.lines().filter(|l| l.chars().count() > 72).collect();
        assert!(long.is_empty(), "{kind}: lines past 72 columns: {long:?}");
    }
}

#[test]
fn a_confirmation_names_where_the_room_is_and_a_teams_meeting_says_how_to_join_instead_of_visit_rules() {
    let db = demo();
    let visit = db.ok(&["letter", "REQ-2026-0007", "confirmation"]);
    assert!(
        visit.contains("  Venue:  Visit + Teams room, Teams Room (demo)\n  Where:  County Offices (fictional)"),
        "{visit}"
    );
    assert!(visit.contains("The rules for the visit:") && !visit.contains("How to join"), "{visit}");
    db.ok(&[
        "book",
        "REQ-2026-0007",
        "--venue",
        "teams_meeting",
        "--day",
        &ago(-8),
        "--start",
        "10:00",
        "--end",
        "11:00",
        "--reason",
        "The requester is 300 miles away and the hearing is next week",
    ]);
    let teams = db.ok(&["letter", "REQ-2026-0007", "confirmation"]);
    assert!(teams.contains("  Venue:  a Microsoft Teams meeting"), "{teams}");
    assert!(teams.contains("How to join:") && teams.contains("Microsoft Teams invitation"), "{teams}");
    assert!(teams.contains("must not be recorded"), "{teams}");
    assert!(!teams.contains("The rules for the visit") && !teams.contains("Where:"), "{teams}");
}

#[test]
fn a_long_reason_is_wrapped_at_words_under_its_indent() {
    use caseshare::interop::letters::wrap;
    let reason = "  Not necessary: the requester already holds the assessment and the chronology, which were sent to them by the family's previous authority";
    let wrapped = wrap(reason, 72);
    let lines: Vec<&str> = wrapped.lines().collect();
    assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 72 && l.starts_with("  ")), "{wrapped}");
    assert_eq!(lines.join(" ").split_whitespace().collect::<Vec<_>>(), reason.split_whitespace().collect::<Vec<_>>());
    let item = "  - Please bring photographic identification and your organisation's ID badge to the front desk";
    let wrapped = wrap(item, 72);
    assert!(wrapped.lines().nth(1).unwrap().starts_with("    "), "continues under the text of the item: {wrapped}");
    assert_eq!(wrap("short\n\nlines stay", 72), "short\n\nlines stay");
    let address = format!("  - {}", "x".repeat(80));
    assert_eq!(wrap(&address, 72), address, "a word longer than the line is kept whole");
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
