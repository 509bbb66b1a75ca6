//! udata's paging: `page` and `page_size` parameters and the
//! `{data, page, page_size, total, next_page, previous_page}` envelope with absolute links.

use serde::Serialize;
use utoipa::ToSchema;

use crate::errors::ApiError;
use crate::extract::Params;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub page_size: i64,
}

/// Largest accepted `page_size`.
pub const MAX_PAGE_SIZE: i64 = 1000;

impl PageRequest {
    /// Reads `page` (default 1) and `page_size` (default `default_size`): positive integers,
    /// else a 400 naming the parameter.
    pub fn from_params(params: &Params, default_size: i64) -> Result<PageRequest, ApiError> {
        let read = |key: &str, default: i64| -> Result<i64, ApiError> {
            match params.get(key) {
                None => Ok(default),
                Some(raw) => match raw.parse::<i64>() {
                    Ok(n) if n >= 1 => Ok(n),
                    _ => Err(ApiError::field(
                        key,
                        format!("Expected a positive integer, got \"{raw}\"."),
                    )),
                },
            }
        };
        let page = read("page", 1)?;
        let page_size = read("page_size", default_size)?;
        if page_size > MAX_PAGE_SIZE {
            return Err(ApiError::field(
                "page_size",
                format!("page_size cannot exceed {MAX_PAGE_SIZE}."),
            ));
        }
        if page.checked_mul(page_size).is_none_or(|n| n > 10_000_000) {
            return Err(ApiError::field(
                "page",
                "This page is too far: narrow the query.",
            ));
        }
        Ok(PageRequest { page, page_size })
    }
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub page: i64,
    pub page_size: i64,
    pub total: i64,
    /// Absolute URL of the next page, `null` on the last one.
    pub next_page: Option<String>,
    /// Absolute URL of the previous page, `null` on the first one.
    pub previous_page: Option<String>,
}

impl<T> Page<T> {
    /// Builds the envelope; `url` is the absolute URL of the list without query string.
    pub fn new(data: Vec<T>, req: PageRequest, total: i64, url: &str, params: &Params) -> Page<T> {
        let link = |page: i64| format!("{url}?{}", params.with("page", &page.to_string()));
        Page {
            data,
            page: req.page,
            page_size: req.page_size,
            total,
            next_page: (req.page * req.page_size < total).then(|| link(req.page + 1)),
            previous_page: (req.page > 1).then(|| link(req.page - 1)),
        }
    }
}
