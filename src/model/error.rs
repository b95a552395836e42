//! The model's error type (its own file, so that the model's parts use it without naming
//! `model/mod.rs`, which names them).

use crate::store::StoreError;

/// Errors of the model: the store's, or a user action that cannot be done (the message says
/// what to do instead).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Cancelled(#[from] crate::progress::Cancelled),
}

/// Result alias.
pub type ModelResult<T> = Result<T, ModelError>;
