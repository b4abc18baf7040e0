//! An item asked for after the asset owner decided has its own approval target,
//! from the day it was added, not from the form's return.

mod common;

use common::*;

#[test]
fn an_item_added_after_approval_is_due_from_the_day_it_was_added_not_overdue_at_once() {
    let db = Db::standard();
    // A request is due by its earliest outstanding target: a long viewing target keeps
    // the first viewing's (20 working days after the decision, passed) out of the way.
    db.ok(&["settings", "set", "target.viewing", "60"]);
    // Received 40 days ago, form back 35 days ago, decided 34 days ago.
    let r = db.preparing("paper");
    db.ok(&["add-item", &r, "Health visitor records"]);
    let show = db.show(&r);
    let added = &show["request"]["items"][3];
    assert_eq!(added["description"], "Health visitor records");
    assert_eq!(added["added_on"], ago(0).as_str(), "{show}");
    assert_eq!(show["request"]["items"][0]["added_on"], ago(35).as_str(), "the scope's items: the form's return");
    let step4 = show["checklist"].as_array().unwrap().iter().find(|l| l["number"] == 4).unwrap().clone();
    assert_eq!(step4["state"], "pending", "not overdue the day it is added: {step4}");
    let due = step4["due"].as_str().unwrap().to_string();
    assert!(due > ago(0), "due after today: {due}");
    assert!(due <= ago(-9), "within five working days (and a holiday or two): {due}");
    // The list sorts and marks it by the same date.
    let list = db.ok(&["request", "list"]);
    let row = list.lines().find(|l| l.starts_with(&r)).unwrap();
    assert!(!row.contains("OVERDUE"), "{row}");
    db.verified();
}
