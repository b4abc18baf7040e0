//! Organisation aliases: `org alias` / `org unalias`, found wherever an organisation
//! is typed, listed, recorded in the log and rebuilt by `verify`.

mod common;

use common::*;

#[test]
fn an_alias_finds_its_organisation_when_a_request_is_recorded_and_is_listed() {
    let db = Db::standard();
    let out = db.ok(&["org", "alias", LA, "Exampleshire CC"]);
    assert!(out.contains(&format!("'Exampleshire CC' is now an alias of {LA}.")), "{out}");
    let list = db.ok(&["org", "list"]);
    assert!(list.contains("ALIASES") && list.contains("Exampleshire CC"), "{list}");
    let json = db.json(&["org", "list"]);
    let la = json.as_array().unwrap().iter().find(|o| o["name"] == LA).unwrap();
    assert_eq!(la["aliases"], serde_json::json!(["Exampleshire CC"]));

    // Typed in any case, the alias is the organisation.
    let r = db.receive("exampleshire cc", AREA, "paper", 3);
    assert_eq!(db.show(&r)["request"]["request"]["organisation"]["name"], LA);
    db.verified();
}

#[test]
fn an_alias_is_unique_and_never_an_organisation_name_and_can_be_removed() {
    let db = Db::standard();
    db.ok(&["org", "alias", LA, "Exampleshire CC"]);
    let e = db.refused(&["org", "alias", LA2, "EXAMPLESHIRE cc"], "already recorded");
    assert!(e.contains(&format!("'Exampleshire CC' is already an alias of {LA}")), "{e}");
    let e = db.refused(&["org", "alias", LA, LA2], "already recorded");
    assert!(e.contains("is the name of the organisation"), "{e}");
    let e = db.refused(&["org", "add", "Exampleshire CC", "--kind", "local_authority"], "already recorded");
    assert!(e.contains(&format!("'Exampleshire CC' is an alias of {LA}")), "{e}");
    let e = db.refused(&["org", "alias", "Nowhere Council", "NC"], "unknown record");
    assert!(e.contains("unknown organisation 'Nowhere Council'"), "{e}");

    let out = db.ok(&["org", "unalias", "exampleshire CC"]);
    assert!(out.contains("Alias 'exampleshire CC' removed."), "{out}");
    db.refused(&["org", "unalias", "Exampleshire CC"], "unknown record");
    let json = db.json(&["org", "list"]);
    assert!(json.as_array().unwrap().iter().all(|o| o["aliases"] == serde_json::json!([])), "{json}");
    // Free again, for another organisation.
    db.ok(&["org", "alias", LA2, "Exampleshire CC"]);
    let log = db.json(&["log", "--limit", "3"]);
    let ops: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["op"].as_str().unwrap()).collect();
    assert!(ops.contains(&"org.alias_add") && ops.contains(&"org.alias_remove"), "{ops:?}");
    db.verified();
}

#[test]
fn an_alias_added_behind_the_back_fails_verify() {
    let db = Db::standard();
    db.ok(&["org", "alias", LA, "Exampleshire CC"]);
    db.verified();
    let conn = raw(&db.dir().join("x.db"));
    conn.execute("INSERT INTO org_aliases (org_id, alias) VALUES (1, 'Sneaky Name')", []).unwrap();
    conn.execute("DELETE FROM org_aliases WHERE alias = 'Exampleshire CC'", []).unwrap();
    drop(conn);
    let o = db.run(&["verify"]);
    assert_ne!(o.code, 0, "{o:?}");
    let all = format!("{}{}", o.stdout, o.stderr);
    assert!(
        all.contains("organisation alias 'Sneaky Name' (organisation 1) is in the tables but not in the log"),
        "{all}"
    );
    assert!(all.contains("organisation alias 'Exampleshire CC' is in the log but not in the tables"), "{all}");
}

#[test]
fn an_organisation_is_renamed_to_a_free_name_but_never_to_an_alias() {
    let db = Db::standard();
    db.ok(&["org", "alias", LA, "Exampleshire CC"]);
    let e = db.refused(&["org", "rename", LA2, "exampleshire cc"], "already recorded");
    assert!(e.contains(&format!("'Exampleshire CC' is an alias of {LA}")), "{e}");
    assert!(e.contains("caseshare org unalias \"Exampleshire CC\""), "{e}");
    // Its own alias too: the alias goes first, then the rename.
    db.refused(&["org", "rename", LA, "Exampleshire CC"], "already recorded");
    db.ok(&["org", "unalias", "Exampleshire CC"]);
    let out = db.ok(&["org", "rename", LA, "Exampleshire CC"]);
    assert!(out.contains("is now Exampleshire CC, kind Local authority."), "{out}");
    db.verified();
}
