//! Which event may be appended to a tally log, and why not: the rules of
//! the count (DOMAIN.md, 5) as the log applies them, asked by the app
//! before it stores an event ([`TallyLog::check`]) and passed again by every
//! event of a stored log as it is replayed.

use super::{
    Mark, NulReason, PACKET_SIZE, TABLE_NAME_MAX, TEXT_MAX, TallyError, TallyEvent, TallyLog,
};

impl TallyLog {
    /// Whether `event` may be appended now, without appending it: the app
    /// asks before it stores the event, and appends once it is stored. A
    /// packet is opened, or its count corrected, only up to the envelopes
    /// left to count.
    pub fn check(&self, event: &TallyEvent) -> Result<(), TallyError> {
        self.check_event(event)?;
        let left = self.envelopes_left().unwrap_or(0);
        // Each packet is checked before the next is opened (DOMAIN.md, 5).
        let opens = matches!(
            event,
            TallyEvent::OpenPacket { .. } | TallyEvent::OpenNumberedPacket { .. }
        );
        if let (true, Some(p)) = (opens, self.awaiting_check()) {
            return Err(TallyError::PacketNotChecked { number: p.number });
        }
        match event {
            TallyEvent::OpenPacket { envelopes, .. }
            | TallyEvent::OpenNumberedPacket { envelopes, .. }
                if *envelopes > left =>
            {
                Err(TallyError::MoreThanLeft {
                    envelopes: *envelopes,
                    left,
                })
            }
            TallyEvent::ResizePacket { envelopes, .. } => {
                // The open packet's own envelopes are not "left" to it.
                let own = self.open_packet().map_or(0, |p| p.envelopes);
                let left = left.saturating_add(own).min(PACKET_SIZE);
                if *envelopes > left {
                    return Err(TallyError::MoreThanLeft {
                        envelopes: *envelopes,
                        left,
                    });
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The checks every event of a stored log passed when it was appended.
    pub(super) fn check_event(&self, event: &TallyEvent) -> Result<(), TallyError> {
        let open = self.open_packet();
        let reason_ok = |t: &str| !crate::names::is_blank(t) && t.chars().count() <= TEXT_MAX;
        let too_long = |t: &str| t.chars().count() > TEXT_MAX;
        match event {
            TallyEvent::ClosePolls {
                emargements,
                enveloppes,
                explanation,
            } => {
                // Correctable at any time, a packet open or not.
                if too_long(explanation) {
                    return Err(TallyError::TextTooLong);
                }
                if emargements != enveloppes && crate::names::is_blank(explanation) {
                    return Err(TallyError::GapNotExplained {
                        emargements: *emargements,
                        enveloppes: *enveloppes,
                    });
                }
            }
            TallyEvent::OpenPacket { table, envelopes } => {
                if self.polls.is_none() {
                    return Err(TallyError::PollsNotClosed);
                }
                if open.is_some() {
                    return Err(TallyError::PacketAlreadyOpen);
                }
                let n = table.chars().count();
                if n == 0 || n > TABLE_NAME_MAX || table.trim() != table {
                    return Err(TallyError::InvalidTableName);
                }
                if !(1..=PACKET_SIZE).contains(envelopes) {
                    return Err(TallyError::InvalidEnvelopeCount(*envelopes));
                }
            }
            TallyEvent::RecountNumberedPacket { number } => {
                if open.is_some() {
                    return Err(TallyError::PacketAlreadyOpen);
                }
                if let Some(p) = self.awaiting_check() {
                    return Err(TallyError::PacketNotChecked { number: p.number });
                }
                if !self
                    .packets
                    .iter()
                    .any(|p| p.band == Some(*number) && p.closed && !p.set_aside)
                {
                    return Err(TallyError::NoSuchPacket(*number));
                }
            }
            TallyEvent::OpenNumberedPacket { number, envelopes } => {
                if self.polls.is_none() {
                    return Err(TallyError::PollsNotClosed);
                }
                if open.is_some() {
                    return Err(TallyError::PacketAlreadyOpen);
                }
                if *number == 0 {
                    return Err(TallyError::InvalidPacketNumber);
                }
                if self
                    .packets
                    .iter()
                    .any(|p| !p.set_aside && p.band == Some(*number))
                {
                    return Err(TallyError::PacketNumberUsed(*number));
                }
                if !(1..=PACKET_SIZE).contains(envelopes) {
                    return Err(TallyError::InvalidEnvelopeCount(*envelopes));
                }
            }
            TallyEvent::Mark(m) => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                match m {
                    Mark::Candidate(id) if !self.candidates.contains(id) => {
                        return Err(TallyError::UnknownCandidate(id.clone()));
                    }
                    Mark::Nul { note, .. } if too_long(note) => {
                        return Err(TallyError::TextTooLong);
                    }
                    Mark::Nul {
                        reason: NulReason::Other,
                        note,
                    } if crate::names::is_blank(note) => return Err(TallyError::NulNeedsNote),
                    _ => {}
                }
                if p.marks.len() as u32 >= p.envelopes {
                    return Err(TallyError::PacketFull);
                }
            }
            TallyEvent::Undo => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                if p.marks.is_empty() {
                    return Err(TallyError::NothingToUndo);
                }
            }
            TallyEvent::ClosePacket => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                let marks = p.marks.len() as u32;
                if marks != p.envelopes {
                    return Err(TallyError::PacketNotBalanced {
                        marks,
                        envelopes: p.envelopes,
                    });
                }
            }
            TallyEvent::RecountPacket => {
                if open.is_some() {
                    return Err(TallyError::PacketAlreadyOpen);
                }
                if !self
                    .packets
                    .last()
                    .is_some_and(|p| p.closed && !p.set_aside)
                {
                    return Err(TallyError::NothingToRecount);
                }
            }
            TallyEvent::ResizePacket { envelopes, reason } => {
                let p = open.ok_or(TallyError::NoOpenPacket)?;
                if !(1..=PACKET_SIZE).contains(envelopes) {
                    return Err(TallyError::InvalidEnvelopeCount(*envelopes));
                }
                let marks = p.marks.len() as u32;
                if *envelopes < marks {
                    return Err(TallyError::FewerThanMarks {
                        envelopes: *envelopes,
                        marks,
                    });
                }
                if !reason_ok(reason) {
                    return Err(TallyError::ReasonNeeded);
                }
            }
            TallyEvent::SetAsidePacket { reason } => {
                open.ok_or(TallyError::NoOpenPacket)?;
                if !reason_ok(reason) {
                    return Err(TallyError::ReasonNeeded);
                }
            }
            TallyEvent::ConfirmPacket => {
                self.awaiting_check().ok_or(TallyError::NothingToConfirm)?;
            }
        }
        Ok(())
    }
}
