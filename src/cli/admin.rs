//! Administration: staff, service areas, organisations, rooms, settings and bank holidays.

use super::print;
use super::*;
use crate::domain::text;
use crate::service::admin::{RoomForm, StaffForm};
use crate::service::{Service, ServiceError};

/// Staff: add, roles, rename, (de)activate, list.
pub(super) fn staff(svc: &mut Service, c: StaffCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        StaffCmd::Add { login, name, position, email, roles } => {
            let s = svc.staff_add(&StaffForm { login, name, position, email, roles })?;
            say!("{} ({}) registered as {}.", text::safe(&s.login, false), text::safe(&s.name, false), s.roles_code());
        }
        StaffCmd::SetRoles { login, roles } => {
            let s = svc.staff_update(&login, Some(&roles), None)?;
            say!("{} now has roles {}.", text::safe(&s.login, false), s.roles_code());
        }
        StaffCmd::Rename { login, name } => {
            let s = svc.staff_rename(&login, &name)?;
            say!("{} is now named {}.", text::safe(&s.login, false), text::safe(&s.name, false));
        }
        StaffCmd::Deactivate { login } => {
            svc.staff_update(&login, None, Some(false))?;
            say!("{} deactivated.", text::safe(&login, false));
        }
        StaffCmd::Activate { login } => {
            svc.staff_update(&login, None, Some(true))?;
            say!("{} activated.", text::safe(&login, false));
        }
        StaffCmd::List => print::staff(&svc.staff()?, json)?,
    }
    Ok(())
}

/// Service areas and their asset owners.
pub(super) fn area(svc: &mut Service, c: AreaCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        AreaCmd::Add { name, owner } => {
            svc.area_add(&name, &owner)?;
            say!("Service area {} added; asset owner {}.", text::safe(&name, false), text::safe(&owner, false));
            Ok(())
        }
        AreaCmd::SetOwner { name, owner } => {
            svc.area_set_owner(&name, &owner)?;
            say!("Asset owner of {} is now {}.", text::safe(&name, false), text::safe(&owner, false));
            Ok(())
        }
        AreaCmd::Rename { name, new_name } => {
            let a = svc.area_rename(&name, &new_name)?;
            say!("Service area {} is now {}.", text::safe(&name, false), text::safe(&a.name, false));
            Ok(())
        }
        AreaCmd::Retire { name } => {
            let a = svc.area_retire(&name, true)?;
            say!(
                "Service area {} retired: offered for no new request; its requests keep it.",
                text::safe(&a.name, false)
            );
            Ok(())
        }
        AreaCmd::Reinstate { name } => {
            let a = svc.area_retire(&name, false)?;
            say!("Service area {} is in use again.", text::safe(&a.name, false));
            Ok(())
        }
        AreaCmd::List => print::areas(&svc.areas()?, json),
    }
}

/// Organisations.
pub(super) fn org(svc: &mut Service, c: OrgCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        OrgCmd::Add { name, kind } => {
            let o = svc.org_add(&name, &kind)?;
            say!("Organisation {} ({}) added.", text::safe(&o.name, false), o.kind.label());
            Ok(())
        }
        OrgCmd::List => print::orgs(&svc.organisations_with_aliases()?, json),
        OrgCmd::Alias { org, alias } => {
            let o = svc.org_alias_add(&org, &alias)?;
            say!("'{}' is now an alias of {}.", text::safe(alias.trim(), false), text::safe(&o.name, false));
            Ok(())
        }
        OrgCmd::Unalias { alias } => {
            svc.org_alias_remove(&alias)?;
            say!("Alias '{}' removed.", text::safe(alias.trim(), false));
            Ok(())
        }
        OrgCmd::Rename { name, new_name, kind } => {
            let o = svc.org_update(&name, Some(&new_name), kind.as_deref())?;
            say!(
                "Organisation {} is now {}, kind {}.",
                text::safe(&name, false),
                text::safe(&o.name, false),
                o.kind.label()
            );
            Ok(())
        }
        OrgCmd::SetKind { name, kind } => {
            let o = svc.org_update(&name, None, Some(&kind))?;
            say!("Organisation {} is now {}.", text::safe(&o.name, false), o.kind.label());
            Ok(())
        }
        OrgCmd::Retire { name } => {
            let o = svc.org_retire(&name, true)?;
            say!(
                "Organisation {} retired: offered for no new request; its requests keep it.",
                text::safe(&o.name, false)
            );
            Ok(())
        }
        OrgCmd::Reinstate { name } => {
            let o = svc.org_retire(&name, false)?;
            say!("Organisation {} is in use again.", text::safe(&o.name, false));
            Ok(())
        }
    }
}

/// Viewing rooms.
pub(super) fn room(svc: &mut Service, c: RoomCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        RoomCmd::Add { name, location, observer_space, secure_storage, teams } => {
            let r = svc.room_add(&RoomForm { name, location, observer_space, secure_storage, teams })?;
            say!("Room {} added.", text::safe(&r.name, false));
            Ok(())
        }
        RoomCmd::Rename { name, new_name } => {
            let r = svc.room_rename(&name, &new_name)?;
            say!("Room {} is now {}.", text::safe(&name, false), text::safe(&r.name, false));
            Ok(())
        }
        RoomCmd::Retire { name } => {
            let r = svc.room_retire(&name, true)?;
            say!("Room {} retired: booked no more; its bookings stay.", text::safe(&r.name, false));
            Ok(())
        }
        RoomCmd::Reinstate { name } => {
            let r = svc.room_retire(&name, false)?;
            say!("Room {} is in use again.", text::safe(&r.name, false));
            Ok(())
        }
        RoomCmd::List => print::rooms(&svc.rooms()?, json),
    }
}

/// Settings.
pub(super) fn settings(svc: &mut Service, c: SettingsCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        SettingsCmd::Set { key, value } => {
            svc.setting_set(&key, &value)?;
            if value.trim().is_empty() {
                say!("{} cleared: back to its default.", text::safe(&key, false));
            } else {
                say!("{} set to {}.", text::safe(&key, false), text::safe(&value, false));
            }
            if let Some(note) = site_note(svc, Some(key.trim())) {
                say!("{note}");
            }
            Ok(())
        }
        SettingsCmd::List => {
            print::settings(svc.settings(), json)?;
            match site_note(svc, None) {
                Some(note) if !json => say!("{note}"),
                _ => {}
            }
            Ok(())
        }
    }
}

/// Which settings the configuration file gives instead (all, or only `key`): it
/// wins over the database's, so an administrator is told.
fn site_note(svc: &Service, key: Option<&str>) -> Option<String> {
    let site = svc.site();
    let keys: Vec<&str> = [("council_name", site.council_name.is_some()), ("anchor_file", site.anchor_file.is_some())]
        .into_iter()
        .filter(|(k, set)| *set && key.is_none_or(|want| want == *k))
        .map(|(k, _)| k)
        .collect();
    (!keys.is_empty()).then(|| {
        format!(
            "Here {} {} from {}, which wins over the database's setting.",
            keys.join(" and "),
            if keys.len() == 1 { "comes" } else { "come" },
            text::safe(&site.file, false)
        )
    })
}

/// Bank holidays, which working-day targets skip.
pub(super) fn holiday(svc: &mut Service, c: HolidayCmd, json: bool) -> Result<(), ServiceError> {
    match c {
        HolidayCmd::Add { date, name } => {
            match svc.holiday_add(&date, &name)? {
                Some(old) => say!("Bank holiday renamed (it was '{}').", text::safe(&old, false)),
                None => say!("Bank holiday added."),
            }
            Ok(())
        }
        HolidayCmd::Remove { date } => {
            svc.holiday_remove(&date)?;
            say!("Bank holiday removed.");
            Ok(())
        }
        HolidayCmd::List { year: None } => {
            let listed = svc.holidays()?;
            print::holidays(&listed, json)?;
            if !json {
                let known = svc.settings().holidays.known_to();
                let by_rule = known.map_or("every year".to_string(), |y| format!("after {y}"));
                say!(
                    "Other days (and every day {by_rule}) come from the England and Wales rule: caseshare holiday list --year YYYY shows a year."
                );
            }
            Ok(())
        }
        HolidayCmd::List { year: Some(year) } => {
            if !(1900..=2999).contains(&year) {
                return Err(crate::domain::InputError::new(
                    "year",
                    format!("'{year}' is not a year from 1900 to 2999"),
                )
                .into());
            }
            let lines = svc.holidays_in(year)?;
            if json {
                return print::json(&lines);
            }
            for l in &lines {
                let day = crate::domain::dates::uk(l.day);
                say!("{day}  {:<32}  {}", text::safe(&l.name, false), l.source.label());
            }
            if svc.settings().holidays.known_to().is_none_or(|y| year > y) {
                say!(
                    "No day of {year} is listed: these are the rule's. Add one-off days with caseshare holiday add, or caseshare holiday import the government's file."
                );
            }
            Ok(())
        }
        HolidayCmd::Import { file } => {
            let r = svc.holiday_import(&file)?;
            if json {
                return print::json(&r);
            }
            let span = match (r.from, r.to) {
                (Some(a), Some(b)) => format!(" ({} to {})", crate::domain::dates::uk(a), crate::domain::dates::uk(b)),
                _ => String::new(),
            };
            say!(
                "{} England and Wales bank holidays in {}{span}: {} added or renamed, {} already listed.",
                r.days,
                text::safe(&r.file, false),
                r.changed,
                r.unchanged
            );
            Ok(())
        }
    }
}
