//! The conformance suite: the same store tests against every backend, so that a new
//! backend is checked by exactly the tests the SQLite one passes.
//!
//! Each test is a function taking a [`backend::Backend`] (a factory of fresh, empty databases at
//! temporary locations, which it can open, reopen and open read-only). The
//! [`every_test!`] macro instantiates every test for one backend as `#[test]`s in a module
//! named after it; the last lines of this file list the backends. Adding a backend is
//! a factory in `backend.rs` and one `every_test!` line.
//!
//! What is covered: opening, reopening and migrations ([`meta`]); documents, sentences,
//! the document list's filters and pages, assignments ([`documents`]); claims, marks and
//! the action log with undo and redo ([`annotations`]); entities and aliases
//! ([`entities`]); the gold standard ([`gold`]); progress, reading time and pace
//! ([`progress`]); merging two stores of the backend ([`merge`]); read-only access
//! ([`meta`]).

mod annotations;
mod backend;
mod documents;
mod entities;
/// Also used by the backends' own tests (`postgres/merge_tests.rs`).
pub(crate) mod fixtures;
mod gold;
mod merge;
mod meta;
mod progress;

/// Every test of the suite, as `#[test]`s for the backend whose factory in `backend.rs`
/// is named `$backend`, in a module of that name.
macro_rules! every_test {
    ($backend:ident) => {
        every_test!(@tests $backend:
            meta::a_new_store_is_sound_and_has_a_project_id,
            meta::reopening_keeps_everything_and_migrates_nothing,
            meta::meta_values_are_set_replaced_and_kept,
            meta::a_read_only_store_refuses_every_write_and_changes_nothing,
            documents::imported_documents_and_sentences_read_back,
            documents::a_refused_file_leaves_no_trace_and_others_are_kept,
            documents::reimporting_is_already_present,
            documents::the_document_list_filters_and_pages,
            documents::status_filters_follow_the_annotators_decisions,
            documents::documents_and_sentences_stream_in_import_order,
            documents::assignments_are_recorded_and_replaced,
            annotations::a_claim_is_created_edited_confirmed_and_deleted,
            annotations::undo_and_redo_walk_the_history,
            annotations::a_new_action_clears_the_redo_stack,
            annotations::every_annotator_has_their_own_history,
            annotations::marks_are_set_read_and_undone,
            annotations::imported_claims_and_decisions_read_back,
            annotations::boilerplate_flips_are_undoable_and_leave_the_decisions,
            entities::entities_and_aliases_are_added_and_extended,
            entities::entities_and_aliases_through_actions,
            entities::an_entity_in_use_cannot_be_removed_by_undo,
            gold::gold_claims_and_sentences_are_written_listed_and_undone,
            progress::progress_counts_confirmed_claims_marks_and_reading,
            progress::pace_counts_decided_content_sentences_and_active_time,
            merge::a_merge_copies_documents_annotations_and_entities,
            merge::merging_again_changes_nothing_and_later_edits_travel,
            merge::edits_on_both_sides_are_conflicts_the_later_wins,
            merge::a_document_with_another_text_is_refused_alone,
            merge::the_same_database_is_refused,
        );
    };
    (@tests $backend:ident: $($group:ident :: $test:ident),* $(,)?) => {
        mod $backend {
            $(
                #[test]
                fn $test() {
                    super::$group::$test(&super::backend::$backend());
                }
            )*
        }
    };
}

// The backends: one line each.
every_test!(sqlite);
every_test!(postgres);
