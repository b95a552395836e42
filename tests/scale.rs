//! Correctness at scale (issue 6): a database of a million sentences opens, lists its
//! documents page by page, and its last document is reachable — through the store, the model
//! and the app itself. Speed is measured by the benchmarks (`BENCHMARKS.md`), never here.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use egui_kittest::Harness;
use isnad::app::{AppConfig, IsnadApp, MainView, settings::Settings};
use isnad::domain::{DocumentListQuery, StatusFilter};
use isnad::model::{Intent, Workspace};
use isnad::store::{self, Access, Location, Store};

const ARTICLES: usize = 40_000;
/// Sentences per article, the title included.
const PER_ARTICLE: usize = 25;
const SENTENCES: usize = ARTICLES * PER_ARTICLE;

/// Article `index` as a `.txt` file: a numbered title and short Arabic sentences with
/// numbers, one per line (short, so that a debug build fills the database in CI time; the
/// benchmarks use the long recombined seed sentences of `benches/common/corpus.rs`).
fn article(index: usize) -> String {
    let mut text = format!("تقرير رقم {} عن المفاوضات\n", index + 1);
    for line in 1..PER_ARTICLE {
        text.push_str(&format!(
            "قال المتحدث {line} إن الجولة {} انتهت.\n",
            index * PER_ARTICLE + line
        ));
    }
    text
}

/// Imports the articles through the real import path (decode, read, segment, flag, store),
/// in batched transactions like `isnad import`. Returns (documents, sentences) stored.
fn fill(store: &mut dyn Store) -> (usize, usize) {
    use isnad::corpus::boilerplate::BoilerplateRules;
    use isnad::corpus::reader::{InputFormat, read_documents};
    use isnad::corpus::segment::SegmentationRules;
    let segmentation = SegmentationRules::builtin();
    let rules = BoilerplateRules::builtin();
    let (mut documents, mut sentences) = (0, 0);
    for batch in (0..ARTICLES).collect::<Vec<_>>().chunks(2_000) {
        let files: Vec<isnad::domain::FileImport> = batch
            .iter()
            .map(|&index| {
                let origin = format!("scale/{index:06}.txt");
                let raws =
                    read_documents(article(index).as_bytes(), InputFormat::Txt, &origin, None)
                        .unwrap();
                isnad::domain::FileImport {
                    origin,
                    documents: raws
                        .into_iter()
                        .map(|raw| isnad::importer::prepare_document(raw, segmentation, rules))
                        .collect(),
                }
            })
            .collect();
        for result in store.import_files(&files).unwrap() {
            for (_, _, count) in result.result.unwrap() {
                documents += 1;
                sentences += count;
            }
        }
    }
    (documents, sentences)
}

fn page(offset: usize, limit: usize) -> DocumentListQuery<'static> {
    DocumentListQuery {
        text: "",
        status: StatusFilter::All,
        annotator: Some("scale"),
        gold: false,
        offset,
        limit,
    }
}

#[test]
fn a_million_sentence_database_opens_and_its_last_document_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("million.db");
    {
        let mut store = store::open(&Location::from(&path), Access::ReadWrite).unwrap();
        isnad::model::project::prepare_project(&mut *store).unwrap();
        let (documents, sentences) = fill(&mut *store);
        assert_eq!((documents, sentences), (ARTICLES, SENTENCES));
    }

    // The store, reopened: the count, the first and the last page of the list.
    let store = store::open(&Location::from(&path), Access::ReadWrite).unwrap();
    assert_eq!(store.document_count().unwrap(), ARTICLES);
    let first = store.document_summaries(&page(0, 50)).unwrap();
    assert_eq!(first.len(), 50);
    let last_page = store.document_summaries(&page(ARTICLES - 10, 50)).unwrap();
    assert_eq!(last_page.len(), 10, "the list ends where the documents end");
    let last = last_page.last().unwrap().clone();
    // Titles are numbered: the last document of the list is the last article imported.
    assert!(last.title.contains(&ARTICLES.to_string()), "{}", last.title);
    let whole: Vec<_> = (0..ARTICLES)
        .step_by(5_000)
        .flat_map(|offset| store.document_summaries(&page(offset, 5_000)).unwrap())
        .collect();
    let total: usize = whole.iter().map(|d| d.sentence_count).sum();
    assert_eq!(total, SENTENCES, "every sentence is counted in the list");
    // Pages near the top walk the table, deeper ones the id index (ids are hashes, so the
    // index is not in list order): both give the rows of the whole list, in import order.
    for (offset, limit) in [
        (0, 1),
        (0, 70),
        (1, 70),
        (186, 70),
        (187, 70),
        (200, 56),
        (250, 70),
    ] {
        let ids: Vec<_> = store
            .document_summaries(&page(offset, limit))
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        let expected: Vec<_> = whole[offset..offset + limit]
            .iter()
            .map(|d| d.id.clone())
            .collect();
        assert_eq!(ids, expected, "page at {offset}, {limit} rows");
    }
    assert!(
        whole.windows(2).any(|w| w[0].id > w[1].id),
        "the ids are not in list order, so the index walk is really checked"
    );
    // Search reaches it too.
    let found = store
        .document_summaries(&DocumentListQuery {
            text: &last.id,
            ..page(0, 10)
        })
        .unwrap();
    assert_eq!(found.len(), 1);

    // The model: open the last document at its last sentence and annotate it.
    let mut workspace = Workspace::new(store, "scale").unwrap();
    workspace
        .apply(Intent::OpenDocument {
            doc_id: last.id.clone(),
            sentence: None,
        })
        .unwrap();
    let open = workspace.document().unwrap();
    assert_eq!(open.sentences.len(), last.sentence_count);
    let end = open.sentences.iter().rposition(|s| !s.boilerplate).unwrap();
    workspace.apply(Intent::GoToSentence(end)).unwrap();
    workspace.apply(Intent::ToggleNoClaim).unwrap();
    assert!(workspace.document().unwrap().marks.contains_key(&end));
    drop(workspace);

    // The app, opened on the last document as `isnad --open ID` does.
    let config = AppConfig {
        db: Location::from(path.clone()),
        annotator: Some("scale".into()),
        open: Some((last.id.clone(), None)),
        view: MainView::Annotate,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_context_setup(isnad::text::install_fonts)
        .build_eframe(move |cc| IsnadApp::with_settings(&cc.egui_ctx, config, Settings::default()));
    harness.run_steps(4);
    let app = harness.state();
    let open = app.workspace.as_ref().unwrap().document().unwrap();
    assert_eq!(open.row.id, last.id);
    assert!(
        open.marks.contains_key(&end),
        "the mark made above is there"
    );
    // The virtualised list knows the whole corpus and loaded only a page of it.
    let page = app.ui.doc_list_cache.as_ref().unwrap();
    let (listed, loaded) = (page.total, &page.rows);
    assert_eq!(listed, ARTICLES);
    assert!(
        loaded.len() < 200,
        "{} rows loaded for one screen",
        loaded.len()
    );
}
