//! Database reads for the catalogue. Each page needs a handful of queries whatever the
//! number of runs (no query per run), and filtering happens in Rust on Copenhagen time, the
//! same way on SQLite and PostgreSQL.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::{
    BookingStatus, CourseStatus, RunStatus, booking, course, course_teacher, course_theme,
    location, run, run_teacher, school, session, teacher, theme,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::dto::catalogue::*;
use crate::rules::catalogue::availability::{SeatFacts, availability};
use crate::rules::catalogue::filter::CatalogueFilter;
use crate::rules::catalogue::matching::{RunFacts, SessionFacts, matches};
use crate::rules::time::to_local;
use crate::services::query::AllInto;

/// Which runs to load.
#[derive(Clone, Copy)]
enum Scope<'a> {
    All,
    Course(i32),
    School(i32),
    /// One run, if it is listed.
    Run(i32),
    /// These runs, whatever their status or dates (a person's own bookings).
    Runs(&'a [i32]),
}

/// Everything needed to build run DTOs and filter facts, loaded in a fixed number of queries.
struct Loaded {
    runs: Vec<run::Model>,
    sessions: HashMap<i32, Vec<session::Model>>,
    courses: HashMap<i32, course::Model>,
    schools: HashMap<i32, school::Model>,
    locations: HashMap<i32, location::Model>,
    teachers: HashMap<i32, Vec<teacher::Model>>,
    themes: HashMap<i32, Vec<String>>,
    /// Per run: seats held (confirmed and offered) and people waiting.
    seats: HashMap<i32, (i32, i32)>,
}

/// The ids of the closed schools, as a subquery.
fn closed_schools() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(school::Column::Id)
        .from(school::Entity)
        .and_where(school::Column::Closed.eq(true))
        .to_owned()
}

/// The published runs of published courses that still have a session to come, with their
/// courses. The catalogue lists exactly these.
async fn listed_runs(
    db: &DatabaseConnection,
    scope: Scope<'_>,
    now: DateTime<Utc>,
) -> Result<(Vec<run::Model>, HashMap<i32, course::Model>), DbErr> {
    if let Scope::Runs(ids) = scope {
        let runs = run::Entity::find()
            .filter(run::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let courses = course::Entity::find()
            .filter(course::Column::Id.is_in(runs.iter().map(|r| r.course_id)))
            .all_into(db, |c| (c.id, c))
            .await?;
        return Ok((runs, courses));
    }
    let upcoming_run_ids: BTreeSet<i32> = session::Entity::find()
        .select_only()
        .column(session::Column::RunId)
        .filter(session::Column::EndsAt.gt(now))
        .filter(session::Column::Cancelled.eq(false))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    // A closed school's runs and courses are gone from the catalogue: filtered in the same
    // queries, so listing costs no extra round trip.
    let mut runs_query = run::Entity::find()
        .filter(run::Column::Id.is_in(upcoming_run_ids))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .filter(run::Column::SchoolId.not_in_subquery(closed_schools()));
    runs_query = match scope {
        Scope::All => runs_query,
        Scope::Course(id) => runs_query.filter(run::Column::CourseId.eq(id)),
        Scope::School(id) => runs_query.filter(run::Column::SchoolId.eq(id)),
        Scope::Run(id) => runs_query.filter(run::Column::Id.eq(id)),
        // Answered above, before the listing filters.
        Scope::Runs(_) => return Ok((Vec::new(), HashMap::new())),
    };
    let runs_found = runs_query.all(db).await?;

    let course_ids: HashSet<i32> = runs_found.iter().map(|r| r.course_id).collect();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.iter().copied()))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::SchoolId.not_in_subquery(closed_schools()))
        .all_into(db, |c| (c.id, c))
        .await?;
    let runs: Vec<run::Model> = runs_found
        .into_iter()
        .filter(|r| courses.contains_key(&r.course_id))
        .collect();
    Ok((runs, courses))
}

async fn load(
    db: &DatabaseConnection,
    scope: Scope<'_>,
    now: DateTime<Utc>,
) -> Result<Loaded, DbErr> {
    let (runs, courses) = listed_runs(db, scope, now).await?;
    let run_ids: Vec<i32> = runs.iter().map(|r| r.id).collect();

    let mut sessions: HashMap<i32, Vec<session::Model>> = HashMap::new();
    for s in session::Entity::find()
        .filter(session::Column::RunId.is_in(run_ids.iter().copied()))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await?
    {
        sessions.entry(s.run_id).or_default().push(s);
    }

    let schools = school::Entity::find().all_into(db, |s| (s.id, s)).await?;

    let location_ids: HashSet<i32> = runs
        .iter()
        .filter_map(|r| r.location_id)
        .chain(sessions.values().flatten().filter_map(|s| s.location_id))
        .collect();
    let locations = location::Entity::find()
        .filter(location::Column::Id.is_in(location_ids))
        .all_into(db, |l| (l.id, l))
        .await?;

    let team = run_teacher::Entity::find()
        .filter(run_teacher::Column::RunId.is_in(run_ids.iter().copied()))
        .all(db)
        .await?;
    let teacher_by_id: HashMap<i32, teacher::Model> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(team.iter().map(|t| t.teacher_id)))
        .all_into(db, |t| (t.id, t))
        .await?;
    let mut teachers: HashMap<i32, Vec<teacher::Model>> = HashMap::new();
    for link in team {
        if let Some(t) = teacher_by_id.get(&link.teacher_id) {
            teachers.entry(link.run_id).or_default().push(t.clone());
        }
    }
    for list in teachers.values_mut() {
        list.sort_by_key(|t| (kind_order(t.kind), t.name.clone()));
    }

    let theme_slugs: HashMap<i32, String> = theme::Entity::find()
        .all_into(db, |t| (t.id, t.slug))
        .await?;
    let mut themes: HashMap<i32, Vec<String>> = HashMap::new();
    for link in course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.is_in(courses.keys().copied()))
        .all(db)
        .await?
    {
        if let Some(slug) = theme_slugs.get(&link.theme_id) {
            themes.entry(link.course_id).or_default().push(slug.clone());
        }
    }

    let mut seats: HashMap<i32, (i32, i32)> = HashMap::new();
    for (run_id, status, n) in booking::Entity::find()
        .select_only()
        .column(booking::Column::RunId)
        .column(booking::Column::Status)
        .column_as(booking::Column::Id.count(), "n")
        .filter(booking::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(booking::Column::Status.is_in(BookingStatus::ACTIVE))
        .group_by(booking::Column::RunId)
        .group_by(booking::Column::Status)
        .into_tuple::<(i32, BookingStatus, i64)>()
        .all(db)
        .await?
    {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        let entry = seats.entry(run_id).or_default();
        match status {
            BookingStatus::Waitlisted => entry.1 += n,
            _ => entry.0 += n,
        }
    }

    Ok(Loaded {
        runs,
        sessions,
        courses,
        schools,
        locations,
        teachers,
        themes,
        seats,
    })
}

/// Peer first, then professional, then relative: the order the course page shows a team in.
fn kind_order(kind: entity::TeacherKind) -> u8 {
    match kind {
        entity::TeacherKind::Peer => 0,
        entity::TeacherKind::Professional => 1,
        entity::TeacherKind::Relative => 2,
    }
}

impl Loaded {
    fn place(&self, id: Option<i32>) -> Option<PlaceDto> {
        id.and_then(|id| self.locations.get(&id))
            .cloned()
            .map(PlaceDto::from)
    }

    fn session_dto(&self, run: &run::Model, s: &session::Model) -> SessionDto {
        SessionDto {
            id: s.id,
            starts: to_local(s.starts_at),
            ends: to_local(s.ends_at),
            cancelled: s.cancelled,
            place: s
                .location_id
                .filter(|id| Some(*id) != run.location_id)
                .and_then(|id| self.place(Some(id))),
        }
    }

    /// Builds the DTO of a run; `None` if its course or school is gone.
    fn run_dto(&self, run: &run::Model, now: DateTime<Utc>) -> Option<RunDto> {
        let course = self.courses.get(&run.course_id)?;
        let school = self.schools.get(&run.school_id)?;
        let sessions = self
            .sessions
            .get(&run.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let first_start = sessions.iter().find(|s| !s.cancelled).map(|s| s.starts_at);
        let seats = self.seats.get(&run.id).copied().unwrap_or_default();
        let facts = SeatFacts {
            cancelled: run.status == RunStatus::Cancelled,
            drop_in: course.format == entity::CourseFormat::DropIn,
            capacity: run.capacity,
            held: seats.0,
            waiting: seats.1,
            waitlist_enabled: run.waitlist_enabled,
            signup_opens_at: run.signup_opens_at,
            signup_closes_at: run.signup_closes_at,
            first_start,
        };
        Some(RunDto {
            id: run.id,
            course_slug: course.slug.clone(),
            course_title: course.title.clone(),
            course_summary: course.summary.clone(),
            format: course.format.into(),
            school: SchoolRef {
                slug: school.slug.clone(),
                name: school.name.clone(),
            },
            place: self.place(run.location_id),
            sessions: sessions.iter().map(|s| self.session_dto(run, s)).collect(),
            next_session: sessions
                .iter()
                .find(|s| !s.cancelled && s.ends_at > now)
                .map(|s| self.session_dto(run, s)),
            teachers: self
                .teachers
                .get(&run.id)
                .map(|list| list.iter().cloned().map(TeacherDto::from).collect())
                .unwrap_or_default(),
            availability: availability(facts, now, to_local),
        })
    }

    fn facts<'a>(
        &'a self,
        run: &run::Model,
        dto: &RunDto,
        course: &'a course::Model,
        session_facts: &'a [SessionFacts],
    ) -> RunFacts<'a> {
        RunFacts {
            school_slug: self
                .schools
                .get(&run.school_id)
                .map(|s| s.slug.as_str())
                .unwrap_or_default(),
            theme_slugs: self
                .themes
                .get(&course.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            format: course.format.into(),
            audience: course.audience.into(),
            title: &course.title,
            summary: &course.summary,
            description: &course.description,
            online: dto.is_online(),
            has_room: dto.availability.has_room(),
            sessions: session_facts,
        }
    }

    /// The DTOs of the runs that match `filter`, soonest first.
    fn select(&self, filter: &CatalogueFilter, now: DateTime<Utc>) -> Vec<RunDto> {
        let mut out: Vec<RunDto> = self
            .runs
            .iter()
            .filter_map(|run| {
                let dto = self.run_dto(run, now)?;
                let course = self.courses.get(&run.course_id)?;
                let session_facts: Vec<SessionFacts> = self
                    .sessions
                    .get(&run.id)
                    .into_iter()
                    .flatten()
                    .map(|s| SessionFacts {
                        starts_at: s.starts_at,
                        ends_at: s.ends_at,
                        cancelled: s.cancelled,
                    })
                    .collect();
                let keep = matches(filter, &self.facts(run, &dto, course, &session_facts), now);
                keep.then_some(dto)
            })
            .collect();
        out.sort_by(|a, b| {
            let key = |r: &RunDto| r.next_session.as_ref().map(|s| s.starts);
            key(a)
                .cmp(&key(b))
                .then(a.course_title.cmp(&b.course_title))
        });
        out
    }
}

/// The DTOs of the given runs, whatever their status or dates, by id.
pub async fn runs_by_id(
    db: &DatabaseConnection,
    ids: &[i32],
    now: DateTime<Utc>,
) -> Result<HashMap<i32, RunDto>, DbErr> {
    let loaded = load(db, Scope::Runs(ids), now).await?;
    Ok(loaded
        .runs
        .iter()
        .filter_map(|r| loaded.run_dto(r, now))
        .map(|dto| (dto.id, dto))
        .collect())
}

/// A run that is listed in the catalogue now (published, of a published course, with a
/// session to come), or `None`.
pub async fn listed_run(
    db: &DatabaseConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Option<RunDto>, DbErr> {
    let loaded = load(db, Scope::Run(id), now).await?;
    Ok(loaded.runs.first().and_then(|r| loaded.run_dto(r, now)))
}

pub async fn matching_runs(
    db: &DatabaseConnection,
    filter: &CatalogueFilter,
    now: DateTime<Utc>,
) -> Result<Vec<RunDto>, DbErr> {
    Ok(load(db, Scope::All, now).await?.select(filter, now))
}

pub async fn options(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<CatalogueOptions, DbErr> {
    // Only what the form offers: not the teachers, places and seat counts of `load`.
    let (runs, courses) = listed_runs(db, Scope::All, now).await?;
    let schools = school::Entity::find()
        .filter(school::Column::Closed.eq(false))
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SchoolRef {
            slug: s.slug,
            name: s.name,
        })
        .collect();
    let theme_ids: HashSet<i32> = course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.is_in(courses.keys().copied()))
        .all_into(db, |l| l.theme_id)
        .await?;
    // A retired theme stays on its courses but is no longer a choice.
    let mut themes: Vec<ThemeDto> = theme::Entity::find()
        .filter(theme::Column::Id.is_in(theme_ids))
        .filter(theme::Column::Retired.eq(false))
        .all_into(db, ThemeDto::from)
        .await?;
    themes.sort_by(|a, b| a.name_da.cmp(&b.name_da));
    let months: BTreeSet<NaiveDate> = session::Entity::find()
        .select_only()
        .column(session::Column::StartsAt)
        .filter(session::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .filter(session::Column::EndsAt.gt(now))
        .filter(session::Column::Cancelled.eq(false))
        .into_tuple::<DateTime<Utc>>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|starts_at| {
            let d = to_local(starts_at).date();
            NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
        })
        .collect();
    Ok(CatalogueOptions {
        schools,
        themes,
        months: months.into_iter().collect(),
    })
}

pub async fn course(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<CourseDetailDto>, DbErr> {
    let Some(course) = course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::SchoolId.not_in_subquery(closed_schools()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    course_detail(db, course, now).await
}

/// A published course of an open school, by slug: its id and title.
pub async fn published_course(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<(i32, String)>, DbErr> {
    Ok(course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::SchoolId.not_in_subquery(closed_schools()))
        .one(db)
        .await?
        .map(|c| (c.id, c.title)))
}

/// A course page's content, whatever the course's state (the preview uses it as is).
pub async fn course_detail(
    db: &DatabaseConnection,
    course: course::Model,
    now: DateTime<Utc>,
) -> Result<Option<CourseDetailDto>, DbErr> {
    let Some(school) = school::Entity::find_by_id(course.school_id).one(db).await? else {
        return Ok(None);
    };
    let loaded = load(db, Scope::Course(course.id), now).await?;
    let runs = loaded.select(&CatalogueFilter::default(), now);

    let theme_ids: Vec<i32> = course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.eq(course.id))
        .all_into(db, |l| l.theme_id)
        .await?;
    let mut themes: Vec<ThemeDto> = theme::Entity::find()
        .filter(theme::Column::Id.is_in(theme_ids))
        .all_into(db, ThemeDto::from)
        .await?;
    themes.sort_by(|a, b| a.name_da.cmp(&b.name_da));

    let developer_ids: Vec<i32> = course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(course.id))
        .all_into(db, |l| l.teacher_id)
        .await?;
    let mut developers = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(developer_ids))
        .all(db)
        .await?;
    developers.sort_by_key(|t| (kind_order(t.kind), t.name.clone()));

    Ok(Some(CourseDetailDto {
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        description: course.description,
        expectations: course.expectations,
        format: course.format.into(),
        audience: course.audience.into(),
        image: course
            .image_id
            .map(|id| (format!("/billeder/{id}"), course.image_alt.clone())),
        themes,
        developers: developers.into_iter().map(TeacherDto::from).collect(),
        school: SchoolRef {
            slug: school.slug,
            name: school.name,
        },
        runs,
    }))
}

/// A school by its slug, unless it is closed (a closed school is gone from the catalogue).
async fn open_school(db: &DatabaseConnection, slug: &str) -> Result<Option<school::Model>, DbErr> {
    school::Entity::find()
        .filter(school::Column::Slug.eq(slug))
        .filter(school::Column::Closed.eq(false))
        .one(db)
        .await
}

pub async fn school(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<SchoolDetailDto>, DbErr> {
    let Some(school) = open_school(db, slug).await? else {
        return Ok(None);
    };
    let loaded = load(db, Scope::School(school.id), now).await?;
    let runs = loaded.select(&CatalogueFilter::default(), now);
    let locations = location::Entity::find()
        .filter(location::Column::SchoolId.eq(school.id))
        .filter(location::Column::Retired.eq(false))
        .order_by_asc(location::Column::Name)
        .all_into(db, PlaceDto::from)
        .await?;
    Ok(Some(SchoolDetailDto {
        school: school.into(),
        locations,
        runs,
    }))
}

/// An open school's listed runs whose first session is from `from` to `to` (local dates),
/// soonest first, each with its course's themes: the term prospectus.
pub async fn term_runs(
    db: &DatabaseConnection,
    slug: &str,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<Option<(SchoolDto, Vec<(RunDto, Vec<ThemeDto>)>)>, DbErr> {
    let Some(school) = open_school(db, slug).await? else {
        return Ok(None);
    };
    let loaded = load(db, Scope::School(school.id), now).await?;
    let themes: HashMap<String, ThemeDto> = theme::Entity::find()
        .all_into(db, |t| (t.slug.clone(), ThemeDto::from(t)))
        .await?;
    let course_of: HashMap<&str, i32> = loaded
        .courses
        .values()
        .map(|c| (c.slug.as_str(), c.id))
        .collect();
    let runs = loaded
        .select(&CatalogueFilter::default(), now)
        .into_iter()
        .filter(|r| {
            r.sessions
                .iter()
                .find(|s| !s.cancelled)
                .is_some_and(|s| (from..=to).contains(&s.starts.date()))
        })
        .map(|r| {
            let slugs = course_of
                .get(r.course_slug.as_str())
                .and_then(|id| loaded.themes.get(id));
            let mut own: Vec<ThemeDto> = slugs
                .into_iter()
                .flatten()
                .filter_map(|s| themes.get(s).cloned())
                .collect();
            own.sort_by(|a, b| a.name_da.cmp(&b.name_da));
            (r, own)
        })
        .collect();
    Ok(Some((school.into(), runs)))
}

pub async fn schools(db: &DatabaseConnection) -> Result<Vec<SchoolDto>, DbErr> {
    school::Entity::find()
        .filter(school::Column::Closed.eq(false))
        .order_by_asc(school::Column::Name)
        .all_into(db, SchoolDto::from)
        .await
}

/// A school's public details, by its slug.
pub async fn school_by_slug(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<SchoolDto>, DbErr> {
    Ok(open_school(db, slug).await?.map(SchoolDto::from))
}

/// Every school by name, with its colour.
pub async fn schools_with_colour(
    db: &DatabaseConnection,
) -> Result<Vec<(SchoolDto, String)>, DbErr> {
    let with_colour = |s: school::Model| {
        let colour = s.colour.clone();
        (SchoolDto::from(s), colour)
    };
    school::Entity::find()
        .filter(school::Column::Closed.eq(false))
        .order_by_asc(school::Column::Name)
        .all_into(db, with_colour)
        .await
}

/// A school by its slug, with its colour.
pub async fn school_with_colour(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<(SchoolDto, String)>, DbErr> {
    Ok(open_school(db, slug).await?.map(|s| {
        let colour = s.colour.clone();
        (SchoolDto::from(s), colour)
    }))
}

/// Every place, as `(id, school slug, place)`, by school and name.
pub async fn places(db: &DatabaseConnection) -> Result<Vec<(i32, String, PlaceDto)>, DbErr> {
    let schools: HashMap<i32, String> = school::Entity::find()
        .filter(school::Column::Closed.eq(false))
        .all_into(db, |s| (s.id, s.slug))
        .await?;
    let mut all: Vec<(i32, String, PlaceDto)> = location::Entity::find()
        .filter(location::Column::Retired.eq(false))
        .order_by_asc(location::Column::Name)
        .order_by_asc(location::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| {
            let school = schools.get(&l.school_id)?.clone();
            Some((l.id, school, PlaceDto::from(l)))
        })
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(all)
}

/// Every theme, by Danish name.
pub async fn all_themes(db: &DatabaseConnection) -> Result<Vec<ThemeDto>, DbErr> {
    theme::Entity::find()
        .order_by_asc(theme::Column::NameDa)
        .all_into(db, ThemeDto::from)
        .await
}

/// A published course as a list of courses shows it.
#[derive(Clone, Debug)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub format: crate::rules::vocabulary::Format,
    pub audience: crate::rules::vocabulary::Audience,
    pub school_slug: String,
    /// Theme slugs, sorted.
    pub themes: Vec<String>,
}

/// The published courses with these slugs.
pub async fn course_cards(
    db: &DatabaseConnection,
    slugs: &[String],
) -> Result<HashMap<String, CourseCard>, DbErr> {
    let courses: Vec<course::Model> = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .filter(course::Column::Slug.is_in(slugs.iter().cloned()))
        .all(db)
        .await?;
    let themes: HashMap<i32, String> = theme::Entity::find()
        .all_into(db, |t| (t.id, t.slug))
        .await?;
    let mut course_themes: HashMap<i32, Vec<String>> = HashMap::new();
    for link in course_theme::Entity::find()
        .filter(course_theme::Column::CourseId.is_in(courses.iter().map(|c| c.id)))
        .all(db)
        .await?
    {
        if let Some(slug) = themes.get(&link.theme_id) {
            course_themes
                .entry(link.course_id)
                .or_default()
                .push(slug.clone());
        }
    }
    let schools: HashMap<i32, String> = school::Entity::find()
        .all_into(db, |s| (s.id, s.slug))
        .await?;
    Ok(courses
        .into_iter()
        .map(|c| {
            let mut themes = course_themes.remove(&c.id).unwrap_or_default();
            themes.sort();
            (
                c.slug.clone(),
                CourseCard {
                    school_slug: schools.get(&c.school_id).cloned().unwrap_or_default(),
                    format: c.format.into(),
                    audience: c.audience.into(),
                    slug: c.slug,
                    title: c.title,
                    summary: c.summary,
                    description: c.description,
                    themes,
                },
            )
        })
        .collect())
}
