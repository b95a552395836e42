//! The proposer's rules, one sentence (or a few) each, on text written for these tests.

use super::*;
use crate::suggest::CueMatcher;

fn index() -> EntityIndex {
    EntityIndex::new(Vec::new())
}

fn propose(sentences: &[&str]) -> Vec<Vec<Proposal>> {
    let entities = index();
    let proposer = Proposer {
        cues: CueMatcher::builtin(),
        entities: &entities,
        lexicon: Lexicon::builtin(),
    };
    let input: Vec<SentenceIn<'_>> = sentences
        .iter()
        .map(|text| SentenceIn {
            text,
            boilerplate: false,
        })
        .collect();
    proposer.document(&input)
}

/// (cue, speaker phrase, name, content) of the first proposal of sentence `n`.
fn parts(sentences: &[&str], n: usize) -> (String, Option<String>, String, Option<String>) {
    let all = propose(sentences);
    let p = all[n]
        .first()
        .unwrap_or_else(|| panic!("no proposal in {:?}", sentences[n]));
    let text = sentences[n];
    let speaker = p.speaker.as_ref().expect("a speaker");
    (
        part_text(text, &p.cue),
        speaker.phrase.as_ref().map(|r| part_text(text, r)),
        speaker
            .entity
            .span
            .as_ref()
            .map_or_else(|| speaker.entity.name.clone(), |r| part_text(text, r)),
        p.content.as_ref().map(|r| part_text(text, r)),
    )
}

const TITLE: &str = "عنوان الخبر";

#[test]
fn the_subject_after_a_verb_cue_is_the_speaker_phrase_with_its_title() {
    let s = "وقال المبعوث الخاص للرئيس الروسي إلى سورية ألكسندر لافرنتيف، اليوم الثلاثاء: إن بلاده لن تقبل بأي تدخل.";
    let (cue, phrase, name, content) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "وقال");
    assert_eq!(
        phrase.as_deref(),
        Some("المبعوث الخاص للرئيس الروسي إلى سورية ألكسندر لافرنتيف")
    );
    assert_eq!(name, "ألكسندر لافرنتيف");
    assert_eq!(content.as_deref(), Some("إن بلاده لن تقبل بأي تدخل"));
}

#[test]
fn a_person_after_an_organisation_in_the_title_is_named_not_the_organisation() {
    let s = "كشف رئيس الائتلاف الوطني السوري “نصر الحريري” عن حوار دار بينه وبين ممثل روسيا.";
    let (_, phrase, name, _) = parts(&[TITLE, s], 1);
    assert_eq!(
        phrase.as_deref(),
        Some("رئيس الائتلاف الوطني السوري “نصر الحريري")
    );
    assert_eq!(name, "نصر الحريري");
}

#[test]
fn a_subject_before_the_verb_is_the_speaker() {
    let s = "بيدرسون أردف قائلاً إن الحل يمر عبر القرار الدولي.";
    let (cue, phrase, _, content) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "أردف");
    assert_eq!(phrase.as_deref(), Some("بيدرسون"));
    assert_eq!(content.as_deref(), Some("إن الحل يمر عبر القرار الدولي"));
}

#[test]
fn an_adverbial_before_the_verb_is_not_its_subject() {
    let s = "وفي مؤتمر صحفي قال وزير الخارجية التركي هاكان فيدان إن أنقرة تدعم الحوار.";
    let (_, phrase, name, _) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("وزير الخارجية التركي هاكان فيدان"));
    assert_eq!(name, "هاكان فيدان");
}

#[test]
fn a_source_marker_names_the_source_after_it() {
    let s = "وبحسب المرصد السوري لحقوق الإنسان، فإن القصف استهدف ثلاث قرى.";
    let (cue, phrase, _, content) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "وبحسب");
    assert_eq!(phrase.as_deref(), Some("المرصد السوري لحقوق الإنسان"));
    assert_eq!(content.as_deref(), Some("فإن القصف استهدف ثلاث قرى"));
}

#[test]
fn a_late_source_marker_attributes_what_came_before_it() {
    let s = "قتل خمسة مدنيين في القصف، بحسب المرصد.";
    let (_, phrase, _, content) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("المرصد"));
    assert_eq!(content.as_deref(), Some("قتل خمسة مدنيين في القصف"));
}

#[test]
fn transmission_names_the_one_quoted_after_an() {
    let s = "ونقلت وكالة رويترز عن مصدر دبلوماسي قوله إن المفاوضات توقفت.";
    let (cue, phrase, _, _) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "ونقلت");
    assert_eq!(phrase.as_deref(), Some("مصدر دبلوماسي"));
}

#[test]
fn a_pro_drop_cue_links_to_the_last_speaker_of_its_gender() {
    let sentences = [
        TITLE,
        "وقالت وزارة الخارجية الروسية في بيان إن الهجوم مدان.",
        "وقال الوزير سيرغي لافروف إن موسكو لن تتراجع.",
        "وأضافت أن التحقيق مستمر.",
        "وتابع: “لن نقبل بذلك”.",
    ];
    let all = propose(&sentences);
    let added = all[3][0].speaker.as_ref().expect("implicit speaker");
    assert_eq!(added.phrase, None);
    assert_eq!(
        added.antecedent.as_ref().map(|a| a.0),
        Some(1),
        "feminine: the ministry"
    );
    let continued = all[4][0].speaker.as_ref().expect("implicit speaker");
    assert_eq!(
        continued.antecedent.as_ref().map(|a| a.0),
        Some(2),
        "masculine: Lavrov"
    );
    assert_eq!(
        continued.entity.name, "Sergei Lavrov",
        "a starter entity: its name"
    );
    assert_eq!(
        all[4][0]
            .content
            .as_ref()
            .map(|r| part_text(sentences[4], r))
            .as_deref(),
        Some("لن نقبل بذلك")
    );
}

#[test]
fn a_participle_refers_to_the_speaker_of_its_main_clause() {
    let s = "وأكد الوزير أن الحوار مستمر، مشيراً إلى أن الجولة المقبلة في جنيف.";
    let all = propose(&[TITLE, s]);
    assert_eq!(all[1].len(), 2);
    let second = all[1][1].speaker.as_ref().expect("implicit");
    assert_eq!(second.antecedent.as_ref().map(|a| a.0), Some(1));
}

#[test]
fn a_headline_with_a_colon_is_a_claim_of_what_stands_before_it() {
    let all = propose(&["لافروف: لا حل عسكرياً من دون روسيا"]);
    let p = &all[0][0];
    assert_eq!(p.cue_lemma, HEADLINE_COLON);
    let text = "لافروف: لا حل عسكرياً من دون روسيا";
    assert_eq!(part_text(text, &p.cue), ":");
    let phrase = p
        .speaker
        .as_ref()
        .and_then(|s| s.phrase.clone())
        .expect("phrase");
    assert_eq!(part_text(text, &phrase), "لافروف");
    assert_eq!(
        p.content.as_ref().map(|r| part_text(text, r)).as_deref(),
        Some("لا حل عسكرياً من دون روسيا")
    );
    assert_eq!(p.target.as_ref().map(|t| t.name.as_str()), Some("Russia"));
}

#[test]
fn the_content_stops_before_a_trailing_attribution() {
    let s = "وأكد الرئيس أن الانتخابات ستجري في موعدها، على حد تعبيره.";
    let (_, _, _, content) = parts(&[TITLE, s], 1);
    assert_eq!(content.as_deref(), Some("أن الانتخابات ستجري في موعدها"));
}

#[test]
fn a_known_entity_in_the_phrase_is_linked() {
    let entities = EntityIndex::new([entities::ProjectEntity {
        key: "e-1".into(),
        name: "Nasr al-Hariri".into(),
        kind: EntityKind::Person,
        aliases: vec!["نصر الحريري".into(), "الحريري".into()],
    }]);
    let proposer = Proposer {
        cues: CueMatcher::builtin(),
        entities: &entities,
        lexicon: Lexicon::builtin(),
    };
    let found = proposer.sentence_alone("وأكد “الحريري” أنه دعا روسيا إلى التخلي عن الأسد.");
    let speaker = found[0].speaker.as_ref().expect("speaker");
    assert_eq!(speaker.entity.known.as_deref(), Some("e-1"));
    assert_eq!(
        found[0].target.as_ref().map(|t| t.name.as_str()),
        Some("Russia")
    );
}

#[test]
fn boilerplate_gets_no_proposals() {
    let entities = index();
    let proposer = Proposer {
        cues: CueMatcher::builtin(),
        entities: &entities,
        lexicon: Lexicon::builtin(),
    };
    let out = proposer.document(&[SentenceIn {
        text: "وقال الوزير إن كذا",
        boilerplate: true,
    }]);
    assert!(out[0].is_empty());
}

#[test]
fn the_builtin_word_lists_are_valid() {
    Lexicon::from_toml(
        crate::data_files::DataFile::Attribution.builtin_text(),
        "schema/attribution.toml",
    )
    .expect("valid");
    let error = Lexicon::from_toml("version = 2", "x.toml").expect_err("an error");
    assert!(error.to_string().starts_with("x.toml"), "{error}");
}
