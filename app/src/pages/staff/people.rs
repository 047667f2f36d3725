//! `/personale/personale`: staff at the person's schools, and invitations;
//! `/personale/log`: the audit log.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{StaffView, query_notice, staff_page};
use crate::components::form::refusal_notice;
use crate::dto::staff::people::PeopleRefusal;
use crate::error::AppError;
use crate::format;
use crate::i18n::use_locale;
use crate::rules::vocabulary::TeacherKind;
use crate::server_fns::staff::account::me;
use crate::server_fns::staff::people::{InviteStaff, RemoveRole, audit_log, staff_list};
use crate::tr;

#[component]
pub fn StaffListPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let ok = query.with_untracked(|q| {
        q.get("inviteret")
            .map(|_| "inviteret".to_string())
            .or_else(|| q.get("fjernet").map(|_| "fjernet".to_string()))
    });
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, staff_list().await?)) },
    );
    staff_page(data, move |(_, d)| {
        StaffView::new(tr!(l, "staff.people.title"))
            .lead(tr!(l, "staff.people.intro"))
            .notices(view! {
                {refusal_notice::<PeopleRefusal>(l)}
                {query_notice(l, ok.clone(), &[
                    ("inviteret", "staff.people.invited"),
                    ("fjernet", "staff.people.removed"),
                ], true)}
            })
            .body(view! {
                <div class="table-scroll" role="region" aria-label=tr!(l, "staff.people.title") tabindex="0">
                    <table class="staff-table">
                        <caption class="visually-hidden">{tr!(l, "staff.people.title")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{tr!(l, "staff.col.name")}</th>
                                <th scope="col">{tr!(l, "staff.col.roles")}</th>
                                <th scope="col">{tr!(l, "staff.col.status")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.members.into_iter().map(|m| view! {
                                <tr>
                                    <th scope="row">{m.name.clone()}<span class="cell-sub">{m.email.clone()}</span></th>
                                    <td>
                                        <ul class="plain-list">
                                            {m.roles.into_iter().map(|r| {
                                                let label = match &r.school {
                                                    Some((_, name)) => format!("{}, {name}", tr!(l, r.role.label_key())),
                                                    None => tr!(l, r.role.label_key()),
                                                };
                                                let remove_label = tr!(l, "staff.people.remove_role", role = label.clone(), name = m.name.clone());
                                                view! {
                                                    <li>
                                                        {label}
                                                        {r.may_remove.then(|| view! {
                                                            <form method="post" action=RemoveRole::url() class="inline-form">
                                                                <input type="hidden" name="role_id" value=r.role_id.to_string()/>
                                                                <button type="submit" class="button-plain button-small" aria-label=remove_label>{tr!(l, "staff.people.remove")}</button>
                                                            </form>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </td>
                                    <td>
                                        {if m.active { tr!(l, "staff.people.active") } else { tr!(l, "staff.people.invited_state") }}
                                        {m.totp_enabled.then(|| view! { <span class="cell-sub">{tr!(l, "staff.people.totp")}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <section aria-labelledby="inviter" class="narrow">
                    <h2 id="inviter">{tr!(l, "staff.people.invite")}</h2>
                    <p>{tr!(l, "staff.people.invite_intro")}</p>
                    <form method="post" action=InviteStaff::url() class="staff-form">
                        {super::field("inviter-navn", "name", tr!(l, "staff.field.name"), "text", String::new(), "off", None)}
                        {super::field("inviter-email", "email", tr!(l, "staff.field.email"), "email", String::new(), "off", None)}
                        <div class="field">
                            <label for="inviter-skole">{tr!(l, "staff.field.school")}</label>
                            <select id="inviter-skole" name="school">
                                {d.schools.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="inviter-rolle">{tr!(l, "staff.field.role")}</label>
                            <select id="inviter-rolle" name="role">
                                {d.roles.iter().map(|r| view! { <option value=r.slug() selected=r.slug() == "teacher">{tr!(l, r.label_key())}</option> }).collect_view()}
                            </select>
                        </div>
                        <fieldset class="field">
                            <legend>{tr!(l, "staff.people.teacher_kind")}</legend>
                            <p class="hint">{tr!(l, "staff.people.teacher_kind_hint")}</p>
                            {TeacherKind::ALL.iter().map(|k| {
                                let id = format!("inviter-slags-{}", k.slug());
                                let label_for = id.clone();
                                view! {
                                    <label class="check" for=label_for>
                                        <input id=id type="radio" name="teacher_kind" value=k.slug()/>
                                        {tr!(l, k.label_key())}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="button">{tr!(l, "staff.people.invite_button")}</button>
                    </form>
                </section>
            })
    })
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(
        || (),
        |()| async { Ok::<_, AppError>((me().await?, audit_log().await?)) },
    );
    staff_page(data, move |(_, entries)| {
        StaffView::new(tr!(l, "staff.log.title"))
            .lead(tr!(l, "staff.log.intro"))
            .body(view! {
                {if entries.is_empty() {
                    view! { <p>{tr!(l, "staff.log.empty")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" role="region" aria-label=tr!(l, "staff.log.title") tabindex="0">
                            <table class="staff-table">
                                <caption class="visually-hidden">{tr!(l, "staff.log.title")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr!(l, "staff.col.when")}</th>
                                        <th scope="col">{tr!(l, "staff.col.who")}</th>
                                        <th scope="col">{tr!(l, "staff.col.what")}</th>
                                        <th scope="col">{tr!(l, "staff.col.subject")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{format::date_time(l, e.at)}</td>
                                            <td>{e.actor}{e.school.map(|s| view! { <span class="cell-sub">{s}</span> })}</td>
                                            <td>{tr!(l, format!("staff.action.{}", e.action.replace('.', "_")).as_str())}
                                                {(!e.detail.is_empty()).then(|| view! { <span class="cell-sub">{e.detail.clone()}</span> })}
                                            </td>
                                            <td>{e.subject}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            })
    })
}
