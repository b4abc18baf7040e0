//! The administration screen: staff, service areas (with their asset owner),
//! organisations, rooms, settings and the year's bank holidays, one tab each, and
//! the forms that add, rename, retire and reinstate them. Nothing is ever deleted:
//! a retired row stays on the requests that name it. Anyone may look; the keys
//! that change anything are refused at once to all but administrators, and the
//! service refuses them again on save.

use super::form::fields::*;
use super::form::input::{Choice, Date, Text, YesNo};
use super::form::{Form, FormKind};
use super::forms::Lookups;
use super::*;
use crate::domain::settings::KEYS;
use crate::domain::{OrgKind, Role, Settings, rules};
use crate::service::admin::HolidayLine;

/// The tabs, in the order Tab visits them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AdminTab {
    #[default]
    Staff,
    Areas,
    Orgs,
    Rooms,
    Settings,
    Holidays,
}

impl AdminTab {
    pub const ALL: [AdminTab; 6] =
        [AdminTab::Staff, AdminTab::Areas, AdminTab::Orgs, AdminTab::Rooms, AdminTab::Settings, AdminTab::Holidays];

    pub fn label(self) -> &'static str {
        match self {
            AdminTab::Staff => "Staff",
            AdminTab::Areas => "Service areas",
            AdminTab::Orgs => "Organisations",
            AdminTab::Rooms => "Rooms",
            AdminTab::Settings => "Settings",
            AdminTab::Holidays => "Holidays",
        }
    }

    /// A row of this tab as a sentence names it ("organisation 'X'").
    pub fn noun(self) -> &'static str {
        match self {
            AdminTab::Staff => "login",
            AdminTab::Areas => "service area",
            AdminTab::Orgs => "organisation",
            AdminTab::Rooms => "room",
            AdminTab::Settings => "setting",
            AdminTab::Holidays => "bank holiday",
        }
    }

    fn next(self, delta: isize) -> AdminTab {
        let n = Self::ALL.len() as isize;
        let at = Self::ALL.iter().position(|t| *t == self).unwrap_or(0) as isize;
        Self::ALL[(at + delta).rem_euclid(n) as usize]
    }
}

/// What the administration screen shows beyond the app's lookups and settings.
#[derive(Debug, Clone, Default)]
pub struct AdminState {
    pub tab: AdminTab,
    pub selected: usize,
    /// This year's bank holidays as working days count them.
    pub holidays: Vec<HolidayLine>,
}

/// Everything the screen shows, as loaded after a change.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminPage {
    pub lookups: Lookups,
    pub settings: Settings,
    pub holidays: Vec<HolidayLine>,
}

/// One row of a tab: what forms name it by, its cells, and whether it is retired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminRow {
    pub key: String,
    pub cells: Vec<String>,
    pub retired: bool,
}

/// The column headings of a tab.
pub fn headings(tab: AdminTab) -> &'static [&'static str] {
    match tab {
        AdminTab::Staff => &["Login", "Name", "Roles", "State"],
        AdminTab::Areas => &["Service area", "Asset owner", "State"],
        AdminTab::Orgs => &["Organisation", "Kind", "State", "Aliases"],
        AdminTab::Rooms => &["Room", "Location", "Fit for", "State"],
        AdminTab::Settings => &["Setting", "Value"],
        AdminTab::Holidays => &["Date", "Bank holiday", "Counted as"],
    }
}

fn retired_on(on: Option<chrono::NaiveDate>) -> String {
    on.map_or("in use".into(), |d| format!("retired {}", crate::domain::dates::uk(d)))
}

/// Every setting with the value it has now (its default when unset).
pub fn setting_values(st: &Settings) -> Vec<(&'static str, String)> {
    let folder = |v: &Option<String>| v.clone().unwrap_or_else(|| "(each user's config folder)".into());
    KEYS.iter()
        .map(|(key, _)| {
            let value = match *key {
                "target.form_returned" => st.targets.form_returned.to_string(),
                "target.approval" => st.targets.approval.to_string(),
                "target.viewing" => st.targets.viewing.to_string(),
                "target.restore" => st.targets.restore.to_string(),
                "cpru_mailbox" => st.cpru_mailbox.clone(),
                "timezone" => st.timezone.name().to_string(),
                "council_name" => st.council.clone(),
                "templates_dir" => folder(&st.templates_dir),
                "anchor_file" => folder(&st.anchor_file),
                "appropriate_policy_document" => st.policy_document.clone().unwrap_or_else(|| "(not set)".into()),
                "casenote.not_shared" => if st.case_note_not_shared { "yes" } else { "no" }.into(),
                "retention.shared" => st.retention.shared.to_string(),
                "retention.not_shared" => st.retention.not_shared.to_string(),
                "retention.redirected" => st.retention.redirected.to_string(),
                _ => String::new(),
            };
            (*key, value)
        })
        .collect()
}

impl App {
    /// The rows of the tab on screen.
    pub fn admin_rows(&self) -> Vec<AdminRow> {
        let lk = &self.lookups;
        match self.admin.tab {
            AdminTab::Staff => lk
                .staff
                .iter()
                .map(|s| AdminRow {
                    key: s.login.clone(),
                    cells: vec![
                        s.login.clone(),
                        s.name.clone(),
                        s.roles_code(),
                        if s.active { "active" } else { "deactivated" }.into(),
                    ],
                    retired: !s.active,
                })
                .collect(),
            AdminTab::Areas => lk
                .areas
                .iter()
                .map(|a| AdminRow {
                    key: a.name.clone(),
                    cells: vec![
                        a.name.clone(),
                        format!("{} ({})", a.asset_owner.name, a.asset_owner.login),
                        retired_on(a.retired_on),
                    ],
                    retired: a.retired_on.is_some(),
                })
                .collect(),
            AdminTab::Orgs => lk
                .orgs
                .iter()
                .map(|o| AdminRow {
                    key: o.name.clone(),
                    cells: vec![
                        o.name.clone(),
                        o.kind.label().into(),
                        retired_on(o.retired_on),
                        aliases_of(lk, o.id).join("; "),
                    ],
                    retired: o.retired_on.is_some(),
                })
                .collect(),
            AdminTab::Rooms => lk
                .rooms
                .iter()
                .map(|r| {
                    let fit: Vec<&str> =
                        [(r.observer_space, "observer"), (r.secure_storage, "secure storage"), (r.teams, "Teams")]
                            .into_iter()
                            .filter_map(|(has, what)| has.then_some(what))
                            .collect();
                    AdminRow {
                        key: r.name.clone(),
                        cells: vec![
                            r.name.clone(),
                            r.location.clone(),
                            fit.join(", "),
                            if r.active { "in use" } else { "retired" }.into(),
                        ],
                        retired: !r.active,
                    }
                })
                .collect(),
            AdminTab::Settings => setting_values(&self.settings)
                .into_iter()
                .map(|(k, v)| AdminRow { key: k.into(), cells: vec![k.into(), v], retired: false })
                .collect(),
            AdminTab::Holidays => self
                .admin
                .holidays
                .iter()
                .map(|h| AdminRow {
                    key: h.day.format("%Y-%m-%d").to_string(),
                    cells: vec![crate::domain::dates::uk(h.day), h.name.clone(), h.source.label().into()],
                    retired: h.source == crate::service::admin::HolidaySource::Removed,
                })
                .collect(),
        }
    }

    /// `A` from the request list: the administration screen, its data reloaded.
    pub(super) fn open_admin(&mut self) -> Vec<Effect> {
        self.screen = Screen::Admin;
        vec![Effect::LoadAdmin]
    }

    pub(super) fn step_admin(&mut self, delta: isize) -> Vec<Effect> {
        let n = self.admin_rows().len();
        self.admin.selected = self.admin.selected.saturating_add_signed(delta).min(n.saturating_sub(1));
        vec![]
    }

    /// Tab / Shift-Tab: the next or previous tab, from its first row.
    pub(super) fn switch_admin_tab(&mut self, delta: isize) -> Vec<Effect> {
        self.admin.tab = self.admin.tab.next(delta);
        self.admin.selected = 0;
        vec![]
    }

    /// The data arrived after opening the screen or a change.
    pub(super) fn admin_loaded(&mut self, found: Result<Box<AdminPage>, String>) -> Vec<Effect> {
        match found {
            Ok(page) => {
                let AdminPage { lookups, settings, holidays } = *page;
                (self.lookups, self.settings, self.admin.holidays) = (lookups, settings, holidays);
                self.admin.selected = self.admin.selected.min(self.admin_rows().len().saturating_sub(1));
            }
            Err(message) => self.notice = Some(Notice::Error(message)),
        }
        vec![]
    }

    /// A key that changes something: its form for the tab and row under the
    /// cursor. Not an administrator: refused at once, in the words the service
    /// would use. A key that does not apply to the tab says where it does.
    pub(super) fn open_admin_form(&mut self, kind: FormKind) -> Vec<Effect> {
        if let Err(refusal) = rules::may_administer(&self.me) {
            self.notice = Some(Notice::Error(refusal.on_screen()));
            return vec![];
        }
        let tab = self.admin.tab;
        let row = self.admin_rows().into_iter().nth(self.admin.selected);
        let Some(kind) = kind_on(tab, kind) else {
            self.notice = Some(Notice::Info(not_here(kind).into()));
            return vec![];
        };
        let adds = matches!(
            kind,
            FormKind::StaffAdd | FormKind::AreaAdd | FormKind::OrgAdd | FormKind::RoomAdd | FormKind::HolidayAdd
        );
        let target = match (&row, adds) {
            (_, true) => AdminTarget { tab, key: String::new() },
            (Some(r), false) => AdminTarget { tab, key: r.key.clone() },
            (None, false) => {
                self.notice = Some(Notice::Info(format!("No {} to change: add one with a", tab.noun())));
                return vec![];
            }
        };
        let form = form(kind, target, &self.lookups, &self.settings);
        // Nothing to type: checked at once, then asked y/n (as a release is).
        let effects = if kind.needs_confirmation() { vec![Effect::Check(Save::of(&form))] } else { vec![] };
        self.form = Some(form);
        effects
    }
}

/// The form a key opens on a tab: `a` adds, `e` renames (edits a setting), `x`
/// retires (removes a holiday), `u` reinstates, `o` sets an area's owner, `K` an
/// organisation's kind, `r` a login's roles. `None`: not on this tab.
fn kind_on(tab: AdminTab, key: FormKind) -> Option<FormKind> {
    use AdminTab as T;
    use FormKind as K;
    Some(match (key, tab) {
        (K::StaffAdd, T::Staff) => K::StaffAdd,
        (K::StaffAdd, T::Areas) => K::AreaAdd,
        (K::StaffAdd, T::Orgs) => K::OrgAdd,
        (K::StaffAdd, T::Rooms) => K::RoomAdd,
        (K::StaffAdd, T::Holidays) => K::HolidayAdd,
        (K::AdminRename, T::Settings) => K::AdminSetting,
        (K::AdminRename, T::Staff | T::Areas | T::Orgs | T::Rooms) => K::AdminRename,
        (K::AdminRetire, T::Holidays) => K::HolidayRemove,
        (K::AdminRetire | K::AdminReinstate, T::Staff | T::Areas | T::Orgs | T::Rooms) => key,
        (K::AreaOwner, T::Areas)
        | (K::OrgKindSet | K::OrgAlias | K::OrgUnalias, T::Orgs)
        | (K::AdminRoles, T::Staff) => key,
        _ => return None,
    })
}

/// Where a key that does nothing on this tab does something.
fn not_here(key: FormKind) -> &'static str {
    match key {
        FormKind::StaffAdd => "Settings are edited with e: nothing to add there",
        FormKind::AdminRename => "A holiday is renamed by adding it again on its date (a)",
        FormKind::AdminRetire | FormKind::AdminReinstate => {
            "Only staff, service areas, organisations and rooms are retired and reinstated"
        }
        FormKind::AreaOwner => "o sets the asset owner on the Service areas tab",
        FormKind::OrgKindSet => "K sets the kind on the Organisations tab",
        FormKind::OrgAlias | FormKind::OrgUnalias => "l and L add and remove aliases on the Organisations tab",
        FormKind::AdminRoles => "r sets the roles on the Staff tab",
        _ => "Not on this tab",
    }
}

fn managers(lk: &Lookups) -> Vec<(String, String)> {
    lk.staff
        .iter()
        .filter(|s| s.active && s.has(Role::Manager))
        .map(|s| (s.login.clone(), format!("{} ({})", s.name, s.login)))
        .collect()
}

/// The aliases of the organisation `id`.
fn aliases_of(lk: &Lookups, id: i64) -> Vec<String> {
    lk.aliases.iter().filter(|(org, _)| *org == id).map(|(_, a)| a.clone()).collect()
}

fn kinds() -> Vec<(OrgKind, String)> {
    OrgKind::ALL.iter().map(|k| (*k, k.label().to_string())).collect()
}

/// An administration form of `kind` on `target` (its key empty for an addition).
pub fn form(kind: FormKind, target: AdminTarget, lk: &Lookups, settings: &Settings) -> Form {
    let key = target.key.clone();
    let named = format!("{} '{}'", target.tab.noun(), key);
    let current = |tab: AdminTab| -> String {
        match tab {
            AdminTab::Staff => lk.staff.iter().find(|s| s.login == key).map(|s| s.name.clone()),
            _ => Some(key.clone()),
        }
        .unwrap_or_default()
    };
    let mut question = None;
    let fields = match kind {
        FormKind::StaffAdd => Fields::StaffAdd(StaffAddFields {
            login: Text::line("Login", "", "required: their computer login"),
            name: Text::line("Name", "", "required"),
            position: Text::line("Position", "", ""),
            email: Text::line("Email", "", ""),
            roles: Text::line("Roles", "bsa", "comma list: bsa, manager, admin, readonly, ig"),
        }),
        FormKind::AreaAdd => Fields::AreaAdd(AreaAddFields {
            name: Text::line("Service area", "", "required"),
            owner: Choice::unset("Asset owner", managers(lk)),
        }),
        FormKind::OrgAdd => Fields::OrgAdd(OrgAddFields {
            name: Text::line("Organisation", "", "required"),
            kind: Choice::new("Kind", kinds(), Some(&OrgKind::LocalAuthority)),
        }),
        FormKind::RoomAdd => Fields::RoomAdd(RoomAddFields {
            name: Text::line("Room", "", "required"),
            location: Text::line("Location", "", ""),
            observer_space: YesNo::new("Observer space", true),
            secure_storage: YesNo::new("Secure storage", true),
            teams: YesNo::new("Teams kit", false),
        }),
        FormKind::HolidayAdd => Fields::HolidayAdd(HolidayAddFields {
            date: Date::new("Date", "", "DD/MM/YYYY; a listed date is renamed"),
            name: Text::line("Name", "", "required"),
        }),
        FormKind::AdminRoles => {
            let roles = lk.staff.iter().find(|s| s.login == key).map(|s| s.roles_code()).unwrap_or_default();
            Fields::AdminRoles(AdminTextFields {
                target: target.clone(),
                text: Text::line("Roles", &roles, "comma list: bsa, manager, admin, readonly, ig"),
            })
        }
        FormKind::AdminSetting => {
            let value = settings_value(settings, &key);
            let hint = KEYS.iter().find(|(k, _)| *k == key).map_or("", |(_, h)| *h);
            Fields::AdminSetting(AdminTextFields { target: target.clone(), text: Text::line("Value", &value, hint) })
        }
        FormKind::AreaOwner => {
            let owner = lk.areas.iter().find(|a| a.name == key).map(|a| a.asset_owner.login.clone());
            Fields::AreaOwner(AreaOwnerFields {
                target: target.clone(),
                owner: Choice::new("Asset owner", managers(lk), owner.as_ref()),
            })
        }
        FormKind::OrgKindSet => {
            let kind = lk.orgs.iter().find(|o| o.name == key).map(|o| o.kind);
            Fields::OrgKindSet(OrgKindFields {
                target: target.clone(),
                kind: Choice::new("Kind", kinds(), kind.as_ref()),
            })
        }
        FormKind::OrgAlias => Fields::OrgAlias(AdminTextFields {
            target: target.clone(),
            text: Text::line("Alias", "", "required: another name it is known by, e.g. Exampleshire CC"),
        }),
        FormKind::OrgUnalias => {
            let id = lk.orgs.iter().find(|o| o.name == key).map(|o| o.id);
            let options = id.map(|id| aliases_of(lk, id)).unwrap_or_default().into_iter().map(|a| (a.clone(), a));
            Fields::OrgUnalias(OrgUnaliasFields {
                target: target.clone(),
                alias: Choice::unset("Alias", options.collect()),
            })
        }
        FormKind::AdminRetire | FormKind::AdminReinstate | FormKind::HolidayRemove => {
            question = Some(match kind {
                FormKind::AdminRetire if target.tab == AdminTab::Staff => {
                    format!("Deactivate {named}? It can no longer sign in; what it recorded keeps its name. y / n")
                }
                FormKind::AdminRetire => {
                    format!("Retire {named}? Its requests keep it; it is offered for no new one. y / n")
                }
                FormKind::AdminReinstate => format!("Put {named} back in use? y / n"),
                _ => format!("Remove the bank holiday on {key}? Working days count it again. y / n"),
            });
            let fields = AdminTargetFields { target: target.clone() };
            match kind {
                FormKind::AdminRetire => Fields::AdminRetire(fields),
                FormKind::AdminReinstate => Fields::AdminReinstate(fields),
                _ => Fields::HolidayRemove(fields),
            }
        }
        // Rename, and anything else asked of a row: its new name.
        _ => Fields::AdminRename(AdminTextFields {
            target: target.clone(),
            text: Text::line("New name", &current(target.tab), "required"),
        }),
    };
    let mut form = Form::new(None, None, fields);
    if !key.is_empty() {
        form.preface = Some(capitalised(&named));
    }
    form.question = question;
    form
}

fn settings_value(settings: &Settings, key: &str) -> String {
    // A folder or document not set is typed as nothing, not as its placeholder.
    let unset = matches!(key, "templates_dir" | "anchor_file" | "appropriate_policy_document");
    let value = setting_values(settings).into_iter().find(|(k, _)| *k == key).map(|(_, v)| v).unwrap_or_default();
    if unset && value.starts_with('(') { String::new() } else { value }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
