//! A run's participant list (rosters): who has a seat and who waits, with contact, status,
//! perspective only if given, and the state of their e-mail. Only the run's own teachers and
//! the school's coordinators may see it, and every look is in the audit log. Staff can sign
//! someone up on their behalf (by phone, with their consent), give a waiting person a free seat,
//! cancel a booking, and write to everyone on the run, all through the same seat rules as the
//! public form.

use leptos::prelude::*;

use crate::dto::staff::roster::RosterDto;
use crate::error::AppError;

/// The page of a run's list.
#[cfg(feature = "ssr")]
fn page(run_id: i32) -> String {
    format!("/personale/hold/{run_id}/deltagere")
}

/// The participant list of a run.
#[server(endpoint = "personale_deltagere")]
pub async fn roster(run_id: i32) -> Result<RosterDto, AppError> {
    use crate::rules::access::Action;
    use crate::services::staff::{access, calls, guard, roster};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let list = roster::roster(&ctx.state.db, &r).await?;
    let calls = calls::open(
        &ctx.state.db,
        calls::Scope {
            runs: &[r.id],
            schools: &[],
        },
    )
    .await?;
    guard::audit(
        &ctx,
        Some(r.school_id),
        "roster.view",
        format!("Hold {}", r.id),
        String::new(),
    )
    .await?;
    let own = access::own_run(&ctx, r.id).await?;
    Ok(RosterDto {
        me: guard::me_dto(&ctx).await?,
        run_id: r.id,
        course_title: list.course_title,
        school_name: list.school_name,
        state: r.status.into(),
        capacity: r.capacity.and_then(|c| u32::try_from(c).ok()),
        first: list.first,
        seats: list.seats,
        waiting: list.waiting,
        may_edit: ctx.me.grants.may(Action::EditRun {
            school: r.school_id,
            own,
        }),
        calls,
    })
}

/// Signs someone up on their behalf ("tilmeld på vegne af"), for example by phone. The staff
/// member confirms the person agreed; the seat rules are the public form's.
#[server(endpoint = "personale_tilmeld")]
pub async fn add_participant(
    run_id: i32,
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use crate::dto::staff::roster::RosterRefusal;
    use crate::rules::signup::{SignupForm, validate_by_staff};
    use crate::services::booking::{self, BookingError, NewBooking, SignupOutcome};
    use crate::services::request;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    if consent != "ja" {
        request::refuse(&page(run_id), &[RosterRefusal::Consent], "tilmeld");
        return Ok(());
    }
    let form = SignupForm {
        run: run_id.to_string(),
        name,
        email,
        phone,
        consent: "ja".into(),
        booker_name: ctx.me.account.name.clone(),
        booker_email: ctx.me.account.email.clone(),
        booker_consent: "ja".into(),
        ..SignupForm::default()
    };
    let valid = match validate_by_staff(&form) {
        Ok(valid) => valid,
        Err(refusals) => {
            request::refuse(&page(run_id), &refusals, "tilmeld");
            return Ok(());
        }
    };
    let new = NewBooking {
        signup: &valid,
        locale: "da",
        source: crate::rules::vocabulary::source::STAFF,
        receipt_hash: None,
        known_receipts: Vec::new(),
    };
    let outcome = match booking::sign_up(&ctx.state.db, &new, ctx.now).await {
        Ok(SignupOutcome::Created { booking_id, .. }) => {
            guard::audit(
                &ctx,
                Some(r.school_id),
                "booking.add",
                crate::rules::retention::booking_subject(booking_id, run_id),
                String::new(),
            )
            .await?;
            "tilmeldt"
        }
        Ok(SignupOutcome::Existing { .. }) => "findes",
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(e) => {
            request::refuse(&page(run_id), &[e.signup_refusal()], "tilmeld");
            return Ok(());
        }
    };
    leptos_axum::redirect(&format!("{}?besked={outcome}", page(run_id)));
    Ok(())
}

/// Marks a call to a person without e-mail as made.
#[server(endpoint = "personale_ringet_op")]
pub async fn call_done(call_id: i32, #[server(default)] from: String) -> Result<(), AppError> {
    use crate::services::staff::{access, calls, guard};

    let ctx = guard::signed_in().await?;
    let Some(run_id) = calls::run_of(&ctx.state.db, call_id).await? else {
        return guard::not_found();
    };
    let r = access::roster(&ctx, run_id).await?;
    calls::done(&ctx.state.db, call_id, ctx.now).await?;
    if from == "forside" {
        leptos_axum::redirect("/personale#ring");
    } else {
        leptos_axum::redirect(&format!("{}?besked=ringet#ring", page(r.id)));
    }
    Ok(())
}

/// Gives a person signed up without e-mail an address: from then on they get the normal mails.
#[server(endpoint = "personale_tilfoej_email")]
pub async fn add_email(booking_id: i32, #[server(default)] email: String) -> Result<(), AppError> {
    use crate::dto::staff::roster::RosterRefusal;
    use crate::rules::signup::email_is_valid;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let Some(b) = booking::find(&ctx.state.db, booking_id).await? else {
        return guard::not_found();
    };
    let r = access::roster(&ctx, b.run_id).await?;
    let anchor = format!("person-{booking_id}");
    if !email_is_valid(email.trim()) {
        request::refuse(&page(r.id), &[RosterRefusal::Email], &anchor);
        return Ok(());
    }
    match booking::give_email(&ctx.state.db, booking_id, &email, ctx.now).await {
        Ok(true) => {}
        Ok(false) => {
            request::refuse(&page(r.id), &[RosterRefusal::EmailTaken], &anchor);
            return Ok(());
        }
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => return guard::not_found(),
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "booking.email",
        crate::rules::retention::booking_subject(booking_id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?besked=email#{anchor}", page(r.id)));
    Ok(())
}

/// Cancels a booking for the person (afbud by phone); the seat passes to the waiting list.
#[server(endpoint = "personale_afmeld")]
pub async fn cancel_participant(booking_id: i32) -> Result<(), AppError> {
    use crate::dto::staff::roster::RosterRefusal;
    use crate::services::booking::{self, Actor, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let Some(b) = crate::services::booking::find(&ctx.state.db, booking_id).await? else {
        return guard::not_found();
    };
    let r = access::roster(&ctx, b.run_id).await?;
    match booking::cancel(&ctx.state.db, b.id, &Actor::Staff, ctx.now).await {
        Ok(_) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            request::refuse(&page(r.id), &[RosterRefusal::Cancel], "");
            return Ok(());
        }
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "booking.cancel",
        crate::rules::retention::booking_subject(b.id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?besked=afmeldt", page(r.id)));
    Ok(())
}

/// Gives a waiting person a seat, if one is free (the same rule as everyone else: no
/// overbooking; raise the number of seats on the run first if the class may grow).
#[server(endpoint = "personale_giv_plads")]
pub async fn give_seat(booking_id: i32) -> Result<(), AppError> {
    use crate::dto::staff::roster::RosterRefusal;
    use crate::services::booking::{self, BookingError};
    use crate::services::request;
    use crate::services::staff::{access, guard};

    let ctx = guard::signed_in().await?;
    let Some(b) = crate::services::booking::find(&ctx.state.db, booking_id).await? else {
        return guard::not_found();
    };
    let r = access::roster(&ctx, b.run_id).await?;
    match booking::staff_give_seat(&ctx.state.db, b.id, ctx.now).await {
        Ok(()) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(BookingError::Full) => {
            request::refuse(&page(r.id), &[RosterRefusal::NoFreeSeat], "");
            return Ok(());
        }
        Err(_) => {
            request::refuse(&page(r.id), &[RosterRefusal::Seat], "");
            return Ok(());
        }
    }
    guard::audit(
        &ctx,
        Some(r.school_id),
        "booking.promote",
        crate::rules::retention::booking_subject(b.id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?besked=plads", page(r.id)));
    Ok(())
}

/// Writes to everyone with a seat or a place in the queue, by e-mail.
#[server(endpoint = "personale_besked")]
pub async fn message_run(run_id: i32, #[server(default)] text: String) -> Result<(), AppError> {
    use crate::dto::staff::roster::{MESSAGE_MAX, RosterRefusal};
    use crate::services::request;
    use crate::services::staff::{access, guard, roster};

    let ctx = guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MESSAGE_MAX {
        request::refuse(&page(run_id), &[RosterRefusal::Message], "besked");
        return Ok(());
    }
    let from = ctx.me.account.name.clone();
    let sent = roster::message_everyone(&ctx.state.db, r.id, &from, text, ctx.now).await?;
    guard::audit(
        &ctx,
        Some(r.school_id),
        "run.message",
        format!("Hold {run_id}"),
        format!("{sent} modtagere"),
    )
    .await?;
    leptos_axum::redirect(&format!("{}?besked=sendt&antal={sent}", page(run_id)));
    Ok(())
}
