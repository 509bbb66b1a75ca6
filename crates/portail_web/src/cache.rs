//! A cache of serialized JSON for anonymous reads (a dataset, a list page).
//!
//! Anonymous readers all see the same bytes, so they are serialized once and served from
//! memory until anything changes. Invalidation is coarse and safe: every successful write in
//! this process clears the cache at once, and a task tails the `changes` outbox so writes from
//! other processes (the CLI, other nodes on PostgreSQL) clear it within a fraction of a second.
//! Entries also expire after [`TTL`], because the quality score depends on the clock.
//!
//! The same invalidation keeps what pages show of organizations ([`organization_refs`]):
//! a search page labels the fifty organizations of its facet, for anyone, signed in or not.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use portail_core::model::OrganizationRef;

use crate::conditional::strong_etag;

/// How long an entry lives at most.
pub const TTL: Duration = Duration::from_secs(60);
/// Entries kept at most; the oldest are dropped beyond.
pub const MAX_ENTRIES: usize = 50_000;
/// Bytes of bodies kept at most, the oldest dropped beyond like [`MAX_ENTRIES`]: a search page weighs
/// tens of kilobytes, and 50 000 distinct searches in a minute would otherwise hold gigabytes.
pub const MAX_BYTES: usize = 64 << 20;
/// How often the outbox is polled for changes made by other processes.
pub const POLL_EVERY: Duration = Duration::from_millis(250);

/// One cached response body.
#[derive(Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: String,
    generation: u64,
    stored: Instant,
}

/// The cached bodies, their total size and the order they were stored in: a full cache drops
/// its oldest entries, one at a time, rather than everything at once. Clearing 64 MiB at once
/// handed that memory back to the system, and the next bodies were written on fresh pages the
/// kernel had to zero (measured: 5 % of a search request's CPU under distinct searches);
/// dropping one old body frees the room for the next.
#[derive(Default)]
struct Entries {
    /// Each body with the number it was stored under.
    map: HashMap<String, (u64, Cached)>,
    /// Keys by age with the number they were stored under; a key stored again is found further
    /// back, its old place is skipped.
    order: VecDeque<(u64, String)>,
    stored: u64,
    bytes: usize,
}

impl Entries {
    fn size(key: &str, cached: &Cached) -> usize {
        key.len() + cached.body.len()
    }

    /// Stores `cached` under `key`, dropping the oldest entries to make room; returns what it
    /// dropped (to be freed once the lock is released).
    fn insert(&mut self, key: String, cached: Cached) -> Vec<Cached> {
        let size = Entries::size(&key, &cached);
        let mut dropped = Vec::new();
        if let Some((_, old)) = self.map.remove(&key) {
            self.bytes -= Entries::size(&key, &old);
            dropped.push(old);
        }
        // Also bounds the places left behind by keys stored again.
        while self.map.len() >= MAX_ENTRIES
            || self.bytes + size > MAX_BYTES
            || self.order.len() >= 2 * MAX_ENTRIES
        {
            let Some((number, oldest)) = self.order.pop_front() else {
                break;
            };
            if let Entry::Occupied(entry) = self.map.entry(oldest)
                && entry.get().0 == number
            {
                let (oldest, (_, old)) = entry.remove_entry();
                self.bytes -= Entries::size(&oldest, &old);
                dropped.push(old);
            }
        }
        self.stored += 1;
        self.bytes += size;
        self.order.push_back((self.stored, key.clone()));
        self.map.insert(key, (self.stored, cached));
        dropped
    }
}

/// See the module documentation.
#[derive(Default)]
pub struct ResponseCache {
    entries: RwLock<Entries>,
    /// Totals of list queries, shared by all the pages of one query.
    counts: RwLock<HashMap<String, (i64, u64, Instant)>>,
    /// One lock per key being computed, so concurrent misses compute it once.
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    generation: AtomicU64,
    /// Organization refs by id, with the generation and time they were read at.
    organizations: RwLock<Refs>,
}

/// See [`organization_refs`].
struct Refs {
    generation: u64,
    since: Instant,
    map: HashMap<String, OrganizationRef>,
}

impl Default for Refs {
    fn default() -> Refs {
        Refs {
            generation: 0,
            since: Instant::now(),
            map: HashMap::new(),
        }
    }
}

impl ResponseCache {
    /// A fresh entry for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Cached> {
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.read();
        let (_, entry) = entries.map.get(key)?;
        (entry.generation == generation && entry.stored.elapsed() < TTL).then(|| entry.clone())
    }

    /// Stores a body computed while the cache was at `generation` (a body computed before an
    /// invalidation is never stored as fresh).
    pub fn put(&self, key: String, body: Bytes, generation: u64) -> Cached {
        let cached = Cached {
            etag: strong_etag(&body),
            body,
            generation,
            stored: Instant::now(),
        };
        if generation == self.generation.load(Ordering::Acquire)
            && Entries::size(&key, &cached) <= MAX_BYTES
        {
            // The lock is released at the end of this statement, the bodies dropped after it.
            let dropped = self.entries.write().insert(key, cached.clone());
            drop(dropped);
        }
        cached
    }

    /// The current generation, to pass to [`ResponseCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Drops every entry.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let dropped = std::mem::take(&mut *self.entries.write());
        drop(dropped);
        self.counts.write().clear();
        self.organizations.write().map.clear();
    }

    /// The cached refs among `ids`, and the ids not cached.
    fn organizations(&self, ids: &[String]) -> (HashMap<String, OrganizationRef>, Vec<String>) {
        let generation = self.generation();
        let refs = self.organizations.read();
        let fresh = refs.generation == generation && refs.since.elapsed() < TTL;
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match refs.map.get(id).filter(|_| fresh) {
                Some(r) => {
                    found.insert(id.clone(), r.clone());
                }
                None => missing.push(id.clone()),
            }
        }
        (found, missing)
    }

    /// Keeps refs read from the database while the cache was at `generation`.
    fn put_organizations(&self, read: &HashMap<String, OrganizationRef>, generation: u64) {
        if read.is_empty() || generation != self.generation() {
            return;
        }
        let mut refs = self.organizations.write();
        if refs.generation != generation
            || refs.since.elapsed() >= TTL
            || refs.map.len() + read.len() > MAX_ENTRIES
        {
            *refs = Refs {
                generation,
                since: Instant::now(),
                map: HashMap::new(),
            };
        }
        refs.map
            .extend(read.iter().map(|(id, r)| (id.clone(), r.clone())));
    }

    /// A fresh cached total for a list query.
    pub fn get_count(&self, key: &str) -> Option<i64> {
        let generation = self.generation.load(Ordering::Acquire);
        let counts = self.counts.read();
        let (n, g, at) = counts.get(key)?;
        (*g == generation && at.elapsed() < TTL).then_some(*n)
    }

    /// Stores a total computed at `generation`.
    pub fn put_count(&self, key: String, n: i64, generation: u64) {
        if generation == self.generation.load(Ordering::Acquire) {
            let mut counts = self.counts.write();
            if counts.len() >= MAX_ENTRIES {
                counts.clear();
            }
            counts.insert(key, (n, generation, Instant::now()));
        }
    }

    /// Waits for the right to compute `key`: concurrent misses on one key wait for the first
    /// one instead of all hitting the database (then find the entry cached).
    pub async fn lock_key(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut inflight = self.inflight.lock();
            if inflight.len() >= MAX_ENTRIES {
                inflight.retain(|_, l| Arc::strong_count(l) > 1);
            }
            inflight.entry(key.to_owned()).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// What pages show of the organizations with these ids (name, slug, logo), by id; unknown
/// ids are left out. Read from memory when cached, else from the database (then cached):
/// searches label fifty organizations per page, which change far less often than they are
/// read (measured: the lookup was 2.4 % of a search request's CPU at a million datasets).
pub async fn organization_refs(
    state: &crate::state::AppState,
    ids: &[String],
) -> portail_db::DbResult<HashMap<String, OrganizationRef>> {
    let cache = &state.cache;
    let (mut found, missing) = cache.organizations(ids);
    if !missing.is_empty() {
        let generation = cache.generation();
        let read: HashMap<String, OrganizationRef> =
            portail_db::organizations::find_refs(&state.app.db, &missing)
                .await?
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect();
        cache.put_organizations(&read, generation);
        found.extend(read);
    }
    Ok(found)
}

/// Serializes a value as a JSON body. The bytes are written into a buffer this thread keeps
/// for the next body, then copied once at their final size: writing a search page (60 kB)
/// straight into a new vector grew and copied it ten times over, on fresh memory each time.
pub fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Bytes> {
    /// Kept between bodies; a buffer grown beyond it by a rare large body is shrunk back.
    const KEPT: usize = 1 << 20;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        let written = serde_json::to_writer(&mut *buffer, value);
        let body = written.map(|()| Bytes::copy_from_slice(&buffer));
        if buffer.capacity() > KEPT {
            buffer.clear();
            buffer.shrink_to(KEPT);
        }
        body
    })
}

/// How far back the follower watches for changes that commit late (see
/// [`portail_db::changes::window`]).
const LATE_COMMIT_WINDOW: i64 = 1000;

/// Tails the outbox and clears the cache when another process wrote, including a change that
/// committed after one with a higher sequence number. Runs until aborted.
pub async fn follow_changes(db: portail_db::Db, cache: std::sync::Arc<ResponseCache>) {
    let mut seen: Option<(i64, i64, i64)> = None; // (base of the window, max, count)
    let mut interval = tokio::time::interval(POLL_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let base = seen.map_or(0, |(base, _, _)| base);
        match portail_db::changes::window(&db, base).await {
            Ok((max, count)) => {
                if seen.is_some_and(|(_, m, c)| m == max && c == count) {
                    continue;
                }
                // Move the window up to the newest change and count again on the new base,
                // then clear the cache: every change in the new baseline happened before the
                // clearing, and any later one changes the count at the next poll.
                let base = (max - LATE_COMMIT_WINDOW).max(0);
                match portail_db::changes::window(&db, base).await {
                    Ok((max, count)) => seen = Some((base, max, count)),
                    Err(e) => tracing::warn!(error = %e, "cannot poll the changes outbox"),
                }
                cache.invalidate();
            }
            Err(e) => tracing::warn!(error = %e, "cannot poll the changes outbox"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, name: &str) -> OrganizationRef {
        OrganizationRef {
            id: id.into(),
            name: name.into(),
            acronym: None,
            slug: id.into(),
            image_url: None,
        }
    }

    #[test]
    fn organization_refs_are_kept_until_a_write() {
        let cache = ResponseCache::default();
        let ids = vec!["a".to_owned(), "b".to_owned()];
        let (found, missing) = cache.organizations(&ids);
        assert!(found.is_empty());
        assert_eq!(missing, ids);
        let read = HashMap::from([("a".to_owned(), org("a", "Ville"))]);
        cache.put_organizations(&read, cache.generation());
        let (found, missing) = cache.organizations(&ids);
        assert_eq!(found.get("a").map(|o| o.name.as_str()), Some("Ville"));
        assert_eq!(missing, vec!["b".to_owned()]);
        // Read before a write, stored after it: not kept.
        let before = cache.generation();
        cache.invalidate();
        assert_eq!(cache.organizations(&ids).1, ids, "a write clears them");
        let stale = HashMap::from([("b".to_owned(), org("b", "Ancien nom"))]);
        cache.put_organizations(&stale, before);
        assert_eq!(cache.organizations(&ids).1, ids);
    }

    #[test]
    fn a_full_cache_drops_its_oldest_entries_first() {
        let cache = ResponseCache::default();
        let body = Bytes::from(vec![b'x'; MAX_BYTES / 4]);
        for key in ["a", "b", "c"] {
            cache.put(key.into(), body.clone(), cache.generation());
        }
        // "a" stored again: now the newest, "b" the oldest.
        cache.put("a".into(), body.clone(), cache.generation());
        cache.put("d".into(), body.clone(), cache.generation());
        assert!(cache.get("b").is_none(), "the oldest went first");
        for key in ["a", "c", "d"] {
            assert!(cache.get(key).is_some(), "{key} kept");
        }
        cache.put("e".into(), body.clone(), cache.generation());
        assert!(cache.get("c").is_none());
        assert!(
            cache.get("a").is_some(),
            "a key stored again is not dropped at its old place"
        );
        let entries = cache.entries.read();
        assert_eq!(entries.map.len(), 3);
        assert!(entries.bytes <= MAX_BYTES);
    }

    #[test]
    fn the_cache_holds_a_bounded_number_of_bytes() {
        let cache = ResponseCache::default();
        let body = Bytes::from(vec![b'x'; 1 << 20]);
        for i in 0..200 {
            cache.put(format!("k{i}"), body.clone(), cache.generation());
            assert!(cache.entries.read().bytes <= MAX_BYTES);
        }
        // The last one is served; a body larger than the budget is not kept.
        assert!(cache.get("k199").is_some());
        cache.put("same".into(), body.clone(), cache.generation());
        let before = cache.entries.read().bytes;
        cache.put("same".into(), body.clone(), cache.generation());
        assert_eq!(
            cache.entries.read().bytes,
            before,
            "a replaced entry is counted once"
        );
        let huge = Bytes::from(vec![b'x'; MAX_BYTES + 1]);
        cache.put("huge".into(), huge, cache.generation());
        assert!(cache.get("huge").is_none());
        cache.invalidate();
        assert_eq!(cache.entries.read().bytes, 0);
    }
}
