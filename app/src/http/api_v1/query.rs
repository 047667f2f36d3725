//! Query parameters, read strictly: a value the API does not understand is a 400 with the
//! parameter's name, never silently dropped (the catalogue page is forgiving; programs should
//! hear about their mistakes). Unknown parameters are ignored.

use super::model::PageInfo;
use super::problem::Problem;

/// The query's pairs; the first value of a repeated name wins.
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&self, name: &str) -> Result<Option<chrono::NaiveDate>, Problem> {
        self.get(name)
            .map(|v| {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                    Problem::bad_parameter(
                        name,
                        "ventede en dato som 2026-03-01",
                        "expected a date like 2026-03-01",
                    )
                })
            })
            .transpose()
    }

    /// `true` or `false`.
    pub fn flag(&self, name: &str) -> Result<bool, Problem> {
        match self.get(name) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(Problem::bad_parameter(
                name,
                "ventede true eller false",
                "expected true or false",
            )),
        }
    }

    /// A slug: lower-case letters, digits and hyphens.
    pub fn slug(&self, name: &str) -> Result<Option<String>, Problem> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if is_slug(v) => Ok(Some(v.to_string())),
            Some(_) => Err(Problem::bad_parameter(
                name,
                "ventede små bogstaver, tal og bindestreger",
                "expected lower-case letters, digits and hyphens",
            )),
        }
    }

    /// `page` (from 1) and `per_page` (1–100, default 20).
    pub fn paging(&self) -> Result<Paging, Problem> {
        let number = |name: &str, default: u32, max: u32| -> Result<u32, Problem> {
            match self.get(name) {
                None => Ok(default),
                Some(v) => v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        Problem::bad_parameter(
                            name,
                            &format!("ventede et helt tal fra 1 til {max}"),
                            &format!("expected a whole number from 1 to {max}"),
                        )
                    }),
            }
        };
        Ok(Paging {
            page: number("page", 1, 100_000)?,
            per_page: number("per_page", 20, 100)?,
        })
    }
}

/// True for a slug as used in addresses.
pub fn is_slug(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 80
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Which page of a list.
#[derive(Clone, Copy, Debug)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// The page's items out of all of them, and where the page is.
    pub fn cut<T>(self, all: Vec<T>) -> (Vec<T>, PageInfo) {
        let total = all.len() as u64;
        let start = (u64::from(self.page) - 1) * u64::from(self.per_page);
        let items: Vec<T> = all
            .into_iter()
            .skip(usize::try_from(start).unwrap_or(usize::MAX))
            .take(self.per_page as usize)
            .collect();
        let total_pages = u32::try_from(total.div_ceil(u64::from(self.per_page))).unwrap_or(0);
        (
            items,
            PageInfo {
                page: self.page,
                per_page: self.per_page,
                total,
                total_pages,
            },
        )
    }
}

/// A path id: a positive whole number, else the thing does not exist.
pub fn id(v: &str) -> Result<i32, Problem> {
    v.parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(Problem::not_found)
}
