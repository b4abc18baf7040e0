//! Setting up and keeping the reference data: the first administrator, staff,
//! service areas and their asset owners, organisations, rooms, settings, holidays.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::forms::code;
use super::{Clock, Result, Service};
use crate::domain::rules;
use crate::domain::settings::KEYS;
use crate::domain::{InputError, OrgKind, Organisation, Refusal, Role, Room, Rule, ServiceArea, Staff, text};
use crate::store::{Store, events, reference};

/// Bank holidays in England and Wales, seeded at `init` (add more with `caseshare holiday add`).
pub const DEFAULT_HOLIDAYS: &[(&str, &str)] = &[
    ("2025-01-01", "New Year's Day"),
    ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"),
    ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"),
    ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"),
    ("2025-12-26", "Boxing Day"),
    ("2026-01-01", "New Year's Day"),
    ("2026-04-03", "Good Friday"),
    ("2026-04-06", "Easter Monday"),
    ("2026-05-04", "Early May bank holiday"),
    ("2026-05-25", "Spring bank holiday"),
    ("2026-08-31", "Summer bank holiday"),
    ("2026-12-25", "Christmas Day"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-01-01", "New Year's Day"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
];

/// The private setting that marks a demonstration database.
pub const DEMO_MARK: &str = "demo";

/// A staff member as typed.
#[derive(Debug, Clone, Default)]
pub struct StaffForm {
    pub login: String,
    pub name: String,
    pub position: String,
    pub email: String,
    /// Comma list: bsa, manager, admin, readonly.
    pub roles: String,
}

/// A room as typed.
#[derive(Debug, Clone, Default)]
pub struct RoomForm {
    pub name: String,
    pub location: String,
    pub observer_space: bool,
    pub secure_storage: bool,
    pub teams: bool,
}

/// Parses a role list; read-only cannot be combined with anything that changes data.
pub fn parse_roles(value: &str) -> std::result::Result<Vec<Role>, InputError> {
    let mut roles = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let r: Role = code("roles", part)?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    if roles.is_empty() {
        return Err(InputError::new("roles", format!("is required: one or more of {}", Role::codes())));
    }
    if roles.contains(&Role::Readonly) && roles.len() > 1 {
        return Err(InputError::new("roles", "readonly cannot be combined with other roles"));
    }
    Ok(roles)
}

fn parse_staff(form: &StaffForm) -> std::result::Result<Staff, InputError> {
    Ok(Staff {
        id: 0,
        login: text::line("login", &form.login)?,
        name: text::line("name", &form.name)?,
        position: text::optional_line("position", &form.position)?,
        email: text::optional_line("email", &form.email)?,
        roles: parse_roles(&form.roles)?,
        active: true,
    })
}

impl Service {
    /// Creates the database at `path` and makes `login` its first administrator: the
    /// database appears at `path` complete, or not at all.
    pub fn init(path: &Path, shared: bool, admin: &StaffForm, clock: Clock) -> Result<Service> {
        Service::init_draft(path, shared, admin, clock)?.publish()
    }

    /// As [`Service::init`], but left under a temporary name beside `path` (see
    /// [`Store::draft`]) for more to be added (the demo) before [`Service::publish`]
    /// puts it in place. Dropped unpublished, it leaves nothing behind.
    pub fn init_draft(path: &Path, shared: bool, admin: &StaffForm, clock: Clock) -> Result<Service> {
        let mut staff = parse_staff(admin)?;
        if !staff.has(Role::Admin) {
            staff.roles.insert(0, Role::Admin);
        }
        let mut store = Store::draft(path, shared)?;
        {
            let tx = store.write()?;
            staff.id = reference::insert_staff(&tx, &staff)?;
            for (day, name) in DEFAULT_HOLIDAYS {
                let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("valid built-in date");
                reference::insert_holiday(&tx, d, name)?;
            }
            events::append(
                &tx,
                clock.now(),
                &staff.login,
                "init",
                None,
                &Value::Null,
                &json!({ "admin": staff, "shared": shared }),
            )?;
            tx.commit()?;
        }
        Service::open(store, &staff.login, clock)
    }

    /// Puts a database made by [`Service::init_draft`] in place and carries on there.
    pub fn publish(self) -> Result<Service> {
        let Service { store, actor, clock, .. } = self;
        Service::open(store.publish()?, &actor.login, clock)
    }

    fn admin_change(
        &mut self,
        op: &str,
        before: Value,
        after: Value,
        write: impl FnOnce(&rusqlite::Connection) -> Result<()>,
    ) -> Result<()> {
        rules::may_administer(&self.actor)?;
        let now = self.now();
        // A rehearsal (the check before a y/n) writes and then rolls back.
        let (tx, rehearsal) = self.store.write_or_rehearse()?;
        write(&tx)?;
        events::append(&tx, now, &self.actor.login, op, None, &before, &after)?;
        if rehearsal {
            return Ok(());
        }
        tx.commit()?;
        self.reload()
    }

    /// As [`Self::admin_change`] for a new row: the event records the row as stored,
    /// with the id the database gave it.
    fn admin_insert(
        &mut self,
        op: &str,
        mut after: Value,
        insert: impl FnOnce(&rusqlite::Connection) -> Result<i64>,
    ) -> Result<i64> {
        rules::may_administer(&self.actor)?;
        let now = self.now();
        let tx = self.store.write()?;
        let id = insert(&tx)?;
        if let Value::Object(fields) = &mut after {
            fields.insert("id".into(), json!(id));
        }
        events::append(&tx, now, &self.actor.login, op, None, &Value::Null, &after)?;
        tx.commit()?;
        self.reload()?;
        Ok(id)
    }

    fn staff_or_refuse(&self, login: &str) -> Result<Staff> {
        reference::staff_by_login(self.store.conn(), login.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("no staff member with login '{}'", login.trim()), "check the login")
                .hint("caseshare staff list")
                .into()
        })
    }

    pub fn staff_add(&mut self, form: &StaffForm) -> Result<Staff> {
        let mut staff = parse_staff(form)?;
        if reference::staff_by_login(self.store.conn(), &staff.login)?.is_some() {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("login '{}' is already registered", staff.login),
                "change its roles with caseshare staff set-roles",
            )
            .into());
        }
        let after = json!(staff);
        staff.id = self.admin_insert("staff.add", after, |tx| Ok(reference::insert_staff(tx, &staff)?))?;
        Ok(staff)
    }

    /// Changes a login's roles, or deactivates it (`active = false`).
    pub fn staff_update(&mut self, login: &str, roles: Option<&str>, active: Option<bool>) -> Result<Staff> {
        let before = self.staff_or_refuse(login)?;
        if before.login == crate::service::import::NOT_RECORDED_LOGIN && (roles.is_some() || active == Some(true)) {
            // It stands for a supervisor a spreadsheet did not name: never anyone's
            // record, so never made a supervisor of a viewing logged today.
            return Err(Refusal::new(
                Rule::NotApplicable,
                format!(
                    "{} stands for a supervisor an imported spreadsheet did not name, not for a person",
                    before.login
                ),
                "register the person who supervised under their own login",
            )
            .hint("caseshare staff add")
            .into());
        }
        let mut after = before.clone();
        if let Some(r) = roles {
            after.roles = parse_roles(r)?;
        }
        if let Some(a) = active {
            after.active = a;
        }
        let owns: Vec<String> = reference::all_areas(self.store.conn())?
            .into_iter()
            .filter(|a| a.asset_owner.id == before.id)
            .map(|a| a.name)
            .collect();
        if !owns.is_empty() && (!after.active || !after.has(Role::Manager)) {
            return Err(Refusal::new(
                Rule::AssetOwner,
                format!("{} is the asset owner of {}", before.login, owns.join(", ")),
                "make someone else asset owner first",
            )
            .hint("caseshare area set-owner")
            .into());
        }
        if before.id == self.actor.id && !after.has(Role::Admin) {
            return Err(Refusal::new(
                Rule::Permission,
                "you cannot remove your own administrator role",
                "ask another administrator",
            )
            .into());
        }
        if before.id == self.actor.id && !after.active {
            return Err(
                Refusal::new(Rule::Permission, "you cannot deactivate yourself", "ask another administrator").into()
            );
        }
        let (b, a) = (json!(before), json!(after));
        let write = after.clone();
        self.admin_change("staff.update", b, a, move |tx| Ok(reference::update_staff(tx, &write)?))?;
        Ok(after)
    }

    fn manager(&self, login: &str) -> Result<Staff> {
        let owner = self.staff_or_refuse(login)?;
        if !owner.has(Role::Manager) || !owner.active {
            return Err(Refusal::new(
                Rule::AssetOwner,
                format!("{} is not an active service manager", owner.login),
                "an asset owner must hold the manager role",
            )
            .hint("caseshare staff set-roles")
            .into());
        }
        Ok(owner)
    }

    pub fn area_add(&mut self, name: &str, owner_login: &str) -> Result<()> {
        let name = text::line("service area", name)?;
        let owner = self.manager(owner_login)?;
        if reference::area_by_name(self.store.conn(), &name)?.is_some() {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("service area '{name}' already exists"),
                "change its owner with caseshare area set-owner",
            )
            .into());
        }
        let after = json!({"name": name, "asset_owner": owner.login});
        self.admin_insert("area.add", after, |tx| Ok(reference::insert_area(tx, &name, owner.id)?))?;
        Ok(())
    }

    pub fn area_set_owner(&mut self, name: &str, owner_login: &str) -> Result<()> {
        let area = reference::area_by_name(self.store.conn(), name.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("unknown service area '{}'", name.trim()), "check the name")
                .hint("caseshare area list")
        })?;
        let owner = self.manager(owner_login)?;
        self.admin_change(
            "area.set_owner",
            json!({"name": area.name, "asset_owner": area.asset_owner.login}),
            json!({"name": area.name, "asset_owner": owner.login}),
            |tx| Ok(reference::set_area_owner(tx, area.id, owner.id)?),
        )
    }

    /// Renames a service area; the event keeps the old name.
    pub fn area_rename(&mut self, name: &str, new_name: &str) -> Result<ServiceArea> {
        let before = self.area_or_refuse(name)?;
        let new_name = text::line("new name", new_name)?;
        let holder = reference::area_by_name(self.store.conn(), &new_name)?.map(|a| a.id);
        self.unused_name("service area", &new_name, before.id, holder)?;
        if new_name == before.name {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("service area '{new_name}' is already so named"),
                "nothing to change",
            )
            .into());
        }
        let after = ServiceArea { name: new_name, ..before.clone() };
        self.area_write("area.rename", &before, after)
    }

    /// Retires a service area (`retire`) or puts it back in use: a retired one keeps
    /// its requests and asset owner and is offered for no new request.
    pub fn area_retire(&mut self, name: &str, retire: bool) -> Result<ServiceArea> {
        let before = self.area_or_refuse(name)?;
        let cmd = if retire { "reinstate" } else { "retire" };
        self.retirement_changes(
            "service area",
            &before.name,
            before.retired_on.is_some(),
            retire,
            &format!("caseshare area {cmd}"),
        )?;
        let after = ServiceArea { retired_on: retire.then(|| self.today()), ..before.clone() };
        self.area_write(if retire { "area.retire" } else { "area.reinstate" }, &before, after)
    }

    fn area_or_refuse(&self, name: &str) -> Result<ServiceArea> {
        reference::area_by_name(self.store.conn(), name.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("unknown service area '{}'", name.trim()), "check the name")
                .hint("caseshare area list")
                .into()
        })
    }

    fn area_write(&mut self, op: &str, before: &ServiceArea, after: ServiceArea) -> Result<ServiceArea> {
        let (b, a) = (crate::store::rebuild::area_row(before), crate::store::rebuild::area_row(&after));
        let write = after.clone();
        self.admin_change(op, b, a, move |tx| {
            Ok(reference::update_area(tx, write.id, &write.name, write.retired_on)?)
        })?;
        Ok(after)
    }

    /// Refuses a new name another row of the same kind already has (the same row
    /// may change its capitals), or one that changes nothing.
    fn unused_name(&self, what: &str, new_name: &str, id: i64, holder: Option<i64>) -> Result<()> {
        match holder {
            Some(other) if other != id => Err(Refusal::new(
                Rule::AlreadyDone,
                format!("{what} '{new_name}' already exists"),
                "choose another name, or retire one of the two",
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// Refuses retiring what is retired, or reinstating what is in use.
    fn retirement_changes(&self, what: &str, name: &str, retired: bool, retire: bool, other: &str) -> Result<()> {
        if retired == retire {
            let state = if retired { "already retired" } else { "in use, not retired" };
            return Err(Refusal::new(Rule::AlreadyDone, format!("{what} '{name}' is {state}"), "nothing to change")
                .hint(format!("{other} \"{name}\""))
                .into());
        }
        Ok(())
    }

    /// Renames a staff member (their display name; the login stays, since the log
    /// names every change by the login that made it).
    pub fn staff_rename(&mut self, login: &str, name: &str) -> Result<Staff> {
        let before = self.staff_or_refuse(login)?;
        let name = text::line("name", name)?;
        if name == before.name {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("{} is already named '{name}'", before.login),
                "nothing to change",
            )
            .into());
        }
        let after = Staff { name, ..before.clone() };
        let (b, a) = (json!(before), json!(after));
        let write = after.clone();
        self.admin_change("staff.update", b, a, move |tx| Ok(reference::update_staff(tx, &write)?))?;
        Ok(after)
    }

    /// Renames an organisation and/or changes its kind; the event keeps the old
    /// name and kind. Requests that name it show the new name.
    pub fn org_update(&mut self, name: &str, new_name: Option<&str>, kind: Option<&str>) -> Result<Organisation> {
        let before = self.org_or_refuse(name)?;
        let mut after = before.clone();
        if let Some(n) = new_name {
            after.name = text::line("new name", n)?;
            let holder = reference::org_by_own_name(self.store.conn(), &after.name)?.map(|o| o.id);
            self.unused_name("organisation", &after.name, before.id, holder)?;
            if let Some(alias) = reference::org_alias(self.store.conn(), &after.name)? {
                let of = reference::all_orgs(self.store.conn())?
                    .into_iter()
                    .find(|o| o.id == alias.org_id)
                    .map_or_else(|| "an organisation".to_string(), |o| o.name);
                return Err(Refusal::new(
                    Rule::AlreadyDone,
                    format!("'{}' is an alias of {of}", alias.alias),
                    "remove the alias first, or choose another name",
                )
                .hint(format!("caseshare org unalias \"{}\"", alias.alias))
                .into());
            }
        }
        if let Some(k) = kind {
            after.kind = code::<OrgKind>("kind", k)?;
        }
        if after == before {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("organisation '{}' is already named so, as {}", before.name, before.kind.as_code()),
                "nothing to change",
            )
            .into());
        }
        self.org_write("org.rename", &before, after)
    }

    /// Retires an organisation (`retire`) or puts it back in use.
    pub fn org_retire(&mut self, name: &str, retire: bool) -> Result<Organisation> {
        let before = self.org_or_refuse(name)?;
        let cmd = if retire { "reinstate" } else { "retire" };
        self.retirement_changes(
            "organisation",
            &before.name,
            before.retired_on.is_some(),
            retire,
            &format!("caseshare org {cmd}"),
        )?;
        let after = Organisation { retired_on: retire.then(|| self.today()), ..before.clone() };
        self.org_write(if retire { "org.retire" } else { "org.reinstate" }, &before, after)
    }

    fn org_or_refuse(&self, name: &str) -> Result<Organisation> {
        reference::org_by_name(self.store.conn(), name.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("unknown organisation '{}'", name.trim()), "check the name")
                .hint("caseshare org list")
                .into()
        })
    }

    fn org_write(&mut self, op: &str, before: &Organisation, after: Organisation) -> Result<Organisation> {
        let (b, a) = (json!(before), json!(after));
        let write = after.clone();
        self.admin_change(op, b, a, move |tx| Ok(reference::update_org(tx, &write)?))?;
        Ok(after)
    }

    /// Renames a room; its bookings show the new name.
    pub fn room_rename(&mut self, name: &str, new_name: &str) -> Result<Room> {
        let before = self.room_or_refuse(name)?;
        let new_name = text::line("new name", new_name)?;
        let holder = reference::room_by_name(self.store.conn(), &new_name)?.map(|r| r.id);
        self.unused_name("room", &new_name, before.id, holder)?;
        if new_name == before.name {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("room '{new_name}' is already so named"),
                "nothing to change",
            )
            .into());
        }
        let after = Room { name: new_name, ..before.clone() };
        self.room_write("room.rename", &before, after)
    }

    /// Retires a room (`retire`: no new bookings; its bookings stay) or puts it
    /// back in use.
    pub fn room_retire(&mut self, name: &str, retire: bool) -> Result<Room> {
        let before = self.room_or_refuse(name)?;
        let cmd = if retire { "reinstate" } else { "retire" };
        self.retirement_changes("room", &before.name, !before.active, retire, &format!("caseshare room {cmd}"))?;
        let after = Room { active: !retire, ..before.clone() };
        self.room_write(if retire { "room.retire" } else { "room.reinstate" }, &before, after)
    }

    fn room_or_refuse(&self, name: &str) -> Result<Room> {
        reference::room_by_name(self.store.conn(), name.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("unknown room '{}'", name.trim()), "check the name")
                .hint("caseshare room list")
                .into()
        })
    }

    fn room_write(&mut self, op: &str, before: &Room, after: Room) -> Result<Room> {
        let (b, a) = (json!(before), json!(after));
        let write = after.clone();
        self.admin_change(op, b, a, move |tx| Ok(reference::update_room(tx, &write)?))?;
        Ok(after)
    }

    pub fn org_add(&mut self, name: &str, kind: &str) -> Result<Organisation> {
        let mut org = Organisation {
            id: 0,
            name: text::line("organisation", name)?,
            kind: code::<OrgKind>("kind", kind)?,
            retired_on: None,
        };
        if reference::org_by_own_name(self.store.conn(), &org.name)?.is_some() {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("organisation '{}' already exists", org.name),
                "nothing to do",
            )
            .into());
        }
        if let Some(other) = reference::org_by_name(self.store.conn(), &org.name)? {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("'{}' is an alias of {}", org.name, other.name),
                "use that organisation, or remove the alias first",
            )
            .hint("caseshare org unalias")
            .into());
        }
        let after = json!(org);
        org.id = self.admin_insert("org.add", after, |tx| Ok(reference::insert_org(tx, &org)?))?;
        Ok(org)
    }

    /// Gives the organisation `org` (named by its name or an alias) another name,
    /// `alias`, by which it is found wherever an organisation is typed (import,
    /// `request new --org`, a viewing's organisation). An alias is unique whatever
    /// its case and is no organisation's name. Recorded as an `org.alias_add` event.
    /// Returns the organisation the alias names.
    pub fn org_alias_add(&mut self, org: &str, alias: &str) -> Result<Organisation> {
        rules::may_administer(&self.actor)?;
        let alias = text::line("alias", alias)?;
        let conn = self.store.conn();
        let target = reference::org_by_name(conn, org.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("unknown organisation '{}'", org.trim()), "check the name")
                .hint("caseshare org list")
        })?;
        if let Some(named) = reference::org_by_own_name(conn, &alias)? {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("'{alias}' is the name of the organisation {}, so it cannot be an alias", named.name),
                "choose another alias",
            )
            .into());
        }
        if let Some(a) = reference::org_alias(conn, &alias)? {
            let of = reference::all_orgs(conn)?.into_iter().find(|o| o.id == a.org_id).map(|o| o.name);
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("'{}' is already an alias of {}", a.alias, of.unwrap_or_default()),
                "remove it first to move it to another organisation",
            )
            .hint("caseshare org unalias")
            .into());
        }
        let after = json!({"org_id": target.id, "org": target.name, "alias": alias});
        self.admin_change("org.alias_add", Value::Null, after, |tx| {
            reference::insert_org_alias(tx, target.id, &alias)?;
            Ok(())
        })?;
        Ok(target)
    }

    /// Removes an alias (in any case). Requests recorded under it keep their
    /// organisation; only the other name goes. Recorded as an `org.alias_remove` event.
    pub fn org_alias_remove(&mut self, alias: &str) -> Result<()> {
        rules::may_administer(&self.actor)?;
        let conn = self.store.conn();
        let a = reference::org_alias(conn, alias.trim())?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("'{}' is no organisation's alias", alias.trim()), "check the alias")
                .hint("caseshare org list")
        })?;
        let of = reference::all_orgs(conn)?.into_iter().find(|o| o.id == a.org_id).map(|o| o.name);
        let before = json!({"org_id": a.org_id, "org": of, "alias": a.alias});
        self.admin_change("org.alias_remove", before, Value::Null, |tx| Ok(reference::delete_org_alias(tx, a.id)?))
    }

    pub fn room_add(&mut self, form: &RoomForm) -> Result<Room> {
        let mut room = Room {
            id: 0,
            name: text::line("room", &form.name)?,
            location: text::optional_line("location", &form.location)?,
            observer_space: form.observer_space,
            secure_storage: form.secure_storage,
            teams: form.teams,
            active: true,
        };
        if reference::room_by_name(self.store.conn(), &room.name)?.is_some() {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("room '{}' already exists", room.name),
                "nothing to do",
            )
            .into());
        }
        let after = json!(room);
        room.id = self.admin_insert("room.add", after, |tx| Ok(reference::insert_room(tx, &room)?))?;
        Ok(room)
    }

    /// Marks this database as the demonstration one, so `demo` may rebuild it.
    pub fn mark_as_demo(&mut self) -> Result<()> {
        self.admin_change("demo.mark", Value::Null, json!({ DEMO_MARK: "1" }), |tx| {
            Ok(reference::set_setting(tx, DEMO_MARK, "1")?)
        })
    }

    /// Sets one of [`KEYS`]; target changes re-derive every open request's due date.
    pub fn setting_set(&mut self, key: &str, value: &str) -> Result<()> {
        let key = key.trim();
        if !KEYS.iter().any(|(k, _)| *k == key) {
            let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(InputError::new("setting", format!("'{key}' is not one of: {}", keys.join(", "))).into());
        }
        // The templates folder may be set back to nothing (each user's own folder).
        let value = if key == "templates_dir" || key == "anchor_file" || key == "appropriate_policy_document" {
            text::optional_line(key, value)?
        } else {
            text::line(key, value)?
        };
        if key.starts_with("target.") {
            match value.parse::<u32>() {
                Ok(n) if (1..=365).contains(&n) => {}
                _ => {
                    return Err(
                        InputError::new(key, format!("'{value}' is not a number of working days (1 to 365)")).into()
                    );
                }
            }
        }
        if key.starts_with("retention.") {
            match value.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => {}
                _ => return Err(InputError::new(key, format!("'{value}' is not a number of years (1 to 100)")).into()),
            }
        }
        if key == "casenote.not_shared" && value != "yes" && value != "no" {
            return Err(InputError::new(key, format!("'{value}' is not yes or no")).into());
        }
        if key == "timezone" && value.parse::<chrono_tz::Tz>().is_err() {
            return Err(InputError::new(key, format!("'{value}' is not a time zone name (e.g. Europe/London)")).into());
        }
        let before = json!({ key: reference::setting(self.store.conn(), key)? });
        self.admin_change("settings.set", before, json!({ key: value }), |tx| {
            Ok(reference::set_setting(tx, key, &value)?)
        })?;
        self.refresh_due_dates()
    }

    /// Adds a bank holiday, or renames the one on that day (the event keeps the old
    /// name); returns the old name when it was a rename.
    pub fn holiday_add(&mut self, day: &str, name: &str) -> Result<Option<String>> {
        let d = crate::domain::dates::parse_date("holiday date", day, self.today())?;
        let name = text::line("holiday name", name)?;
        let old = reference::holidays(self.store.conn())?.into_iter().find(|(h, _)| *h == d).map(|(_, n)| n);
        if old.as_deref() == Some(name.as_str()) {
            return Err(Refusal::new(
                Rule::AlreadyDone,
                format!("{} is already the bank holiday '{name}'", crate::domain::dates::uk(d)),
                "nothing to change (see caseshare holiday list)",
            )
            .into());
        }
        let before = old.as_ref().map_or(Value::Null, |o| json!({"day": d, "name": o}));
        self.admin_change("holiday.add", before, json!({"day": d, "name": name}), |tx| {
            Ok(reference::insert_holiday(tx, d, &name)?)
        })?;
        self.refresh_due_dates()?;
        Ok(old)
    }

    /// Takes a bank holiday away: a listed day comes off the list; a day the rule
    /// gives (a moved holiday, say) is marked removed so the rule no longer counts it.
    pub fn holiday_remove(&mut self, day: &str) -> Result<()> {
        let d = crate::domain::dates::parse_date("holiday date", day, self.today())?;
        let conn = self.store.conn();
        let listed = reference::holidays(conn)?.into_iter().find(|(h, _)| *h == d).map(|(_, n)| n);
        let already = reference::removed_holidays(conn)?.iter().any(|(h, _)| *h == d);
        let rule = crate::domain::dates::rule_holiday(d).filter(|_| !already);
        let Some(name) = listed.clone().or(rule.map(str::to_string)) else {
            return Err(Refusal::new(
                Rule::Reference,
                format!("{} is not a bank holiday, listed or by rule", crate::domain::dates::uk(d)),
                "check the date",
            )
            .hint("caseshare holiday list --year YYYY")
            .into());
        };
        let before = json!({"day": d, "name": name, "by_rule": rule.is_some()});
        self.admin_change("holiday.remove", before, Value::Null, |tx| {
            match rule {
                Some(_) => reference::remove_rule_holiday(tx, d, &name)?,
                None => {
                    reference::delete_holiday(tx, d)?;
                }
            }
            Ok(())
        })?;
        self.refresh_due_dates()
    }

    /// The bank holidays of `year` as working days count them: the rule's, the
    /// council's listed days and the rule's days it removed, each with where it
    /// comes from.
    pub fn holidays_in(&self, year: i32) -> Result<Vec<HolidayLine>> {
        let conn = self.store.conn();
        let in_year = |rows: Vec<(NaiveDate, String)>| -> Vec<(NaiveDate, String)> {
            rows.into_iter().filter(|(d, _)| chrono::Datelike::year(d) == year).collect()
        };
        let listed = in_year(reference::holidays(conn)?);
        let removed = in_year(reference::removed_holidays(conn)?);
        let mut lines: Vec<HolidayLine> = Vec::new();
        for (day, name) in crate::domain::dates::england_and_wales(year) {
            if removed.iter().any(|(d, _)| *d == day) {
                lines.push(HolidayLine { day, name: name.to_string(), source: HolidaySource::Removed });
            } else if !listed.iter().any(|(d, _)| *d == day) {
                lines.push(HolidayLine { day, name: name.to_string(), source: HolidaySource::Rule });
            }
        }
        for (day, name) in listed {
            let source = if crate::domain::dates::rule_holiday(day).is_some() {
                HolidaySource::ListedAndRule
            } else {
                HolidaySource::Listed
            };
            lines.push(HolidayLine { day, name, source });
        }
        lines.sort_by_key(|l| l.day);
        Ok(lines)
    }

    /// Lists every England and Wales day in the government's `bank-holidays.json`
    /// (its `england-and-wales` events): new days added, renamed ones renamed, the
    /// rest left; one `holiday.import` event names the days it changed. A file that
    /// is not that list changes nothing.
    pub fn holiday_import(&mut self, file: &Path) -> Result<HolidayImport> {
        rules::may_administer(&self.actor)?;
        let shown = file.display().to_string();
        let bad = |why: String| InputError::new("holiday file", format!("{}: {why}", text::safe(&shown, false)));
        let body = std::fs::read_to_string(file).map_err(|e| bad(format!("cannot be read: {e}")))?;
        let days = parse_bank_holidays_json(&body).map_err(bad)?;
        let listed = reference::holidays(self.store.conn())?;
        let mut changed: Vec<(NaiveDate, String)> = Vec::new();
        let mut unchanged = 0;
        for (day, name) in &days {
            match listed.iter().find(|(d, _)| d == day) {
                Some((_, n)) if n == name => unchanged += 1,
                _ => changed.push((*day, name.clone())),
            }
        }
        let report = HolidayImport {
            file: shown.clone(),
            days: days.len(),
            changed: changed.len(),
            unchanged,
            from: days.first().map(|(d, _)| *d),
            to: days.last().map(|(d, _)| *d),
        };
        if changed.is_empty() {
            return Ok(report);
        }
        let after = json!({
            "file": shown,
            "days": changed.iter().map(|(d, n)| json!({"day": d, "name": n})).collect::<Vec<_>>(),
        });
        self.admin_change("holiday.import", Value::Null, after, |tx| {
            for (d, n) in &changed {
                reference::insert_holiday(tx, *d, n)?;
            }
            Ok(())
        })?;
        self.refresh_due_dates()?;
        Ok(report)
    }

    /// Due dates depend on targets and holidays: re-derive them for open requests.
    fn refresh_due_dates(&mut self) -> Result<()> {
        if self.store.is_rehearsing() {
            return Ok(());
        }
        let today = self.today();
        let tx = self.store.write()?;
        let open = crate::store::lists::requests(
            &tx,
            &crate::store::lists::ListFilter { open_only: true, ..Default::default() },
            today,
        )?;
        for s in open {
            if let Some(f) = crate::store::requests::load(&tx, &s.reference)? {
                let due = crate::domain::due_date(&f, &self.settings);
                crate::store::requests::set_due(&tx, f.request.id, due)?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// One bank holiday of a year, and why working days skip it (or not).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HolidayLine {
    pub day: NaiveDate,
    pub name: String,
    pub source: HolidaySource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidaySource {
    /// Computed by the England and Wales rule.
    Rule,
    /// The council's list, on a day the rule gives too.
    ListedAndRule,
    /// The council's list only (a one-off, a moved day).
    Listed,
    /// The rule gives it and the council removed it: a working day.
    Removed,
}

impl HolidaySource {
    pub fn label(self) -> &'static str {
        match self {
            HolidaySource::Rule => "by rule",
            HolidaySource::ListedAndRule => "listed (and by rule)",
            HolidaySource::Listed => "listed",
            HolidaySource::Removed => "removed: a working day",
        }
    }
}

/// What `holiday import` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HolidayImport {
    pub file: String,
    /// England and Wales days in the file.
    pub days: usize,
    /// Added or renamed.
    pub changed: usize,
    /// Already listed as they are.
    pub unchanged: usize,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The England and Wales days of the government's `bank-holidays.json`
/// (`{"england-and-wales": {"division": …, "events": [{"title", "date", …}]}, …}`),
/// in date order; why not, as one line.
pub fn parse_bank_holidays_json(body: &str) -> std::result::Result<Vec<(NaiveDate, String)>, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("is not JSON ({e})"))?;
    let events = v
        .get("england-and-wales")
        .and_then(|d| d.get("events"))
        .and_then(Value::as_array)
        .ok_or("has no england-and-wales events: give the government's bank-holidays.json")?;
    let mut days = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let at = format!("event {}", i + 1);
        let date = e.get("date").and_then(Value::as_str).ok_or(format!("{at} has no date"))?;
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| format!("{at}: '{}' is not a date (YYYY-MM-DD)", text::safe(date, false)))?;
        let title = e.get("title").and_then(Value::as_str).ok_or(format!("{at} has no title"))?;
        let name = text::line("holiday name", title).map_err(|e| format!("{at}: {e}"))?;
        days.push((day, name));
    }
    if days.is_empty() {
        return Err("lists no England and Wales days".into());
    }
    days.sort();
    days.dedup_by_key(|(d, _)| *d);
    Ok(days)
}
