//! The names a workbook uses that the database does not know: found once each,
//! with a suggestion where one is close, and resolved (created, or taken as an
//! alias) by `--create-missing` or a reviewed proposals file.

use super::*;

/// Every organisation, service area and person the rows name that the database
/// does not have, each once (whatever its case), with the rows naming it.
pub(super) fn unknown_names(conn: &rusqlite::Connection, parsed: &Parsed) -> Result<Vec<Unknown>> {
    let mut out: Vec<Unknown> = Vec::new();
    // Each name is looked up once, however many rows name it.
    let mut known: HashMap<(Missing, String), bool> = HashMap::new();
    let mut is_known = |what: Missing, name: &str| -> Result<bool> {
        let key = (what, name.to_lowercase());
        if let Some(k) = known.get(&key) {
            return Ok(*k);
        }
        let k = match what {
            Missing::Organisation => reference::org_by_name(conn, name)?.is_some(),
            Missing::ServiceArea => reference::area_by_name(conn, name)?.is_some(),
            // A name several staff share is not unknown: the row must say which
            // (see `who_is`), and no one is created for it.
            Missing::Person => {
                reference::staff_by_login_or_name(conn, name)?.is_some()
                    || reference::logins_named(conn, name)?.len() > 1
            }
        };
        known.insert(key, k);
        Ok(k)
    };
    let mut note = |what: Missing, name: &str, sheet: &str, row: usize, approves: bool| match out
        .iter_mut()
        .find(|u| u.what == what && u.name.eq_ignore_ascii_case(name))
    {
        Some(u) => {
            u.rows.push((sheet.to_string(), row));
            u.approves |= approves;
        }
        None => out.push(Unknown {
            what,
            name: name.to_string(),
            rows: vec![(sheet.to_string(), row)],
            approves,
            proposal: String::new(),
            resolved: false,
        }),
    };
    let rs = &parsed.request_sheet;
    for r in &parsed.requests {
        if !is_known(Missing::Organisation, &r.organisation)? {
            note(Missing::Organisation, &r.organisation, rs, r.row, false);
        }
        if !r.service_area.is_empty() && !is_known(Missing::ServiceArea, &r.service_area)? {
            note(Missing::ServiceArea, &r.service_area, rs, r.row, false);
        }
        if r.decision.is_some() && !r.approver.is_empty() && !is_known(Missing::Person, &r.approver)? {
            note(Missing::Person, &r.approver, rs, r.row, true);
        }
    }
    let ts = &parsed.tracker_sheet;
    for v in &parsed.viewings {
        if !v.organisation.is_empty() && !is_known(Missing::Organisation, &v.organisation)? {
            note(Missing::Organisation, &v.organisation, ts, v.row, false);
        }
        if !v.supervisor.is_empty() && !is_known(Missing::Person, &v.supervisor)? {
            note(Missing::Person, &v.supervisor, ts, v.row, false);
        }
    }
    Ok(out)
}

/// For each unknown organisation, a registered one whose name starts with the same
/// word ("Exampleshire CC" → "Exampleshire County Council"), when exactly one does.
pub(super) fn suggestions(conn: &rusqlite::Connection, unknown: &[Unknown]) -> Result<BTreeMap<String, String>> {
    let orgs = reference::all_orgs(conn)?;
    let first = |s: &str| s.split_whitespace().next().unwrap_or_default().to_lowercase();
    let mut out = BTreeMap::new();
    for u in unknown.iter().filter(|u| u.what == Missing::Organisation) {
        let w = first(&u.name);
        let like: Vec<&Organisation> = orgs.iter().filter(|o| w.chars().count() > 2 && first(&o.name) == w).collect();
        if let [one] = like.as_slice() {
            out.insert(u.name.clone(), one.name.clone());
        }
    }
    Ok(out)
}

/// A login for a person an import creates: `imported:` and their name, which no
/// account can log in as (account names hold no colon).
fn imported_login(conn: &rusqlite::Connection, name: &str) -> Result<String> {
    let slug: String = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(".");
    let base = format!("imported:{slug}");
    let mut login = base.clone();
    let mut n = 1;
    while reference::staff_by_login(conn, &login)?.is_some() {
        n += 1;
        login = format!("{base}.{n}");
    }
    Ok(login)
}

/// Decides what to do with each unknown name (the proposal) and, with
/// `create_missing` or a reviewed proposals file, does it in the import's
/// transaction: people first (an area's asset owner may be one), then
/// organisations, then service areas.
pub(super) fn resolve(
    batch: &mut Batch,
    mapping: &Mapping,
    options: &ImportOptions,
    parsed: &Parsed,
    report: &mut ImportReport,
) -> Result<()> {
    let proposals = options.proposals.clone().unwrap_or_default();
    let wants_any = options.create_missing || options.proposals.is_some();
    if wants_any && !report.unknown.is_empty() {
        rules::may_administer(batch.actor()).map_err(|r| {
            Refusal::new(
                r.rule,
                format!(
                    "{}: creating organisations, service areas and staff records needs an administrator",
                    r.message
                ),
                "ask an administrator to run the import, or to add them first",
            )
        })?;
    }
    let mut unknown = std::mem::take(&mut report.unknown);
    // People first (an area's asset owner may be one), then organisations, then areas.
    unknown.sort_by_key(|u| match u.what {
        Missing::Person => 0,
        Missing::Organisation => 1,
        Missing::ServiceArea => 2,
    });
    for u in &mut unknown {
        match u.what {
            Missing::Person => {
                let role = if u.approves { Role::Manager } else { Role::Bsa };
                u.proposal = format!(
                    "create a staff record that cannot log in, as {}",
                    if u.approves { "a manager (an asset owner)" } else { "a former member of staff (inactive)" }
                );
                let create = proposals.person(&u.name).map(|p| p.create).unwrap_or(options.create_missing);
                if create {
                    let name = text::line("name", &u.name)?;
                    let login = imported_login(batch.conn(), &name)?;
                    let staff = Staff {
                        id: 0,
                        login,
                        name,
                        position: String::new(),
                        email: String::new(),
                        roles: vec![role],
                        // An asset owner must be active; others are history only.
                        active: u.approves,
                    };
                    let staff = batch.add_staff(staff)?;
                    report.created.push(format!("staff record '{}' ({}, {})", staff.name, staff.login, role.as_code()));
                    u.resolved = true;
                }
            }
            Missing::Organisation => {
                let entry = proposals.organisation(&u.name);
                if let Some(existing) = entry.and_then(|e| e.alias_of.as_deref()) {
                    let Some(org) = reference::org_by_name(batch.conn(), existing)? else {
                        u.proposal =
                            format!("alias-of '{existing}' names no registered organisation (caseshare org list)");
                        continue;
                    };
                    u.proposal = format!("alias of {}", org.name);
                    let alias = text::line("alias", &u.name)?;
                    batch.add_org_alias(&org, &alias)?;
                    report.created.push(format!("alias '{alias}' of {}", org.name));
                    u.resolved = true;
                    continue;
                }
                let kind = match entry.and_then(|e| e.create.as_deref()) {
                    Some(k) => Some(crate::service::forms::code::<OrgKind>("kind", k)?),
                    None => proposals::infer_kind(&u.name).or(match &mapping.defaults.organisation_kind {
                        Some(k) => Some(crate::service::forms::code::<OrgKind>("organisation-kind", k)?),
                        None => None,
                    }),
                };
                let like = report
                    .suggestions
                    .get(&u.name)
                    .map(|o| format!(" (looks like {o}: an alias?)"))
                    .unwrap_or_default();
                let Some(kind) = kind else {
                    u.proposal = format!(
                        "the name does not tell its kind: say create = \"KIND\" in a proposals file, or organisation-kind in the mapping's [defaults]{like}"
                    );
                    continue;
                };
                u.proposal = format!("create as {}{like}", kind.as_code());
                if entry.is_some() || options.create_missing {
                    let org =
                        Organisation { id: 0, name: text::line("organisation", &u.name)?, kind, retired_on: None };
                    let org = batch.add_org(org)?;
                    report.created.push(format!("organisation '{}' ({})", org.name, kind.as_code()));
                    u.resolved = true;
                }
            }
            Missing::ServiceArea => {
                let entry = proposals.service_area(&u.name);
                // Its asset owner: as the reviewer says, or the first approver its rows
                // name, or the mapping's default.
                let from_rows = parsed
                    .requests
                    .iter()
                    .find(|r| {
                        r.service_area.eq_ignore_ascii_case(&u.name) && r.decision.is_some() && !r.approver.is_empty()
                    })
                    .map(|r| r.approver.clone());
                let owner_name = entry
                    .and_then(|e| e.asset_owner.clone())
                    .or(from_rows)
                    .or_else(|| mapping.defaults.asset_owner.clone());
                let Some(owner_name) = owner_name else {
                    u.proposal = "needs an asset owner: no row names its approver; say asset-owner = \"login or name\" in a proposals file, or asset-owner in the mapping's [defaults]".into();
                    continue;
                };
                let owner = reference::staff_by_login_or_name(batch.conn(), &owner_name)?;
                let create = entry.map(|e| e.create).unwrap_or(options.create_missing);
                match owner {
                    Some(o) if o.active && o.has(Role::Manager) => {
                        u.proposal = format!("create with asset owner {} ({})", o.name, o.login);
                        if create {
                            let name = text::line("service area", &u.name)?;
                            batch.add_area(&name, &o)?;
                            report.created.push(format!("service area '{name}' (asset owner {})", o.login));
                            u.resolved = true;
                        }
                    }
                    Some(o) => {
                        u.proposal = format!(
                            "its asset owner would be {} ({}), who is not an active manager: make them one (caseshare staff set-roles) or name another",
                            o.name, o.login
                        );
                    }
                    None => {
                        u.proposal = format!("create with asset owner {owner_name} (created first, as a person)");
                    }
                }
            }
        }
    }
    unknown.sort_by_key(|u| u.what);
    report.unknown = unknown;
    Ok(())
}
