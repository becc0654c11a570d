//! What the browser tests share: the part of the demo election a phone
//! enrolled for bureau DEMO-003 keeps.

use pointage_core::{Bureau, Candidate, ElectionView, Mode};

pub fn demo_view() -> ElectionView {
    ElectionView {
        id: "demo".into(),
        name: "Primaire citoyenne de démonstration".into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        hash: "ab".repeat(32),
        candidates: vec![Candidate {
            id: "moreau".into(),
            panel: 1,
            name: "Camille Moreau".into(),
        }],
        bureau: Bureau {
            code: "DEMO-003".into(),
            name: "Gymnase des Tilleuls".into(),
            commune: "Val-d'Orge".into(),
            inscrits: None,
        },
        bureaux_total: 5,
        day: None,
    }
}
