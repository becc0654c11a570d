//! Work a request asks for that costs a thread (a signature check, a
//! database read), run on tokio's blocking pool a few at a time. A request
//! waiting for its turn holds no thread and no connection, and is dropped
//! with its client: work whose client hung up before its turn never
//! starts. Past `queue` requests waiting, the next is refused at once
//! ([`Busy`]: a 503 that the phone tries again later), so a flood piles up
//! neither memory nor threads. Each kind of work has its own (`AppState`):
//! the public reads never hold up a phone's return.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

pub struct Bounded {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
}

/// Too many requests wait already: try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Counts a request waiting while it is alive.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Bounded {
    /// At most `at_once` works run together, and `queue` wait.
    pub fn new(at_once: usize, queue: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// As many at once as the machine has cores.
    pub fn per_core(queue: usize) -> Self {
        Self::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue,
        )
    }

    /// Runs `work` once its turn comes.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::Relaxed) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::Relaxed);
                    return Err(Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| Busy)?
            }
        };
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|_| Busy)
    }

    /// How many requests wait for their turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread")]
    async fn past_the_queue_a_request_is_refused_at_once_and_a_dropped_one_never_runs() {
        let b = Arc::new(Bounded::new(1, 2));
        let ran = Arc::new(AtomicUsize::new(0));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        // One runs, held; two wait.
        let first = {
            let b = b.clone();
            tokio::spawn(async move { b.run(move || hold.recv().is_ok()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (b, ran) = (b.clone(), ran.clone());
                tokio::spawn(
                    async move { b.run(move || ran.fetch_add(1, Ordering::Relaxed)).await },
                )
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(b.waiting(), 2);
        // A third is refused without waiting.
        assert_eq!(b.run(|| ()).await, Err(Busy));
        // A waiter whose client hangs up is gone, and its work never runs.
        waiters[0].abort();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(b.waiting(), 1);
        release.send(()).expect("release");
        assert_eq!(first.await.expect("first"), Ok(true));
        let second = waiters.into_iter().nth(1).expect("second");
        assert!(second.await.expect("second").is_ok());
        assert_eq!(ran.load(Ordering::Relaxed), 1, "the dropped one never ran");
    }
}
