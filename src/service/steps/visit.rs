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
        let supervised = yes_no("supervised throughout", &form.supervised)?.unwrap_or(true);
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
        self.change(reference, version, "viewing", Some(Step::Viewing), |tx, f, ctx| {
            let input = ViewingInput {
                day,
                start,
                end,
                viewers: viewers.clone(),
                viewer_org: if viewer_org.is_empty() {
                    f.request.organisation.name.clone()
                } else {
                    viewer_org.clone()
                },
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
            };
            let plan = rules::check_viewing(f, &input, ctx)?;
            let viewing = Viewing {
                id: 0,
                day,
                start,
                end,
                viewers: input.viewers.clone(),
                viewer_org: input.viewer_org.clone(),
                supervisor: supervisor.as_ref().expect("checked").as_ref(),
                method,
                item_ids: plan.item_ids.clone(),
                notes: notes.clone(),
                copies: plan.copies.iter().map(|(id, r)| CopyGiven { item_id: *id, reason: r.clone() }).collect(),
                supervised,
                unsupervised_note: input.unsupervised_note.clone(),
            };
            let vid = requests::insert_viewing(tx, f.request.id, &viewing, ctx.actor.id, None)?;
            if plan.opens_incident {
                requests::insert_incident(
                    tx,
                    f.request.id,
                    &Incident {
                        id: 0,
                        viewing_id: Some(vid),
                        opened_on: day,
                        description: format!("Viewing not supervised throughout: {what_happened}"),
                        referred_on: None,
                        ig_ref: None,
                    },
                )?;
            }
            Ok(())
        })
    }
}
