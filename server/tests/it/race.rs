//! The sign-up rush on both backends: 500 people at once for 20 seats must end exact (see
//! `common::rush`). A correctness check; the time it takes is a `make bench` figure.

use crate::common::Backend;

async fn five_hundred_at_once_for_twenty_seats(backend: Backend) {
    crate::common::rush::rush(backend).await;
}

both_backends!(five_hundred_at_once_for_twenty_seats, threads = 8);
