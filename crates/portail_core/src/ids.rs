//! Object identifiers shaped like MongoDB ObjectIds.
//!
//! udata exposes every dataset, organization, user… under a 24-character hex ObjectId, and
//! clients (and links already published on the web) rely on that shape. We mint ids with the
//! same layout so they stay interchangeable with ids imported from a udata instance, and so
//! that sorting ids sorts objects by creation time:
//!
//! | bytes | content |
//! |---|---|
//! | 0..4 | unix seconds, big-endian |
//! | 4..9 | random value chosen once per process |
//! | 9..12 | counter, starting at a random value, big-endian |

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Utc};

/// Length of an object id in hex characters (12 bytes).
pub const OBJECT_ID_LENGTH: usize = 24;

/// The counter only has 3 bytes; masking the wrapping `u32` keeps it wrapping at 2^24 because
/// 2^32 is a multiple of 2^24.
const COUNTER_MASK: u32 = 0x00FF_FFFF;

/// Distinguishes this process from others minting ids in the same second (other workers,
/// other machines), as MongoDB does.
static PROCESS_UNIQUE: LazyLock<[u8; 5]> = LazyLock::new(rand::random);

/// A random start makes two processes that happen to draw close `PROCESS_UNIQUE` values
/// unlikely to collide, and is what MongoDB drivers do.
static COUNTER: LazyLock<AtomicU32> =
    LazyLock::new(|| AtomicU32::new(rand::random::<u32>() & COUNTER_MASK));

/// Mints a new object id: 24 lowercase hex characters, increasing with time.
pub fn new_object_id() -> String {
    // Before 1970 or after 2106 the seconds do not fit; clamping keeps ids valid rather than
    // panicking on a broken clock.
    let seconds = u32::try_from(Utc::now().timestamp().max(0)).unwrap_or(u32::MAX);
    object_id_at(seconds)
}

/// Builds an id for the given second with this process's random part and the next counter.
fn object_id_at(seconds: u32) -> String {
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed) & COUNTER_MASK;
    let unique = PROCESS_UNIQUE
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    format!("{seconds:08x}{unique:010x}{counter:06x}")
}

/// Whether `s` is exactly 24 lowercase hexadecimal characters.
///
/// Uppercase is refused on purpose: ids are compared as strings (in SQL and in URLs), so
/// accepting `ABC…` would let two spellings name the same object.
pub fn is_object_id(s: &str) -> bool {
    s.len() == OBJECT_ID_LENGTH && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The creation time embedded in an object id, to the second; `None` if `id` is not an id.
pub fn object_id_timestamp(id: &str) -> Option<DateTime<Utc>> {
    if !is_object_id(id) {
        return None;
    }
    let seconds = u32::from_str_radix(id.get(..8)?, 16).ok()?;
    DateTime::from_timestamp(i64::from(seconds), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn new_ids_are_well_formed() {
        let id = new_object_id();
        assert_eq!(id.len(), 24);
        assert!(is_object_id(&id), "{id}");
    }

    #[test]
    fn new_ids_are_unique_over_100k() {
        let ids: HashSet<String> = (0..100_000).map(|_| new_object_id()).collect();
        assert_eq!(ids.len(), 100_000);
    }

    #[test]
    fn ids_sort_by_second() {
        let earlier = object_id_at(1_700_000_000);
        let later = object_id_at(1_700_000_001);
        assert!(earlier < later);
        // The counter must not matter across seconds, even after it wrapped.
        let mut previous = object_id_at(1_700_000_002);
        for second in 1_700_000_003..1_700_000_010 {
            let next = object_id_at(second);
            assert!(previous < next, "{previous} !< {next}");
            previous = next;
        }
    }

    #[test]
    fn ids_from_the_same_process_share_the_random_part() {
        let a = new_object_id();
        let b = new_object_id();
        assert_eq!(a[8..18], b[8..18]);
    }

    #[test]
    fn timestamp_round_trips() {
        let id = object_id_at(1_700_000_000);
        assert!(id.starts_with("6553f100"));
        let ts = object_id_timestamp(&id).expect("valid id");
        assert_eq!(ts.timestamp(), 1_700_000_000);

        let now = Utc::now().timestamp();
        let ts = object_id_timestamp(&new_object_id()).expect("valid id");
        assert!((ts.timestamp() - now).abs() <= 1);
    }

    #[test]
    fn timestamp_of_a_known_mongodb_id() {
        // 0x5298bd35 = 1385741621 s, checked with Python's `datetime.fromtimestamp`.
        let ts = object_id_timestamp("5298bd35a3a72974c4fdc4db").expect("valid id");
        assert_eq!(ts.to_rfc3339(), "2013-11-29T16:13:41+00:00");
    }

    #[test]
    fn is_object_id_rejects_other_shapes() {
        assert!(is_object_id("5298bd35a3a72974c4fdc4db"));
        assert!(!is_object_id("5298BD35A3A72974C4FDC4DB"));
        assert!(!is_object_id("5298bd35a3a72974c4fdc4d"));
        assert!(!is_object_id("5298bd35a3a72974c4fdc4dbb"));
        assert!(!is_object_id("5298bd35a3a72974c4fdc4dg"));
        assert!(!is_object_id(""));
        assert!(!is_object_id("ééééééééééééé"));
        assert_eq!(object_id_timestamp("not-an-id"), None);
    }
}
