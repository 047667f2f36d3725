//! A real OpenID Connect provider for the single sign-on tests: `tests/oidc/provider.mjs`
//! (npm `oidc-provider`, installed by `make test`) on a loopback port, stopped on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Idp {
    pub issuer: String,
    child: Child,
    /// Held open: the provider writes to it now and then, and a closed pipe would stop it.
    _stdout: BufReader<std::process::ChildStdout>,
}

/// The client this installation is at the test provider.
pub const CLIENT_ID: &str = "skolebaenk";
pub const CLIENT_SECRET: &str = "en-hemmelighed-kun-til-test";

impl Idp {
    /// Starts the provider, accepting these redirect URIs for the client.
    pub fn start(redirect_uris: &[&str]) -> Idp {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("CLIENT_ID", CLIENT_ID)
            .env("CLIENT_SECRET", CLIENT_SECRET)
            .env("REDIRECT_URIS", redirect_uris.join(","))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc/provider.mjs (make test installs it)");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let mut stdout = BufReader::new(stdout);
        stdout
            .read_line(&mut line)
            .expect("the provider says where it listens");
        let issuer = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
            .to_string();
        Idp {
            issuer,
            child,
            _stdout: stdout,
        }
    }

    /// Chooses who signs in next, and what the provider says about how.
    pub async fn next(&self, email: &str, amr: &[&str], verified: bool) {
        let response = reqwest::Client::new()
            .post(format!("{}/test/next", self.issuer))
            .json(&serde_json::json!({ "email": email, "amr": amr, "verified": verified }))
            .send()
            .await
            .expect("the provider answers");
        assert_eq!(response.status().as_u16(), 204);
    }

    pub fn config(&self) -> server::config::OidcConfig {
        server::config::OidcConfig {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            mfa_amr: vec!["mfa".into(), "otp".into()],
            mfa_acr: Vec::new(),
        }
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
