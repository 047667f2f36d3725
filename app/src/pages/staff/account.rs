//! `/personale/konto`: the person's own account; `/personale/konto/koder`: new recovery codes,
//! shown once.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::{StaffError, StaffView, field, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::account::AccountRefusal;
use crate::i18n::use_locale;
use crate::rules::password::PasswordRefusal;
use crate::server_fns::staff::account::{
    ChangePassword, DisableTotp, NewRecoveryCodes, account_page, recovery_codes_page,
};
use crate::server_fns::staff::sign_in::SignOutEverywhere;
use crate::tr;

#[component]
pub fn AccountPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let ok = query.with_untracked(|q| {
        q.get("adgangskode")
            .map(|_| "adgangskode".to_string())
            .or_else(|| q.get("totp").map(|_| "totp-fra".to_string()))
    });
    let codes_left = query.with_untracked(|q| q.get("koder-tilbage"));
    let data = Resource::new(|| (), |()| account_page());
    staff_page(data, move |d| {
        StaffView::new(tr!(l, "staff.account.title"))
            .lead(view! { {d.me.name.clone()}" · "{d.me.email.clone()} })
            .notices(view! {
                {refusal_notice::<AccountRefusal>(l)}
                {refusal_notice::<PasswordRefusal>(l)}
                {query_notice(l, ok.clone(), &[
                    ("adgangskode", "staff.account.password_changed"),
                    ("totp-fra", "staff.account.totp_off"),
                ], true)}
                {codes_left.clone().map(|n| view! {
                    <p class="notice" role="status">{tr!(l, "staff.account.recovery_used", left = n)}</p>
                })}
            })
            .body(view! {
                <div class="narrow">
                    <section aria-labelledby="roller">
                        <h2 id="roller">{tr!(l, "staff.account.roles")}</h2>
                        <ul class="plain-list">
                            {d.me.role_lines(l).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                    </section>
                    <section aria-labelledby="totp">
                        <h2 id="totp">{tr!(l, "staff.account.totp")}</h2>
                        {if d.me.totp_enabled {
                            view! {
                                <p>{tr!(l, "staff.account.totp_on", left = d.recovery_codes_left)}</p>
                                <div class="action-row">
                                    <form method="post" action=NewRecoveryCodes::url() class="staff-form">
                                        {field("nye-koder-adgangskode", "password", tr!(l, "staff.field.password"), "password", String::new(), "current-password", None)}
                                        <button type="submit" class="button button-secondary">{tr!(l, "staff.account.new_codes")}</button>
                                    </form>
                                    <a class="button button-secondary" href="/personale/totp">{tr!(l, "staff.account.new_app")}</a>
                                </div>
                                {(!d.totp_required).then(|| view! {
                                    <form method="post" action=DisableTotp::url() class="staff-form">
                                        {field("totp-fra-adgangskode", "password", tr!(l, "staff.field.password"), "password", String::new(), "current-password", None)}
                                        <button type="submit" class="button button-secondary">{tr!(l, "staff.account.totp_disable")}</button>
                                    </form>
                                })}
                            }.into_any()
                        } else {
                            view! {
                                <p>{tr!(l, "staff.account.totp_none")}</p>
                                <p><a class="button" href="/personale/totp">{tr!(l, "staff.account.totp_enable")}</a></p>
                            }.into_any()
                        }}
                    </section>
                    <section aria-labelledby="adgangskode">
                        <h2 id="adgangskode">{tr!(l, "staff.account.password")}</h2>
                        <form method="post" action=ChangePassword::url() class="staff-form">
                            <input type="hidden" name="username" value=d.me.email.clone() autocomplete="username"/>
                            {field("nuvaerende", "current", tr!(l, "staff.field.current_password"), "password", String::new(), "current-password", None)}
                            {field("ny", "password", tr!(l, "staff.field.new_password"), "password", String::new(), "new-password", Some(tr!(l, "staff.password.rules")))}
                            {field("gentag", "repeat", tr!(l, "staff.field.repeat_password"), "password", String::new(), "new-password", None)}
                            <button type="submit" class="button">{tr!(l, "staff.account.change_password")}</button>
                        </form>
                    </section>
                    <section aria-labelledby="enheder">
                        <h2 id="enheder">{tr!(l, "staff.account.devices")}</h2>
                        <p>{tr!(l, "staff.account.devices_intro")}</p>
                        <form method="post" action=SignOutEverywhere::url() class="inline-form">
                            <button type="submit" class="button button-secondary">{tr!(l, "staff.account.sign_out_all")}</button>
                        </form>
                    </section>
                </div>
            })
    })
}

/// Shows new recovery codes once.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |()| recovery_codes_page());
    view! {
        <Title text=tr!(l, "staff.codes.title")/>
        <Meta name="robots" content="noindex"/>
        <div class="page-intro">
            <h1>{tr!(l, "staff.codes.title")}</h1>
        </div>
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(codes) if !codes.is_empty() => view! {
                            <p class="notice notice-ok" role="status">{tr!(l, "staff.codes.intro")}</p>
                            <ul class="recovery-codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ul>
                            <p>{tr!(l, "staff.codes.keep")}</p>
                            <p><a class="button" href="/personale">{tr!(l, "staff.codes.done")}</a></p>
                        }
                        .into_any(),
                        Ok(_) => view! {
                            <p>{tr!(l, "staff.codes.gone")}</p>
                            <p><a href="/personale/konto">{tr!(l, "staff.nav.account")}</a></p>
                        }
                        .into_any(),
                        Err(error) => view! { <StaffError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
