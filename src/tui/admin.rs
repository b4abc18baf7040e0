//! The administration screen's loads and saves, through the same service calls and
//! in the same words as `caseshare staff`, `area`, `org`, `room`, `settings` and
//! `holiday`.

use chrono::Datelike;

use super::submit::t;
use crate::app::admin::{AdminPage, AdminTab};
use crate::app::form::fields::*;
use crate::domain::text::safe;
use crate::service::admin::{RoomForm, StaffForm};
use crate::service::{Result, Service};

/// What the screen shows: the pickers' lookups (every row, retired ones too), the
/// settings, and this year's bank holidays.
pub fn page(svc: &Service) -> Result<AdminPage> {
    Ok(AdminPage {
        lookups: super::lookups(svc)?,
        settings: svc.settings().clone(),
        holidays: svc.holidays_in(svc.today().year())?,
    })
}

/// Saves an administration form; the status line's message.
pub fn submit(svc: &mut Service, values: &Values) -> Result<String> {
    let s = |v: &str| safe(v, false).into_owned();
    Ok(match values {
        Values::StaffAdd(StaffAddValues { login, name, position, email, roles }) => {
            let form =
                StaffForm { login: t(login), name: t(name), position: t(position), email: t(email), roles: t(roles) };
            let st = svc.staff_add(&form)?;
            format!("{} ({}) registered as {}", s(&st.login), s(&st.name), st.roles_code())
        }
        Values::AreaAdd(AreaAddValues { name, owner }) => {
            let owner = owner_chosen(owner)?;
            svc.area_add(name, &owner)?;
            format!("Service area {} added; asset owner {}", s(name.trim()), s(&owner))
        }
        Values::OrgAdd(OrgAddValues { name, kind }) => {
            let o = svc.org_add(name, &t(kind))?;
            format!("Organisation {} ({}) added", s(&o.name), o.kind.label())
        }
        Values::RoomAdd(RoomAddValues { name, location, observer_space, secure_storage, teams }) => {
            let form = RoomForm {
                name: t(name),
                location: t(location),
                observer_space: *observer_space,
                secure_storage: *secure_storage,
                teams: *teams,
            };
            format!("Room {} added", s(&svc.room_add(&form)?.name))
        }
        Values::HolidayAdd(HolidayAddValues { date, name }) => match svc.holiday_add(&t(date), name)? {
            Some(old) => format!("Bank holiday renamed (it was '{}')", s(&old)),
            None => "Bank holiday added".into(),
        },
        Values::AdminRename(AdminTextValues { target, text }) => {
            let old = s(&target.key);
            match target.tab {
                AdminTab::Staff => {
                    let st = svc.staff_rename(&target.key, text)?;
                    format!("{} is now named {}", s(&st.login), s(&st.name))
                }
                AdminTab::Areas => {
                    format!("Service area {old} is now {}", s(&svc.area_rename(&target.key, text)?.name))
                }
                AdminTab::Orgs => {
                    let o = svc.org_update(&target.key, Some(text), None)?;
                    format!("Organisation {old} is now {}", s(&o.name))
                }
                _ => format!("Room {old} is now {}", s(&svc.room_rename(&target.key, text)?.name)),
            }
        }
        Values::AdminRoles(AdminTextValues { target, text }) => {
            let st = svc.staff_update(&target.key, Some(text), None)?;
            format!("{} now has roles {}", s(&st.login), st.roles_code())
        }
        Values::AdminSetting(AdminTextValues { target, text }) => {
            svc.setting_set(&target.key, text)?;
            if text.trim().is_empty() {
                format!("{} cleared: back to its default", s(&target.key))
            } else {
                format!("{} set to {}", s(&target.key), s(text.trim()))
            }
        }
        Values::AdminRetire(AdminTargetValues { target }) => retire(svc, target, true)?,
        Values::AdminReinstate(AdminTargetValues { target }) => retire(svc, target, false)?,
        Values::HolidayRemove(AdminTargetValues { target }) => {
            svc.holiday_remove(&target.key)?;
            "Bank holiday removed".into()
        }
        Values::AreaOwner(AreaOwnerValues { target, owner }) => {
            let owner = owner_chosen(owner)?;
            svc.area_set_owner(&target.key, &owner)?;
            format!("Asset owner of {} is now {}", s(&target.key), s(&owner))
        }
        Values::OrgKindSet(OrgKindValues { target, kind }) => {
            let o = svc.org_update(&target.key, None, Some(&t(kind)))?;
            format!("Organisation {} is now {}", s(&o.name), o.kind.label())
        }
        Values::OrgAlias(AdminTextValues { target, text }) => {
            let o = svc.org_alias_add(&target.key, text)?;
            format!("'{}' is now an alias of {}", s(text.trim()), s(&o.name))
        }
        Values::OrgUnalias(OrgUnaliasValues { target, alias }) => {
            let alias = alias.clone().ok_or_else(|| {
                crate::domain::InputError::new("alias", format!("is required: choose one of {}'s aliases", target.key))
            })?;
            svc.org_alias_remove(&alias)?;
            format!("Alias '{}' removed from {}", s(&alias), s(&target.key))
        }
        _ => return Err(crate::domain::InputError::new("form", "is not an administration form").into()),
    })
}

/// The asset owner picked, by login; none picked is refused as the field required.
fn owner_chosen(owner: &Option<String>) -> Result<String> {
    owner.clone().ok_or_else(|| {
        crate::domain::InputError::new("asset owner", "is required: choose an active service manager").into()
    })
}

fn retire(svc: &mut Service, target: &AdminTarget, retire: bool) -> Result<String> {
    let name = safe(&target.key, false);
    let done = if retire { "retired" } else { "back in use" };
    Ok(match target.tab {
        AdminTab::Staff => {
            svc.staff_update(&target.key, None, Some(!retire))?;
            format!("{name} {}", if retire { "deactivated" } else { "activated" })
        }
        AdminTab::Areas => {
            svc.area_retire(&target.key, retire)?;
            format!("Service area {name} {done}")
        }
        AdminTab::Orgs => {
            svc.org_retire(&target.key, retire)?;
            format!("Organisation {name} {done}")
        }
        _ => {
            svc.room_retire(&target.key, retire)?;
            format!("Room {name} {done}")
        }
    })
}
