//! Facts computed on demand and cached per repository. Each concern of `checks/` declares its
//! facts as types implementing [`Fact`]; the first rule that asks computes one, every later
//! rule shares it, and the cache dies with the repository, so memory stays flat across an
//! organisation. The cache is keyed by type, so adding a concern adds no slot here and no
//! order in which things must be set.
//!
//! The driver can also [`provide`](RepoContext::provide) values the checks read but do not
//! compute, such as the RAP level assessed from the evidence rules' findings.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::pack::Pack;
use crate::snapshot::Snapshot;

/// When the audit runs, for rules that judge time (how long since the last push); the driver
/// provides it, so tests can fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditTime(pub std::time::SystemTime);

/// A fact about a repository, computed from its snapshot (and other facts) on first use.
pub trait Fact: Any + Send + Sync + Sized {
    fn compute(context: &RepoContext) -> Self;
}

type Slot = Arc<dyn Any + Send + Sync>;

/// Everything a check may look at for one repository.
pub struct RepoContext<'a> {
    pub snapshot: &'a Snapshot,
    pack: &'a Pack,
    history: bool,
    cache: Mutex<HashMap<TypeId, Slot>>,
}

impl<'a> RepoContext<'a> {
    pub fn new(snapshot: &'a Snapshot, pack: &'a Pack) -> Self {
        RepoContext {
            snapshot,
            pack,
            history: false,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Also scan every blob in git history for sensitive data (`--history`).
    pub fn with_history(mut self, history: bool) -> Self {
        self.history = history;
        self
    }

    /// The pack the repository is judged under (its own `.openly.toml` included).
    pub fn pack(&self) -> &Pack {
        self.pack
    }

    pub fn history(&self) -> bool {
        self.history
    }

    /// The fact, computed now if no rule asked for it before.
    pub fn get<F: Fact>(&self) -> Arc<F> {
        if let Some(found) = self.peek::<F>() {
            return found;
        }
        // Computed without holding the lock: a fact may ask for other facts.
        let computed: Slot = Arc::new(F::compute(self));
        let slot = self
            .lock()
            .entry(TypeId::of::<F>())
            .or_insert(computed)
            .clone();
        downcast(slot)
    }

    /// The fact if some rule already computed it; reports carry only what rules asked for.
    pub fn peek<F: Fact>(&self) -> Option<Arc<F>> {
        self.lock().get(&TypeId::of::<F>()).cloned().map(downcast)
    }

    /// Hands the checks a value they read but do not compute; replaces an earlier one.
    pub fn provide<T: Any + Send + Sync>(&self, value: T) {
        self.lock().insert(TypeId::of::<T>(), Arc::new(value));
    }

    pub fn provided<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.lock().get(&TypeId::of::<T>()).cloned().map(downcast)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<TypeId, Slot>> {
        // A panic inside one check leaves only computed facts behind, which are still valid.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn downcast<T: Any + Send + Sync>(slot: Slot) -> Arc<T> {
    match slot.downcast::<T>() {
        Ok(value) => value,
        // Slots are keyed by the TypeId of the very type stored in them.
        Err(_) => unreachable!("fact cache slot holds another type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{PackSelection, load_pack};
    use crate::snapshot::ReadLimits;
    use crate::source::local::LocalSource;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COMPUTED: AtomicUsize = AtomicUsize::new(0);

    struct Files(usize);
    impl Fact for Files {
        fn compute(context: &RepoContext) -> Self {
            COMPUTED.fetch_add(1, Ordering::SeqCst);
            Files(context.snapshot.files().count())
        }
    }

    struct Doubled(usize);
    impl Fact for Doubled {
        fn compute(context: &RepoContext) -> Self {
            Doubled(context.get::<Files>().0 * 2)
        }
    }

    #[test]
    fn facts_are_computed_once_and_may_use_other_facts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        let snapshot = Snapshot::new(
            Box::new(LocalSource::new(dir.path())),
            ReadLimits::default(),
        )
        .unwrap();
        let pack = load_pack(&PackSelection::default()).unwrap();
        let context = RepoContext::new(&snapshot, &pack);
        assert!(context.peek::<Files>().is_none());
        assert_eq!(context.get::<Doubled>().0, 4);
        assert_eq!(context.get::<Files>().0, 2);
        assert_eq!(COMPUTED.load(Ordering::SeqCst), 1);
        context.provide(7u32);
        assert_eq!(context.provided::<u32>().as_deref(), Some(&7));
    }
}
