//! A tiny builder for dynamic SQL (list filters) whose placeholders work on both engines.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

/// Ends a lookup `WHERE id = $1 OR slug = $1`. A slug may equal another row's id (a title made
/// of an id slugifies to it): the row whose id it is must win, whatever order the database
/// returns rows in.
pub(crate) const ID_FIRST: &str = "ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END LIMIT 1";

/// One bound value.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Ts(DateTime<Utc>),
    OptTs(Option<DateTime<Utc>>),
    OptDate(Option<NaiveDate>),
    Json(Value),
    OptJson(Option<Value>),
}

/// SQL text with `$n` placeholders and the values to bind, in order.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    /// Starts from a fixed prefix.
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Sql {
        self.args.push(arg);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(p1, p2, ...)` bound to the given texts.
    pub fn bind_list<I: IntoIterator<Item = String>>(&mut self, items: I) -> &mut Sql {
        self.text.push('(');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(Arg::Text(item));
        }
        self.text.push(')');
        self
    }

    /// Appends `(p1, p2, ...)` bound to the given integers.
    pub fn bind_list_int<I: IntoIterator<Item = i64>>(&mut self, items: I) -> &mut Sql {
        self.text.push('(');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(Arg::Int(item));
        }
        self.text.push(')');
        self
    }
}

/// Binds every [`Arg`] of a slice to a query, on whichever engine the query is for.
#[macro_export]
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                $crate::Arg::Text(v) => q.bind(v.clone()),
                $crate::Arg::OptText(v) => q.bind(v.clone()),
                $crate::Arg::Int(v) => q.bind(*v),
                $crate::Arg::OptInt(v) => q.bind(*v),
                $crate::Arg::Bool(v) => q.bind(*v),
                $crate::Arg::Ts(v) => q.bind(*v),
                $crate::Arg::OptTs(v) => q.bind(*v),
                $crate::Arg::OptDate(v) => q.bind(*v),
                $crate::Arg::Json(v) => q.bind(sqlx::types::Json(v.clone())),
                $crate::Arg::OptJson(v) => q.bind(v.clone().map(sqlx::types::Json)),
            };
        }
        q
    }};
}
