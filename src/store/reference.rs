//! Staff, service areas, organisations, rooms, settings and bank holidays.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, parse_code};
use crate::domain::dates::Holidays;
use crate::domain::settings::{Settings, Targets};
use crate::domain::{Organisation, Role, Room, ServiceArea, Staff, StaffRef};

const STAFF_COLS: &str = "id, login, name, position, email, roles, active";

fn row_to_staff(r: &rusqlite::Row) -> rusqlite::Result<Staff> {
    let roles: String = r.get(5)?;
    Ok(Staff {
        id: r.get(0)?,
        login: r.get(1)?,
        name: r.get(2)?,
        position: r.get(3)?,
        email: r.get(4)?,
        roles: roles.split(',').filter(|s| !s.is_empty()).map(parse_code::<Role>).collect::<rusqlite::Result<_>>()?,
        active: r.get(6)?,
    })
}

pub fn staff_by_login(conn: &Connection, login: &str) -> Result<Option<Staff>> {
    Ok(conn.query_row(&format!("SELECT {STAFF_COLS} FROM staff WHERE login = ?1"), [login], row_to_staff).optional()?)
}

pub fn staff_by_id(conn: &Connection, id: i64) -> Result<Option<Staff>> {
    Ok(conn.query_row(&format!("SELECT {STAFF_COLS} FROM staff WHERE id = ?1"), [id], row_to_staff).optional()?)
}

/// A staff member by login, or by full name when exactly one has it.
pub fn staff_by_login_or_name(conn: &Connection, who: &str) -> Result<Option<Staff>> {
    if let Some(s) = staff_by_login(conn, who)? {
        return Ok(Some(s));
    }
    let mut stmt = conn.prepare(&format!("SELECT {STAFF_COLS} FROM staff WHERE name = ?1 COLLATE NOCASE LIMIT 2"))?;
    let found: Vec<Staff> = stmt.query_map([who], row_to_staff)?.collect::<rusqlite::Result<_>>()?;
    Ok(if found.len() == 1 { found.into_iter().next() } else { None })
}

/// The logins of every staff member with this full name (any case).
pub fn logins_named(conn: &Connection, name: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT login FROM staff WHERE name = ?1 COLLATE NOCASE ORDER BY login")?;
    let rows = stmt.query_map([name], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn all_staff(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare(&format!("SELECT {STAFF_COLS} FROM staff ORDER BY name"))?;
    let rows = stmt.query_map([], row_to_staff)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn staff_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?)
}

/// Inserts a staff member; returns the id.
pub fn insert_staff(conn: &Connection, s: &Staff) -> Result<i64> {
    conn.execute(
        "INSERT INTO staff (login, name, position, email, roles, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.login, s.name, s.position, s.email, s.roles_code(), s.active],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_staff(conn: &Connection, s: &Staff) -> Result<()> {
    conn.execute(
        "UPDATE staff SET name = ?2, position = ?3, email = ?4, roles = ?5, active = ?6 WHERE id = ?1",
        params![s.id, s.name, s.position, s.email, s.roles_code(), s.active],
    )?;
    Ok(())
}

/// Reads the four `id, login, name, position` columns of a joined staff row.
pub(crate) fn staff_ref_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<StaffRef> {
    Ok(StaffRef { id: r.get(at)?, login: r.get(at + 1)?, name: r.get(at + 2)?, position: r.get(at + 3)? })
}

/// `retired_on`, or NULL in a database from before the column (opened to be looked
/// at, not upgraded).
fn retired_col(conn: &Connection, table: &str, qualifier: &str) -> Result<String> {
    let has: bool =
        conn.query_row("SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = 'retired_on'", [table], |r| {
            r.get(0)
        })?;
    Ok(if has { format!("{qualifier}retired_on") } else { "NULL".to_string() })
}

fn area_select(conn: &Connection) -> Result<String> {
    let retired = retired_col(conn, "service_areas", "a.")?;
    Ok(format!(
        "SELECT a.id, a.name, s.id, s.login, s.name, s.position, {retired} FROM service_areas a JOIN staff s ON s.id = a.asset_owner_id"
    ))
}

fn row_to_area(r: &rusqlite::Row) -> rusqlite::Result<ServiceArea> {
    Ok(ServiceArea { id: r.get(0)?, name: r.get(1)?, asset_owner: staff_ref_at(r, 2)?, retired_on: r.get(6)? })
}

pub fn area_by_name(conn: &Connection, name: &str) -> Result<Option<ServiceArea>> {
    let sql = format!("{} WHERE a.name = ?1 COLLATE NOCASE", area_select(conn)?);
    Ok(conn.query_row(&sql, [name], row_to_area).optional()?)
}

/// Every service area, retired ones too.
pub fn all_areas(conn: &Connection) -> Result<Vec<ServiceArea>> {
    let mut stmt = conn.prepare(&format!("{} ORDER BY a.name", area_select(conn)?))?;
    let rows = stmt.query_map([], row_to_area)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn insert_area(conn: &Connection, name: &str, owner_id: i64) -> Result<i64> {
    conn.execute("INSERT INTO service_areas (name, asset_owner_id) VALUES (?1, ?2)", params![name, owner_id])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_area_owner(conn: &Connection, area_id: i64, owner_id: i64) -> Result<()> {
    conn.execute("UPDATE service_areas SET asset_owner_id = ?2 WHERE id = ?1", params![area_id, owner_id])?;
    Ok(())
}

/// Renames a service area and retires it (a day) or puts it back in use (`None`).
pub fn update_area(conn: &Connection, id: i64, name: &str, retired_on: Option<NaiveDate>) -> Result<()> {
    conn.execute("UPDATE service_areas SET name = ?2, retired_on = ?3 WHERE id = ?1", params![id, name, retired_on])?;
    Ok(())
}

fn row_to_org(r: &rusqlite::Row) -> rusqlite::Result<Organisation> {
    let kind: String = r.get(2)?;
    Ok(Organisation { id: r.get(0)?, name: r.get(1)?, kind: parse_code(&kind)?, retired_on: r.get(3)? })
}

fn org_select(conn: &Connection) -> Result<String> {
    Ok(format!("SELECT id, name, kind, {} FROM organisations", retired_col(conn, "organisations", "")?))
}

/// An organisation by its name or one of its aliases (either in any case).
pub fn org_by_name(conn: &Connection, name: &str) -> Result<Option<Organisation>> {
    if let Some(o) = org_by_own_name(conn, name)? {
        return Ok(Some(o));
    }
    let sql = format!(
        "SELECT o.id, o.name, o.kind, {} FROM org_aliases a JOIN organisations o ON o.id = a.org_id
         WHERE a.alias = ?1 COLLATE NOCASE",
        retired_col(conn, "organisations", "o.")?
    );
    Ok(conn.query_row(&sql, [name], row_to_org).optional()?)
}

/// An organisation by its own name only (in any case), aliases aside.
pub fn org_by_own_name(conn: &Connection, name: &str) -> Result<Option<Organisation>> {
    let sql = format!("{} WHERE name = ?1 COLLATE NOCASE", org_select(conn)?);
    Ok(conn.query_row(&sql, [name], row_to_org).optional()?)
}

/// An alias as stored: its id, the organisation it names and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAlias {
    pub id: i64,
    pub org_id: i64,
    pub alias: String,
}

/// The alias `alias` (in any case), if there is one.
pub fn org_alias(conn: &Connection, alias: &str) -> Result<Option<OrgAlias>> {
    Ok(conn
        .query_row("SELECT id, org_id, alias FROM org_aliases WHERE alias = ?1 COLLATE NOCASE", [alias], |r| {
            Ok(OrgAlias { id: r.get(0)?, org_id: r.get(1)?, alias: r.get(2)? })
        })
        .optional()?)
}

/// Every alias, by organisation id and then alias.
pub fn all_org_aliases(conn: &Connection) -> Result<Vec<OrgAlias>> {
    let mut stmt = conn.prepare("SELECT id, org_id, alias FROM org_aliases ORDER BY org_id, alias COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], |r| Ok(OrgAlias { id: r.get(0)?, org_id: r.get(1)?, alias: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn insert_org_alias(conn: &Connection, org_id: i64, alias: &str) -> Result<i64> {
    conn.execute("INSERT INTO org_aliases (org_id, alias) VALUES (?1, ?2)", params![org_id, alias])?;
    Ok(conn.last_insert_rowid())
}

pub fn delete_org_alias(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM org_aliases WHERE id = ?1", [id])?;
    Ok(())
}

/// Every organisation, retired ones too.
pub fn all_orgs(conn: &Connection) -> Result<Vec<Organisation>> {
    let mut stmt = conn.prepare(&format!("{} ORDER BY name", org_select(conn)?))?;
    let rows = stmt.query_map([], row_to_org)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn insert_org(conn: &Connection, o: &Organisation) -> Result<i64> {
    conn.execute("INSERT INTO organisations (name, kind) VALUES (?1, ?2)", params![o.name, o.kind.as_code()])?;
    Ok(conn.last_insert_rowid())
}

/// Writes an organisation's name, kind and retirement.
pub fn update_org(conn: &Connection, o: &Organisation) -> Result<()> {
    conn.execute(
        "UPDATE organisations SET name = ?2, kind = ?3, retired_on = ?4 WHERE id = ?1",
        params![o.id, o.name, o.kind.as_code(), o.retired_on],
    )?;
    Ok(())
}

fn row_to_room(r: &rusqlite::Row) -> rusqlite::Result<Room> {
    Ok(Room {
        id: r.get(0)?,
        name: r.get(1)?,
        location: r.get(2)?,
        observer_space: r.get(3)?,
        secure_storage: r.get(4)?,
        teams: r.get(5)?,
        active: r.get(6)?,
    })
}

const ROOM_COLS: &str = "id, name, location, observer_space, secure_storage, teams, active";

pub fn room_by_name(conn: &Connection, name: &str) -> Result<Option<Room>> {
    Ok(conn
        .query_row(&format!("SELECT {ROOM_COLS} FROM rooms WHERE name = ?1 COLLATE NOCASE"), [name], row_to_room)
        .optional()?)
}

pub fn all_rooms(conn: &Connection) -> Result<Vec<Room>> {
    let mut stmt = conn.prepare(&format!("SELECT {ROOM_COLS} FROM rooms ORDER BY name"))?;
    let rows = stmt.query_map([], row_to_room)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Writes a room's name, details and whether it is in use.
pub fn update_room(conn: &Connection, r: &Room) -> Result<()> {
    conn.execute(
        "UPDATE rooms SET name = ?2, location = ?3, observer_space = ?4, secure_storage = ?5, teams = ?6, active = ?7
         WHERE id = ?1",
        params![r.id, r.name, r.location, r.observer_space, r.secure_storage, r.teams, r.active],
    )?;
    Ok(())
}

pub fn insert_room(conn: &Connection, r: &Room) -> Result<i64> {
    conn.execute(
        "INSERT INTO rooms (name, location, observer_space, secure_storage, teams, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.name, r.location, r.observer_space, r.secure_storage, r.teams, r.active],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The stored value of a setting, if set.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The days the council lists as bank holidays (beside the rule).
pub fn holidays(conn: &Connection) -> Result<Vec<(NaiveDate, String)>> {
    holiday_rows(conn, 0)
}

/// The rule's days the council has removed, with the name they had.
pub fn removed_holidays(conn: &Connection) -> Result<Vec<(NaiveDate, String)>> {
    holiday_rows(conn, 1)
}

fn holiday_rows(conn: &Connection, removed: i64) -> Result<Vec<(NaiveDate, String)>> {
    // A database from before the column (opened to be looked at, not upgraded) lists
    // every row and has removed none.
    let has_column: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('bank_holidays') WHERE name = 'removed'",
        [],
        |r| r.get(0),
    )?;
    if !has_column {
        if removed == 1 {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare("SELECT day, name FROM bank_holidays ORDER BY day")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        return Ok(rows);
    }
    let mut stmt = conn.prepare("SELECT day, name FROM bank_holidays WHERE removed = ?1 ORDER BY day")?;
    let rows = stmt.query_map([removed], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Lists `day` as a holiday (renaming it, or taking back its removal).
pub fn insert_holiday(conn: &Connection, day: NaiveDate, name: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO bank_holidays (day, name, removed) VALUES (?1, ?2, 0)
         ON CONFLICT(day) DO UPDATE SET name = excluded.name, removed = 0",
        params![day, name],
    )?;
    Ok(())
}

/// Marks a day the rule gives as not a holiday here.
pub fn remove_rule_holiday(conn: &Connection, day: NaiveDate, name: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO bank_holidays (day, name, removed) VALUES (?1, ?2, 1)
         ON CONFLICT(day) DO UPDATE SET removed = 1",
        params![day, name],
    )?;
    Ok(())
}

/// Takes a listed day off the list.
pub fn delete_holiday(conn: &Connection, day: NaiveDate) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bank_holidays WHERE day = ?1 AND removed = 0", [day])? > 0)
}

/// All settings the rules need, with defaults for anything unset.
pub fn settings(conn: &Connection) -> Result<Settings> {
    let mut s = Settings::default();
    let num = |key: &str, default: u32| -> Result<u32> {
        Ok(setting(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(default))
    };
    let d = Targets::default();
    s.targets = Targets {
        form_returned: num("target.form_returned", d.form_returned)?,
        approval: num("target.approval", d.approval)?,
        viewing: num("target.viewing", d.viewing)?,
        restore: num("target.restore", d.restore)?,
    };
    let r = crate::domain::retention::RetentionYears::default();
    s.retention = crate::domain::retention::RetentionYears {
        shared: num("retention.shared", r.shared)?,
        not_shared: num("retention.not_shared", r.not_shared)?,
        redirected: num("retention.redirected", r.redirected)?,
    };
    if let Some(m) = setting(conn, "cpru_mailbox")? {
        s.cpru_mailbox = m;
    }
    // Set to nothing: back to each user's config folder.
    s.templates_dir = setting(conn, "templates_dir")?.filter(|d| !d.trim().is_empty());
    s.anchor_file = setting(conn, "anchor_file")?.filter(|d| !d.trim().is_empty());
    s.case_note_not_shared = setting(conn, "casenote.not_shared")?.is_some_and(|v| v == "yes");
    s.policy_document = setting(conn, "appropriate_policy_document")?.filter(|d| !d.trim().is_empty());
    if let Some(c) = setting(conn, "council_name")? {
        s.council = c;
    }
    if let Some(tz) = setting(conn, "timezone")?.and_then(|z| z.parse().ok()) {
        s.timezone = tz;
    }
    let days = |rows: Vec<(NaiveDate, String)>| rows.into_iter().map(|(d, _)| d).collect::<BTreeSet<_>>();
    s.holidays = Holidays::england_and_wales(days(holidays(conn)?), days(removed_holidays(conn)?));
    Ok(s)
}
