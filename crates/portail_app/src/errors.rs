//! The error type of the use cases. `portail_web::errors` is the one place that turns it into
//! HTTP (udata's `{"message"}` and `{"errors": {field: [msg]}}` shapes); the CLI prints it.

use portail_core::validation::Errors;
use portail_db::DbError;

/// What went wrong in a use case, with a message meant for the user.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Some fields are invalid; each is named.
    #[error("invalid input: {0}")]
    Validation(Errors),
    /// The request as a whole is invalid.
    #[error("{0}")]
    BadRequest(String),
    /// No or bad credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No such object, or not visible to this user.
    #[error("{0}")]
    NotFound(String),
    /// The object existed and was deleted.
    #[error("{0}")]
    Gone(String),
    /// The request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The content is of a kind that is refused (e.g. HTML disguised as data).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// No file storage is configured.
    #[error("{0}")]
    Unavailable(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The file store failed.
    #[error(transparent)]
    Storage(#[from] portail_storage::StorageError),
    /// Anything else unexpected.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// A single field error.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(Errors::single(field, message))
    }
}

impl From<Errors> for AppError {
    fn from(errors: Errors) -> AppError {
        AppError::Validation(errors)
    }
}

/// The message udata answers on a permission failure.
pub const PERMISSION_DENIED: &str = "You do not have the permission to modify that object.";

/// Result type of the use cases.
pub type AppResult<T> = Result<T, AppError>;
