//! Steps 5–9: the files restored and checked, the venue booked and confirmed, viewings.

use super::staff_named;
use crate::domain::rules::{self, BookingInput, ViewingInput};
use crate::domain::*;
use crate::service::forms::*;
use crate::service::{Result, Service};
use crate::store::{reference, requests};

impl Service {
    /// Step 5.
    pub(in crate::service) fn restore_requested(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        restore_ref: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("restore request date", date, self.today())?;
        let restore_ref = text::line("restore reference", restore_ref)?;
        self.simple(
            reference,
            version,
            "restore_requested",
            Step::RestoreRequested,
            on,
            rules::check_restore_requested,
            &[("restore_requested_on", &on), ("restore_ref", &restore_ref)],
        )
    }

    /// Step 6, physical files back.
    pub(in crate::service) fn restored(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("restored date", date, self.today())?;
        self.simple(
            reference,
            version,
            "restored",
            Step::FilesAvailable,
            on,
            rules::check_restored,
            &[("restored_on", &on)],
        )
    }

    /// Step 6, Mosaic checks (location updated, not locked).
    pub(in crate::service) fn mosaic_checks(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        location_updated: bool,
        not_locked: bool,
    ) -> Result<RequestFile> {
        let on = date_or_today("Mosaic check date", date, self.today())?;
        self.simple(
            reference,
            version,
            "mosaic_checks",
            Step::FilesAvailable,
            on,
            |f, on, ctx| rules::check_mosaic(f, on, location_updated, not_locked, ctx),
            &[("mosaic_checked_on", &on)],
        )
    }

    /// Step 7.
    pub(in crate::service) fn book(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &BookingForm,
    ) -> Result<RequestFile> {
        let today = self.today();
        let venue: Venue = code("venue", &form.venue)?;
        let day = crate::domain::dates::parse_date("booking date", &form.day, today)?;
        let start = time("start time", &form.start)?;
        let end = time("end time", &form.end)?;
        let teams_reason = text::optional_text("reason for a Teams meeting", &form.teams_reason)?;
        let room_name = text::optional_line("room", &form.room)?;
        let room = if room_name.is_empty() || venue == Venue::TeamsMeeting {
            None
        } else {
            Some(reference::room_by_name(self.store.conn(), &room_name)?.ok_or_else(|| {
                Refusal::new(Rule::Reference, format!("unknown room '{room_name}'"), "check the name")
                    .hint("caseshare room list")
            })?)
        };
        self.change(reference, version, "book", Some(Step::VenueBooked), |tx, f, ctx| {
            let booking = Booking {
                id: 0,
                venue,
                room_id: room.as_ref().map(|r| r.id),
                room_name: room.as_ref().map(|r| r.name.clone()),
                day,
                start,
                end,
                teams_reason: (!teams_reason.is_empty()).then(|| teams_reason.clone()),
                room_location: room.as_ref().map(|r| r.location.clone()),
            };
            let clash = match &room {
                Some(r) => requests::room_clash(tx, r.id, &booking)?,
                None => None,
            };
            let input =
                BookingInput { venue, room: room.clone(), day, start, end, teams_reason: booking.teams_reason.clone() };
            rules::check_booking(f, &input, clash.as_deref(), ctx)?;
            requests::insert_booking(tx, f.request.id, &booking)?;
            Ok(())
        })
    }

    /// Step 8.
    pub(in crate::service) fn confirm(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("confirmation date", date, self.today())?;
        self.simple(
            reference,
            version,
            "confirm",
            Step::Confirmed,
            on,
            rules::check_confirmed,
            &[("confirmed_on", &on)],
        )
    }

    /// Step 9: one viewing; "not supervised throughout" opens an incident.
    pub(in crate::service) fn viewing(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &ViewingForm,
    ) -> Result<RequestFile> {
        let today = self.today();
        let day = date_or_today("viewing date", &form.day, today)?;
        let start = time("start time", &form.start)?;
        let end = time("end time", &form.end)?;
        let viewers = text::line("viewer name(s)", &form.viewers)?;
        let viewer_org = text::optional_line("viewer organisation", &form.viewer_org)?;
        let method: ViewingMethod = code("method", &form.method)?;
        let notes = text::optional_text("notes", &form.notes)?;
        let supervised = yes_no("supervised throughout", &form.supervised)?;
        let lcc_devices_only = yes_no("only LCC devices and logins", &form.lcc_devices)?;
        let confirmed_login = text::optional_line("confirmed by", &form.confirmed_by)?;
        let confirmed_by = if confirmed_login.is_empty() {
            None
        } else {
            Some(staff_named(self.store.conn(), "confirmed by", &confirmed_login)?)
        };
        let what_happened = text::optional_text("what happened", &form.what_happened)?;
        let supervisor_login = text::optional_line("supervisor", &form.supervisor)?;
        let supervisor = if supervisor_login.is_empty() {
            None
        } else {
            Some(staff_named(self.store.conn(), "supervisor", &supervisor_login)?)
        };
        let mut copies = Vec::new();
        for (i, c) in form.copies.iter().enumerate() {
            let n = item_numbers(&format!("copy {} item", i + 1), &c.item, &[])?;
            let reason = text::optional_line(&format!("copy {} reason", i + 1), &c.reason)?;
            for item in n {
                copies.push((item, reason.clone()));
            }
        }
        let mut downloads = Vec::new();
        for (i, d) in form.downloads.iter().enumerate() {
            let n = item_numbers(&format!("download {} item", i + 1), &d.item, &[])?;
            let reason = text::optional_line(&format!("download {} reason", i + 1), &d.reason)?;
            for item in n {
                downloads.push((item, reason.clone()));
            }
        }
        if form.no_downloads && !downloads.is_empty() {
            return Err(InputError::new("downloads", "items are listed as downloaded and as nothing downloaded").into());
        }
        let downloads = (form.no_downloads || !downloads.is_empty()).then_some(downloads);
        self.change(reference, version, "viewing", Some(Step::Viewing), |tx, f, ctx| {
            // The requesting authority unless another registered one is named.
            let viewer_org = if viewer_org.is_empty() {
                f.request.organisation.clone()
            } else {
                let org = reference::org_by_name(tx, &viewer_org)?.ok_or_else(|| {
                    Refusal::new(
                        Rule::Reference,
                        format!("unknown organisation '{viewer_org}'"),
                        format!(
                            "an administrator adds it with: caseshare org add \"{viewer_org}\" --kind local_authority"
                        ),
                    )
                })?;
                // The request's own organisation stays usable for it, retired or not.
                let retired = org.retired_on.is_some() && org.id != f.request.organisation.id;
                rules::not_retired("organisation", "org", &org.name, retired)?;
                org
            };
            let input = ViewingInput {
                day,
                start,
                end,
                viewers: viewers.clone(),
                viewer_org,
                supervisor: supervisor.clone(),
                method,
                item_numbers: item_numbers(
                    "items shown",
                    &form.items,
                    &f.approved_items().map(|i| i.number).collect::<Vec<_>>(),
                )?,
                notes: notes.clone(),
                copies: copies.clone(),
                supervised,
                unsupervised_note: (!what_happened.is_empty()).then(|| what_happened.clone()),
                supervision_confirmed_by: confirmed_by.clone(),
                lcc_devices_only,
                downloads: downloads.clone(),
                confirm_duplicate: form.confirm_duplicate,
            };
            let plan = rules::check_viewing(f, &input, ctx)?;
            let viewing = Viewing {
                id: 0,
                day,
                start,
                end,
                viewers: input.viewers.clone(),
                viewer_org: input.viewer_org.name.clone(),
                viewer_org_id: Some(input.viewer_org.id),
                supervisor: supervisor.as_ref().expect("checked").as_ref(),
                method,
                item_ids: plan.item_ids.clone(),
                notes: notes.clone(),
                copies: plan.copies.iter().map(|(id, r)| CopyGiven { item_id: *id, reason: r.clone() }).collect(),
                supervised: plan.supervised,
                unsupervised_note: input.unsupervised_note.clone(),
                supervision_confirmed_by: confirmed_by.as_ref().map(Staff::as_ref),
                lcc_devices_only: plan.lcc_devices_only,
                downloads: plan
                    .downloads
                    .as_ref()
                    .map(|d| d.iter().map(|(id, r)| CopyGiven { item_id: *id, reason: r.clone() }).collect()),
            };
            let vid = requests::insert_viewing(tx, f.request.id, &viewing, ctx.actor.id, None)?;
            if plan.opens_incident() {
                requests::insert_incident(
                    tx,
                    f.request.id,
                    &Incident {
                        id: 0,
                        viewing_id: Some(vid),
                        opened_on: day,
                        description: format!("{}: {what_happened}", plan.lapses.join("; ")),
                        referred_on: None,
                        ig_ref: None,
                    },
                )?;
            }
            Ok(())
        })
    }
}
