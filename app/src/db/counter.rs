//! Change counters kept in the database, and the per-process read caches keyed by them.
//!
//! A cache in one process is only right on several servers if every server learns of every
//! write at once. So a write that changes what a cache holds runs [`bump`] inside its own
//! transaction (the counter `change_counter:<name>` rises by one and `$rev` holds the new
//! value, which the write stamps on the rows it changes), and a reader first reads the counter
//! ([`current`], one key) and reloads when its copy is older ([`Slot::get`]). Two writes that
//! bump one counter conflict, so their values are handed out in commit order: a reload of
//! "rows stamped after n" never misses a row.

use super::{Db, DbError, first};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

/// SurrealQL for inside a write transaction: raises counter `name` (a fixed lower-case name
/// from the code, never user input) by one and binds its new value to `$rev`.
pub fn bump(name: &'static str) -> String {
    debug_assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    format!(
        "LET $rev = (UPSERT type::record('change_counter', '{name}')
            SET value = (value ?? 0) + 1 RETURN VALUE value)[0];"
    )
}

/// The counter's value now (0 before the first write).
pub async fn current(db: &Db, name: &'static str) -> Result<i64, DbError> {
    let value: Option<i64> = first(
        db.query("SELECT VALUE value FROM ONLY type::record('change_counter', $name)")
            .bind(("name", name))
            .await?
            .check()?,
    )?;
    Ok(value.unwrap_or(0))
}

/// The caches of one process, one [`Slot`] per counter name and type (held in `AppState`).
#[derive(Clone, Default)]
pub struct Caches(Arc<Mutex<Slots>>);

/// The slots by counter name and value type.
type Slots = HashMap<(&'static str, TypeId), Arc<dyn Any + Send + Sync>>;

impl Caches {
    /// The slot for values of type `T` kept current by counter `name`.
    pub fn slot<T: Send + Sync + 'static>(&self, name: &'static str) -> Arc<Slot<T>> {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = slots
            .entry((name, TypeId::of::<T>()))
            .or_insert_with(|| Arc::new(Slot::<T>::default()));
        Arc::clone(entry)
            .downcast::<Slot<T>>()
            .unwrap_or_else(|_| unreachable!("a slot is keyed by its type"))
    }
}

/// Answers kept per key (a filter and a language, say) until their counter moves: the values of
/// [`Caches::keyed`].
pub type Keyed<V> = Mutex<HashMap<String, V>>;

impl Caches {
    /// The value for `key` of a summary kept current by counter `name`: the one made since the
    /// counter last moved, else `make()`'s, kept for the next request. `make` must read data no
    /// older than this call (a write committed meanwhile only makes the next request make it
    /// again). At most `max` keys are kept; all are dropped when a new one would exceed it. One
    /// store per counter and value type `V`.
    pub async fn keyed<V, E, F, Fut>(
        &self,
        db: &Db,
        name: &'static str,
        key: String,
        max: usize,
        make: F,
    ) -> Result<V, E>
    where
        V: Clone + Send + Sync + 'static,
        E: From<DbError>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let values = self
            .slot::<Keyed<V>>(name)
            .get(
                db,
                name,
                |_, now| async move { Ok((now, Keyed::default())) },
            )
            .await?;
        if let Some(value) = values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(value.clone());
        }
        let value = make().await?;
        let mut kept = values.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= max {
            kept.clear();
        }
        kept.insert(key, value.clone());
        Ok(value)
    }
}

/// One cached value and the counter value it was loaded at.
pub struct Slot<T> {
    value: Mutex<Option<(i64, Arc<T>)>>,
    /// One reload at a time (the others wait for it instead of loading too).
    reloading: tokio::sync::Mutex<()>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: Mutex::new(None),
            reloading: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> Slot<T> {
    fn at_least(&self, rev: i64) -> Option<Arc<T>> {
        let value = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        value
            .as_ref()
            .filter(|(at, _)| *at >= rev)
            .map(|(_, v)| Arc::clone(v))
    }

    /// The value, current as of counter `name` now: the cached one when no write has bumped
    /// the counter since it was loaded, else `load(previous, now)`, which gets the previous
    /// value and its counter value (to reload only what changed since) and the counter value
    /// just read, and returns the new value with a counter value no newer than its data (`now`
    /// itself when the data is read after it, or one read in the same transaction).
    pub async fn get<F, Fut>(&self, db: &Db, name: &'static str, load: F) -> Result<Arc<T>, DbError>
    where
        F: FnOnce(Option<(i64, Arc<T>)>, i64) -> Fut,
        Fut: Future<Output = Result<(i64, T), DbError>>,
    {
        let now = current(db, name).await?;
        if let Some(value) = self.at_least(now) {
            return Ok(value);
        }
        let _one = self.reloading.lock().await;
        if let Some(value) = self.at_least(now) {
            return Ok(value);
        }
        let previous = self
            .value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let (rev, value) = load(previous, now).await?;
        let value = Arc::new(value);
        *self.value.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((rev, Arc::clone(&value)));
        Ok(value)
    }
}
