//! Storing returns, one writer, commits in groups. A receipt promises the
//! return is on disk, so each commit waits for the disk; doing that once per
//! return would cap the server at the disk's sync rate. Returns that arrive
//! together are stored in one transaction (each in its own savepoint, so one
//! refusal does not undo the others) and all answered once it is committed.

use crate::db::{Db, DbError, IngestError, LeafHash, Stored, ToStore};
use crate::log::Logs;
use crate::system;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most returns stored in one commit.
const MAX_BATCH: usize = 512;

struct Job {
    work: ToStore,
    reply: oneshot::Sender<Result<Stored, IngestError>>,
}

/// The handle the API sends verified returns to.
#[derive(Clone)]
pub struct Ingest {
    jobs: mpsc::Sender<Job>,
}

impl Ingest {
    /// Starts the writer task (on the current tokio runtime), which gives
    /// this node's trees of the logs each leaf it stores.
    pub fn start(db: Db, logs: Arc<Logs>) -> Self {
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(writer(db, logs, rx));
        Self { jobs }
    }

    /// Stores a return core has checked ([`ToStore::check`]), once
    /// committed.
    pub async fn submit(&self, work: ToStore) -> Result<Stored, IngestError> {
        let (reply, answer) = oneshot::channel();
        let gone = || IngestError::Db(DbError::Task("the ingest writer has stopped".into()));
        self.jobs
            .send(Job { work, reply })
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn writer(db: Db, logs: Arc<Logs>, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let elections: Vec<String> = batch
            .iter()
            .map(|j| j.work.election.id().to_owned())
            .collect();
        let (work, replies): (Vec<_>, Vec<_>) =
            batch.into_iter().map(|j| (j.work, j.reply)).unzip();
        let outcome = db
            .run(move |db| db.store_returns(work, system::now_ms()))
            .await;
        match outcome {
            Ok(mut results) => {
                // The new leaves, to this node's trees, before anyone is
                // answered a receipt that names them; each receipt's root
                // from the tree as it grows.
                let mut leaves: Vec<(&str, Vec<usize>)> = Vec::new();
                for (i, (e, r)) in elections.iter().zip(&results).enumerate() {
                    if r.as_ref().is_ok_and(|s| s.new) {
                        match leaves.iter_mut().find(|(id, _)| id == e) {
                            Some((_, l)) => l.push(i),
                            None => leaves.push((e, vec![i])),
                        }
                    }
                }
                for (e, at) in &leaves {
                    let hashes: Vec<LeafHash> = at
                        .iter()
                        .filter_map(|&i| results[i].as_ref().ok())
                        .map(|s| LeafHash {
                            index: s.sequence,
                            at: s.received_at,
                            hash: s.leaf,
                        })
                        .collect();
                    let roots = logs.stored(e, &hashes).await;
                    for (&i, root) in at.iter().zip(roots) {
                        if let Ok(s) = results[i].as_mut() {
                            s.root = root;
                        }
                    }
                }
                for (reply, r) in replies.into_iter().zip(results) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                eprintln!("pointage-server: storing returns failed: {e}");
                // Each phone is told what failed (the storage: 503, it sends
                // again).
                for reply in replies {
                    let _ = reply.send(Err(IngestError::Db(e.retold())));
                }
            }
        }
    }
}
