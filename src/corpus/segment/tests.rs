//! Segmentation tests: the data file's errors, every rule, the seed articles, and
//! properties on random text.

use std::path::Path;

use proptest::prelude::*;

use super::rules::BUILTIN_SEGMENTATION;
use super::*;

const SEED_000: &str = include_str!("../../../seeds/000_94999b6dfeaf2c9a.txt");
const SEED_001: &str = include_str!("../../../seeds/001_27af32c0e69d882f.txt");
const SEED_002: &str = include_str!("../../../seeds/002_d334092499d7ec8c.txt");
const SEED_003: &str = include_str!("../../../seeds/003_33ebafb7f274a61d.txt");
const SEED_004: &str = include_str!("../../../seeds/004_1f4fa77edfffa84d.txt");

fn rules() -> &'static SegmentationRules {
    SegmentationRules::builtin()
}

/// The sentences of `text` as strings, after checking every invariant of the spans.
fn sentences(text: &str) -> Vec<&str> {
    let spans = split_sentences(text, rules());
    assert_spans_tile(text, &spans);
    spans.iter().map(|span| span.text(text).unwrap()).collect()
}

/// Offsets in bounds and consistent, spans trimmed, non-empty, ordered, not crossing a
/// line break, and only white space between and around them.
fn assert_spans_tile(text: &str, spans: &[SentenceSpan]) {
    let code_points: Vec<char> = text.chars().collect();
    let mut previous_end_byte = 0;
    let mut previous_end = 0;
    for span in spans {
        assert!(span.start < span.end, "empty span {span:?}");
        assert!(span.end <= code_points.len(), "{span:?} beyond the text");
        assert!(span.start_byte < span.end_byte && span.end_byte <= text.len());
        assert!(span.start_byte >= previous_end_byte && span.start >= previous_end);
        let sentence = span.text(text).expect("span on character boundaries");
        // Byte and code-point offsets agree, the way Python would slice the text.
        assert_eq!(text[..span.start_byte].chars().count(), span.start);
        assert_eq!(text[..span.end_byte].chars().count(), span.end);
        let by_code_points: String = code_points[span.start..span.end].iter().collect();
        assert_eq!(by_code_points, sentence);
        assert_eq!(sentence.trim(), sentence, "untrimmed sentence {sentence:?}");
        assert!(
            !sentence.chars().any(is_line_break),
            "line break inside {sentence:?}"
        );
        let gap = &text[previous_end_byte..span.start_byte];
        assert!(
            gap.chars().all(char::is_whitespace),
            "non-space gap {gap:?}"
        );
        previous_end_byte = span.end_byte;
        previous_end = span.end;
    }
    let tail = &text[previous_end_byte..];
    assert!(
        tail.chars().all(char::is_whitespace),
        "non-space tail {tail:?}"
    );
}

#[test]
fn builtin_rules_parse() {
    let parsed = SegmentationRules::from_toml(BUILTIN_SEGMENTATION);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    assert!(rules().is_end_mark('؟'));
    assert!(!rules().is_end_mark('،'));
    assert!(rules().is_closer('”'));
    assert_eq!(
        rules().protected_pattern_ids().collect::<Vec<_>>(),
        ["url", "email"]
    );
}

// ----- errors in the data file -----

fn error_for(source: &str) -> String {
    match SegmentationRules::from_toml(source) {
        Ok(_) => panic!("broken rules were accepted"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn broken_toml_names_the_file() {
    let message = error_for("this is not toml");
    assert!(
        message.starts_with("schema/segmentation.toml: "),
        "{message}"
    );
}

#[test]
fn unknown_key_names_the_key() {
    let source = BUILTIN_SEGMENTATION.replacen("[marks]", "[marks]\nend_markz = []", 1);
    let message = error_for(&source);
    assert!(message.contains("schema/segmentation.toml"), "{message}");
    assert!(message.contains("end_markz"), "{message}");
}

#[test]
fn multi_character_mark_names_the_key() {
    let source = BUILTIN_SEGMENTATION.replacen("end = [\".\",", "end = [\"..\",", 1);
    let message = error_for(&source);
    assert!(message.contains("schema/segmentation.toml"), "{message}");
    assert!(message.contains("`marks.end[0]`"), "{message}");
}

#[test]
fn abbreviation_without_period_names_the_key() {
    let source = BUILTIN_SEGMENTATION.replacen("\"Mr.\"", "\"Mr\"", 1);
    let message = error_for(&source);
    assert!(message.contains("`abbreviations.latin[0]`"), "{message}");
}

#[test]
fn bad_protected_pattern_names_the_pattern() {
    let source =
        BUILTIN_SEGMENTATION.replacen("pattern = '(?i)(?:https?", "pattern = '((?i)(?:https?", 1);
    let message = error_for(&source);
    assert!(
        message.contains("protected[0] (id `url`).pattern"),
        "{message}"
    );
}

#[test]
fn unsupported_version_is_refused() {
    let source = BUILTIN_SEGMENTATION.replacen("version = 1", "version = 2", 1);
    assert!(error_for(&source).contains("`version`"));
}

#[test]
fn unreadable_file_names_the_path() {
    let missing = Path::new("/nonexistent/segmentation.toml");
    let error = SegmentationRules::from_path(missing).err().unwrap();
    assert!(error.to_string().contains("/nonexistent/segmentation.toml"));
}

// ----- end marks, runs, closers, line breaks -----

#[test]
fn splits_at_each_end_mark() {
    assert_eq!(
        sentences("قال لا. قال نعم! هل هذا؟ ربما ? حسناً… ثم"),
        ["قال لا.", "قال نعم!", "هل هذا؟", "ربما ?", "حسناً…", "ثم"]
    );
}

#[test]
fn runs_of_end_marks_end_one_sentence() {
    assert_eq!(
        sentences("رائع!! حقاً..! لماذا؟! إذن... متى..؟ الآن"),
        ["رائع!!", "حقاً..!", "لماذا؟!", "إذن...", "متى..؟", "الآن"]
    );
    assert_eq!(sentences("مجدداً.. خمس نقاط"), ["مجدداً..", "خمس نقاط"]);
}

#[test]
fn spaced_end_marks_join_the_run() {
    assert_eq!(
        sentences("ما الجديد ؟ ! ثم . . . ماذا"),
        ["ما الجديد ؟ !", "ثم . . .", "ماذا"]
    );
    assert_eq!(
        sentences("في سوريا .. ما الجديد..؟"),
        ["في سوريا ..", "ما الجديد..؟"]
    );
}

#[test]
fn closers_stay_with_the_sentence() {
    assert_eq!(sentences("قال: “كفى!” ثم مضى."), ["قال: “كفى!”", "ثم مضى."]);
    assert_eq!(sentences("(انتهى.)” وبدأ غيره"), ["(انتهى.)”", "وبدأ غيره"]);
    assert_eq!(
        sentences("«لا؟» ثم ‹نعم!› و[حقاً.] و{أكيد!} ‘هكذا.’ تم"),
        ["«لا؟»", "ثم ‹نعم!›", "و[حقاً.]", "و{أكيد!}", "‘هكذا.’", "تم"]
    );
    // End marks after the closers join the run.
    assert_eq!(sentences("قال “لا!”. ثم"), ["قال “لا!”.", "ثم"]);
    // Closers right before more text still end the sentence.
    assert_eq!(sentences("انتهى.”وبدأ"), ["انتهى.”", "وبدأ"]);
}

#[test]
fn closers_after_a_space_open_the_next_sentence() {
    assert_eq!(sentences("انتهى. ” ثم"), ["انتهى.", "” ثم"]);
    assert_eq!(sentences("انتهى ) ثم"), ["انتهى ) ثم"]);
}

#[test]
fn periods_that_look_like_exceptions_but_are_not() {
    // A number followed by a period and a space ends the sentence.
    assert_eq!(sentences("عددهم 2. وقال"), ["عددهم 2.", "وقال"]);
    // An ordinary word is not an abbreviation.
    assert_eq!(
        sentences("قال الطبيب. أحمد حضر"),
        ["قال الطبيب.", "أحمد حضر"]
    );
    // A lower-case Latin letter alone is not an initial.
    assert_eq!(sentences("plan b. Then"), ["plan b.", "Then"]);
    // A domain's final period ends the sentence.
    assert_eq!(
        sentences("الموقع aljazeera.net. انتهى"),
        ["الموقع aljazeera.net.", "انتهى"]
    );
    // A list number that does not open the line is an ordinary number.
    assert_eq!(sentences("البند 1. التالي"), ["البند 1.", "التالي"]);
    // A dot without tatweel between letters is a typo for a sentence end.
    assert_eq!(sentences("منع.ه"), ["منع.", "ه"]);
}

#[test]
fn straight_quotes_close_or_open_by_context() {
    assert_eq!(sentences("قال \"لا!\" ثم مضى"), ["قال \"لا!\"", "ثم مضى"]);
    assert_eq!(sentences("قال \"لا!\"ومضى"), ["قال \"لا!\"", "ومضى"]);
    assert_eq!(sentences("انتهى.\"لا\" قالها"), ["انتهى.", "\"لا\" قالها"]);
    assert_eq!(
        sentences("He said 'no.' Then left"),
        ["He said 'no.'", "Then left"]
    );
}

#[test]
fn a_line_break_always_ends_a_sentence() {
    for separator in [
        "\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\n\n", "\r\n\r\n",
    ] {
        let text = format!("السطر الأول بلا علامة{separator}السطر الثاني");
        assert_eq!(
            sentences(&text),
            ["السطر الأول بلا علامة", "السطر الثاني"],
            "{separator:?}"
        );
    }
    assert_eq!(sentences("قال د.\nأحمد"), ["قال د.", "أحمد"]);
}

#[test]
fn crlf_is_one_line_break() {
    let lines: Vec<_> = line_ranges("أ\r\nب\rج\n").collect();
    assert_eq!(lines, [0..2, 4..6, 7..9, 10..10]);
}

#[test]
fn title_line_is_sentence_zero_and_splits_like_any_line() {
    let text = "حراك دبلوماسي في سوريا.. ما الجديد؟\nالنص.";
    assert_eq!(
        sentences(text),
        ["حراك دبلوماسي في سوريا..", "ما الجديد؟", "النص."]
    );
}

#[test]
fn arabic_comma_semicolon_and_colons_never_end_a_sentence() {
    assert_eq!(
        sentences("أولاً، ثانياً؛ ثالثاً: رابعاً; خامساً"),
        ["أولاً، ثانياً؛ ثالثاً: رابعاً; خامساً"]
    );
}

#[test]
fn a_comma_after_the_end_mark_continues_the_sentence() {
    assert_eq!(
        sentences("قال: “لماذا؟”، ثم صمت."),
        ["قال: “لماذا؟”، ثم صمت."]
    );
    assert_eq!(
        sentences("صاحوا: كفى! ، وتفرقوا"),
        ["صاحوا: كفى! ، وتفرقوا"]
    );
    assert_eq!(sentences("إلخ.، وغيرها"), ["إلخ.، وغيرها"]);
}

#[test]
fn question_and_exclamation_before_a_letter_end_a_sentence() {
    assert_eq!(
        sentences("سيعود؟نعم!وأكد ذلك"),
        ["سيعود؟", "نعم!", "وأكد ذلك"]
    );
}

#[test]
fn leading_end_marks_open_the_sentence() {
    assert_eq!(sentences("...وقال إنه سيعود."), ["...وقال إنه سيعود."]);
    assert_eq!(sentences("… وأضاف! نعم"), ["… وأضاف!", "نعم"]);
    assert_eq!(sentences("!!!"), ["!!!"]);
}

#[test]
fn text_without_end_marks_is_one_sentence() {
    assert_eq!(sentences("  نص بلا علامات ترقيم  "), ["نص بلا علامات ترقيم"]);
}

#[test]
fn empty_and_white_space_texts_have_no_sentences() {
    assert!(sentences("").is_empty());
    assert!(sentences(" \t\n\r\n\u{A0}\u{2028} ").is_empty());
}

// ----- periods that do not end a sentence -----

#[test]
fn tatweel_dots_stay_inside_the_word() {
    let text = "ومنـ.ـعه من السقـ.ـوط عسكرياً. لن يتمكن من منـ.ـع سقوطه.";
    assert_eq!(
        sentences(text),
        ["ومنـ.ـعه من السقـ.ـوط عسكرياً.", "لن يتمكن من منـ.ـع سقوطه."]
    );
    assert_eq!(sentences("منـ.عه ومن.ـعه"), ["منـ.عه ومن.ـعه"]);
}

#[test]
fn decimals_and_dates_do_not_split() {
    assert_eq!(
        sentences("نما 2.5 بالمئة في 17.07.2020 عند 10.30 صباحاً. ثم"),
        ["نما 2.5 بالمئة في 17.07.2020 عند 10.30 صباحاً.", "ثم"]
    );
    assert_eq!(
        sentences("قيمة ٢٫٥ و٣.٧٥ في ١٧.٠٧.٢٠٢٠ و۱.۵ ثم انتهى."),
        ["قيمة ٢٫٥ و٣.٧٥ في ١٧.٠٧.٢٠٢٠ و۱.۵ ثم انتهى."]
    );
    assert_eq!(
        sentences("القرار رقم 2254. وأضاف"),
        ["القرار رقم 2254.", "وأضاف"]
    );
    assert_eq!(sentences("عام ٢٠١١. وأضاف"), ["عام ٢٠١١.", "وأضاف"]);
}

#[test]
fn arabic_abbreviations_do_not_split() {
    for abbreviation in [
        "د.", "أ.", "ا.", "م.", "ص.", "ج.", "هـ.", "ق.", "ت.", "مج.", "أ.د.", "ص.ب.",
    ] {
        let text = format!("قال {abbreviation} أحمد الحسن إنه سيحضر. ثم غادر");
        assert_eq!(
            sentences(&text),
            [
                format!("قال {abbreviation} أحمد الحسن إنه سيحضر."),
                "ثم غادر".to_owned()
            ],
            "{abbreviation}"
        );
    }
    assert_eq!(sentences("د.أحمد حضر"), ["د.أحمد حضر"]);
    assert_eq!(sentences("ع. الحسن وحده"), ["ع. الحسن وحده"]);
    // `إلخ.` is left out on purpose: it usually ends the sentence.
    assert_eq!(sentences("كتب وأقلام إلخ. ثم"), ["كتب وأقلام إلخ.", "ثم"]);
}

#[test]
fn initialisms_do_not_split() {
    assert_eq!(
        sentences("نقلت وكالة أ.ف.ب عن مصدر. ثم"),
        ["نقلت وكالة أ.ف.ب عن مصدر.", "ثم"]
    );
    assert_eq!(
        sentences("قالت و.م.ع. إن الوفد وصل"),
        ["قالت و.م.ع. إن الوفد وصل"]
    );
    assert_eq!(sentences("عام 500 ق.م وبعدها"), ["عام 500 ق.م وبعدها"]);
    assert_eq!(sentences("ص.ب 1234 عمان"), ["ص.ب 1234 عمان"]);
    assert_eq!(sentences("the U.N. said"), ["the U.N. said"]);
}

#[test]
fn asides_in_brackets_do_not_split() {
    assert_eq!(
        sentences("قال إن الانتخابات نزيهة (!) وأضاف (؟!) ثم [!] مضى."),
        ["قال إن الانتخابات نزيهة (!) وأضاف (؟!) ثم [!] مضى."]
    );
    assert_eq!(sentences("قال (نعم!) ثم مضى"), ["قال (نعم!)", "ثم مضى"]);
}

#[test]
fn latin_abbreviations_and_initials_do_not_split() {
    let text = "President George W. Bush met Mr. Smith and Dr. Jones in the U.S. on Monday. \
                He said e.g. this, i.e. that. Then left.";
    assert_eq!(
        sentences(text),
        [
            "President George W. Bush met Mr. Smith and Dr. Jones in the U.S. on Monday.",
            "He said e.g. this, i.e. that.",
            "Then left."
        ]
    );
    assert_eq!(
        sentences("التقى جورج دبليو. بوش"),
        ["التقى جورج دبليو.", "بوش"]
    );
}

#[test]
fn meem_after_a_year_ends_the_sentence() {
    assert_eq!(
        sentences("ولد عام 2011 م. ثم انتقل"),
        ["ولد عام 2011 م.", "ثم انتقل"]
    );
    assert_eq!(
        sentences("ولد عام 2011م. ثم انتقل"),
        ["ولد عام 2011م.", "ثم انتقل"]
    );
    assert_eq!(sentences("في 1442 هـ. وبعدها"), ["في 1442 هـ.", "وبعدها"]);
    assert_eq!(sentences("عام 500 ق.م. وبعدها"), ["عام 500 ق.م.", "وبعدها"]);
    assert_eq!(sentences("في 2011/2012 م. ثم"), ["في 2011/2012 م.", "ثم"]);
    assert_eq!(sentences("الساعة 10:30 ص. ثم"), ["الساعة 10:30 ص.", "ثم"]);
    // Currencies after an amount behave the same way.
    assert_eq!(sentences("بلغ 50 د.ك. وقال"), ["بلغ 50 د.ك.", "وقال"]);
    assert_eq!(sentences("بالـ د.ك. وحده"), ["بالـ د.ك. وحده"]);
}

#[test]
fn meem_before_a_name_is_an_abbreviation() {
    assert_eq!(
        sentences("وقال م. أحمد إن المشروع انتهى."),
        ["وقال م. أحمد إن المشروع انتهى."]
    );
    assert_eq!(sentences("م. أحمد حضر"), ["م. أحمد حضر"]);
}

#[test]
fn an_era_marker_followed_by_the_other_calendar_does_not_split() {
    assert_eq!(
        sentences("سنة 1442 هـ. الموافق 2021 م. وقال"),
        ["سنة 1442 هـ. الموافق 2021 م.", "وقال"]
    );
}

#[test]
fn a_period_between_arabic_letters_is_a_typo_for_a_sentence_end() {
    assert_eq!(sentences("زار الأسد.وقال إنه"), ["زار الأسد.", "وقال إنه"]);
    assert_eq!(sentences("عام 2011.وقال"), ["عام 2011.", "وقال"]);
}

#[test]
fn urls_emails_and_domains_do_not_split() {
    let text = "زوروا www.example.com/a.b?x=1 أو https://t.co/x.y!z اليوم. \
                راسلونا على info@example.org وتابعوا aljazeera.net. انتهى";
    assert_eq!(
        sentences(text),
        [
            "زوروا www.example.com/a.b?x=1 أو https://t.co/x.y!z اليوم.",
            "راسلونا على info@example.org وتابعوا aljazeera.net.",
            "انتهى"
        ]
    );
    assert_eq!(
        sentences("المصدر: http://example.com/?q=1. ثم"),
        ["المصدر: http://example.com/?q=1.", "ثم"]
    );
}

#[test]
fn a_latin_dot_before_a_letter_is_not_an_end() {
    assert_eq!(
        sentences("موقع bbc.co.uk ونسخة v2.x منه"),
        ["موقع bbc.co.uk ونسخة v2.x منه"]
    );
}

#[test]
fn numbered_list_items_keep_their_number() {
    assert_eq!(
        sentences("1. البند الأول\n2. البند الثاني. شرح"),
        ["1. البند الأول", "2. البند الثاني.", "شرح"]
    );
}

// ----- offsets -----

#[test]
fn offsets_count_code_points_and_bytes() {
    let text = "  أَهلاً! 😀 Hi.\r\nثم";
    let spans = split_sentences(text, rules());
    assert_spans_tile(text, &spans);
    assert_eq!(spans.len(), 3);
    assert_eq!((spans[0].start, spans[0].end), (2, 9));
    assert_eq!((spans[0].start_byte, spans[0].end_byte), (2, 15));
    assert_eq!(spans[1].text(text), Some("😀 Hi."));
    assert_eq!((spans[1].start, spans[1].end), (10, 15));
    assert_eq!((spans[1].start_byte, spans[1].end_byte), (16, 24));
    assert_eq!(spans[2].text(text), Some("ثم"));
    assert_eq!((spans[2].start, spans[2].end), (17, 19));
    assert_eq!(spans[2].char_len(), 2);
}

// ----- the seeds -----

#[test]
fn seed_000_sentences() {
    let found = sentences(SEED_000);
    assert_eq!(found.len(), 23);
    assert!(found[0].ends_with("بشأن بشار الأسد!"));
    assert_eq!(found[0], found[1]);
    assert_eq!(found[2], "طيف بوست – فريق التحرير");
    assert_eq!(
        found[12],
        "اقرأ أيضاً: هل ينجح بشار الأسد بالبقاء على رأس السلطة مجدداً.."
    );
    assert_eq!(found[13], "خمس نقاط أساسية تحدد مصيره ومستقبله!");
    assert!(found[14].contains("” ستيفانو ستيفانيله”، على هامش"));
    assert!(
        found[17]
            .starts_with("وذكر آنذاك أن من تمكن من تأمين الحماية لنظام الأسد ومنـ.ـعه من السقـ.ـوط")
    );
    assert!(found[17].ends_with("لن يتمكن من منـ.ـع سقوطه اقتصادياً وأمنياً في الفترة القادمة."));
    assert!(found[18].contains("رقم 2254 المتعلق"));
    assert_eq!(found[20], "هذه تفاصيلها..!");
    assert!(found[22].ends_with("بـ”بشار الأسد” ونظامه."));
}

#[test]
fn seed_001_sentences() {
    let found = sentences(SEED_001);
    assert_eq!(found.len(), 25);
    assert_eq!(
        found[0],
        "روسيا تبدي استعدادها للتعاون مع المعارضة لترسيخ الهدوء في إدلب!!"
    );
    assert_eq!(found[1], "0 701");
    assert_eq!(
        found[7],
        "اقرأ أيضاً: إدارة بايدن تحدد أخيراً رؤيتها للحل في سورية!!"
    );
    assert_eq!(found[12], "موقف المعارضة السورية من الدعوة الروسية");
    assert!(found[15].ends_with("كانت فكرة روسية”."));
    assert_eq!(
        found[21..],
        [
            "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.",
            "سنفترض أنك موافق على ذلك ، ولكن يمكنك إلغاء الاشتراك إذا كنت ترغب في ذلك.",
            "قبول قراءة المزيد",
            "سياسة الخصوصية وملفات تعريف الارتباط",
        ]
    );
}

#[test]
fn seed_002_sentences() {
    let found = sentences(SEED_002);
    assert_eq!(found.len(), 17);
    // The title's trailing no-break space is trimmed.
    assert_eq!(
        found[0],
        "بوتين يلتقي بشار الأسد ويجري اتصالات مع عدد من زعماء الدول العربية"
    );
    assert_eq!(found[1], "عواصم ـ وكالات");
    assert!(found[5].contains("مارس/آذار 2011، حيث كان زار في 20 أكتوبر/تشرين الأول 2015 موسكو"));
    assert!(found[12].contains("يومي 22 و 23 نوفمبر/تشرين الثاني الحالي."));
    assert_eq!(found[15..], ["مقالات ذات صلة", "زر الذهاب إلى الأعلى"]);
}

#[test]
fn seed_003_sentences() {
    let found = sentences(SEED_003);
    assert_eq!(found.len(), 16);
    assert!(found[2].contains("رقم 2118 و2254، إضافةً"));
    assert!(found[3].ends_with("ومكافحة الإرهاب”."));
    assert_eq!(
        found[11..],
        [
            "مقالات ذات صلة",
            "اترك تعليقاً",
            "لن يتم نشر عنوان بريدك الإلكتروني.",
            "الحقول الإلزامية مشار إليها بـ *",
            "زر الذهاب إلى الأعلى",
        ]
    );
}

#[test]
fn seed_004_sentences() {
    let found = sentences(SEED_004);
    assert_eq!(found.len(), 31);
    assert_eq!(
        found[..5],
        [
            "حراك دبلوماسي روسي مكثف للدفع بعملية التسوية السياسية في سوريا..",
            "ما الجديد؟",
            "حراك دبلوماسي روسي مكثف بشأن سوريا ..",
            "ما الجديد..؟",
            "طيف بوست – فريق التحرير",
        ]
    );
    assert!(
        found[7].contains("اليوم الجمعة 17 تموز/ يوليو، قالت فيه، إن “فيرشينين” و”بيدرسون” ناقشا")
    );
    assert_eq!(found[11], "مباحثات روسية أمريكية حول الحل في سوريا");
    assert_eq!(
        found[17],
        "اقرأ أيضاً: تدريبات عسكرية روسية مفاجئة بأمر من “بوتين”.."
    );
    assert_eq!(
        found[18],
        "والخارجية الروسية تتحدث عن توافق مع تركيا حول مستقبل سوريا"
    );
    assert_eq!(
        found[26],
        "اقرأ أيضاً: مسيرة مجهولة تستهدف اجتماعاً لقيادات روسية.."
    );
    assert_eq!(found[27], "وتركيا تراقب الوضع في إدلب عبر “Karagöz GAG”..!");
}

// ----- size and robustness -----

#[test]
fn a_five_megabyte_line_without_punctuation_is_cut_at_spaces() {
    let text = "كلمة ".repeat(600_000);
    assert!(text.len() >= 5_000_000);
    let spans = split_sentences(&text, rules());
    assert_spans_tile(&text, &spans);
    assert_eq!(spans.len(), 300, "3,000,000 characters in pieces of 10,000");
    assert!(spans.iter().all(|s| s.char_len() <= MAX_SENTENCE_CHARS));
    assert_eq!(spans[0].start, 0);
    assert_eq!(spans[299].end_byte, text.trim_end().len());
}

#[test]
fn an_overlong_sentence_without_spaces_is_cut_between_graphemes() {
    // Letters each carrying a shadda: a cut must never separate a mark from its letter.
    let text = "بّ".repeat(MAX_SENTENCE_CHARS);
    let spans = split_sentences(&text, rules());
    assert_spans_tile(&text, &spans);
    assert_eq!(spans.len(), 2);
    assert!(spans.iter().all(|s| s.char_len() <= MAX_SENTENCE_CHARS));
    assert!(spans[1].text(&text).unwrap().starts_with('ب'));
    // One grapheme longer than the limit stays whole.
    let flood = format!("ب{}", "\u{0651}".repeat(MAX_SENTENCE_CHARS + 5));
    let spans = split_sentences(&flood, rules());
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].char_len(), MAX_SENTENCE_CHARS + 6);
}

/// Strings made of the pieces segmentation cares about.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ا",
        "ل",
        "م",
        "د",
        "ه",
        "ب",
        "ق",
        "ـ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\u{2028}",
        "\u{A0}",
        "\t",
        ".",
        "..",
        "!",
        "؟",
        "?",
        "…",
        "\"",
        "'",
        "”",
        "»",
        ")",
        "(",
        "،",
        ":",
        "1",
        "2011",
        "٢",
        "٫",
        "W",
        "w",
        "x",
        "/",
        "\u{064B}",
        "\u{200B}",
        "😀",
        "د.",
        "م.",
        "هـ.",
        "ق.م.",
        "U.S.",
        "e.g.",
        "www.a.b",
        "http://a.b?c!d",
        "a@b.c",
        "الموافق",
        "منـ.ـعه",
        "2.5",
        "١٧.٠٧.٢٠٢٠",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_tile_arbitrary_text(text in any::<String>()) {
        assert_spans_tile(&text, &split_sentences(&text, rules()));
    }

    #[test]
    fn spans_tile_tricky_text(text in tricky_text()) {
        assert_spans_tile(&text, &split_sentences(&text, rules()));
    }
}

/// The lines as the first definition found them: character by character.
fn line_ranges_by_chars(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut line_start = 0;
    while let Some((index, c)) = chars.next() {
        if is_line_break(c) {
            lines.push(line_start..index);
            line_start = index + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
                chars.next();
                line_start += 1;
            }
        }
    }
    lines.push(line_start..text.len());
    lines
}

#[test]
fn every_line_break_is_found_by_the_byte_scan() {
    for text in [
        "",
        "\n",
        "\r\n\r",
        "أ\u{0085}ب\u{2028}ج\u{2029}د\u{000B}ه\u{000C}و",
        // Characters sharing a break's first byte are not breaks.
        "\u{00A0}\u{00C2}\u{2027}\u{202A}\u{2030}\u{20AC}",
        "نص\r\n\r\nنص\r",
    ] {
        assert_eq!(
            line_ranges(text).collect::<Vec<_>>(),
            line_ranges_by_chars(text),
            "{text:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_byte_scan_finds_the_same_lines(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "\n", "\r", "\r\n", "\u{0085}", "\u{2028}", "\u{2029}", "\u{000B}", "\u{000C}",
                "\u{00A0}", "\u{2027}", "\u{202A}", "ا", "a", " ", "😀", "\u{20AC}",
            ]),
            0..30,
        ),
        text in any::<String>(),
    ) {
        let joined = pieces.concat();
        prop_assert_eq!(line_ranges(&joined).collect::<Vec<_>>(), line_ranges_by_chars(&joined));
        prop_assert_eq!(line_ranges(&text).collect::<Vec<_>>(), line_ranges_by_chars(&text));
    }
}
