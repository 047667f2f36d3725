//! The course page: what the course is, what to expect, who developed and teaches it, and every
//! upcoming run with its sessions, place and seats.

use leptos::prelude::*;

use crate::components::course::CourseView;
use crate::components::load::loaded;
use crate::components::not_found::NotFound;
use crate::pages::path_param;
use crate::server_fns::catalogue::course_detail;

#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = path_param("slug");
    let course = Resource::new(slug, course_detail);
    view! {
        {loaded(course, move |d| match d {
            Some(c) => view! { <CourseView course=c/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        })}
    }
}
