//! Signing in: e-mail and password, the authenticator code, setting up the authenticator app,
//! the invitation and reset links, and "forgot password".

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{StaffError, field, query_notice};
use crate::components::form::refusal_notice;
use crate::dto::staff::sign_in::{CodeRefusal, LinkPageDto, SignInRefusal, TotpRefusal};
use crate::i18n::use_locale;
use crate::rules::password::PasswordRefusal;
use crate::server_fns::staff::sign_in::{
    EnableTotp, RequestReset, SetPasswordByLink, SignIn, SignInCode, SignOut, link_page,
    sign_in_page, totp_setup_page,
};
use crate::tr;

/// `/personale/log-ind`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let data = Resource::new(|| (), |()| sign_in_page());
    let back = query.with_untracked(|q| q.get("til")).unwrap_or_default();
    let ok = query.with_untracked(|q| {
        q.get("ud")
            .map(|v| if v == "alle" { "ud-alle" } else { "ud" }.to_string())
            .or_else(|| q.get("klar").map(|_| "klar".to_string()))
            .or_else(|| q.get("nulstillet").map(|_| "nulstillet".to_string()))
    });
    view! {
        <Title text=tr!(l, "staff.sign_in.title")/>
        <Meta name="robots" content="noindex"/>
        <div class="page-intro">
            <h1>{tr!(l, "staff.sign_in.title")}</h1>
            <p class="lead">{tr!(l, "staff.sign_in.intro")}</p>
        </div>
        <div class="narrow">
            {refusal_notice::<SignInRefusal>(l)}
            {query_notice(l, ok, &[
                ("ud", "staff.sign_in.signed_out"),
                ("ud-alle", "staff.sign_in.signed_out_all"),
                ("klar", "staff.sign_in.password_set"),
                ("nulstillet", "staff.sign_in.password_reset"),
            ], true)}
            <Suspense fallback=|| ()>
                {move || {
                    let back = back.clone();
                    Suspend::new(async move {
                    let (email, sso) = data.await.map(|d| (d.email, d.sso)).unwrap_or_default();
                    let sso = sso.then(|| view! {
                        <form method="post" action="/personale/log-ind/sso" class="staff-form sso-form">
                            <input type="hidden" name="til" value=back.clone()/>
                            <div class="form-actions">
                                <button type="submit" class="button">{tr!(l, "staff.sign_in.sso_button")}</button>
                            </div>
                        </form>
                        <h2 class="sso-or">{tr!(l, "staff.sign_in.sso_or")}</h2>
                        <p class="hint">{tr!(l, "staff.sign_in.sso_hint")}</p>
                    });
                    view! {
                        {sso}
                        <form method="post" action=SignIn::url() class="staff-form">
                            <input type="hidden" name="til" value=back.clone()/>
                            {field("log-ind-email", "email", tr!(l, "staff.field.email"), "email", email, "username", None)}
                            {field("log-ind-adgangskode", "password", tr!(l, "staff.field.password"), "password", String::new(), "current-password", None)}
                            <div class="form-actions">
                                <button type="submit" class="button">{tr!(l, "staff.sign_in.button")}</button>
                            </div>
                        </form>
                    }
                })}}
            </Suspense>
            <p><a href="/personale/glemt">{tr!(l, "staff.sign_in.forgot")}</a></p>
        </div>
    }
}

/// `/personale/log-ind/kode`: the code from the authenticator app, or a recovery code.
#[component]
pub fn CodePage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=tr!(l, "staff.code.title")/>
        <Meta name="robots" content="noindex"/>
        <div class="page-intro">
            <h1>{tr!(l, "staff.code.title")}</h1>
            <p class="lead">{tr!(l, "staff.code.intro")}</p>
        </div>
        <div class="narrow">
            {refusal_notice::<CodeRefusal>(l)}
            <form method="post" action=SignInCode::url() class="staff-form">
                <div class="field">
                    <label for="kode">{tr!(l, "staff.field.code")}</label>
                    <p class="hint" id="kode-hint">{tr!(l, "staff.code.hint")}</p>
                    <input id="kode" name="code" type="text" inputmode="text" autocomplete="one-time-code" aria-describedby="kode-hint" autofocus/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">{tr!(l, "staff.code.button")}</button>
                </div>
            </form>
            <p><a href="/personale/log-ind">{tr!(l, "staff.code.start_over")}</a></p>
        </div>
    }
}

/// `/personale/totp`: sets up the authenticator app.
#[component]
pub fn TotpSetupPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| totp_setup_page());
    view! {
        <Title text=tr!(l, "staff.totp.title")/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <div class="page-intro">
                                <h1>{tr!(l, "staff.totp.title")}</h1>
                                <p class="lead">{if d.required { tr!(l, "staff.totp.required") } else { tr!(l, "staff.totp.optional") }}</p>
                            </div>
                            <div class="narrow">
                                {refusal_notice::<TotpRefusal>(l)}
                                {d.already_enabled.then(|| view! { <p class="notice">{tr!(l, "staff.totp.replaces")}</p> })}
                                <ol class="steps">
                                    <li>{tr!(l, "staff.totp.step_app")}</li>
                                    <li>
                                        {tr!(l, "staff.totp.step_scan")}
                                        <figure class="qr">
                                            <div role="img" aria-label=tr!(l, "staff.totp.qr_alt") inner_html=d.qr_svg.clone()></div>
                                            <figcaption>
                                                {tr!(l, "staff.totp.key_label")}" "
                                                <code class="secret">{d.secret_grouped.clone()}</code>
                                            </figcaption>
                                        </figure>
                                    </li>
                                    <li>{tr!(l, "staff.totp.step_code")}</li>
                                </ol>
                                <form method="post" action=EnableTotp::url() class="staff-form">
                                    <input type="hidden" name="secret" value=d.secret.clone()/>
                                    <div class="field">
                                        <label for="totp-kode">{tr!(l, "staff.field.code")}</label>
                                        <input id="totp-kode" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"/>
                                    </div>
                                    // Replacing the app asks who is at the keyboard.
                                    {d.already_enabled.then(|| view! {
                                        <div class="field">
                                            <label for="totp-adgangskode">{tr!(l, "staff.field.password")}</label>
                                            <input id="totp-adgangskode" name="password" type="password" autocomplete="current-password"/>
                                        </div>
                                    })}
                                    <div class="form-actions">
                                        <button type="submit" class="button">{tr!(l, "staff.totp.button")}</button>
                                    </div>
                                </form>
                                // Someone made to set the app up at first sign-in can still leave.
                                <form method="post" action=SignOut::url() class="inline-form">
                                    <button type="submit" class="button-plain">{tr!(l, "staff.nav.sign_out")}</button>
                                </form>
                            </div>
                        }
                        .into_any(),
                        Err(error) => view! { <StaffError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/personale/invitation/:token` and `/personale/nulstil/:token`: choose a password.
#[component]
pub fn PasswordLinkPage(reset: bool) -> impl IntoView {
    let l = use_locale();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(token, move |t| link_page(t, reset));
    let title = if reset {
        tr!(l, "staff.link.reset_title")
    } else {
        tr!(l, "staff.link.invite_title")
    };
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <div class="page-intro"><h1>{title}</h1></div>
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || {
                        Suspend::new(async move {
                        match data.await {
                            Ok(LinkPageDto::Valid { name, email }) => view! {
                                <p class="lead">{tr!(l, "staff.link.for", name = name, email = email.clone())}</p>
                                {refusal_notice::<PasswordRefusal>(l)}
                                <form method="post" action=SetPasswordByLink::url() class="staff-form">
                                    <input type="hidden" name="token" value=token()/>
                                    <input type="hidden" name="reset" value=reset.to_string()/>
                                    <input type="hidden" name="username" value=email autocomplete="username"/>
                                    {field("ny-adgangskode", "password", tr!(l, "staff.field.new_password"), "password", String::new(), "new-password", Some(tr!(l, "staff.password.rules")))}
                                    {field("gentag-adgangskode", "repeat", tr!(l, "staff.field.repeat_password"), "password", String::new(), "new-password", None)}
                                    <div class="form-actions">
                                        <button type="submit" class="button">{tr!(l, "staff.link.button")}</button>
                                    </div>
                                </form>
                            }
                            .into_any(),
                            Ok(LinkPageDto::Invalid) => view! {
                                <p class="lead">{tr!(l, "staff.link.invalid")}</p>
                                <p><a href="/personale/glemt">{tr!(l, "staff.sign_in.forgot")}</a></p>
                            }
                            .into_any(),
                            Err(error) => view! { <StaffError error/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

/// `/personale/invitation/:token`.
#[component]
pub fn InvitationPage() -> impl IntoView {
    view! { <PasswordLinkPage reset=false/> }
}

/// `/personale/nulstil/:token`.
#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <PasswordLinkPage reset=true/> }
}

/// `/personale/glemt`: asks for a reset link by e-mail.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let l = use_locale();
    let sent = use_query_map().with_untracked(|q| q.get("sendt").map(|_| "1".to_string()));
    view! {
        <Title text=tr!(l, "staff.forgot.title")/>
        <Meta name="robots" content="noindex"/>
        <div class="page-intro">
            <h1>{tr!(l, "staff.forgot.title")}</h1>
            <p class="lead">{tr!(l, "staff.forgot.intro")}</p>
        </div>
        <div class="narrow">
            {query_notice(l, sent, &[("1", "staff.forgot.sent")], true)}
            <form method="post" action=RequestReset::url() class="staff-form">
                {field("glemt-email", "email", tr!(l, "staff.field.email"), "email", String::new(), "username", None)}
                <div class="form-actions">
                    <button type="submit" class="button">{tr!(l, "staff.forgot.button")}</button>
                </div>
            </form>
            <p><a href="/personale/log-ind">{tr!(l, "staff.forgot.back")}</a></p>
        </div>
    }
}
