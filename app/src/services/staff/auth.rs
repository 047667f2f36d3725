//! Staff sign-in: sessions in the database, throttling of failed attempts, the second factor
//! (authenticator app or a recovery code), and single-use links for invitations and password
//! resets.
//!
//! A session moves through stages. After the password it is `password` when the account has an
//! authenticator app (the code comes next) or `setup` when the person's role requires one they
//! have not set up yet (setting it up is all they can do). Once the code is given the session
//! is replaced by a new `full` one, so a token seen before the second factor opens nothing.
//! Only SHA-256 hashes of cookie tokens, links and recovery codes are stored.

use chrono::{DateTime, Duration, Utc};
use entity::{
    StaffRoleKind, recovery_code, sign_in_failure, staff_account, staff_role, staff_session,
    staff_token, teacher,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use super::{password, totp};
use crate::rules::access::{Grants, Role};
use crate::rules::throttle::{self, Attempt, Failures};
use crate::services::query::AllInto;
use crate::services::tokens;
use crate::services::transaction::write_unseen;

/// Session lifetimes and the cookie's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionSettings {
    /// A session ends after this long without a request.
    pub idle: Duration,
    /// And at the latest this long after sign-in.
    pub lifetime: Duration,
    /// `Secure` cookies with the `__Host-` prefix: everywhere but local development over http.
    pub secure: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle: Duration::minutes(60),
            lifetime: Duration::hours(12),
            secure: false,
        }
    }
}

impl SessionSettings {
    /// The cookie's name. `__Host-` needs `Secure`, which browsers refuse over plain http.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-sb_personale"
        } else {
            "sb_personale"
        }
    }

    /// `Set-Cookie` value that stores a session token.
    pub fn cookie(&self, token: &str) -> String {
        format!(
            "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            self.cookie_name(),
            self.lifetime.num_seconds(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` value that removes it.
    pub fn clear_cookie(&self) -> String {
        format!(
            "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
            self.cookie_name(),
            if self.secure { "; Secure" } else { "" }
        )
    }
}

/// How far a session has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Password given; the authenticator code comes next.
    Password,
    /// Password given; the role requires an authenticator app that is not set up yet.
    Setup,
    /// Signed in.
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Setup => "setup",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> Option<Stage> {
        [Stage::Password, Stage::Setup, Stage::Full]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// A session found from its cookie.
#[derive(Clone, Debug)]
pub struct Signed {
    pub session_id: i32,
    pub stage: Stage,
    pub account: staff_account::Model,
    pub grants: Grants,
    /// Teacher profiles linked to the account: their runs and courses are the person's own.
    pub teacher_ids: Vec<i32>,
}

/// Whether any staff account exists (an installation without one needs `server create-admin`).
pub async fn any_account(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(entity::staff_account::Entity::find().count(db).await? > 0)
}

/// Starts a session and returns its token for the cookie.
pub async fn start_session(
    db: &impl ConnectionTrait,
    account_id: i32,
    stage: Stage,
    now: DateTime<Utc>,
    settings: &SessionSettings,
) -> Result<String, DbErr> {
    let token = tokens::new_token();
    staff_session::ActiveModel {
        token_hash: Set(tokens::hash(&token)),
        account_id: Set(account_id),
        stage: Set(stage.as_str().into()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + settings.lifetime),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session for a cookie token, or `None` if it is unknown, idle too long, past its
/// lifetime, or its account is disabled. Marks the session as used.
pub async fn session(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
    settings: &SessionSettings,
) -> Result<Option<Signed>, DbErr> {
    if !tokens::looks_like_token(token) {
        return Ok(None);
    }
    let Some(s) = staff_session::Entity::find()
        .filter(staff_session::Column::TokenHash.eq(tokens::hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at <= now || s.last_seen_at + settings.idle <= now {
        staff_session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    }
    let Some(account) = staff_account::Entity::find_by_id(s.account_id)
        .one(db)
        .await?
        .filter(|a| a.disabled_at.is_none())
    else {
        return Ok(None);
    };
    let Some(stage) = Stage::parse(&s.stage) else {
        return Ok(None);
    };
    // One write a minute is enough to keep an active session alive.
    if now - s.last_seen_at > Duration::seconds(60) {
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::LastSeenAt, Expr::value(now))
            .filter(staff_session::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    let grants = grants(db, account.id).await?;
    let teacher_ids = teacher_ids(db, account.id).await?;
    Ok(Some(Signed {
        session_id: s.id,
        stage,
        account,
        grants,
        teacher_ids,
    }))
}

/// Ends one session.
pub async fn end_session(db: &impl ConnectionTrait, session_id: i32) -> Result<(), DbErr> {
    staff_session::Entity::delete_by_id(session_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account ("log ud overalt", and after a password change).
pub async fn end_all_sessions(db: &impl ConnectionTrait, account_id: i32) -> Result<u64, DbErr> {
    Ok(staff_session::Entity::delete_many()
        .filter(staff_session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes sessions past their lifetime or unused for a day (idle timeouts are shorter), old
/// failed sign-ins, and spent or expired links.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let sessions = staff_session::Entity::delete_many()
        .filter(
            staff_session::Column::ExpiresAt
                .lte(now)
                .or(staff_session::Column::LastSeenAt.lte(now - Duration::days(1))),
        )
        .exec(db)
        .await?
        .rows_affected;
    let failures = sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected;
    let links = staff_token::Entity::delete_many()
        .filter(staff_token::Column::ExpiresAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(sessions + failures + links)
}

pub fn role_of(kind: StaffRoleKind) -> Role {
    match kind {
        StaffRoleKind::Admin => Role::Admin,
        StaffRoleKind::Coordinator => Role::Coordinator,
        StaffRoleKind::Teacher => Role::Teacher,
        StaffRoleKind::Management => Role::Management,
    }
}

/// The database value of a role.
pub fn role_kind(role: Role) -> StaffRoleKind {
    match role {
        Role::Admin => StaffRoleKind::Admin,
        Role::Coordinator => StaffRoleKind::Coordinator,
        Role::Teacher => StaffRoleKind::Teacher,
        Role::Management => StaffRoleKind::Management,
    }
}

/// The roles an account holds.
pub async fn grants(db: &impl ConnectionTrait, account_id: i32) -> Result<Grants, DbErr> {
    let rows = staff_role::Entity::find()
        .filter(staff_role::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    let mut g = Grants::default();
    for r in rows {
        match (role_of(r.role), r.school_id) {
            (Role::Admin, _) => g.admin = true,
            (role, Some(school)) => g.roles.push((school, role)),
            (_, None) => {}
        }
    }
    g.roles.sort_unstable();
    g.roles.dedup();
    Ok(g)
}

/// Teacher profiles linked to an account.
pub async fn teacher_ids(db: &impl ConnectionTrait, account_id: i32) -> Result<Vec<i32>, DbErr> {
    teacher::Entity::find()
        .filter(teacher::Column::AccountId.eq(account_id))
        .all_into(db, |t| t.id)
        .await
}

/// SHA-256 of a client's network (the address, or its IPv6 /64): enough to count failures,
/// not to trace anyone.
pub fn ip_hash(ip: &str) -> String {
    tokens::hash(&format!("sign-in:{}", throttle::network(ip)))
}

/// Locks the account's row until the transaction ends, so that two attempts on one account
/// count one after the other.
async fn lock_account(txn: &impl ConnectionTrait, account_id: i32) -> Result<(), DbErr> {
    staff_account::Entity::update_many()
        .col_expr(
            staff_account::Column::Id,
            Expr::col(staff_account::Column::Id),
        )
        .filter(staff_account::Column::Id.eq(account_id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn count_failures(
    txn: &impl ConnectionTrait,
    account_id: Option<i32>,
    ip_hash: &str,
    now: DateTime<Utc>,
) -> Result<Failures, DbErr> {
    use sea_orm::Condition;
    let since = now - Duration::minutes(throttle::WINDOW_MINUTES);
    let recent = || sign_in_failure::Entity::find().filter(sign_in_failure::Column::At.gt(since));
    let kind = |a: Attempt| sign_in_failure::Column::Kind.eq(a.as_str());
    let address = recent()
        .filter(sign_in_failure::Column::IpHash.eq(ip_hash))
        .count(txn)
        .await?;
    let Some(id) = account_id else {
        return Ok(Failures {
            address,
            ..Failures::default()
        });
    };
    let mine = || recent().filter(sign_in_failure::Column::AccountId.eq(id));
    Ok(Failures {
        pair: mine()
            .filter(
                Condition::all()
                    .add(kind(Attempt::Password))
                    .add(sign_in_failure::Column::IpHash.eq(ip_hash)),
            )
            .count(txn)
            .await?,
        account: mine().filter(kind(Attempt::Password)).count(txn).await?,
        address,
        codes: mine().filter(kind(Attempt::Code)).count(txn).await?,
    })
}

/// Counts an attempt as a failure before it is checked, in one transaction with the account
/// locked, so parallel attempts cannot all pass the count. `None` when the attempt must wait;
/// otherwise the row to take back if the attempt turns out right.
async fn reserve_attempt(
    db: &DatabaseConnection,
    attempt: Attempt,
    account_id: Option<i32>,
    ip_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    write_unseen(db, |txn| async move {
        if let Some(id) = account_id {
            lock_account(&txn, id).await?;
        }
        if throttle::paused(
            attempt,
            count_failures(&txn, account_id, ip_hash, now).await?,
        ) {
            metrics::counter!("skolebaenk_throttled_total", "what" => "signin").increment(1);
            return Ok(None);
        }
        let row = sign_in_failure::ActiveModel {
            at: Set(now),
            account_id: Set(account_id),
            ip_hash: Set(ip_hash.to_string()),
            kind: Set(attempt.as_str().into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Ok(Some(row.id))
    })
    .await
}

/// An attempt that turned out right is not a failure. (Earlier failures stay until they age
/// out: a correct password does not wipe the count.)
async fn take_back(db: &DatabaseConnection, reserved: i32) -> Result<(), DbErr> {
    sign_in_failure::Entity::delete_by_id(reserved)
        .exec(db)
        .await?;
    Ok(())
}

/// After a new password set through an e-mailed link (the owner proved the mailbox), wrong
/// passwords no longer count against the account; wrong codes still do.
pub async fn clear_password_failures(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<(), DbErr> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::AccountId.eq(account_id))
        .filter(sign_in_failure::Column::Kind.eq(Attempt::Password.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// The answer to an e-mail and password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Right; the session starts at this stage.
    Accepted { account_id: i32, stage: Stage },
    /// Wrong e-mail or password (the answer does not say which).
    Wrong,
    /// Too many failures lately; try again later.
    Throttled,
}

/// Checks an e-mail and password, counting failures per account and address (see
/// [`throttle`]). The hash is checked off the async threads.
pub async fn check_password(
    db: &DatabaseConnection,
    email: &str,
    given: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<PasswordCheck, DbErr> {
    let ip_hash = ip_hash(ip);
    let email = email.trim().to_lowercase();
    let account = staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let Some(reserved) = reserve_attempt(
        db,
        Attempt::Password,
        account.as_ref().map(|a| a.id),
        &ip_hash,
        now,
    )
    .await?
    else {
        return Ok(PasswordCheck::Throttled);
    };
    let usable = account
        .as_ref()
        .filter(|a| a.disabled_at.is_none())
        .and_then(|a| a.password_hash.clone().map(|h| (a, h)));
    let Some((account, phc)) = usable else {
        password::waste_time_off_thread(given).await;
        return Ok(PasswordCheck::Wrong);
    };
    if !password::verify_off_thread(given, &phc).await {
        return Ok(PasswordCheck::Wrong);
    }
    take_back(db, reserved).await?;
    let stage = if account.totp_enabled {
        Stage::Password
    } else if grants(db, account.id).await?.requires_second_factor() {
        Stage::Setup
    } else {
        Stage::Full
    };
    Ok(PasswordCheck::Accepted {
        account_id: account.id,
        stage,
    })
}

/// The answer to a second-factor code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    /// A recovery code was used; this many are left.
    RecoveryUsed {
        left: u64,
    },
    Wrong,
    Throttled,
}

/// Checks a code from the authenticator app, or a recovery code, for a session at the
/// `password` stage. Each code works once; failures count toward the account's throttle.
pub async fn check_code(
    db: &DatabaseConnection,
    account: &staff_account::Model,
    typed: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<CodeCheck, DbErr> {
    let ip_hash = ip_hash(ip);
    let Some(reserved) =
        reserve_attempt(db, Attempt::Code, Some(account.id), &ip_hash, now).await?
    else {
        return Ok(CodeCheck::Throttled);
    };
    if let Some(secret) = account
        .totp_secret
        .as_deref()
        .filter(|_| account.totp_enabled)
        && let Some(step) = totp::verify(secret, typed, now.timestamp(), account.totp_last_step)
    {
        // Guarded: of two requests with the same code, one wins.
        let updated = staff_account::Entity::update_many()
            .col_expr(staff_account::Column::TotpLastStep, Expr::value(step))
            .filter(staff_account::Column::Id.eq(account.id))
            .filter(
                staff_account::Column::TotpLastStep
                    .is_null()
                    .or(staff_account::Column::TotpLastStep.lt(step)),
            )
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            take_back(db, reserved).await?;
            return Ok(CodeCheck::Accepted);
        }
    }
    if let Some(left) = use_recovery_code(db, account.id, typed, now).await? {
        take_back(db, reserved).await?;
        return Ok(CodeCheck::RecoveryUsed { left });
    }
    Ok(CodeCheck::Wrong)
}

/// Recovery codes: ten, each of ten letters and digits in two groups ("k7dp2-xq9m4").
pub const RECOVERY_CODES: usize = 10;

fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Replaces an account's recovery codes with new ones and returns them, to be shown once.
pub async fn new_recovery_codes(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Vec<String>, DbErr> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    // No 0/o or 1/l, which are easy to mistake on paper.
    const ALPHABET: &[u8] = b"23456789abcdefghijkmnpqrstuvwxyz";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw: [u8; 10] = rand::random();
        let chars: String = raw
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let code = format!("{}-{}", &chars[..5], &chars[5..]);
        recovery_code::ActiveModel {
            account_id: Set(account_id),
            code_hash: Set(tokens::hash(&normalise_recovery(&code))),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// Spends a recovery code; returns how many are left, or `None` if it was not a live code.
async fn use_recovery_code(
    db: &impl ConnectionTrait,
    account_id: i32,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, DbErr> {
    let normalised = normalise_recovery(typed);
    if normalised.len() != 10 {
        return Ok(None);
    }
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::CodeHash.eq(tokens::hash(&normalised)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(None);
    }
    Ok(Some(recovery_codes_left(db, account_id).await?))
}

pub async fn recovery_codes_left(db: &impl ConnectionTrait, account_id: i32) -> Result<u64, DbErr> {
    recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await
}

/// What a single-use staff link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Set a first password.
    Invite,
    /// Choose a new password.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }

    /// How long the link works.
    pub fn lifetime(self) -> Duration {
        match self {
            LinkPurpose::Invite => Duration::days(crate::rules::retention::INVITE_DAYS),
            LinkPurpose::Reset => Duration::hours(crate::rules::retention::RESET_HOURS),
        }
    }
}

/// Makes a single-use link token for an account.
pub async fn issue_link(
    db: &impl ConnectionTrait,
    account_id: i32,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = tokens::new_token();
    staff_token::ActiveModel {
        token_hash: Set(tokens::hash(&token)),
        account_id: Set(account_id),
        purpose: Set(purpose.as_str().into()),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The account a live, unused link belongs to, without spending it.
pub async fn peek_link(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<staff_account::Model>, DbErr> {
    if !tokens::looks_like_token(token) {
        return Ok(None);
    }
    let Some(t) = staff_token::Entity::find()
        .filter(staff_token::Column::TokenHash.eq(tokens::hash(token)))
        .filter(staff_token::Column::Purpose.eq(purpose.as_str()))
        .filter(staff_token::Column::UsedAt.is_null())
        .filter(staff_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(staff_account::Entity::find_by_id(t.account_id)
        .one(db)
        .await?
        .filter(|a| a.disabled_at.is_none()))
}

/// Spends a link: of two uses, one wins. Returns the account it belonged to. Spending one link
/// also spends the account's other live links of the same purpose.
pub async fn spend_link(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<staff_account::Model>, DbErr> {
    let Some(account) = peek_link(db, purpose, token, now).await? else {
        return Ok(None);
    };
    let spent = staff_token::Entity::update_many()
        .col_expr(staff_token::Column::UsedAt, Expr::value(now))
        .filter(staff_token::Column::TokenHash.eq(tokens::hash(token)))
        .filter(staff_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(None);
    }
    staff_token::Entity::update_many()
        .col_expr(staff_token::Column::UsedAt, Expr::value(now))
        .filter(staff_token::Column::AccountId.eq(account.id))
        .filter(staff_token::Column::Purpose.eq(purpose.as_str()))
        .filter(staff_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(Some(account))
}

/// Sets a new password: hashes it, ends every session of the account.
pub async fn set_password(
    db: &impl ConnectionTrait,
    account_id: i32,
    new_password: &str,
) -> Result<(), DbErr> {
    let phc = password::hash_off_thread(new_password)
        .await
        .map_err(|e| DbErr::Custom(format!("password hashing failed: {e}")))?;
    staff_account::Entity::update_many()
        .col_expr(staff_account::Column::PasswordHash, Expr::value(phc))
        .filter(staff_account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    end_all_sessions(db, account_id).await?;
    Ok(())
}

/// Creates an account (without a password) with roles, or adds the roles to an existing one.
/// Returns the account's id.
pub async fn ensure_account(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    roles: &[(Option<i32>, Role)],
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let email = email.trim().to_lowercase();
    let id = match staff_account::Entity::find()
        .filter(staff_account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        Some(a) => a.id,
        None => {
            staff_account::ActiveModel {
                email: Set(email.clone()),
                name: Set(name.trim().to_string()),
                password_hash: Set(None),
                totp_secret: Set(None),
                totp_enabled: Set(false),
                totp_last_step: Set(None),
                created_at: Set(now),
                disabled_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
    };
    let existing = staff_role::Entity::find()
        .filter(staff_role::Column::AccountId.eq(id))
        .all(db)
        .await?;
    for &(school, role) in roles {
        let school = if role == Role::Admin { None } else { school };
        let kind = role_kind(role);
        if existing
            .iter()
            .any(|r| r.role == kind && r.school_id == school)
        {
            continue;
        }
        staff_role::ActiveModel {
            account_id: Set(id),
            school_id: Set(school),
            role: Set(kind),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(id)
}

/// Turns the authenticator app on for an account with `secret`, whose code at `step` was just
/// shown; makes new recovery codes and returns them (to show once).
pub async fn enable_totp(
    db: &sea_orm::DatabaseConnection,
    account_id: i32,
    secret: &str,
    step: i64,
) -> Result<Vec<String>, DbErr> {
    crate::services::transaction::write(db, |txn| async move {
        staff_account::Entity::update_many()
            .col_expr(staff_account::Column::TotpSecret, Expr::value(secret))
            .col_expr(staff_account::Column::TotpEnabled, Expr::value(true))
            .col_expr(staff_account::Column::TotpLastStep, Expr::value(step))
            .filter(staff_account::Column::Id.eq(account_id))
            .exec(&txn)
            .await?;
        new_recovery_codes(&txn, account_id).await
    })
    .await
}

/// Turns the authenticator app off for an account, with its recovery codes.
pub async fn disable_totp(db: &sea_orm::DatabaseConnection, account_id: i32) -> Result<(), DbErr> {
    crate::services::transaction::write(db, |txn| async move {
        staff_account::Entity::update_many()
            .col_expr(staff_account::Column::TotpEnabled, Expr::value(false))
            .col_expr(
                staff_account::Column::TotpSecret,
                Expr::value(Option::<String>::None),
            )
            .filter(staff_account::Column::Id.eq(account_id))
            .exec(&txn)
            .await?;
        recovery_code::Entity::delete_many()
            .filter(recovery_code::Column::AccountId.eq(account_id))
            .exec(&txn)
            .await?;
        Ok(())
    })
    .await
}

/// Queues a password reset link to the active account with this e-mail, if there is one.
pub async fn queue_reset_link(
    db: &sea_orm::DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use crate::services::outbox::{self, Kind, Message};
    crate::services::transaction::write(db, |txn| async move {
        let Some(account) = staff_account::Entity::find()
            .filter(staff_account::Column::Email.eq(email_key))
            .one(&txn)
            .await?
            .filter(|a| a.disabled_at.is_none())
        else {
            return Ok(());
        };
        outbox::enqueue(
            &txn,
            Message {
                kind: Kind::StaffReset,
                recipient: &account.email,
                locale: "da",
                booking_id: None,
                payload: serde_json::json!({ "account_id": account.id }),
            },
            now,
        )
        .await
    })
    .await
}
