//! A tracker row without a reference matched to its request by child,
//! organisation and date; none, or several equally, is the reason it is reported.

use super::*;

/// The request a tracker row without a reference is of: one naming its child (by
/// name or Mosaic ID), from its organisation (through aliases; any, when the row
/// names none), received on or before the viewing; of several, the one approved
/// (or else received) latest before the viewing. None, or several equally, is the
/// reason it is reported.
pub(super) fn match_viewing(
    conn: &rusqlite::Connection,
    v: &ViewingRow,
    known: &HashMap<String, Known>,
    index: &HashMap<String, Vec<String>>,
    request_sheet: &str,
) -> Result<std::result::Result<String, String>> {
    let org = match v.organisation.trim() {
        "" => None,
        name => reference::org_by_name(conn, name)?,
    };
    let names: Vec<String> = v.child.split(',').map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect();
    let ids: Vec<String> = v.mosaic_id.split(',').map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect();
    // Only the requests naming the child are looked at (by the index, not a scan).
    let mut keys: Vec<&String> = names.iter().chain(&ids).filter_map(|n| index.get(n)).flatten().collect();
    keys.sort_unstable();
    keys.dedup();
    let candidates = keys.into_iter().filter_map(|k| known.get_key_value(k));
    Ok(choose(v.day, &names, &ids, org.as_ref().map(|o| o.id), candidates).map_err(|c| match c {
        Choice::None => format!(
            "matches no request: none for {}{} received on or before {}; log it by hand after the import (caseshare viewing), or correct the row",
            if v.child.is_empty() { v.mosaic_id.clone() } else { v.child.clone() },
            org.as_ref().map(|o| format!(" from {}", o.name)).unwrap_or_default(),
            dates::uk(v.day)
        ),
        Choice::Several(rows) => format!(
            "matches {} requests equally ({}): log it by hand after the import (caseshare viewing)",
            rows.len(),
            proposals::rows_text(&rows.iter().map(|r| (request_sheet.to_string(), *r)).collect::<Vec<_>>(), None)
        ),
    }))
}

/// Why no one request was chosen: none fits, or several (their rows) fit equally.
#[derive(Debug, PartialEq)]
enum Choice {
    None,
    Several(Vec<usize>),
}

/// The rule of [`match_viewing`] on the requests as known.
fn choose<'k>(
    day: NaiveDate,
    names: &[String],
    ids: &[String],
    org: Option<i64>,
    known: impl IntoIterator<Item = (&'k String, &'k Known)>,
) -> std::result::Result<String, Choice> {
    let fits: Vec<(&String, &Known, NaiveDate)> = known
        .into_iter()
        .filter(|(_, k)| {
            let child = names.iter().any(|n| k.children.contains(n)) || ids.iter().any(|i| k.mosaic_ids.contains(i));
            child && org.is_none_or(|o| o == k.org_id) && k.received <= day
        })
        .map(|(key, k)| (key, k, k.approved.filter(|a| *a <= day).unwrap_or(k.received)))
        .collect();
    let Some(latest) = fits.iter().map(|(_, _, d)| *d).max() else { return Err(Choice::None) };
    let best: Vec<&(&String, &Known, NaiveDate)> = fits.iter().filter(|(_, _, d)| *d == latest).collect();
    match best.as_slice() {
        [one] => Ok(one.0.clone()),
        several => {
            let mut rows: Vec<usize> = several.iter().map(|(_, k, _)| k.row).collect();
            rows.sort_unstable();
            Err(Choice::Several(rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn known(row: usize, child: &str, org: i64, received: u32, approved: Option<u32>) -> (String, Known) {
        (
            format!("REQ-2025-{row:04}"),
            Known {
                recorded: None,
                row,
                decision: None,
                scoped: false,
                children: vec![child.to_lowercase()],
                mosaic_ids: vec![],
                org_id: org,
                received: day(received),
                approved: approved.map(day),
            },
        )
    }

    fn names(n: &str) -> Vec<String> {
        vec![n.to_lowercase()]
    }

    #[test]
    fn a_viewing_goes_to_the_request_approved_latest_before_it() {
        let k: HashMap<String, Known> =
            [known(2, "Pip Testcase", 1, 1, Some(5)), known(3, "Pip Testcase", 1, 10, Some(12))].into();
        assert_eq!(choose(day(8), &names("pip testcase"), &[], Some(1), &k), Ok("REQ-2025-0002".into()));
        assert_eq!(choose(day(20), &names("Pip Testcase"), &[], Some(1), &k), Ok("REQ-2025-0003".into()));
        // Received but not yet approved at the viewing: its received date counts.
        assert_eq!(choose(day(11), &names("Pip Testcase"), &[], None, &k), Ok("REQ-2025-0003".into()));
    }

    #[test]
    fn a_viewing_before_any_request_or_of_another_child_or_organisation_matches_nothing() {
        let k: HashMap<String, Known> = [known(2, "Pip Testcase", 1, 10, Some(12))].into();
        assert_eq!(choose(day(9), &names("Pip Testcase"), &[], Some(1), &k), Err(Choice::None));
        assert_eq!(choose(day(20), &names("Ola Imaginary"), &[], Some(1), &k), Err(Choice::None));
        assert_eq!(choose(day(20), &names("Pip Testcase"), &[], Some(2), &k), Err(Choice::None));
    }

    #[test]
    fn two_requests_equally_close_are_ambiguous_never_guessed() {
        let k: HashMap<String, Known> =
            [known(4, "Pip Testcase", 1, 1, Some(5)), known(9, "Pip Testcase", 1, 2, Some(5))].into();
        assert_eq!(choose(day(8), &names("Pip Testcase"), &[], Some(1), &k), Err(Choice::Several(vec![4, 9])));
    }

    #[test]
    fn a_mosaic_id_matches_when_the_name_is_written_differently() {
        let mut k: HashMap<String, Known> = [known(2, "Pip Testcase", 1, 1, Some(5))].into();
        k.get_mut("REQ-2025-0002").unwrap().mosaic_ids = vec!["m-1".into()];
        assert_eq!(choose(day(8), &names("P. Testcase"), &["m-1".into()], Some(1), &k), Ok("REQ-2025-0002".into()));
    }
}
