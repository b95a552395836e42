//! Paragraph layout: from a string to visual lines of placed runs, without egui.
//!
//! 1. Resolve bidi levels on the whole text ([`BidiText`]), one bidi paragraph per line feed.
//! 2. Classify each grapheme: text drawn with one font slot (the first face covering it,
//!    with digits, spaces and punctuation that several faces cover following the font of
//!    the surrounding strong characters), a visible marker (bidi controls, invisible format
//!    characters, characters no face has), a tab, or a hidden line feed.
//! 3. Cut each paragraph into *atoms* at line-break opportunities (UAX #14), level changes,
//!    font changes, space/non-space changes and script-direction conflicts, and measure each.
//! 4. Break lines greedily in logical order from the atom widths (spaces at the end of a
//!    line hang), breaking inside an atom only when a single atom is wider than the line.
//! 5. Per visual line: apply rule L1, cut the line into *runs* (same level, same font, same
//!    kind), shape each run, order the runs with rule L2 and place them, right-aligned for
//!    right-to-left paragraphs. Every character gets a box on its line for hit-testing.
//!
//! The renderer-specific parts (font coverage, widths, how a run is turned into the text the
//! renderer gets) live behind [`TextBackend`]; the GUI uses [`FontBackend`] (harfrust on the
//! real font bytes) and the CLI uses a one-column-per-character backend
//! ([`crate::text::plain`]), so both go through this one code path.

use std::collections::HashMap;
use std::ops::Range;

use unicode_bidi::BidiClass;
use unicode_segmentation::UnicodeSegmentation;

use crate::text::bidi::{self, BidiText, TextDirection};
use crate::text::breaking::{self, BreakBefore};
use crate::text::chars::{self, MarkerKind};
use crate::text::shaping::{FontSet, FontSlot, ShapedRun};

/// What the caller decides about a paragraph's layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutOptions {
    /// Wrap width (points for the GUI, columns for the CLI); `None`: never wrap.
    pub max_width: Option<f32>,
    /// Force the base direction of every paragraph (a per-project override); `None`: from
    /// the text (first strong character, LTR when there is none).
    pub direction: Option<TextDirection>,
    /// End a line after hard line-break characters (U+2028, VT, FF).
    pub hard_breaks: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            max_width: None,
            direction: None,
            hard_breaks: true,
        }
    }
}

/// How a run's characters are reversed when it must be handed to the renderer backwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisplayUnit {
    /// Whole grapheme clusters (a shaping renderer: marks stay after their base).
    Graphemes,
    /// Single code points (plain visual-order text, as ICU writes it).
    CodePoints,
}

/// Vertical metrics of a line, in the backend's units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineMetrics {
    pub ascent: f32,
    pub descent: f32,
    /// Extra space below each line.
    pub gap: f32,
}

/// What layout needs to know about the renderer.
pub trait TextBackend {
    /// Bit mask of the font slots that can draw `c` (bit `k` = `FontSlot(k)`); 0 if none.
    fn coverage(&self, c: char) -> u32;
    /// Slot for characters several slots cover when no strong character decides.
    fn default_slot(&mut self, direction: TextDirection) -> FontSlot;
    /// The direction of `c`'s script as the renderer will guess it; `None` for neutral
    /// characters. A run never mixes characters of both directions.
    fn script_direction(&mut self, c: char) -> Option<TextDirection>;
    /// How reversed runs are reversed.
    fn display_unit(&self) -> DisplayUnit;
    /// Width of already-transformed display text in `slot`; `logical` holds the same
    /// characters in logical order (for backends that count characters).
    fn width(&mut self, slot: FontSlot, display: &str, logical: &str) -> f32;
    /// Shapes display text: width and clusters left to right.
    fn shape(&mut self, slot: FontSlot, display: &str, logical: &str) -> ShapedRun;
    /// Width of a marker tag showing `label`.
    fn marker_width(&mut self, label: &str) -> f32;
    /// What a tab is drawn as.
    fn tab_display(&self) -> &'static str;
    fn line_metrics(&mut self) -> LineMetrics;
}

/// What a run draws.
#[derive(Clone, Debug, PartialEq)]
pub enum RunKind {
    /// Shaped text in one font; [`VisualRun::display`] is what to hand to the renderer.
    Text { slot: FontSlot },
    /// A visible tag for an invisible or undrawable character.
    Marker { kind: MarkerKind, label: String },
    /// A tab (drawn as blank space).
    Tab { slot: FontSlot },
}

/// A single-font, single-direction piece of a visual line.
#[derive(Clone, Debug, PartialEq)]
pub struct VisualRun {
    /// Logical characters (code-point indices into the text).
    pub chars: Range<usize>,
    /// Embedding level after rule L1 (odd: displayed right to left).
    pub level: u8,
    pub kind: RunKind,
    /// Left edge, from the layout's left edge.
    pub x: f32,
    pub width: f32,
    /// The text to give the renderer so that it draws this run correctly: reversed by
    /// graphemes when the renderer's guessed direction differs from the run's, mirrored so
    /// the final glyph is mirrored exactly when the level is odd.
    pub display: String,
}

/// One visual line.
#[derive(Clone, Debug, PartialEq)]
pub struct VisualLine {
    /// Logical characters of the line, including a trailing line feed.
    pub chars: Range<usize>,
    pub direction: TextDirection,
    pub top: f32,
    pub height: f32,
    /// Baseline, from the layout's top.
    pub baseline: f32,
    /// Runs left to right.
    pub runs: Vec<VisualRun>,
    /// The line's visible characters left to right (hit-testing).
    pub visual_chars: Vec<usize>,
    /// Left and right edge of what the line draws.
    pub left: f32,
    pub right: f32,
}

/// Where one logical character is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    pub line: usize,
    pub x0: f32,
    pub x1: f32,
    /// Displayed right to left (its caret goes on its right edge).
    pub rtl: bool,
}

/// A laid-out paragraph (possibly several bidi paragraphs separated by line feeds).
#[derive(Clone, Debug)]
pub struct ParagraphLayout {
    pub(crate) text: String,
    pub(crate) chars: Vec<char>,
    pub(crate) grapheme_start: Vec<bool>,
    pub(crate) lines: Vec<VisualLine>,
    pub(crate) boxes: Vec<CharBox>,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

impl ParagraphLayout {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of code points.
    pub fn char_count(&self) -> usize {
        self.chars.len()
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn lines(&self) -> &[VisualLine] {
        &self.lines
    }

    /// Where character `index` is drawn.
    pub fn char_box(&self, index: usize) -> Option<CharBox> {
        self.boxes.get(index).copied()
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    /// Is a caret allowed before character `index` without splitting a grapheme?
    pub fn is_grapheme_boundary(&self, index: usize) -> bool {
        index >= self.chars.len() || self.grapheme_start.get(index).copied().unwrap_or(true)
    }

    /// The text of each visual line in visual order, as plain characters: runs left to
    /// right, each run's characters in display order (what the CLI prints).
    pub fn visual_strings(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|line| line.runs.iter().map(|r| r.display.as_str()).collect())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------

/// Per-grapheme classification.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Text(FontSlot),
    Marker(MarkerKind, String),
    Tab(FontSlot),
    Hidden,
}

impl Kind {
    fn is_marker(&self) -> bool {
        matches!(self, Self::Marker(..))
    }
}

/// A measured, unbreakable piece of a paragraph (for line fitting only).
#[derive(Clone, Debug)]
struct Atom {
    chars: Range<usize>,
    width: f32,
    /// Only hanging spaces (they do not count when fitting a line).
    is_space: bool,
    break_before: BreakBefore,
}

struct Analysis<'a> {
    bidi: BidiText,
    grapheme_start: Vec<bool>,
    /// Kind of each character (a grapheme's extenders share its kind).
    kinds: Vec<Kind>,
    /// Script direction of each character as the renderer sees it.
    script_dirs: Vec<Option<TextDirection>>,
    text: &'a str,
    char_byte: Vec<usize>,
}

/// Lays out `text`. Never panics; cost is linear in the text length (plus shaping).
pub fn layout_paragraph(
    text: &str,
    options: &LayoutOptions,
    backend: &mut dyn TextBackend,
) -> ParagraphLayout {
    let analysis = analyze(text, options, backend);
    let max_width = options
        .max_width
        .filter(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(f32::INFINITY);
    let metrics = backend.line_metrics();

    let mut lines: Vec<VisualLine> = Vec::new();
    let mut boxes = vec![
        CharBox {
            line: 0,
            x0: 0.0,
            x1: 0.0,
            rtl: false,
        };
        analysis.bidi.chars.len()
    ];
    let paragraphs = analysis.bidi.paragraphs.clone();
    for paragraph in &paragraphs {
        let atoms = make_atoms(&analysis, paragraph, options, backend);
        let ranges = fit_lines(&analysis, paragraph, atoms, max_width, backend);
        for range in ranges {
            let line = build_line(
                &analysis,
                paragraph,
                range,
                max_width,
                lines.len(),
                &mut boxes,
                backend,
            );
            lines.push(line);
        }
    }

    // Vertical placement.
    let line_height = (metrics.ascent + metrics.descent + metrics.gap).max(1.0);
    for (i, line) in lines.iter_mut().enumerate() {
        line.top = i as f32 * line_height;
        line.height = line_height;
        line.baseline = line.top + metrics.gap * 0.5 + metrics.ascent;
    }

    // Horizontal alignment: right-to-left lines are right-aligned.
    let natural = lines
        .iter()
        .map(|l| l.right - l.left)
        .fold(0.0f32, f32::max);
    let width = if max_width.is_finite() {
        max_width
    } else {
        natural
    };
    for line in &mut lines {
        let shift = if line.direction.is_rtl() {
            width - (line.right - line.left)
        } else {
            0.0
        };
        if shift != 0.0 {
            for run in &mut line.runs {
                run.x += shift;
            }
            line.left += shift;
            line.right += shift;
            for b in &mut boxes[line.chars.clone()] {
                b.x0 += shift;
                b.x1 += shift;
            }
        }
    }

    let height = lines.len() as f32 * line_height;
    ParagraphLayout {
        text: text.to_owned(),
        chars: analysis.bidi.chars,
        grapheme_start: analysis.grapheme_start,
        lines,
        boxes,
        width,
        height,
    }
}

fn analyze<'a>(
    text: &'a str,
    options: &LayoutOptions,
    backend: &mut dyn TextBackend,
) -> Analysis<'a> {
    let bidi = BidiText::analyze(text, options.direction);
    let n = bidi.chars.len();
    let char_byte: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let grapheme_start = grapheme_starts(text, &bidi, &char_byte);

    // Kinds per grapheme, with font slots resolved by context.
    let mut kinds = vec![Kind::Hidden; n];
    let mut script_dirs = vec![None; n];
    let mut caches = BackendCaches::default();
    for paragraph in &bidi.paragraphs {
        let range = paragraph.chars.clone();
        let default_slot = backend.default_slot(paragraph.direction());
        let masks = classify_graphemes(
            &bidi,
            &grapheme_start,
            range.clone(),
            default_slot,
            &mut kinds,
            &mut script_dirs,
            &mut caches,
            backend,
        );
        resolve_slots(&bidi, &masks, default_slot, &mut kinds);
        // Tabs use the font around them.
        for k in range {
            if let Kind::Tab(_) = kinds[k] {
                kinds[k] = Kind::Tab(default_slot);
            }
        }
    }

    Analysis {
        bidi,
        grapheme_start,
        kinds,
        script_dirs,
        text,
        char_byte,
    }
}

/// Grapheme starts of `text` per character; markers, tabs, invisible line ends and
/// paragraph boundaries are always grapheme boundaries.
fn grapheme_starts(text: &str, bidi: &BidiText, char_byte: &[usize]) -> Vec<bool> {
    let n = bidi.chars.len();
    let mut grapheme_start = vec![false; n];
    let mut byte_to_char = HashMap::with_capacity(n);
    for (i, &b) in char_byte.iter().enumerate().take(n) {
        byte_to_char.insert(b, i);
    }
    for (b, _) in text.grapheme_indices(true) {
        if let Some(&i) = byte_to_char.get(&b) {
            grapheme_start[i] = true;
        }
    }
    for i in 0..n {
        let c = bidi.chars[i];
        if chars::marker_info(c).is_some() || chars::is_invisible_line_end(c) || c == '\t' {
            grapheme_start[i] = true;
            if i + 1 < n {
                grapheme_start[i + 1] = true;
            }
        }
    }
    // Paragraph boundaries are grapheme boundaries too.
    for p in &bidi.paragraphs {
        if p.chars.start < n {
            grapheme_start[p.chars.start] = true;
        }
        if p.content_end < n {
            grapheme_start[p.content_end] = true;
        }
    }
    grapheme_start
}

/// What the backend said about each character, asked once per layout.
#[derive(Default)]
struct BackendCaches {
    script: HashMap<char, Option<TextDirection>>,
    coverage: HashMap<char, u32>,
}

/// A text grapheme whose face is still to choose: start, end, mask of the slots covering
/// its base character.
type GraphemeMask = (usize, usize, u32);

/// Sets the kind and script direction of every character of the paragraph `range`
/// (text graphemes provisionally in `default_slot`); returns the text graphemes with the
/// slots that cover them.
#[allow(
    clippy::too_many_arguments,
    reason = "one pass filling the analysis' parallel arrays"
)]
fn classify_graphemes(
    bidi: &BidiText,
    grapheme_start: &[bool],
    range: Range<usize>,
    default_slot: FontSlot,
    kinds: &mut [Kind],
    script_dirs: &mut [Option<TextDirection>],
    caches: &mut BackendCaches,
    backend: &mut dyn TextBackend,
) -> Vec<GraphemeMask> {
    let mut masks: Vec<GraphemeMask> = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let mut end = i + 1;
        while end < range.end && !grapheme_start[end] {
            end += 1;
        }
        let base = bidi.chars[i];
        let kind = if chars::is_invisible_line_end(base) {
            Kind::Hidden
        } else if let Some(info) = chars::marker_info(base) {
            Kind::Marker(info.kind, info.short.to_owned())
        } else if base == '\t' {
            Kind::Tab(default_slot)
        } else {
            let mask = *caches
                .coverage
                .entry(base)
                .or_insert_with(|| backend.coverage(base));
            if mask == 0 {
                Kind::Marker(MarkerKind::Missing, chars::missing_label(base))
            } else {
                masks.push((i, end, mask));
                Kind::Text(default_slot)
            }
        };
        for k in i..end {
            kinds[k] = kind.clone();
            let c = bidi.chars[k];
            script_dirs[k] = *caches
                .script
                .entry(c)
                .or_insert_with(|| backend.script_direction(c));
        }
        i = end;
    }
    masks
}

/// Slot resolution. A grapheme only one face covers takes it. Digits, spaces and
/// punctuation that several faces cover take the face of the nearest strong character in
/// the same level run (before, then after), else that of the last strong character, else
/// the paragraph's default.
fn resolve_slots(
    bidi: &BidiText,
    masks: &[GraphemeMask],
    default_slot: FontSlot,
    kinds: &mut [Kind],
) {
    let is_strong =
        |i: usize| matches!(bidi.classes[i], BidiClass::L | BidiClass::R | BidiClass::AL);
    let pick = |mask: u32, preferred: FontSlot| -> FontSlot {
        if mask & (1 << preferred.0) != 0 {
            preferred
        } else {
            FontSlot(mask.trailing_zeros().min(31) as u8)
        }
    };
    let has = |mask: u32, slot: FontSlot| mask & (1u32 << u32::from(slot.0).min(31)) != 0;
    let strong_slot: Vec<Option<FontSlot>> = masks
        .iter()
        .map(|&(start, _, mask)| is_strong(start).then(|| pick(mask, default_slot)))
        .collect();
    // Nearest strong slot after each grapheme within its level run.
    let mut next_strong: Vec<Option<FontSlot>> = vec![None; masks.len()];
    let mut carry: Option<(FontSlot, u8)> = None;
    for g in (0..masks.len()).rev() {
        let level = bidi.levels[masks[g].0];
        next_strong[g] = carry.filter(|&(_, l)| l == level).map(|(s, _)| s);
        if let Some(slot) = strong_slot[g] {
            carry = Some((slot, level));
        }
    }
    let mut context = strong_slot
        .iter()
        .flatten()
        .next()
        .copied()
        .unwrap_or(default_slot);
    let mut previous: Option<(FontSlot, u8)> = None;
    for (g, &(start, end, mask)) in masks.iter().enumerate() {
        let level = bidi.levels[start];
        let slot = if let Some(slot) = strong_slot[g] {
            context = slot;
            previous = Some((slot, level));
            slot
        } else {
            let before = previous
                .filter(|&(s, l)| l == level && has(mask, s))
                .map(|(s, _)| s);
            let after = next_strong[g].filter(|&s| has(mask, s));
            before.or(after).unwrap_or_else(|| pick(mask, context))
        };
        if previous.is_some_and(|(_, l)| l != level) {
            previous = None;
        }
        for kind in &mut kinds[start..end] {
            *kind = Kind::Text(slot);
        }
    }
}

/// Turns logical characters `range` (all at `level`) into the text the renderer gets.
/// Returns the display text and, per display character, the logical index it shows
/// (`usize::MAX` for inserted characters).
pub(crate) fn display_text(
    bidi: &BidiText,
    grapheme_start: &[bool],
    range: Range<usize>,
    level: u8,
    renderer: TextDirection,
    unit: DisplayUnit,
    can_mirror: &dyn Fn(char) -> bool,
) -> (String, Vec<usize>) {
    let (chars, classes) = (&bidi.chars, &bidi.classes);
    let odd = level % 2 == 1;
    let reverse = odd != renderer.is_rtl();
    let mirror = odd != renderer.is_rtl();
    let separate_letters = !odd && renderer.is_rtl();

    // Units: graphemes clipped to the range, or code points.
    let mut units: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        let boundary = match unit {
            DisplayUnit::Graphemes => grapheme_start.get(i).copied().unwrap_or(true),
            DisplayUnit::CodePoints => true,
        };
        if i > start && boundary {
            units.push(start..i);
            start = i;
        }
    }
    if start < range.end {
        units.push(start..range.end);
    }
    if reverse {
        units.reverse();
    }

    let mut text = String::with_capacity(range.len() * 2);
    let mut map = Vec::with_capacity(range.len());
    let is_letter = |i: usize| matches!(classes.get(i), Some(BidiClass::R | BidiClass::AL));
    let mut previous_letter = false;
    for unit in units {
        let letter = is_letter(unit.start);
        if separate_letters && previous_letter && letter {
            // Letters of a right-to-left script shown left to right (under LRO): keep
            // harfrust from joining them backwards.
            text.push('\u{200C}');
            map.push(usize::MAX);
        }
        previous_letter = letter;
        for i in unit {
            let c = chars[i];
            let shown = if mirror {
                bidi::mirrored(c).filter(|&m| can_mirror(m)).unwrap_or(c)
            } else {
                c
            };
            text.push(shown);
            map.push(i);
        }
    }
    (text, map)
}

fn renderer_direction(dirs: &[Option<TextDirection>]) -> TextDirection {
    dirs.iter()
        .flatten()
        .next()
        .copied()
        .unwrap_or(TextDirection::Ltr)
}

fn make_atoms(
    a: &Analysis<'_>,
    paragraph: &bidi::BidiParagraph,
    options: &LayoutOptions,
    backend: &mut dyn TextBackend,
) -> Vec<Atom> {
    const MAX_ATOM_GRAPHEMES: usize = 48;
    let content = paragraph.chars.start..paragraph.content_end;
    let content_text = &a.text[a.char_byte[content.start]..a.char_byte[content.end]];
    let breaks = breaking::break_opportunities(content_text, &a.grapheme_start[content.clone()]);

    let mut atoms: Vec<Atom> = Vec::new();
    let mut start = content.start;
    let mut graphemes = 0usize;
    let mut script: Option<TextDirection> = None;
    for i in content.clone() {
        let at_grapheme = a.grapheme_start[i];
        if at_grapheme {
            graphemes += 1;
        }
        if i > start {
            let previous = i - 1;
            let mut break_before = breaks[i - content.start];
            if break_before == BreakBefore::Mandatory && !options.hard_breaks {
                break_before = BreakBefore::Allowed;
            }
            let script_conflict =
                matches!((script, a.script_dirs[i]), (Some(s), Some(d)) if s != d);
            let split = break_before != BreakBefore::Never
                || a.bidi.levels[i] != a.bidi.levels[previous]
                || (at_grapheme && a.kinds[i] != a.kinds[previous])
                || (at_grapheme && (a.kinds[i].is_marker() || a.kinds[previous].is_marker()))
                || chars::is_hanging_space(a.bidi.chars[i])
                    != chars::is_hanging_space(a.bidi.chars[previous])
                || script_conflict
                || (at_grapheme && graphemes > MAX_ATOM_GRAPHEMES);
            if split {
                atoms.push(measure_atom(a, start..i, backend));
                start = i;
                graphemes = usize::from(at_grapheme);
                script = None;
            }
        }
        if script.is_none() {
            script = a.script_dirs[i];
        }
    }
    if start < content.end {
        atoms.push(measure_atom(a, start..content.end, backend));
    }
    for atom in &mut atoms {
        let b = breaks[atom.chars.start - content.start];
        atom.break_before = if b == BreakBefore::Mandatory && !options.hard_breaks {
            BreakBefore::Allowed
        } else {
            b
        };
    }
    atoms
}

fn measure_atom(a: &Analysis<'_>, chars: Range<usize>, backend: &mut dyn TextBackend) -> Atom {
    let width = measure_range(a, chars.clone(), backend);
    let is_space = chars
        .clone()
        .all(|i| chars::is_hanging_space(a.bidi.chars[i]));
    Atom {
        chars,
        width,
        is_space,
        break_before: BreakBefore::Never,
    }
}

/// Width of logical characters that share one kind and one level.
fn measure_range(a: &Analysis<'_>, chars: Range<usize>, backend: &mut dyn TextBackend) -> f32 {
    let Some(first) = chars.clone().next() else {
        return 0.0;
    };
    match &a.kinds[first] {
        Kind::Hidden => 0.0,
        Kind::Marker(_, label) => backend.marker_width(label),
        Kind::Tab(slot) => {
            let tab = backend.tab_display();
            backend.width(*slot, tab, tab) * chars.len() as f32
        }
        Kind::Text(slot) => {
            let slot = *slot;
            let (display, _) = display_text(
                &a.bidi,
                &a.grapheme_start,
                chars.clone(),
                a.bidi.levels[first],
                renderer_direction(&a.script_dirs[chars.clone()]),
                backend.display_unit(),
                &|m| slot_covers(&*backend, slot, m),
            );
            let logical: String = a.bidi.chars[chars].iter().collect();
            backend.width(slot, &display, &logical)
        }
    }
}

/// Whether `slot` can draw `m` (a character is only mirrored into a glyph the font has).
fn slot_covers(backend: &dyn TextBackend, slot: FontSlot, m: char) -> bool {
    backend.coverage(m) & (1u32 << u32::from(slot.0).min(31)) != 0
}

/// Greedy line fitting in logical order. Returns the lines' character ranges; the last
/// line of the paragraph includes its separator.
fn fit_lines(
    a: &Analysis<'_>,
    paragraph: &bidi::BidiParagraph,
    mut atoms: Vec<Atom>,
    max_width: f32,
    backend: &mut dyn TextBackend,
) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut line_start = paragraph.chars.start;
    let mut line_width = 0.0f32;
    let mut line_empty = true;

    let mut i = 0;
    while i < atoms.len() {
        // The segment: atoms up to the next break opportunity.
        let mut j = i + 1;
        while j < atoms.len() && atoms[j].break_before == BreakBefore::Never {
            j += 1;
        }
        if atoms[i].break_before == BreakBefore::Mandatory && !line_empty {
            lines.push(line_start..atoms[i].chars.start);
            line_start = atoms[i].chars.start;
            line_width = 0.0;
            line_empty = true;
        }
        let content_end = atoms[i..j]
            .iter()
            .rposition(|t| !t.is_space)
            .map_or(i, |p| i + p + 1);
        let content: f32 = atoms[i..content_end].iter().map(|t| t.width).sum();
        let full: f32 = atoms[i..j].iter().map(|t| t.width).sum();
        if !line_empty && line_width + content > max_width {
            lines.push(line_start..atoms[i].chars.start);
            line_start = atoms[i].chars.start;
            line_width = 0.0;
            line_empty = true;
        }
        if line_empty && content > max_width {
            // A single segment wider than the line: break between its atoms, and inside an
            // atom wider than the line.
            let mut k = i;
            while k < j {
                let atom_width = atoms[k].width;
                if !line_empty && !atoms[k].is_space && line_width + atom_width > max_width {
                    lines.push(line_start..atoms[k].chars.start);
                    line_start = atoms[k].chars.start;
                    line_width = 0.0;
                    line_empty = true;
                }
                if line_empty
                    && !atoms[k].is_space
                    && atom_width > max_width
                    && let Some(split) = split_atom(a, &atoms[k], max_width, backend)
                {
                    let tail = Atom {
                        chars: split..atoms[k].chars.end,
                        width: measure_range(a, split..atoms[k].chars.end, backend),
                        is_space: false,
                        break_before: BreakBefore::Never,
                    };
                    atoms[k].chars.end = split;
                    lines.push(line_start..split);
                    line_start = split;
                    line_width = 0.0;
                    line_empty = true;
                    atoms.insert(k + 1, tail);
                    j += 1;
                    k += 1;
                    continue;
                }
                line_width += atom_width;
                line_empty = false;
                k += 1;
            }
        } else {
            line_width += full;
            line_empty = false;
        }
        i = j;
    }
    lines.push(line_start..paragraph.chars.end);
    lines
}

/// Where to cut an atom wider than `max_width`: after the longest grapheme prefix that fits
/// (at least one grapheme). `None` when the atom is a single grapheme.
fn split_atom(
    a: &Analysis<'_>,
    atom: &Atom,
    max_width: f32,
    backend: &mut dyn TextBackend,
) -> Option<usize> {
    let bounds: Vec<usize> = atom
        .chars
        .clone()
        .skip(1)
        .filter(|&i| a.grapheme_start[i])
        .collect();
    if bounds.is_empty() {
        return None;
    }
    // Largest prefix end that fits, by binary search over grapheme boundaries.
    let (mut lo, mut hi) = (0usize, bounds.len()); // bounds[..lo] fit; answer in [lo, hi]
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let end = bounds[mid - 1];
        if measure_range(a, atom.chars.start..end, backend) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(if lo == 0 { bounds[0] } else { bounds[lo - 1] })
}

/// Horizontal span of each logical character of a run, inside the run.
type RunSpans = Vec<(f32, f32)>;

/// Cuts one line into runs, orders and places them, and fills the characters' boxes.
fn build_line(
    a: &Analysis<'_>,
    paragraph: &bidi::BidiParagraph,
    range: Range<usize>,
    max_width: f32,
    line_index: usize,
    boxes: &mut [CharBox],
    backend: &mut dyn TextBackend,
) -> VisualLine {
    let levels = a.bidi.line_levels(paragraph.level, range.clone());
    let hang_start = hanging_start(a, range.clone());
    let run_ranges = logical_runs(a, range.clone(), &levels, hang_start);

    // Shape runs.
    let mut runs: Vec<VisualRun> = Vec::with_capacity(run_ranges.len());
    let mut spans: Vec<RunSpans> = Vec::with_capacity(run_ranges.len());
    for chars in run_ranges {
        let level = levels[chars.start - range.start];
        let (run, run_spans) = shape_run(a, chars, level, backend);
        runs.push(run);
        spans.push(run_spans);
    }

    // Hanging spaces may not push the line past the wrap width.
    if max_width.is_finite() {
        squeeze_hanging(&mut runs, &mut spans, hang_start, max_width);
    }

    let (placed, visual_chars, right) = place_runs(&runs, &spans, range.len(), line_index, boxes);

    // Hidden characters (line feeds) sit at the line's logical end.
    let rtl_line = paragraph.level % 2 == 1;
    let end_x = if rtl_line { 0.0 } else { right };
    for i in range.clone() {
        if a.kinds[i] == Kind::Hidden {
            boxes[i] = CharBox {
                line: line_index,
                x0: end_x,
                x1: end_x,
                rtl: rtl_line,
            };
        }
    }

    VisualLine {
        chars: range,
        direction: paragraph.direction(),
        top: 0.0,
        height: 0.0,
        baseline: 0.0,
        runs: placed,
        visual_chars,
        left: 0.0,
        right,
    }
}

/// Start of the characters hanging at the line's logical end (spaces and hidden line
/// feeds); `range.end` if none.
fn hanging_start(a: &Analysis<'_>, range: Range<usize>) -> usize {
    let mut hang_start = range.end;
    while hang_start > range.start {
        let c = a.bidi.chars[hang_start - 1];
        if chars::is_hanging_space(c) || a.kinds[hang_start - 1] == Kind::Hidden {
            hang_start -= 1;
        } else {
            break;
        }
    }
    hang_start
}

/// The line's runs in logical order: cut where the level, the kind (at a grapheme
/// boundary), the script direction or the hanging part changes; hidden characters belong
/// to no run. `levels` are the line's levels, from `range.start`.
fn logical_runs(
    a: &Analysis<'_>,
    range: Range<usize>,
    levels: &[u8],
    hang_start: usize,
) -> Vec<Range<usize>> {
    let level_of = |i: usize| levels[i - range.start];
    let mut run_ranges: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    let mut script: Option<TextDirection> = None;
    let mut i = range.start;
    while i < range.end {
        if a.kinds[i] == Kind::Hidden {
            if start < i {
                run_ranges.push(start..i);
            }
            start = i + 1;
            script = None;
            i += 1;
            continue;
        }
        if i > start {
            let at_grapheme = a.grapheme_start[i];
            let split = level_of(i) != level_of(i - 1)
                || (at_grapheme && a.kinds[i] != a.kinds[i - 1])
                || (at_grapheme && (a.kinds[i].is_marker() || a.kinds[i - 1].is_marker()))
                || (i == hang_start)
                || matches!((script, a.script_dirs[i]), (Some(s), Some(d)) if s != d);
            if split {
                run_ranges.push(start..i);
                start = i;
                script = None;
            }
        }
        if script.is_none() {
            script = a.script_dirs[i];
        }
        i += 1;
    }
    if start < range.end {
        run_ranges.push(start..range.end);
    }
    run_ranges
}

/// Shapes (or measures) one run at `level`: the run, not yet placed, and its characters'
/// spans.
fn shape_run(
    a: &Analysis<'_>,
    chars: Range<usize>,
    level: u8,
    backend: &mut dyn TextBackend,
) -> (VisualRun, RunSpans) {
    let rtl = level % 2 == 1;
    let (kind, display, width, run_spans) = match &a.kinds[chars.start] {
        Kind::Marker(kind, label) => {
            let width = backend.marker_width(label);
            let text: String = a.bidi.chars[chars.clone()].iter().collect();
            let spans = even_spans(chars.len(), 0.0, width, rtl);
            (
                RunKind::Marker {
                    kind: *kind,
                    label: label.clone(),
                },
                text,
                width,
                spans,
            )
        }
        Kind::Tab(slot) => {
            let tab = backend.tab_display();
            let one = backend.width(*slot, tab, tab);
            let width = one * chars.len() as f32;
            let spans = even_spans(chars.len(), 0.0, width, rtl);
            (
                RunKind::Tab { slot: *slot },
                tab.repeat(chars.len()),
                width,
                spans,
            )
        }
        Kind::Text(slot) => {
            let slot = *slot;
            let renderer = renderer_direction(&a.script_dirs[chars.clone()]);
            let (display, map) = display_text(
                &a.bidi,
                &a.grapheme_start,
                chars.clone(),
                level,
                renderer,
                backend.display_unit(),
                &|m| slot_covers(&*backend, slot, m),
            );
            let logical: String = a.bidi.chars[chars.clone()].iter().collect();
            let shaped = backend.shape(slot, &display, &logical);
            let spans = cluster_spans(a, chars.clone(), &display, &map, &shaped, rtl);
            (RunKind::Text { slot }, display, shaped.width, spans)
        }
        Kind::Hidden => (
            RunKind::Text { slot: FontSlot(0) },
            String::new(),
            0.0,
            vec![(0.0, 0.0); chars.len()],
        ),
    };
    let run = VisualRun {
        chars,
        level,
        kind,
        x: 0.0,
        width,
        display,
    };
    (run, run_spans)
}

/// Narrows the hanging runs (from the line's logical end) so that the line is no wider
/// than `max_width`.
fn squeeze_hanging(
    runs: &mut [VisualRun],
    spans: &mut [RunSpans],
    hang_start: usize,
    max_width: f32,
) {
    let total: f32 = runs.iter().map(|r| r.width).sum();
    let mut excess = total - max_width;
    if excess <= 0.0 {
        return;
    }
    for (run, run_spans) in runs.iter_mut().zip(spans.iter_mut()).rev() {
        if excess <= 0.0 || run.chars.start < hang_start {
            break;
        }
        let new_width = (run.width - excess).max(0.0);
        let factor = if run.width > 0.0 {
            new_width / run.width
        } else {
            0.0
        };
        excess -= run.width - new_width;
        run.width = new_width;
        for s in run_spans.iter_mut() {
            *s = (s.0 * factor, s.1 * factor);
        }
    }
}

/// Rule L2 over the runs, then places them left to right and fills their characters'
/// boxes. Returns the placed runs, the visible characters left to right and the line's
/// right edge.
fn place_runs(
    runs: &[VisualRun],
    spans: &[RunSpans],
    char_count: usize,
    line_index: usize,
    boxes: &mut [CharBox],
) -> (Vec<VisualRun>, Vec<usize>, f32) {
    let run_levels: Vec<u8> = runs.iter().map(|r| r.level).collect();
    let order = bidi::visual_order(&run_levels);
    let mut x = 0.0f32;
    let mut placed: Vec<VisualRun> = Vec::with_capacity(runs.len());
    let mut visual_chars: Vec<usize> = Vec::with_capacity(char_count);
    for &r in &order {
        let mut run = runs[r].clone();
        run.x = x;
        let rtl = run.level % 2 == 1;
        let mut in_run: Vec<usize> = Vec::with_capacity(run.chars.len());
        for (k, i) in run.chars.clone().enumerate() {
            let (x0, x1) = spans[r].get(k).copied().unwrap_or((0.0, 0.0));
            boxes[i] = CharBox {
                line: line_index,
                x0: x + x0,
                x1: x + x1,
                rtl,
            };
            in_run.push(i);
        }
        in_run.sort_by(|&p, &q| {
            let (bp, bq) = (boxes[p], boxes[q]);
            bp.x0
                .total_cmp(&bq.x0)
                .then(bp.x1.total_cmp(&bq.x1))
                .then(if rtl { q.cmp(&p) } else { p.cmp(&q) })
        });
        visual_chars.extend(in_run);
        x += run.width;
        placed.push(run);
    }
    (placed, visual_chars, x)
}

/// `count` equal spans over `[x0, x1]`, the first logical one on the right when `rtl`.
fn even_spans(count: usize, x0: f32, x1: f32, rtl: bool) -> Vec<(f32, f32)> {
    let step = if count == 0 {
        0.0
    } else {
        (x1 - x0) / count as f32
    };
    (0..count)
        .map(|k| {
            let slot = if rtl { count - 1 - k } else { k };
            let left = x0 + step * slot as f32;
            (left, left + step)
        })
        .collect()
}

/// Per logical character of a text run, its horizontal span inside the run, from the
/// shaped clusters: a cluster's width is shared equally by its graphemes (ligatures such
/// as lam-alef), and a grapheme's share equally by its code points (letter + harakat), in
/// display order.
fn cluster_spans(
    a: &Analysis<'_>,
    chars: Range<usize>,
    display: &str,
    map: &[usize],
    shaped: &ShapedRun,
    rtl: bool,
) -> Vec<(f32, f32)> {
    let count = chars.len();
    let mut spans: Vec<Option<(f32, f32)>> = vec![None; count];
    // Display byte → display char index.
    let mut char_at_byte = vec![usize::MAX; display.len() + 1];
    for (k, (b, _)) in display.char_indices().enumerate() {
        char_at_byte[b] = k;
    }
    let mut members: Vec<usize> = Vec::new();
    for cluster in &shaped.clusters {
        members.clear();
        for b in cluster.bytes.clone() {
            let Some(&k) = char_at_byte.get(b) else {
                continue;
            };
            if k == usize::MAX {
                continue;
            }
            if let Some(&logical) = map.get(k)
                && logical != usize::MAX
                && chars.contains(&logical)
            {
                members.push(logical);
            }
        }
        if members.is_empty() {
            continue;
        }
        members.sort_unstable();
        members.dedup();
        // Graphemes within the cluster.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for &m in &members {
            let new_group = match groups.last().and_then(|g| g.last()) {
                Some(&prev) => prev + 1 != m || a.grapheme_start[m],
                None => true,
            };
            if new_group {
                groups.push(vec![m]);
            } else if let Some(g) = groups.last_mut() {
                g.push(m);
            }
        }
        let group_spans = even_spans(groups.len(), cluster.x0, cluster.x1, rtl);
        for (group, (g0, g1)) in groups.iter().zip(group_spans) {
            for (&m, (c0, c1)) in group.iter().zip(even_spans(group.len(), g0, g1, rtl)) {
                let slot = &mut spans[m - chars.start];
                *slot = Some(match *slot {
                    Some((p0, p1)) => (p0.min(c0), p1.max(c1)),
                    None => (c0, c1),
                });
            }
        }
    }
    // Characters the shaper dropped: a zero-width span after the previous character.
    let mut result = Vec::with_capacity(count);
    let mut edge = if rtl { shaped.width } else { 0.0 };
    for span in spans {
        let s = span.unwrap_or((edge, edge));
        edge = if rtl { s.0 } else { s.1 };
        result.push(s);
    }
    result
}

// ---------------------------------------------------------------------------------------------

/// The GUI backend: harfrust on the real font bytes, so widths and cluster positions are
/// those of the galleys epaint draws.
pub struct FontBackend<'a> {
    fonts: &'a FontSet,
    font_size: f32,
    /// Slot whose face draws marker labels (a Latin face).
    marker_slot: FontSlot,
    /// Preferred slot for right-to-left and left-to-right context.
    rtl_slot: FontSlot,
    ltr_slot: FontSlot,
    widths: &'a mut WidthCache,
}

/// Marker tags are drawn at this fraction of the font size…
pub const MARKER_FONT_SCALE: f32 = 0.5;
/// …with this padding (in font sizes) on each side.
pub const MARKER_PADDING: f32 = 0.15;

/// Remembers measured widths across layouts (words repeat a lot).
#[derive(Debug, Default)]
pub struct WidthCache {
    map: HashMap<(FontSlot, u32, String), f32>,
}

impl WidthCache {
    const CAPACITY: usize = 200_000;

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<'a> FontBackend<'a> {
    /// `rtl_slot`/`ltr_slot`: the faces preferred in Arabic and Latin context; `marker_slot`:
    /// the face for marker labels.
    pub fn new(
        fonts: &'a FontSet,
        font_size: f32,
        rtl_slot: FontSlot,
        ltr_slot: FontSlot,
        marker_slot: FontSlot,
        widths: &'a mut WidthCache,
    ) -> Self {
        Self {
            fonts,
            font_size,
            marker_slot,
            rtl_slot,
            ltr_slot,
            widths,
        }
    }
}

impl TextBackend for FontBackend<'_> {
    fn coverage(&self, c: char) -> u32 {
        self.fonts.coverage_mask(c)
    }

    fn default_slot(&mut self, direction: TextDirection) -> FontSlot {
        if direction.is_rtl() {
            self.rtl_slot
        } else {
            self.ltr_slot
        }
    }

    fn script_direction(&mut self, c: char) -> Option<TextDirection> {
        crate::text::shaping::script_direction(c)
    }

    fn display_unit(&self) -> DisplayUnit {
        DisplayUnit::Graphemes
    }

    fn width(&mut self, slot: FontSlot, display: &str, _logical: &str) -> f32 {
        let key = (slot, self.font_size.to_bits(), display.to_owned());
        if let Some(&w) = self.widths.map.get(&key) {
            return w;
        }
        let w = self.fonts.shape(slot, display, self.font_size).width;
        if self.widths.map.len() >= WidthCache::CAPACITY {
            self.widths.map.clear();
        }
        self.widths.map.insert(key, w);
        w
    }

    fn shape(&mut self, slot: FontSlot, display: &str, _logical: &str) -> ShapedRun {
        self.fonts.shape(slot, display, self.font_size)
    }

    fn marker_width(&mut self, label: &str) -> f32 {
        let size = self.font_size * MARKER_FONT_SCALE;
        let text_width = self.fonts.shape(self.marker_slot, label, size).width;
        text_width + 2.0 * MARKER_PADDING * self.font_size
    }

    fn tab_display(&self) -> &'static str {
        "    "
    }

    fn line_metrics(&mut self) -> LineMetrics {
        let mut ascent = 0.0f32;
        let mut descent = 0.0f32;
        for slot in [self.rtl_slot, self.ltr_slot] {
            if let Some(face) = self.fonts.face(slot) {
                let scale = face.units_to_points(self.font_size);
                ascent = ascent.max(f32::from(face.metrics.ascender) * scale);
                descent = descent.max(-f32::from(face.metrics.descender) * scale);
            }
        }
        LineMetrics {
            ascent: ascent.round(),
            descent: descent.round(),
            gap: 0.0,
        }
    }
}
