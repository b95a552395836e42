//! Hit-testing and highlighting on a [`ParagraphLayout`], in layout coordinates (origin at
//! the layout's top-left, y down): screen position → caret offset or character, caret offset
//! → position, logical range → rectangles. All offsets are code-point indices.
//!
//! A caret offset `i` sits on the *leading* edge of character `i` (its left edge when the
//! character is displayed left to right, its right edge when right to left); offset
//! `len` sits on the trailing edge of the last character. A logical range can map to
//! several rectangles on one line (bidi) and across lines.

use std::ops::Range;

use crate::text::layout::ParagraphLayout;

/// A point in layout coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointF {
    pub x: f32,
    pub y: f32,
}

impl PointF {
    pub fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }
}

/// An axis-aligned rectangle in layout coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharRect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl CharRect {
    pub fn contains(&self, p: PointF) -> bool {
        self.x0 <= p.x && p.x < self.x1 && self.y0 <= p.y && p.y < self.y1
    }

    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

impl ParagraphLayout {
    /// The line nearest to `y` (clamped to the first and last line).
    pub fn line_at_y(&self, y: f32) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let idx = self.lines.partition_point(|l| l.top + l.height <= y);
        Some(idx.min(self.lines.len() - 1))
    }

    /// The character drawn under `p`, if any (markers included, hidden line feeds not).
    pub fn char_at(&self, p: PointF) -> Option<usize> {
        let line_index = self.line_at_y(p.y)?;
        let line = &self.lines[line_index];
        if p.y < line.top || p.y >= line.top + line.height {
            return None;
        }
        let vc = &line.visual_chars;
        let idx = vc.partition_point(|&c| self.boxes[c].x1 <= p.x);
        let &c = vc.get(idx)?;
        let b = self.boxes[c];
        (b.x0 <= p.x && p.x < b.x1).then_some(c)
    }

    /// The caret offset nearest to `p`: on the nearest line, before or after the nearest
    /// character depending on which half of it `p` is in and its direction.
    pub fn caret_at(&self, p: PointF) -> usize {
        let Some(line_index) = self.line_at_y(p.y) else {
            return 0;
        };
        let line = &self.lines[line_index];
        let vc = &line.visual_chars;
        if vc.is_empty() {
            return line.chars.start;
        }
        let idx = vc.partition_point(|&c| self.boxes[c].x1 <= p.x);
        let (c, on_left_half) = match vc.get(idx) {
            None => (vc[vc.len() - 1], false),
            Some(&c) => {
                let b = self.boxes[c];
                (c, p.x < (b.x0 + b.x1) * 0.5)
            }
        };
        let rtl = self.boxes[c].rtl;
        if on_left_half != rtl { c } else { c + 1 }
    }

    /// Line and x of caret `offset` (clamped to the text).
    pub fn caret_x(&self, offset: usize) -> (usize, f32) {
        let n = self.chars.len();
        if n == 0 {
            let rtl = self.lines.first().is_some_and(|l| l.direction.is_rtl());
            return (0, if rtl { self.width } else { 0.0 });
        }
        if offset < n {
            let b = self.boxes[offset];
            (b.line, if b.rtl { b.x1 } else { b.x0 })
        } else {
            let b = self.boxes[n - 1];
            (b.line, if b.rtl { b.x0 } else { b.x1 })
        }
    }

    /// A thin rectangle where to draw the caret at `offset`.
    pub fn caret_rect(&self, offset: usize, thickness: f32) -> CharRect {
        let (line, x) = self.caret_x(offset);
        let (top, height) = self
            .lines
            .get(line)
            .map_or((0.0, self.height), |l| (l.top, l.height));
        CharRect {
            x0: x - thickness * 0.5,
            y0: top,
            x1: x + thickness * 0.5,
            y1: top + height,
        }
    }

    /// A point that hit-tests back to caret `offset`: just inside the leading half of
    /// character `offset` (or the trailing edge of the text), mid-line.
    pub fn caret_point(&self, offset: usize) -> PointF {
        let (line, x) = self.caret_x(offset);
        let y = self.lines.get(line).map_or(0.0, |l| l.top + l.height * 0.5);
        // Inside the character whose edge this is: the leading quarter of character
        // `offset`, or the trailing quarter of the last character for the end offset.
        let nudge = match (
            self.boxes.get(offset),
            offset.checked_sub(1).and_then(|i| self.boxes.get(i)),
        ) {
            (Some(b), _) => {
                let w = (b.x1 - b.x0) * 0.25;
                if b.rtl { -w } else { w }
            }
            (None, Some(b)) => {
                let w = (b.x1 - b.x0) * 0.25;
                if b.rtl { w } else { -w }
            }
            (None, None) => 0.0,
        };
        PointF::new(x + nudge, y)
    }

    /// Rectangles covering exactly the characters of `range` (one per visually contiguous
    /// stretch per line), top to bottom, left to right.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<CharRect> {
        let mut rects = Vec::new();
        if range.start >= range.end {
            return rects;
        }
        for line in &self.lines {
            if line.chars.end <= range.start || line.chars.start >= range.end {
                continue;
            }
            let mut current: Option<CharRect> = None;
            for &c in &line.visual_chars {
                if range.contains(&c) {
                    let b = self.boxes[c];
                    current = Some(match current {
                        Some(r) => CharRect {
                            x0: r.x0.min(b.x0),
                            x1: r.x1.max(b.x1),
                            ..r
                        },
                        None => CharRect {
                            x0: b.x0,
                            y0: line.top,
                            x1: b.x1,
                            y1: line.top + line.height,
                        },
                    });
                } else if let Some(r) = current.take()
                    && r.width() > 0.0
                {
                    rects.push(r);
                }
            }
            if let Some(r) = current.take()
                && r.width() > 0.0
            {
                rects.push(r);
            }
        }
        rects
    }
}
