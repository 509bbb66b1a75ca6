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

/// An object id in its 12 bytes (what the search index keeps in memory for each document);
/// `None` if `id` is not an object id ([`is_object_id`]).
pub fn pack_object_id(id: &str) -> Option<[u8; OBJECT_ID_LENGTH / 2]> {
    if !is_object_id(id) {
        return None;
    }
    let mut packed = [0u8; OBJECT_ID_LENGTH / 2];
    for (byte, pair) in packed.iter_mut().zip(id.as_bytes().chunks_exact(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(packed)
}

/// The object id [`pack_object_id`] packed.
pub fn unpack_object_id(packed: &[u8; OBJECT_ID_LENGTH / 2]) -> String {
    use std::fmt::Write;
    let mut id = String::with_capacity(OBJECT_ID_LENGTH);
    for byte in packed {
        // Writing into a String cannot fail.
        let _ = write!(id, "{byte:02x}");
    }
    id
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
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn only_object_ids_are_packed() {
        assert_eq!(
            pack_object_id("6b106a3cf435a7ca7e34aab8")
                .map(|p| unpack_object_id(&p))
                .as_deref(),
            Some("6b106a3cf435a7ca7e34aab8")
        );
        for other in [
            "",
            "6B106A3CF435A7CA7E34AAB8",
            "6b106a3cf435a7ca7e34aab",
            "6b106a3cf435a7ca7e34aab8f",
            "zz106a3cf435a7ca7e34aab8",
            "un-autre-identifiant-xyz",
        ] {
            assert_eq!(pack_object_id(other), None, "{other}");
        }
    }

    proptest! {
        #[test]
        fn packing_keeps_every_id(id in "[0-9a-f]{24}") {
            let packed = pack_object_id(&id);
            prop_assert_eq!(packed.map(|p| unpack_object_id(&p)), Some(id));
        }

        #[test]
        fn a_packed_id_is_an_object_id(id in "\\PC{0,30}") {
            if let Some(packed) = pack_object_id(&id) {
                prop_assert_eq!(unpack_object_id(&packed), id);
            }
        }
    }

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
