//! pointage-core: the domain of `../shared/DOMAIN.md`, shared by the bureau app
//! (compiled to wasm32) and the central server (compiled for the host).
//!
//! It must never read a clock, a random source, storage or the network: time,
//! randomness and keys are passed in by the caller, so that the same code gives
//! the same answer on a phone and on the server.

pub mod board;
pub mod canonical;
pub mod day;
pub mod double_entry;
pub mod election;
pub mod election_view;
pub mod enrollment;
pub mod gathering;
pub mod handover;
pub mod log;
pub mod names;
pub mod open_data;
pub mod operator;
pub mod order;
pub mod outbox;
pub mod photo;
pub mod pv;
pub mod qualification;
pub mod receipt;
pub mod recovery;
pub mod results;
pub mod roster;
pub mod rules;
#[cfg(feature = "nfkc")]
pub mod search;
pub mod sheet;
pub mod signature;
pub mod signed_return;
pub mod still_open;
pub mod tally;
pub mod turnout;
pub mod wire;

pub use double_entry::{DoubleEntry, EntryStep, Phase, TransitionError};
pub use election::{
    Bureau, Candidate, Checkpoint, CheckpointKind, Day, Election, ElectionError, ElectionInfo,
    Mode, Qualification,
};
pub use election_view::{DeviceEnrollment, ElectionRef, ElectionView};
pub use outbox::{Outbox, OutboxError, OutboxItem};
pub use pv::{
    Field, Figure, MAX_TEXT_BYTES, Members, NotAFigure, ProcesVerbal, TextField, text_fits,
};
pub use receipt::{Receipt, ReceiptBody, ReceiptError, ServerSigner};
pub use rules::{Finding, RuleCode, Severity, TallySummary};
pub use signed_return::{
    Carried, ChainError, EnteredBy, LabelError, Replaces, ReturnBody, ReturnDraft, ReturnLabel,
    SignError, SignedReturn, TallyRecord, UnsignedReturn, VerifyError,
};
pub use tally::{
    CountTotals, LoggedEvent, Mark, NulReason, PACKET_SIZE, Packet, PacketCounts, PollsClosed,
    TallyError, TallyEvent, TallyLog,
};
