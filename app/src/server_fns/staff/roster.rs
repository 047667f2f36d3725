//! A run's participant list (rosters): who has a seat and who waits, with contact, status,
//! perspective only if given, and the state of their e-mail. Only the run's own teachers and
//! the school's coordinators may see it, and every look is in the audit log. Staff can sign
//! someone up on their behalf (by phone, with their consent), give a waiting person a free seat,
//! cancel a booking, and write to everyone on the run, all through the same seat rules as the
//! public form.

#[allow(unused_imports)]
use crate::dto::staff::roster::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::booking::BookingState;
#[cfg(feature = "ssr")]
use crate::dto::staff::home::RunState;
use crate::error::AppError;

/// The participant list of a run.
#[server(endpoint = "personale_deltagere")]
pub async fn roster(run_id: i32) -> Result<RosterDto, AppError> {
    use crate::rules::access::Action;
    use crate::rules::time::to_local;
    use crate::services::staff::access;
    use entity::{BookingStatus, RunStatus, booking, course, school, session};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let db = &ctx.state.db;
    let bookings = booking::Entity::find()
        .filter(booking::Column::RunId.eq(r.id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .order_by_asc(booking::Column::QueueNo)
        .order_by_asc(booking::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = bookings.iter().map(|b| b.id).collect();
    let mail = crate::services::outbox::mail_state(db, &ids).await?;
    let mut position = 0;
    let mut seats = Vec::new();
    let mut waiting = Vec::new();
    for b in bookings {
        let state = match b.status {
            BookingStatus::Confirmed => BookingState::Confirmed,
            BookingStatus::Offered => BookingState::Offered {
                until: b.offer_expires_at.map(to_local).unwrap_or_default(),
            },
            _ => {
                position += 1;
                BookingState::Waiting { position }
            }
        };
        let m = mail.get(&b.id);
        let row = RosterRow {
            booking_id: b.id,
            name: b.name,
            email: b.email,
            phone: b.phone,
            perspective: b
                .perspective
                .filter(|p| *p != entity::Perspective::Undisclosed)
                .map(|p| {
                    format!(
                        "staff.perspective.{}",
                        crate::rules::vocabulary::Perspective::from(p).slug()
                    )
                }),
            needs: b.needs,
            booked_by: b.booked_by_name,
            coming: b.rsvp.is_some(),
            mail: m.map(|m| (m.last_kind.clone(), m.last_status.clone())),
            mail_failed: m.is_some_and(|m| m.any_failed),
            state,
        };
        if b.status == BookingStatus::Confirmed {
            seats.push(row);
        } else {
            waiting.push(row);
        }
    }
    let course = course::Entity::find_by_id(r.course_id).one(db).await?;
    let school = school::Entity::find_by_id(r.school_id).one(db).await?;
    let first = session::Entity::find()
        .filter(session::Column::RunId.eq(r.id))
        .filter(session::Column::Cancelled.eq(false))
        .order_by_asc(session::Column::StartsAt)
        .one(db)
        .await?
        .map(|s| to_local(s.starts_at));
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "roster.view",
        format!("Hold {}", r.id),
        String::new(),
    )
    .await?;
    let own = access::own_run(&ctx, r.id).await?;
    Ok(RosterDto {
        me: super::account::me_dto(&ctx).await?,
        run_id: r.id,
        course_title: course.map(|c| c.title).unwrap_or_default(),
        school_name: school.map(|s| s.name).unwrap_or_default(),
        state: match r.status {
            RunStatus::Draft => RunState::Draft,
            RunStatus::Published => RunState::Published,
            RunStatus::Cancelled => RunState::Cancelled,
        },
        capacity: r.capacity.and_then(|c| u32::try_from(c).ok()),
        first,
        seats,
        waiting,
        may_edit: ctx.me.grants.may(Action::EditRun {
            school: r.school_id,
            own,
        }),
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
    use crate::rules::signup::{SignupForm, validate};
    use crate::services::booking::store::{self, BookingError, NewBooking, SignupOutcome};
    use crate::services::request;
    use crate::services::staff::access;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let back = |code: &str| {
        leptos_axum::redirect(&format!(
            "/personale/hold/{run_id}/deltagere?fejl={code}#tilmeld"
        ));
    };
    if consent != "ja" {
        back("samtykke");
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
    let signup = match validate(&form) {
        Ok(s) => s,
        Err(errors) => {
            let code = errors
                .first()
                .map(|e| e.key.rsplit('.').next().unwrap_or("felt").to_string())
                .unwrap_or_else(|| "felt".into());
            back(&code);
            return Ok(());
        }
    };
    let request = NewBooking {
        signup: &signup,
        locale: "da",
        source: crate::rules::vocabulary::source::STAFF,
        receipt_hash: None,
        known_receipts: Vec::new(),
    };
    let outcome = match store::sign_up(&ctx.state.db, &request, ctx.now).await {
        Ok(SignupOutcome::Created { booking_id, .. }) => {
            crate::services::staff::guard::audit(
                &ctx,
                Some(r.school_id),
                "booking.add",
                format!("{} (tilmelding {booking_id}, hold {run_id})", signup.name),
                String::new(),
            )
            .await?;
            "tilmeldt"
        }
        Ok(SignupOutcome::Existing { .. }) => "findes",
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(e) => {
            let key = request::booking_error_key(&e);
            back(key.rsplit('.').next().unwrap_or("fejl"));
            return Ok(());
        }
    };
    leptos_axum::redirect(&format!(
        "/personale/hold/{run_id}/deltagere?besked={outcome}"
    ));
    Ok(())
}

/// Cancels a booking for the person (afbud by phone); the seat passes to the waiting list.
#[server(endpoint = "personale_afmeld")]
pub async fn cancel_participant(booking_id: i32) -> Result<(), AppError> {
    use crate::services::booking::store::{self, Actor, BookingError};
    use crate::services::staff::access;
    use entity::booking;
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some(b) = booking::Entity::find_by_id(booking_id)
        .one(&ctx.state.db)
        .await?
    else {
        return crate::services::staff::guard::not_found();
    };
    let r = access::roster(&ctx, b.run_id).await?;
    match store::cancel(&ctx.state.db, b.id, &Actor::Staff, ctx.now).await {
        Ok(_) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(_) => {
            leptos_axum::redirect(&format!("/personale/hold/{}/deltagere?fejl=afmeld", r.id));
            return Ok(());
        }
    }
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "booking.cancel",
        format!("{} (tilmelding {}, hold {})", b.name, b.id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/personale/hold/{}/deltagere?besked=afmeldt",
        r.id
    ));
    Ok(())
}

/// Gives a waiting person a seat, if one is free (the same rule as everyone else: no
/// overbooking; raise the number of seats on the run first if the class may grow).
#[server(endpoint = "personale_giv_plads")]
pub async fn give_seat(booking_id: i32) -> Result<(), AppError> {
    use crate::services::booking::store::{self, BookingError};
    use crate::services::staff::access;
    use entity::booking;
    use sea_orm::EntityTrait;

    let ctx = crate::services::staff::guard::signed_in().await?;
    let Some(b) = booking::Entity::find_by_id(booking_id)
        .one(&ctx.state.db)
        .await?
    else {
        return crate::services::staff::guard::not_found();
    };
    let r = access::roster(&ctx, b.run_id).await?;
    match store::staff_give_seat(&ctx.state.db, b.id, ctx.now).await {
        Ok(()) => {}
        Err(BookingError::Db(e)) => return Err(e.into()),
        Err(BookingError::Full) => {
            leptos_axum::redirect(&format!("/personale/hold/{}/deltagere?fejl=fuldt", r.id));
            return Ok(());
        }
        Err(_) => {
            leptos_axum::redirect(&format!("/personale/hold/{}/deltagere?fejl=plads", r.id));
            return Ok(());
        }
    }
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "booking.promote",
        format!("{} (tilmelding {}, hold {})", b.name, b.id, r.id),
        String::new(),
    )
    .await?;
    leptos_axum::redirect(&format!("/personale/hold/{}/deltagere?besked=plads", r.id));
    Ok(())
}

/// Writes to everyone with a seat or a place in the queue, by e-mail.
#[server(endpoint = "personale_besked")]
pub async fn message_run(run_id: i32, #[server(default)] text: String) -> Result<(), AppError> {
    use crate::services::outbox::{self, Kind, Message};
    use crate::services::staff::access;
    use entity::{BookingStatus, booking};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

    let ctx = crate::services::staff::guard::signed_in().await?;
    let r = access::roster(&ctx, run_id).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MESSAGE_MAX {
        leptos_axum::redirect(&format!(
            "/personale/hold/{run_id}/deltagere?fejl=besked#besked"
        ));
        return Ok(());
    }
    let db = &ctx.state.db;
    let txn = db.begin().await?;
    let people = booking::Entity::find()
        .filter(booking::Column::RunId.eq(r.id))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .all(&txn)
        .await?;
    for b in &people {
        outbox::enqueue(
            &txn,
            Message {
                kind: Kind::RunMessage,
                recipient: &b.email,
                locale: &b.locale,
                booking_id: Some(b.id),
                payload: serde_json::json!({
                    "run_id": r.id,
                    "from": ctx.me.account.name,
                    "text": text,
                }),
            },
            ctx.now,
        )
        .await?;
    }
    txn.commit().await?;
    crate::services::worker_signal::nudge();
    crate::services::staff::guard::audit(
        &ctx,
        Some(r.school_id),
        "run.message",
        format!("Hold {run_id}"),
        format!("{} modtagere", people.len()),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/personale/hold/{run_id}/deltagere?besked=sendt&antal={}",
        people.len()
    ));
    Ok(())
}
