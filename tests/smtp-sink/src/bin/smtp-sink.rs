//! `smtp-sink ADDR DIR`: runs the test SMTP sink on `ADDR` (for example `127.0.0.1:2525`),
//! writing every message it accepts to `DIR`, until it is stopped. The browser tests use it.

use std::path::PathBuf;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: smtp-sink ADDR DIR");
        return std::process::ExitCode::from(2);
    };
    let Ok(addr) = addr.parse() else {
        eprintln!("{addr:?} is not host:port");
        return std::process::ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    match smtp_sink::Sink::start_on(addr, Some(&dir)).await {
        Ok(sink) => {
            println!("smtp-sink listening on {}", sink.addr());
            let _ = tokio::signal::ctrl_c().await;
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("smtp-sink could not start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
