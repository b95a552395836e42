//! SQLite's errors as [`StoreError`]s a user can act on.

use crate::store::error::StoreError;
use crate::store::location::Location;

/// Turns a driver error into a [`StoreError`] a user can act on.
pub(super) fn classify(location: &Location, source: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let location = location.clone();
    if let rusqlite::Error::SqliteFailure(failure, message) = &source {
        let detail = message.clone().unwrap_or_else(|| failure.to_string());
        return match failure.code {
            ErrorCode::NotADatabase => StoreError::NotADatabase { location, detail },
            ErrorCode::DatabaseCorrupt => StoreError::Corrupt { location, detail },
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy { location },
            ErrorCode::ReadOnly => StoreError::ReadOnly { location },
            ErrorCode::DiskFull => StoreError::DiskFull { location },
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                StoreError::CannotOpen { location, detail }
            }
            _ => StoreError::Backend {
                location,
                source: Box::new(source),
            },
        };
    }
    StoreError::Backend {
        location,
        source: Box::new(source),
    }
}
