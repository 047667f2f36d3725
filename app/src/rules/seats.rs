//! The booking rules as plain functions over a run's active bookings: who gets a seat, who waits,
//! who is offered a freed seat, and when a participant may cancel themselves.
//!
//! The database layer (`store`) loads a run's active bookings under the run's lock, asks these
//! functions what should happen, and writes the answer. Keeping the rules free of I/O lets them be
//! tested exhaustively (see the property test at the end).

use chrono::{DateTime, Duration, Utc};

/// How a freed seat goes to the waiting list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The next in line is confirmed at once.
    Automatic,
    /// The next in line is offered the seat for this long, then it passes on.
    Offer { window: Duration },
}

/// A run's seat rules.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub capacity: u32,
    pub waitlist: bool,
    pub mode: Mode,
    /// Offers end by this moment (the run's first session), so nobody is offered a seat in a
    /// class that has begun; an offer still lasts at least [`MIN_OFFER_HOURS`].
    pub offers_end: Option<DateTime<Utc>>,
}

/// The shortest time an offer stays open, even close to the start.
pub const MIN_OFFER_HOURS: i64 = 2;

/// When an offer made at `now` ends.
pub fn offer_deadline(rules: &Rules, window: Duration, now: DateTime<Utc>) -> DateTime<Utc> {
    let shortest = now + Duration::hours(MIN_OFFER_HOURS);
    let full = now + window;
    match rules.offers_end {
        Some(end) => full.min(end.max(shortest)),
        None => full,
    }
}

/// Where an active booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Confirmed,
    Waiting,
    /// Holds a seat until the deadline.
    Offered {
        until: DateTime<Utc>,
    },
}

/// An active booking as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i32,
    /// Order in the waiting list; bookings confirmed straight away have none.
    pub queue_no: Option<i32>,
    pub place: Place,
}

/// A change the rules ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// An offer ran out; the booking ends and the seat passes on.
    Expire { id: i32 },
    /// Confirm a waiting booking (automatic mode).
    Confirm { id: i32 },
    /// Offer a seat to a waiting booking until `until` (offer mode).
    Offer { id: i32, until: DateTime<Utc> },
}

/// What a new sign-up gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    /// Join the waiting list with this queue number, as number `position` in line.
    Wait {
        queue_no: i32,
        position: u32,
    },
    /// Full, and the run keeps no waiting list.
    Full,
}

/// Seats held: confirmed bookings and open offers.
pub fn held(entries: &[Entry]) -> u32 {
    entries
        .iter()
        .filter(|e| matches!(e.place, Place::Confirmed | Place::Offered { .. }))
        .count() as u32
}

/// Bookings waiting for a seat, first in line first.
fn waiting(entries: &[Entry]) -> Vec<&Entry> {
    let mut w: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.place == Place::Waiting)
        .collect();
    w.sort_by_key(|e| (e.queue_no.unwrap_or(i32::MAX), e.id));
    w
}

/// Brings a run to rest at `now`: expired offers end, and every free seat goes to the next in
/// line, confirmed or offered depending on the mode. Run this under the run's lock whenever a seat
/// may have freed up (afbud, a left waiting list, a raised capacity, time passing).
pub fn settle(rules: &Rules, entries: &[Entry], now: DateTime<Utc>) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut held = 0u32;
    for e in entries {
        match e.place {
            Place::Offered { until } if until <= now => changes.push(Change::Expire { id: e.id }),
            Place::Confirmed | Place::Offered { .. } => held += 1,
            Place::Waiting => {}
        }
    }
    let free = rules.capacity.saturating_sub(held) as usize;
    for e in waiting(entries).into_iter().take(free) {
        changes.push(match rules.mode {
            Mode::Automatic => Change::Confirm { id: e.id },
            Mode::Offer { window } => Change::Offer {
                id: e.id,
                until: offer_deadline(rules, window, now),
            },
        });
    }
    changes
}

/// Applies changes to an in-memory list, the way the store applies them to the database.
pub fn apply(entries: &mut Vec<Entry>, changes: &[Change]) {
    for change in changes {
        match *change {
            Change::Expire { id } => entries.retain(|e| e.id != id),
            Change::Confirm { id } => set_place(entries, id, Place::Confirmed),
            Change::Offer { id, until } => set_place(entries, id, Place::Offered { until }),
        }
    }
}

fn set_place(entries: &mut [Entry], id: i32, place: Place) {
    if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
        e.place = place;
    }
}

/// A run's places in numbers: seats held (confirmed or offered) and people in line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub held: u32,
    pub in_line: u32,
}

impl Counts {
    pub fn of(entries: &[Entry]) -> Counts {
        Counts {
            held: held(entries),
            in_line: entries.iter().filter(|e| e.place == Place::Waiting).count() as u32,
        }
    }
}

/// How many of those in line [`settle`] can move at most: no more seats can be free than the
/// capacity. Every held place and this front of the line is all of the line that settling
/// needs, and [`decide`] needs only [`Counts`]; so a sign-up to a popular run reads the front
/// and counts the rest, instead of reading the whole line.
pub fn line_front(rules: &Rules) -> usize {
    rules.capacity as usize
}

/// Where a new sign-up goes, given a settled run. `next_queue_no` is one more than the highest
/// queue number the run has ever given out, so the order survives people leaving.
pub fn decide(rules: &Rules, counts: Counts, next_queue_no: i32) -> Decision {
    if counts.held < rules.capacity && counts.in_line == 0 {
        Decision::Confirm
    } else if rules.waitlist {
        Decision::Wait {
            queue_no: next_queue_no,
            position: counts.in_line + 1,
        }
    } else {
        Decision::Full
    }
}

/// A waiting booking's number in line (1 is next), or `None` if it is not waiting.
pub fn position(entries: &[Entry], id: i32) -> Option<u32> {
    waiting(entries)
        .iter()
        .position(|e| e.id == id)
        .map(|i| i as u32 + 1)
}

/// Whether a participant may cancel their seat themselves at `now`. Leaving the waiting list or
/// turning down an offer is always allowed; a confirmed seat only until the run's deadline before
/// its first session.
pub fn may_self_cancel(
    place: Place,
    first_start: Option<DateTime<Utc>>,
    deadline_hours: i32,
    now: DateTime<Utc>,
) -> bool {
    match place {
        Place::Waiting | Place::Offered { .. } => true,
        Place::Confirmed => {
            first_start.is_none_or(|s| now < s - Duration::hours(i64::from(deadline_hours)))
        }
    }
}

/// Whether the capacity may be set to `capacity`: never below the seats already held.
pub fn may_set_capacity(entries: &[Entry], capacity: u32) -> bool {
    capacity >= held(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .single()
            .expect("a valid instant")
    }

    fn rules(capacity: u32, mode: Mode) -> Rules {
        Rules {
            capacity,
            waitlist: true,
            mode,
            offers_end: None,
        }
    }

    fn confirmed(id: i32) -> Entry {
        Entry {
            id,
            queue_no: None,
            place: Place::Confirmed,
        }
    }

    fn waiting_entry(id: i32, queue_no: i32) -> Entry {
        Entry {
            id,
            queue_no: Some(queue_no),
            place: Place::Waiting,
        }
    }

    #[test]
    fn confirms_while_seats_are_free_then_queues() {
        let r = rules(2, Mode::Automatic);
        assert_eq!(decide(&r, Counts::of(&[]), 1), Decision::Confirm);
        assert_eq!(
            decide(&r, Counts::of(&[confirmed(1)]), 1),
            Decision::Confirm
        );
        assert_eq!(
            decide(&r, Counts::of(&[confirmed(1), confirmed(2)]), 1),
            Decision::Wait {
                queue_no: 1,
                position: 1
            }
        );
        assert_eq!(
            decide(
                &r,
                Counts::of(&[confirmed(1), confirmed(2), waiting_entry(3, 7)]),
                8
            ),
            Decision::Wait {
                queue_no: 8,
                position: 2
            }
        );
    }

    #[test]
    fn full_without_waitlist() {
        let r = Rules {
            waitlist: false,
            ..rules(1, Mode::Automatic)
        };
        assert_eq!(decide(&r, Counts::of(&[confirmed(1)]), 1), Decision::Full);
    }

    #[test]
    fn a_new_sign_up_never_jumps_the_queue() {
        // A seat is free but someone is still waiting (before settling): the newcomer waits.
        let r = rules(2, Mode::Automatic);
        let entries = [confirmed(1), waiting_entry(2, 1)];
        assert!(matches!(
            decide(&r, Counts::of(&entries), 2),
            Decision::Wait { .. }
        ));
    }

    #[test]
    fn open_offers_hold_their_seat() {
        let r = rules(
            1,
            Mode::Offer {
                window: Duration::hours(24),
            },
        );
        let offered = Entry {
            id: 1,
            queue_no: Some(1),
            place: Place::Offered {
                until: now() + Duration::hours(1),
            },
        };
        assert!(matches!(
            decide(&r, Counts::of(&[offered]), 2),
            Decision::Wait { .. }
        ));
        assert!(settle(&r, &[offered], now()).is_empty());
    }

    #[test]
    fn automatic_mode_confirms_the_first_in_line() {
        let r = rules(2, Mode::Automatic);
        let entries = [confirmed(1), waiting_entry(5, 3), waiting_entry(4, 2)];
        assert_eq!(settle(&r, &entries, now()), vec![Change::Confirm { id: 4 }]);
    }

    #[test]
    fn offer_mode_offers_then_passes_on_after_the_deadline() {
        let window = Duration::hours(24);
        let r = rules(1, Mode::Offer { window });
        let mut entries = vec![waiting_entry(1, 1), waiting_entry(2, 2)];
        let first = settle(&r, &entries, now());
        assert_eq!(
            first,
            vec![Change::Offer {
                id: 1,
                until: now() + window
            }]
        );
        apply(&mut entries, &first);
        assert!(settle(&r, &entries, now() + Duration::hours(23)).is_empty());
        let later = now() + window;
        let second = settle(&r, &entries, later);
        assert_eq!(
            second,
            vec![
                Change::Expire { id: 1 },
                Change::Offer {
                    id: 2,
                    until: later + window
                }
            ]
        );
    }

    #[test]
    fn offers_end_by_the_first_session_but_last_at_least_two_hours() {
        let window = Duration::hours(24);
        let start = now() + Duration::hours(5);
        let r = Rules {
            offers_end: Some(start),
            ..rules(1, Mode::Offer { window })
        };
        assert_eq!(offer_deadline(&r, window, now()), start);
        assert_eq!(
            offer_deadline(&r, window, now() + Duration::hours(4)),
            now() + Duration::hours(6)
        );
        let far = Rules {
            offers_end: Some(now() + Duration::days(10)),
            ..r
        };
        assert_eq!(offer_deadline(&far, window, now()), now() + window);
    }

    #[test]
    fn raised_capacity_fills_from_the_queue() {
        let r = rules(3, Mode::Automatic);
        let entries = [
            confirmed(1),
            waiting_entry(2, 1),
            waiting_entry(3, 2),
            waiting_entry(4, 3),
        ];
        assert_eq!(
            settle(&r, &entries, now()),
            vec![Change::Confirm { id: 2 }, Change::Confirm { id: 3 }]
        );
    }

    #[test]
    fn positions_count_only_those_waiting() {
        let entries = [confirmed(1), waiting_entry(9, 4), waiting_entry(3, 2)];
        assert_eq!(position(&entries, 3), Some(1));
        assert_eq!(position(&entries, 9), Some(2));
        assert_eq!(position(&entries, 1), None);
    }

    #[test]
    fn self_cancel_deadline() {
        let start = now() + Duration::hours(30);
        assert!(may_self_cancel(Place::Confirmed, Some(start), 24, now()));
        assert!(!may_self_cancel(
            Place::Confirmed,
            Some(start),
            24,
            now() + Duration::hours(6)
        ));
        assert!(may_self_cancel(
            Place::Waiting,
            Some(start),
            24,
            now() + Duration::hours(29)
        ));
        assert!(may_self_cancel(Place::Confirmed, None, 24, now()));
    }

    #[test]
    fn capacity_never_below_seats_held() {
        let entries = [confirmed(1), confirmed(2), waiting_entry(3, 1)];
        assert!(!may_set_capacity(&entries, 1));
        assert!(may_set_capacity(&entries, 2));
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        #[derive(Clone, Debug)]
        enum Op {
            SignUp,
            /// Cancel the n-th active booking (modulo the count).
            Cancel(usize),
            /// Accept the n-th open offer.
            Accept(usize),
            SetCapacity(u32),
            /// Let hours pass (offers may expire).
            Wait(i64),
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                4 => Just(Op::SignUp),
                2 => (0usize..40).prop_map(Op::Cancel),
                2 => (0usize..40).prop_map(Op::Accept),
                1 => (0u32..12).prop_map(Op::SetCapacity),
                1 => (1i64..48).prop_map(Op::Wait),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn seats_never_overbook_and_the_queue_keeps_its_order(
                capacity in 0u32..8,
                offer in any::<bool>(),
                ops in prop::collection::vec(op(), 1..120),
            ) {
                let mode = if offer { Mode::Offer { window: Duration::hours(24) } } else { Mode::Automatic };
                let mut rules = Rules { capacity, waitlist: true, mode, offers_end: None };
                let mut entries: Vec<Entry> = Vec::new();
                let mut clock = now();
                let mut next_id = 1;
                let mut next_queue = 1;
                for op in ops {
                    match op {
                        Op::SignUp => {
                            let changes = settle(&rules, &entries, clock);
                            // The store settles only the front of the line, and counts the rest.
                            let mut front: Vec<Entry> = entries.iter().filter(|e| e.place != Place::Waiting).copied().collect();
                            front.extend(waiting(&entries).into_iter().take(line_front(&rules)).copied());
                            prop_assert_eq!(&settle(&rules, &front, clock), &changes, "the front of the line settles as the whole");
                            apply(&mut entries, &changes);
                            match decide(&rules, Counts::of(&entries), next_queue) {
                                Decision::Confirm => entries.push(Entry { id: next_id, queue_no: None, place: Place::Confirmed }),
                                Decision::Wait { queue_no, position } => {
                                    prop_assert_eq!(position as usize, entries.iter().filter(|e| e.place == Place::Waiting).count() + 1);
                                    entries.push(Entry { id: next_id, queue_no: Some(queue_no), place: Place::Waiting });
                                    next_queue += 1;
                                }
                                Decision::Full => prop_assert!(false, "waitlist is on"),
                            }
                            next_id += 1;
                        }
                        Op::Cancel(n) if !entries.is_empty() => {
                            let id = entries[n % entries.len()].id;
                            entries.retain(|e| e.id != id);
                        }
                        Op::Accept(n) => {
                            let open: Vec<i32> = entries.iter().filter(|e| matches!(e.place, Place::Offered { until } if until > clock)).map(|e| e.id).collect();
                            if !open.is_empty() {
                                set_place(&mut entries, open[n % open.len()], Place::Confirmed);
                            }
                        }
                        Op::SetCapacity(c) => {
                            if may_set_capacity(&entries, c) {
                                rules.capacity = c;
                            }
                        }
                        Op::Wait(h) => clock += Duration::hours(h),
                        Op::Cancel(_) => {}
                    }
                    // Every change is followed by settling, as the store does under the lock.
                    let before: Vec<Entry> = entries.clone();
                    let changes = settle(&rules, &entries, clock);
                    apply(&mut entries, &changes);

                    // Never more seats held than capacity.
                    prop_assert!(held(&entries) <= rules.capacity, "overbooked");
                    // Every free seat is filled or offered: nobody waits while a seat is free.
                    let in_line = entries.iter().filter(|e| e.place == Place::Waiting).count();
                    prop_assert!(in_line == 0 || held(&entries) == rules.capacity, "a free seat while people wait");
                    // Promotions go strictly in queue order: everyone promoted now was ahead of
                    // everyone still waiting.
                    let promoted: Vec<i32> = changes.iter().filter_map(|c| match c {
                        Change::Confirm { id } | Change::Offer { id, .. } => Some(*id),
                        Change::Expire { .. } => None,
                    }).collect();
                    let queue_of = |id: i32| before.iter().find(|e| e.id == id).and_then(|e| e.queue_no).unwrap_or(0);
                    let last_promoted = promoted.iter().map(|id| queue_of(*id)).max().unwrap_or(0);
                    let first_waiting = entries.iter().filter(|e| e.place == Place::Waiting).filter_map(|e| e.queue_no).min().unwrap_or(i32::MAX);
                    prop_assert!(last_promoted < first_waiting, "promoted out of order");
                    // No open offer outlives its deadline after settling.
                    let stale = entries.iter().any(|e| matches!(e.place, Place::Offered { until } if until <= clock));
                    prop_assert!(!stale, "an offer outlived its deadline");
                }
            }
        }
    }
}
