//! Repositories audited side by side on a few threads, reported in the order they were given
//! whatever order they finish in.

use std::sync::Mutex;

/// Runs `work` over `items` on up to `jobs` threads, keeping the input order in the output.
pub fn run<T: Sync, R: Send>(items: &[T], jobs: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().unwrap_or_else(|p| p.into_inner());
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(item) = items.get(index) else { break };
                    let result = work(item);
                    results.lock().unwrap_or_else(|p| p.into_inner())[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..50).collect();
        let doubled = super::run(&items, 4, |n| {
            std::thread::sleep(std::time::Duration::from_micros(50 - n));
            n * 2
        });
        assert_eq!(doubled, (0..50).map(|n| n * 2).collect::<Vec<_>>());
    }
}
