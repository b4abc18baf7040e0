//! Every request file written straight from its rows as the text its creation event
//! records, for `verify`'s rebuild ([`super::rebuild`]): each request table read
//! once in request id order ([`super::stream::ByRequest`], the columns of
//! [`super::requests::load`]), each value copied from the row into the JSON without
//! building the file or a `serde_json::Value` (the keys are written in the sorted
//! order `serde_json::to_value(file).to_string()` gives them).
//!
//! A value is copied only where it is already the one spelling the application
//! writes: a date `YYYY-MM-DD` that is a day of the calendar, a time `HH:MM:SS`, a
//! code exactly as the domain spells it, an integer stored as one, text as valid
//! UTF-8 (escaped as `serde_json` escapes it). Anything else (a date spelt another
//! way, a code in capitals, a wrong type) and the request has no text here: it is
//! loaded and compared as a `RequestFile`. So the text, where there is one, is byte
//! for byte what serialising the loaded file gives, and equal text means equal files
//! (held to that by a test over a demo with edits, `tests/verify.rs`).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, Statement};

mod out;

use out::Out;

use super::Result;
use super::requests as rq;
use super::stream::ByRequest;
use crate::domain::*;

/// A request's row as `verify` needs it beside its text.
pub(super) struct Head {
    pub id: i64,
    pub reference: String,
    pub version: i64,
}

/// Calls `each` with every request in id order and its file as its creation event
/// would write it, or `None` where a value is not spelt as the application spells it.
pub(super) fn each_request(conn: &Connection, mut each: impl FnMut(Head, Option<&[u8]>) -> Result<()>) -> Result<()> {
    let sql = |select: &str, key: &str, order: &str| format!("{select} ORDER BY {key}, {order}");
    let mut subjects = conn.prepare(&sql(rq::SUBJECTS, "request_id", "id"))?;
    let mut items = conn.prepare(&sql(rq::ITEMS, "request_id", "number"))?;
    let mut approvals = conn.prepare(&sql(rq::APPROVALS, "ap.request_id", "ap.id"))?;
    let mut bookings = conn.prepare(&sql(rq::BOOKINGS, "b.request_id", "b.id"))?;
    let mut viewings = conn.prepare(&sql(rq::VIEWINGS, "v.request_id", rq::VIEWING_ORDER))?;
    let mut viewing_items = conn.prepare(
        "SELECT vi.viewing_id, vi.item_id, v.request_id
         FROM viewings v INDEXED BY viewings_request CROSS JOIN viewing_items vi ON vi.viewing_id = v.id
         ORDER BY v.request_id, v.id, vi.item_id",
    )?;
    let mut copies = conn.prepare(
        "SELECT c.viewing_id, c.item_id, c.reason, v.request_id
         FROM viewings v INDEXED BY viewings_request CROSS JOIN copies c ON c.viewing_id = v.id
         ORDER BY v.request_id, v.id, c.item_id",
    )?;
    let mut incidents = conn.prepare(&sql(rq::INCIDENTS, "request_id", "id"))?;
    let key = |stmt: &Statement| stmt.column_count() - 1;
    let (k_subjects, k_items, k_approvals, k_bookings, k_viewings, k_incidents) =
        (key(&subjects), key(&items), key(&approvals), key(&bookings), key(&viewings), key(&incidents));
    let mut subjects = ByRequest::new(&mut subjects, k_subjects)?;
    let mut items = ByRequest::new(&mut items, k_items)?;
    let mut approvals = ByRequest::new(&mut approvals, k_approvals)?;
    let mut bookings = ByRequest::new(&mut bookings, k_bookings)?;
    let mut viewings = ByRequest::new(&mut viewings, k_viewings)?;
    let mut viewing_items = ByRequest::new(&mut viewing_items, 2)?;
    let mut copies = ByRequest::new(&mut copies, 3)?;
    let mut incidents = ByRequest::new(&mut incidents, k_incidents)?;

    let mut parts = Parts::default();
    let mut requests = conn.prepare(&format!("{} ORDER BY r.id", rq::REQUEST_SELECT))?;
    let mut rows = requests.query([])?;
    while let Some(r) = rows.next()? {
        let head = Head { id: r.get(0)?, reference: r.get(1)?, version: r.get(4)? };
        let id = head.id;
        parts.clear();
        request(&mut parts.request, r);
        let list = |out: &mut Out, rows: &mut ByRequest, write: fn(&mut Out, &Row)| {
            out.raw(b"[");
            let mut first = true;
            rows.each(id, |r| {
                if !std::mem::take(&mut first) {
                    out.raw(b",");
                }
                write(out, r);
                Ok(())
            })?;
            out.raw(b"]");
            Ok::<_, super::StoreError>(())
        };
        list(&mut parts.subjects, &mut subjects, subject)?;
        list(&mut parts.items, &mut items, item)?;
        list(&mut parts.approvals, &mut approvals, approval)?;
        list(&mut parts.bookings, &mut bookings, booking)?;
        list(&mut parts.incidents, &mut incidents, incident)?;
        viewings.each(id, |r| {
            parts.viewings.push(viewing(r));
            Ok(())
        })?;
        viewing_items.each(id, |r| {
            let at: i64 = r.get(0)?;
            if let Some(v) = parts.viewings.iter_mut().find(|v| v.id == Some(at)) {
                let ids = &mut v.item_ids;
                ids.raw(if ids.bytes.is_empty() { b"[" } else { b"," });
                ids.int(r, 1);
            }
            Ok(())
        })?;
        copies.each(id, |r| {
            let at: i64 = r.get(0)?;
            if let Some(v) = parts.viewings.iter_mut().find(|v| v.id == Some(at)) {
                let c = &mut v.copies;
                c.raw(if c.bytes.is_empty() { b"[" } else { b"," });
                c.raw(b"{\"item_id\":");
                c.int(r, 1);
                c.raw(b",\"reason\":");
                c.text(r, 2);
                c.raw(b"}");
            }
            Ok(())
        })?;
        let text = parts.file();
        each(head, text)?;
    }
    Ok(())
}

/// Whether `s` is exactly one of `T`'s codes (as the log writes it, not as a person
/// may type it).
macro_rules! code {
    ($t:ty) => {
        (|s: &str| <$t>::ALL.iter().any(|v| v.as_code() == s)) as fn(&str) -> bool
    };
}

/// The parts of one request's file, each a list (or the request) as JSON.
#[derive(Default)]
struct Parts {
    request: Out,
    subjects: Out,
    items: Out,
    approvals: Out,
    bookings: Out,
    incidents: Out,
    viewings: Vec<ViewingText>,
    file: Out,
}

impl Parts {
    fn clear(&mut self) {
        for o in [
            &mut self.request,
            &mut self.subjects,
            &mut self.items,
            &mut self.approvals,
            &mut self.bookings,
            &mut self.incidents,
        ] {
            o.clear();
        }
        self.viewings.clear();
        self.file.clear();
    }

    /// The whole file, keys in order, or `None` where a value was not as written.
    fn file(&mut self) -> Option<&[u8]> {
        let f = &mut self.file;
        f.raw(b"{\"approvals\":");
        f.take(&self.approvals);
        f.raw(b",\"bookings\":");
        f.take(&self.bookings);
        f.raw(b",\"incidents\":");
        f.take(&self.incidents);
        f.raw(b",\"items\":");
        f.take(&self.items);
        f.raw(b",\"request\":");
        f.take(&self.request);
        f.raw(b",\"subjects\":");
        f.take(&self.subjects);
        f.raw(b",\"viewings\":[");
        for (n, v) in self.viewings.iter().enumerate() {
            if n > 0 {
                f.raw(b",");
            }
            f.raw(b"{\"copies\":");
            f.take(&v.copies);
            f.raw(if v.copies.bytes.is_empty() { b"[]" } else { b"]" });
            f.take(&v.head);
            f.take(&v.item_ids);
            f.raw(if v.item_ids.bytes.is_empty() { b"[]" } else { b"]" });
            f.take(&v.tail);
            f.ok &= v.id.is_some();
        }
        f.raw(b"]}");
        f.ok.then_some(&f.bytes[..])
    }
}

/// A viewing written around its items and copies, which are read after it.
struct ViewingText {
    id: Option<i64>,
    /// From `,"day"` to `"item_ids":`.
    head: Out,
    item_ids: Out,
    /// From `,"method"` to the closing brace.
    tail: Out,
    copies: Out,
}

fn request(o: &mut Out, r: &Row) {
    // A hold or a disposal is not in a creation event's text: such a request is
    // loaded and compared field by field.
    if [80, 86].iter().any(|&i| !matches!(r.get_ref(i), Ok(ValueRef::Null))) {
        o.ok = false;
    }
    o.raw(b"{\"basis\":{\"art6\":");
    o.checked_opt(r, 35, code!(Art6Basis));
    o.raw(b",\"art9\":");
    o.checked_opt(r, 36, code!(Art9Gateway));
    o.raw(b",\"confirmed\":");
    o.confirmed(r, 72);
    o.raw(b",\"consent_not_obtained\":");
    o.checked_opt(r, 65, code!(ConsentNotObtained));
    o.raw(b",\"criminal\":");
    o.bool_opt(r, 66);
    o.raw(b",\"criminal_condition\":");
    o.checked_opt(r, 67, code!(Sch1Condition));
    o.raw(b",\"guidance\":");
    o.guidance(r, 69);
    o.raw(b",\"guidance_other\":");
    o.text(r, 70);
    o.raw(b",\"notes\":");
    o.text(r, 38);
    o.raw(b",\"power\":");
    o.checked_opt(r, 37, code!(StatutoryPower));
    o.raw(b",\"power_detail\":");
    o.text(r, 68);
    o.raw(b",\"review\":");
    o.text_opt(r, 71);
    o.raw(b",\"sch1\":");
    o.checked_opt(r, 64, code!(Sch1Condition));
    o.raw(b"},\"case_note\":");
    match r.get_ref(52) {
        Ok(ValueRef::Null) => o.raw(b"null"),
        _ => {
            o.raw(b"{\"by\":");
            o.staff(r, 53);
            o.raw(b",\"mosaic_ref\":");
            o.text(r, 57);
            o.raw(b",\"on\":");
            o.date(r, 52);
            o.raw(b",\"text\":");
            o.text(r, 58);
            o.raw(b"}");
        }
    }
    o.raw(b",\"channel\":");
    o.checked(r, 16, code!(Channel));
    o.raw(b",\"completed_on\":");
    o.date_opt(r, 60);
    o.raw(b",\"confirmed_on\":");
    o.date_opt(r, 49);
    o.raw(b",\"created_by\":");
    o.staff(r, 7);
    o.raw(b",\"details\":{\"agreement\":");
    o.checked_opt(r, 73, code!(AgreementAnswer));
    o.raw(b",\"agreement_note\":");
    o.text(r, 74);
    o.raw(b",\"consent_note\":");
    o.text(r, 41);
    o.raw(b",\"consent_sought\":");
    o.bool_opt(r, 40);
    o.raw(b",\"controller\":");
    o.checked_opt(r, 75, code!(ControllerRelationship));
    o.raw(b",\"dpia_considered\":");
    o.bool_opt(r, 76);
    o.raw(b",\"dpia_outcome\":");
    o.text(r, 77);
    o.raw(b",\"dsa_exists\":");
    o.bool_opt(r, 42);
    o.raw(b",\"necessity\":");
    o.text(r, 39);
    o.raw(b",\"retention\":");
    o.text(r, 44);
    o.raw(b",\"security\":");
    o.text(r, 43);
    o.raw(b"},\"files_returned_on\":");
    o.date_opt(r, 59);
    o.raw(b",\"files_secured_at\":");
    o.text_opt(r, 79);
    o.raw(b",\"form_returned_on\":");
    o.date_opt(r, 34);
    o.raw(b",\"form_sent_on\":");
    o.date_opt(r, 33);
    o.raw(b",\"format\":");
    o.checked_opt(r, 31, code!(Format));
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"imported_from\":");
    o.text_opt(r, 63);
    o.raw(b",\"isa_prompt\":");
    o.text_opt(r, 78);
    o.raw(b",\"kind\":");
    o.checked(r, 2, code!(RequestKind));
    o.raw(b",\"mosaic_checked_on\":");
    o.date_opt(r, 48);
    o.raw(b",\"organisation\":{\"id\":");
    o.int(r, 17);
    o.raw(b",\"kind\":");
    o.checked(r, 19, code!(OrgKind));
    o.raw(b",\"name\":");
    o.text(r, 18);
    o.raw(b"},\"owner\":");
    o.staff(r, 11);
    o.raw(b",\"purpose\":");
    o.text(r, 24);
    o.raw(b",\"received_on\":");
    o.date(r, 15);
    o.raw(b",\"redirect_route\":");
    o.text_opt(r, 32);
    o.raw(b",\"reference\":");
    o.text(r, 1);
    o.raw(b",\"requester\":{\"email\":");
    o.text(r, 22);
    o.raw(b",\"name\":");
    o.text(r, 20);
    o.raw(b",\"phone\":");
    o.text(r, 23);
    o.raw(b",\"role\":");
    o.text(r, 21);
    o.raw(b"},\"restore_ref\":");
    o.text_opt(r, 46);
    o.raw(b",\"restore_requested_on\":");
    o.date_opt(r, 45);
    o.raw(b",\"restored_on\":");
    o.date_opt(r, 47);
    o.raw(b",\"service_area\":");
    match r.get_ref(25) {
        Ok(ValueRef::Null) => o.raw(b"null"),
        _ => {
            o.raw(b"{\"asset_owner\":");
            o.staff(r, 27);
            o.raw(b",\"id\":");
            o.int(r, 25);
            o.raw(b",\"name\":");
            o.text(r, 26);
            o.raw(b"}");
        }
    }
    o.raw(b",\"share_method\":");
    o.text_opt(r, 51);
    o.raw(b",\"shared_on\":");
    o.date_opt(r, 50);
    o.raw(b",\"status\":");
    o.checked(r, 3, code!(Status));
    o.raw(b",\"withdraw_reason\":");
    o.text_opt(r, 62);
    o.raw(b",\"withdrawn_on\":");
    o.date_opt(r, 61);
    o.raw(b"}");
}

// The rows, in the columns of `requests::load`'s queries (see its row functions).

fn subject(o: &mut Out, r: &Row) {
    o.raw(b"{\"dob\":");
    o.date_opt(r, 2);
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"mosaic_id\":");
    o.text(r, 3);
    o.raw(b",\"name\":");
    o.text(r, 1);
    o.raw(b"}");
}

fn item(o: &mut Out, r: &Row) {
    o.raw(b"{\"added_on\":");
    o.date_opt(r, 7);
    o.raw(b",\"agency_consent_on\":");
    o.date_opt(r, 4);
    o.raw(b",\"agency_consent_ref\":");
    o.text_opt(r, 5);
    o.raw(b",\"approved\":");
    o.bool_opt(r, 6);
    o.raw(b",\"decline_reason\":");
    o.text_opt(r, 8);
    o.raw(b",\"description\":");
    o.text(r, 2);
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"number\":");
    o.int(r, 1);
    o.raw(b",\"third_party\":");
    o.text_opt(r, 3);
    o.raw(b"}");
}

fn approval(o: &mut Out, r: &Row) {
    o.raw(b"{\"approver\":");
    o.staff(r, 2);
    o.raw(b",\"decided_on\":");
    o.date(r, 6);
    o.raw(b",\"decision\":");
    o.checked(r, 1, code!(Decision));
    o.raw(b",\"evidence_date\":");
    o.date_opt(r, 7);
    o.raw(b",\"evidence_ref\":");
    o.text_opt(r, 8);
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"reason\":");
    o.text(r, 9);
    o.raw(b",\"recorded_by\":");
    o.staff(r, 10);
    o.raw(b"}");
}

fn booking(o: &mut Out, r: &Row) {
    o.raw(b"{\"day\":");
    o.date(r, 4);
    o.raw(b",\"end\":");
    o.time(r, 6);
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"room_id\":");
    o.int_opt(r, 2);
    o.raw(b",\"room_name\":");
    o.text_opt(r, 3);
    o.raw(b",\"start\":");
    o.time(r, 5);
    o.raw(b",\"teams_reason\":");
    o.text_opt(r, 7);
    o.raw(b",\"venue\":");
    o.checked(r, 1, code!(Venue));
    o.raw(b"}");
}

fn incident(o: &mut Out, r: &Row) {
    o.raw(b"{\"description\":");
    o.text(r, 3);
    o.raw(b",\"id\":");
    o.int(r, 0);
    o.raw(b",\"ig_ref\":");
    o.text_opt(r, 5);
    o.raw(b",\"opened_on\":");
    o.date(r, 2);
    o.raw(b",\"referred_on\":");
    o.date_opt(r, 4);
    o.raw(b",\"viewing_id\":");
    o.int_opt(r, 1);
    o.raw(b"}");
}

fn viewing(r: &Row) -> ViewingText {
    let id = match r.get_ref(0) {
        Ok(ValueRef::Integer(n)) => Some(n),
        _ => None,
    };
    let mut head = Out::default();
    head.raw(b",\"day\":");
    head.date(r, 1);
    head.raw(b",\"downloads\":");
    head.downloads(r, 16);
    head.raw(b",\"end\":");
    head.time(r, 3);
    head.raw(b",\"id\":");
    head.int(r, 0);
    head.raw(b",\"item_ids\":");
    let mut tail = Out::default();
    tail.raw(b",\"lcc_devices_only\":");
    tail.bool_opt(r, 15);
    tail.raw(b",\"method\":");
    tail.checked(r, 10, code!(ViewingMethod));
    tail.raw(b",\"notes\":");
    tail.text(r, 11);
    tail.raw(b",\"start\":");
    tail.time(r, 2);
    tail.raw(b",\"supervised\":");
    tail.boolean(r, 12);
    tail.raw(b",\"supervision_confirmed_by\":");
    match r.get_ref(17) {
        Ok(ValueRef::Null) => tail.raw(b"null"),
        _ => tail.staff(r, 17),
    }
    tail.raw(b",\"supervisor\":");
    tail.staff(r, 6);
    tail.raw(b",\"unsupervised_note\":");
    tail.text_opt(r, 13);
    tail.raw(b",\"viewer_org\":");
    tail.text(r, 5);
    tail.raw(b",\"viewer_org_id\":");
    tail.int_opt(r, 14);
    tail.raw(b",\"viewers\":");
    tail.text(r, 4);
    tail.raw(b"}");
    ViewingText { id, head, item_ids: Out::default(), tail, copies: Out::default() }
}

/// The text [`each_request`] gives each request, by reference, for the test that
/// holds it to `serde_json::to_value(requests::load(..)).to_string()`.
#[doc(hidden)]
pub fn texts(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    each_request(conn, |head, text| {
        out.push((head.reference, text.map(|t| String::from_utf8(t.to_vec()).expect("JSON is UTF-8"))));
        Ok(())
    })?;
    Ok(out)
}
