//! The entity registry: entities and aliases, set up in bulk and through actions.

use super::backend::Backend;
use super::fixtures::{HALA, OMAR, act, claim, entity, seed};
use crate::domain::RowState;

pub fn entities_and_aliases_are_added_and_extended(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    let created = store
        .add_entities(&[
            (
                entity("e-r", "Russia"),
                vec!["روسيا".into(), "موسكو".into()],
            ),
            (entity("e-a", "Ankara"), vec![]),
        ])
        .unwrap();
    assert_eq!(created, 2);
    // The same canonical name again (under another id): no new entity, its aliases added.
    let created = store
        .add_entities(&[(
            entity("e-other", "Russia"),
            vec!["روسيا".into(), "الكرملين".into()],
        )])
        .unwrap();
    assert_eq!(created, 0);
    let registry = store.entities().unwrap();
    assert_eq!(
        registry
            .iter()
            .map(|e| e.entity.canonical_name.as_str())
            .collect::<Vec<_>>(),
        ["Ankara", "Russia"],
        "sorted by canonical name"
    );
    assert_eq!(registry[0].entity, entity("e-a", "Ankara"));
    assert!(registry[0].aliases.is_empty());
    let mut aliases = registry[1].aliases.clone();
    aliases.sort();
    let mut expected = vec![
        "الكرملين".to_owned(),
        "روسيا".to_owned(),
        "موسكو".to_owned(),
    ];
    expected.sort();
    assert_eq!(aliases, expected);
    assert_eq!(registry[1].entity.id, "e-r");
}

pub fn entities_and_aliases_through_actions(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "New entity",
        vec![
            RowState::Entity {
                entity: entity("e1", "Egypt"),
                present: true,
            },
            RowState::Alias {
                entity_id: "e1".into(),
                alias: "مصر".into(),
                present: true,
            },
        ],
    );
    let registry = store.entities().unwrap();
    assert_eq!(registry.len(), 1);
    assert_eq!(registry[0].aliases, vec!["مصر".to_owned()]);
    act(
        store.as_mut(),
        HALA,
        "Remove alias",
        vec![RowState::Alias {
            entity_id: "e1".into(),
            alias: "مصر".into(),
            present: false,
        }],
    );
    assert!(store.entities().unwrap()[0].aliases.is_empty());
    store.undo(HALA).unwrap();
    assert_eq!(store.entities().unwrap()[0].aliases.len(), 1);
    // A second entity of the same name is refused with a message, and changes nothing.
    let error = store
        .apply_action(
            OMAR,
            "s",
            "Duplicate",
            &[RowState::Entity {
                entity: entity("e2", "Egypt"),
                present: true,
            }],
        )
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("an entity named \"Egypt\" already exists"),
        "{error}"
    );
    assert_eq!(store.entities().unwrap().len(), 1);
    assert_eq!(store.history_labels(OMAR).unwrap(), (None, None));
    // Undoing the creation removes entity and alias.
    store.undo(HALA).unwrap();
    assert!(store.entities().unwrap().is_empty());
    store.redo(HALA).unwrap();
    assert_eq!(store.entities().unwrap()[0].aliases, vec!["مصر".to_owned()]);
}

pub fn an_entity_in_use_cannot_be_removed_by_undo(backend: &Backend) {
    let (_scratch, mut store) = backend.fresh();
    seed(store.as_mut());
    act(
        store.as_mut(),
        HALA,
        "new entity",
        vec![RowState::Entity {
            entity: entity("e1", "Russia"),
            present: true,
        }],
    );
    // Written by someone else's action (another annotator), so not undone first.
    let mut with_entity = claim("c1", "d1", 0, OMAR);
    with_entity.speaker_entity = Some("e1".into());
    act(
        store.as_mut(),
        OMAR,
        "use",
        vec![RowState::Claim(with_entity.clone())],
    );
    let error = store.undo(HALA).unwrap_err();
    assert!(error.to_string().contains("used by 1 claim"), "{error}");
    assert_eq!(
        store.entities().unwrap().len(),
        1,
        "the failed undo changed nothing"
    );
    assert_eq!(
        store.history_labels(HALA).unwrap(),
        (Some("new entity".into()), None)
    );
    // Once the claim is deleted (a tombstone lets go of it), the undo goes through.
    store.undo(OMAR).unwrap();
    store.undo(HALA).unwrap();
    assert!(store.entities().unwrap().is_empty());
    assert_eq!(store.claim("c1").unwrap().unwrap().speaker_entity, None);
    assert!(store.integrity_problems().unwrap().is_empty());
}
