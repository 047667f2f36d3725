//! **DTOs**: what crosses the wire between the server and the pages, as plain serde types,
//! one file per page or page group (mirroring `server_fns`). Built on the server by the
//! services, shown by the pages; entities never cross. Times are local Copenhagen wall-clock
//! times, worked out on the server, so the browser needs no time-zone database.

pub mod api_reference;
pub mod booking;
pub mod catalogue;
pub mod evaluation;
pub mod outbox;
pub mod prospectus;
pub mod staff;
pub mod watch;
