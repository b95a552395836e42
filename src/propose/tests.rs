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

#[test]
fn a_feminine_verb_with_a_masculine_object_has_an_implicit_speaker() {
    let sentences = [
        TITLE,
        "وقالت وزارة الطاقة إن الشبكة ستتحسن.",
        "ودعت المشتركين إلى ترشيد الاستهلاك.",
    ];
    let all = propose(&sentences);
    let speaker = all[2][0].speaker.as_ref().expect("implicit");
    assert_eq!(speaker.phrase, None, "المشتركين is the object");
    assert_eq!(speaker.antecedent.as_ref().map(|a| a.0), Some(1));
}

#[test]
fn the_cue_object_preposition_ends_the_phrase() {
    let s = "ودعت القوة الأممية إلى ضبط النفس.";
    let (_, phrase, _, _) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("القوة الأممية"));
}

#[test]
fn a_dateline_is_not_the_subject() {
    let s = "حمص-شانا أعلنت وزارة الطاقة اليوم الأربعاء أن الأعمال انتهت.";
    let (cue, phrase, _, _) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "أعلنت");
    assert_eq!(phrase.as_deref(), Some("وزارة الطاقة"));
}

#[test]
fn an_abbreviation_dot_does_not_end_the_phrase() {
    let s = "وقال معاون الوزير د. سامر الخطيب إن المحطة عادت إلى العمل.";
    let (_, phrase, name, _) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("معاون الوزير د. سامر الخطيب"));
    assert_eq!(name, "سامر الخطيب");
}

#[test]
fn an_opener_and_a_complementizer_come_before_a_preverbal_subject() {
    let s = "غير أن هيئة البث الإسرائيلية ذكرت أن المجلس سيجتمع.";
    let (_, phrase, _, _) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("هيئة البث الإسرائيلية"));
    let negated = "ولم يذكر الوزير تفاصيل إضافية.";
    let (_, phrase, _, _) = parts(&[TITLE, negated], 1);
    // The object after it cannot be told from a name by the words alone.
    assert!(phrase.is_some_and(|p| p.starts_with("الوزير")));
}

#[test]
fn a_source_with_an_attached_lam_starts_after_it() {
    let s = "ووفقا لوكالة «نوفوستي»، أجرى الرئيس اتصالين هاتفيين.";
    let (cue, phrase, _, content) = parts(&[TITLE, s], 1);
    assert_eq!(cue, "ووفقا");
    assert_eq!(phrase.as_deref(), Some("وكالة «نوفوستي"));
    assert_eq!(content.as_deref(), Some("أجرى الرئيس اتصالين هاتفيين"));
}

#[test]
fn contextual_cues_count_only_in_their_context() {
    let after_comma = "وحذرت الوزيرة من التصعيد، داعية إلى الحوار.";
    let all = propose(&[TITLE, after_comma]);
    assert_eq!(all[1].len(), 2, "داعية after a comma is a cue");
    let noun = "وقال الوزير إن داعية معروفاً زار المدينة.";
    assert_eq!(
        propose(&[TITLE, noun])[1].len(),
        1,
        "داعية as a noun is not"
    );
    let verb = "وبيّن الوزير أن العمل مستمر.";
    assert_eq!(parts(&[TITLE, verb], 1).0, "وبيّن");
    let between = "وبين الطرفين خلافات قديمة.";
    assert!(
        propose(&[TITLE, between])[1].is_empty(),
        "وبين = and between"
    );
}

#[test]
fn a_trailing_attribution_is_not_a_claim_of_its_own() {
    let s = "ونوه إلى أن المحكمة تنتظر المسؤولين، على حد تعبيره.";
    let all = propose(&[TITLE, "وقال الوزير إن الحل قريب.", s]);
    assert_eq!(all[2].len(), 1);
    assert_eq!(part_text(s, &all[2][0].cue), "ونوه");
}

#[test]
fn a_first_person_cue_in_a_quotation_is_the_quoted_speaker() {
    let s = "وقال الوزير في تغريدته: “التقينا بالسفير وطالبنا روسيا بالانسحاب”.";
    let all = propose(&[TITLE, s]);
    let second = all[1]
        .iter()
        .find(|p| part_text(s, &p.cue) == "وطالبنا")
        .expect("وطالبنا");
    let speaker = second.speaker.as_ref().expect("the one quoted");
    assert_eq!(speaker.phrase, None);
    assert_eq!(speaker.antecedent.as_ref().map(|a| a.0), Some(1));
    // "في تغريدته" (an occasion with its possessive) is not part of the phrase.
    assert_eq!(
        all[1][0]
            .speaker
            .as_ref()
            .and_then(|s| s.phrase.clone())
            .map(|r| part_text(s, &r))
            .as_deref(),
        Some("الوزير")
    );
}

#[test]
fn a_title_alone_or_a_surname_refers_back_to_the_speaker_named_earlier() {
    let sentences = [
        TITLE,
        "أكد الأمين العام للمجلس جاسم محمد البديوي أن الدعم مستمر.",
        "وقال البديوي إن المرحلة مفصلية.",
        "وأوضح الأمين العام أن الاجتماع القادم في الرياض.",
    ];
    let all = propose(&sentences);
    let first = &all[1][0].speaker.as_ref().unwrap().entity.name;
    assert_eq!(first, "جاسم محمد البديوي");
    assert_eq!(
        &all[2][0].speaker.as_ref().unwrap().entity.name,
        first,
        "the surname"
    );
    assert_eq!(
        &all[3][0].speaker.as_ref().unwrap().entity.name,
        first,
        "the title"
    );
}

#[test]
fn a_place_where_something_happens_is_the_last_target() {
    let s = "وقال الوزير إن اللقاء في موسكو أكد دعم تركيا للحل.";
    let all = propose(&[TITLE, s]);
    assert_eq!(
        all[1][0].target.as_ref().map(|t| t.name.as_str()),
        Some("Turkey")
    );
}

#[test]
fn the_issuer_of_a_statement_speaks_in_it() {
    let s = "وأصدرت وزارة الخارجية الروسية بياناً، اليوم الجمعة، قالت فيه، إن الطرفين ناقشا الأمور.";
    let all = propose(&[TITLE, s]);
    let said = all[1]
        .iter()
        .find(|p| part_text(s, &p.cue) == "قالت")
        .expect("قالت");
    let speaker = said.speaker.as_ref().expect("the ministry");
    assert_eq!(speaker.phrase, None);
    assert_eq!(speaker.entity.name, "Russian Ministry of Foreign Affairs");
}

#[test]
fn an_adverb_or_a_known_body_is_never_read_by_its_ending_as_an_object() {
    // "مسبقاً" (accusative) is not the subject of "تعلن"; "الكرملين" ends in ين but is no plural.
    let adverb = propose(&[TITLE, "في زيارة لم تعلن مسبقاً، واستغرقت ساعات."]);
    assert!(
        adverb[1]
            .iter()
            .all(|p| p.speaker.as_ref().is_none_or(|s| s.phrase.is_none()))
    );
    let s = "وقال الكرملين في بيان: إن بوتين التقى الأسد.";
    let (_, phrase, _, _) = parts(&[TITLE, s], 1);
    assert_eq!(phrase.as_deref(), Some("الكرملين"));
}

#[test]
fn a_body_named_as_the_subject_is_the_speaker_not_a_person_in_the_content() {
    let s = "وأكد الائتلاف الوطني السوري أن نصر الحريري سيزور موسكو";
    let all = propose(&[TITLE, s]);
    let speaker = all[1][0].speaker.as_ref().expect("speaker");
    assert_eq!(speaker.entity.name, "Syrian National Coalition");
    assert_eq!(
        all[1][0].target.as_ref().map(|t| t.name.as_str()),
        Some("Nasr al-Hariri")
    );
}
