//! Wall-clock timestamps as stored in the database: RFC 3339 in UTC with millisecond
//! precision, so they sort correctly as text and compare across machines.

/// Now, as `2026-11-23T10:15:00.123Z`.
pub fn now_rfc3339() -> String {
    format!("{:.3}", jiff::Timestamp::now())
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let now = super::now_rfc3339();
        assert!(now.ends_with('Z'), "{now}");
        assert_eq!(now.len(), "2026-11-23T10:15:00.123Z".len(), "{now}");
    }
}
