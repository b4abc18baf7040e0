//! Who may act: unknown, deactivated, read-only and non-administrator logins are
//! refused with the command that would put it right. The test login cannot be
//! changed, so these databases are built through the library with another
//! administrator, and the test login is registered (or not) as each case needs.

mod common;

use caseshare::domain::Rule;
use caseshare::service::admin::StaffForm;
use caseshare::service::{Clock, Service, ServiceError};
use caseshare::store::{OpenMode, Store};
use common::*;

fn staff(login: &str, name: &str, roles: &str) -> StaffForm {
    StaffForm { login: login.into(), name: name.into(), roles: roles.into(), ..Default::default() }
}

/// A database whose administrator is `boss`; the test login is added with `roles` (if any).
fn db_with_me_as(roles: Option<&str>) -> Db {
    let db = Db::empty();
    let mut svc = Service::init(&db.path, false, &staff("boss", "Bo Ss", "admin,manager"), Clock::System).unwrap();
    svc.area_add(AREA, "boss").unwrap();
    svc.org_add(LA, "local_authority").unwrap();
    if let Some(roles) = roles {
        svc.staff_add(&staff(&me(), "Test Login", roles)).unwrap();
    }
    db
}

fn new_request_args() -> Vec<String> {
    [
        "request",
        "new",
        "--org",
        LA,
        "--requester",
        "Rita",
        "--subject",
        "Alfie|M1",
        "--purpose",
        "p",
        "--area",
        AREA,
        "--format",
        "paper",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn an_unknown_login_is_refused_with_the_command_that_registers_it() {
    let db = db_with_me_as(None);
    let me = me();
    let count = || -> i64 { raw(&db.path).query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap() };
    let before = count();
    for cmd in [vec!["request", "list"], vec!["verify"], strs(&new_request_args())] {
        let e = db.refused(&cmd, "permission");
        assert_eq!(
            e,
            format!(
                "caseshare: refused (permission): login '{me}' is not registered in caseshare; an administrator registers it with: caseshare staff add {me} --name \"Full Name\" --roles bsa"
            )
        );
    }
    assert_eq!(count(), before, "nothing was written");
}

#[test]
fn the_service_refuses_to_open_for_an_unknown_login() {
    let db = db_with_me_as(None);
    let store = Store::open(&db.path, OpenMode::Existing).unwrap();
    match Service::open(store, "nobody.here", Clock::System) {
        Err(ServiceError::Refused(r)) => {
            assert_eq!(r.rule, Rule::Permission);
            assert!(r.message.contains("'nobody.here' is not registered"), "{r}");
            assert!(r.fix.contains("caseshare staff add nobody.here"), "{r}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_deactivated_login_is_refused_and_told_how_to_be_reactivated() {
    let db = db_with_me_as(Some("bsa"));
    let me = me();
    db.ok(&["request", "list"]);
    {
        let store = Store::open(&db.path, OpenMode::Existing).unwrap();
        let mut svc = Service::open(store, "boss", Clock::System).unwrap();
        svc.staff_update(&me, None, Some(false)).unwrap();
    }
    let e = db.refused(&["request", "list"], "permission");
    assert!(e.contains(&format!("login '{me}' is deactivated")), "{e}");
    assert!(e.contains(&format!("caseshare staff activate {me}")), "the fix names the command that exists: {e}");
    db.refused(&strs(&new_request_args()), "permission");
}

#[test]
fn an_administrator_cannot_lock_themselves_out() {
    let db = Db::init();
    let me = me();
    let e = db.refused(&["staff", "deactivate", &me], "permission");
    assert!(e.contains("you cannot deactivate yourself"), "{e}");
    let e = db.refused(&["staff", "set-roles", &me, "bsa"], "permission");
    assert!(e.contains("you cannot remove your own administrator role"), "{e}");
    let list = db.json(&["staff", "list"]);
    assert_eq!(list[0]["active"], true);
    assert_eq!(list[0]["roles"], serde_json::json!(["admin"]));
}

#[test]
fn a_read_only_login_can_look_up_but_never_change_anything() {
    let db = db_with_me_as(Some("readonly"));
    let me = me();
    let before = db.events();
    assert_eq!(db.ok(&["request", "list"]), "No requests match.\n");
    db.ok(&["who-viewed", "--mosaic-id", "M1"]);
    assert_eq!(db.events(), before + 1, "even a read-only lookup of who viewed a file is recorded");

    let e = db.refused(&strs(&new_request_args()), "permission");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (permission): {me} (readonly) may look things up but not change them; ask an administrator to give this login the bsa role (caseshare staff set-roles)"
        )
    );
    let e = db.refused(&["org", "add", "Another Council", "--kind", "local_authority"], "permission");
    assert!(e.contains(&format!("{me} is not an administrator")), "{e}");
    assert!(db.references().is_empty());
    assert_eq!(db.events(), before + 1);
}

#[test]
fn a_read_only_login_cannot_change_an_existing_request() {
    let db = db_with_me_as(Some("readonly"));
    {
        let store = Store::open(&db.path, OpenMode::Existing).unwrap();
        let mut svc = Service::open(store, "boss", Clock::System).unwrap();
        svc.staff_add(&staff("bea", "Bea Assistant", "bsa")).unwrap();
        svc.switch_actor("bea").unwrap();
        let form = caseshare::service::forms::NewRequestForm {
            channel: "email".into(),
            organisation: LA.into(),
            requester_name: "Rita".into(),
            subjects: vec![caseshare::service::forms::SubjectForm {
                name: "Alfie".into(),
                mosaic_id: "M1".into(),
                dob: String::new(),
            }],
            purpose: "p".into(),
            service_area: AREA.into(),
            format: "paper".into(),
            ..Default::default()
        };
        svc.apply(caseshare::service::op::Op::NewRequest(form)).unwrap();
    }
    let r = db.references().remove(0);
    db.refused(&["form-sent", &r], "permission");
    db.refused(&["withdraw", &r, "--reason", "no"], "permission");
    assert_eq!(db.status(&r), "new");
    assert!(db.ok(&["request", "show", &r]).contains("Alfie"));
}

#[test]
fn only_administrators_keep_the_reference_data() {
    let db = db_with_me_as(Some("bsa"));
    for cmd in [
        vec!["org", "add", "Another Council", "--kind", "local_authority"],
        vec!["staff", "add", "x", "--name", "X", "--roles", "bsa"],
        vec!["room", "add", "Room Z", "--observer-space", "--secure-storage"],
        vec!["area", "set-owner", AREA, "boss"],
        vec!["settings", "set", "target.approval", "3"],
    ] {
        let e = db.refused(&cmd, "permission");
        assert!(e.contains("is not an administrator"), "{e}");
    }
    // A BSA records requests, though.
    let out = db.ok(&strs(&new_request_args()));
    assert!(out.contains("request recorded"), "{out}");
}

#[test]
fn an_asset_owner_keeps_the_manager_role_while_they_own_an_area() {
    let db = Db::standard();
    let e = db.refused(&["staff", "set-roles", OWNER, "bsa"], "asset owner");
    assert!(e.contains("mgr is the asset owner of Family Support"), "{e}");
    assert!(e.contains("caseshare area set-owner"), "{e}");
    db.refused(&["staff", "deactivate", OWNER], "asset owner");
    let e = db.refused(&["area", "set-owner", AREA, SUPERVISOR], "asset owner");
    assert!(e.contains("sup is not an active service manager"), "{e}");
    db.ok(&["area", "set-owner", AREA, OWNER2]);
    db.ok(&["staff", "deactivate", OWNER]);
}

#[test]
fn the_log_records_each_new_staff_member_organisation_room_and_area_with_its_id() {
    let db = Db::init();
    db.ok(&["staff", "add", "jo.test", "--name", "Jo Test", "--roles", "manager"]);
    db.ok(&["org", "add", "Testshire Council (fictional)", "--kind", "local_authority"]);
    db.ok(&["area", "add", "Early Help (fictional)", "--owner", "jo.test"]);
    let staff = db.json(&["staff", "list"]);
    let jo = staff.as_array().unwrap().iter().find(|s| s["login"] == "jo.test").unwrap()["id"].as_i64().unwrap();
    let log = db.json(&["log"]);
    let after = |op: &str| -> serde_json::Value {
        let e = log.as_array().unwrap().iter().find(|e| e["op"] == op).unwrap_or_else(|| panic!("{op} logged"));
        serde_json::from_str(e["after"].as_str().unwrap()).unwrap()
    };
    assert_eq!(after("staff.add")["id"].as_i64(), Some(jo), "the event names the row it made");
    assert!(after("org.add")["id"].as_i64().is_some_and(|id| id > 0));
    assert!(after("area.add")["id"].as_i64().is_some_and(|id| id > 0));
}
