//! The width budget of the main window: which side panels are shown and how wide they may
//! be, so that the reading view keeps its own width and no panel is ever drawn over it.
//! Pure: from the width available and what the annotator asked for.
//!
//! The reading view gets at least [`READING_MIN`]. When the panels do not fit beside it, the
//! documents list collapses first, to a toggle ([`COLLAPSED`] wide); then the guidelines, if
//! asked for, take the claim panel's place while they are open. A documents list opened
//! with its toggle on a narrow window likewise takes the right-hand panel's place until a
//! document is chosen. Below [`MIN_USABLE_WIDTH`] the claim panel shrinks under its minimum,
//! still beside the reading view.

use super::state::MainView;

/// The smallest width of the reading view: a few words of the current sentence per line
/// at the default size.
pub const READING_MIN: f32 = 340.0;

/// Width of the collapsed documents list: its toggle.
pub const COLLAPSED: f32 = 34.0;

/// How wide a side panel may be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelSpec {
    pub min: f32,
    pub default: f32,
    pub max: f32,
}

pub const DOCUMENTS: PanelSpec = PanelSpec {
    min: 180.0,
    default: 300.0,
    max: 480.0,
};

pub const CLAIMS: PanelSpec = PanelSpec {
    min: 290.0,
    default: 360.0,
    max: 560.0,
};

pub const GUIDELINES: PanelSpec = PanelSpec {
    min: 240.0,
    default: 380.0,
    max: 640.0,
};

/// The narrowest window (logical points) in which the annotation view shows the reading
/// view, the claim panel at its minimum and the documents toggle.
pub const MIN_USABLE_WIDTH: f32 = COLLAPSED + CLAIMS.min + READING_MIN;

/// The lowest window in which the claim panel's role boxes, stances and buttons show
/// with a short scroll.
pub const MIN_USABLE_HEIGHT: f32 = 500.0;

/// What the layout is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    /// Width of the window's content (points).
    pub width: f32,
    pub view: MainView,
    /// The documents list: `None` automatic (shown when it fits), `Some(true)` opened with
    /// its toggle, `Some(false)` closed with it.
    pub documents: Option<bool>,
    /// The guidelines panel is open (F1).
    pub guidelines: bool,
}

/// The documents list in a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Documents {
    /// Not part of this view (agreement).
    Absent,
    /// Collapsed to its toggle, [`COLLAPSED`] wide.
    Collapsed,
    /// Shown, this wide.
    Shown(f32),
}

/// Which panels are shown and how wide. Each shown side panel may be dragged up to
/// [`Plan::slack`] wider than planned; all of them together still leave the reading view
/// [`READING_MIN`] (or what it has, when less).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub documents: Documents,
    /// The claim panel's width (annotation view), `None` when not shown.
    pub claims: Option<f32>,
    pub guidelines: Option<f32>,
    /// What is left for the reading (central) view at these widths.
    pub reading: f32,
    /// How much wider than planned each shown panel may be dragged: the reading view's
    /// width beyond [`READING_MIN`], shared among the resizable panels.
    pub slack: f32,
}

impl Plan {
    /// Width taken by the documents list or its toggle.
    pub fn documents_width(&self) -> f32 {
        match self.documents {
            Documents::Absent => 0.0,
            Documents::Collapsed => COLLAPSED,
            Documents::Shown(width) => width,
        }
    }

    /// Total width of the side panels.
    pub fn side_width(&self) -> f32 {
        self.documents_width() + self.claims.unwrap_or(0.0) + self.guidelines.unwrap_or(0.0)
    }
}

/// The plan for `request`: side panels at their default widths where there is room, else
/// shrunk toward their minimum, then collapsed or replaced (see the module documentation).
/// The side panels never take more than `request.width`, and leave the reading view at
/// least [`READING_MIN`] whenever the window is at least [`MIN_USABLE_WIDTH`] wide.
pub fn plan(request: Request) -> Plan {
    let width = request.width.max(0.0);
    let has_documents = request.view != MainView::Agreement;
    let mut claims = (request.view == MainView::Annotate).then_some(CLAIMS.min);
    let guidelines = request.guidelines.then_some(GUIDELINES.min);
    let toggle = if has_documents { COLLAPSED } else { 0.0 };
    let right = |claims: Option<f32>| claims.unwrap_or(0.0) + guidelines.unwrap_or(0.0);
    if guidelines.is_some() && claims.is_some() && toggle + right(claims) + READING_MIN > width {
        claims = None;
    }
    let mut documents = if !has_documents {
        Documents::Absent
    } else if request.documents == Some(false) {
        Documents::Collapsed
    } else if right(claims) + DOCUMENTS.min + READING_MIN <= width {
        Documents::Shown(DOCUMENTS.min)
    } else if request.documents == Some(true) {
        // Opened with its toggle: the list takes the right-hand panel's place for a moment.
        claims = None;
        Documents::Shown(DOCUMENTS.min)
    } else {
        Documents::Collapsed
    };
    let mut guidelines = guidelines;
    if request.documents == Some(true) && DOCUMENTS.min + right(claims) + READING_MIN > width {
        guidelines = None;
    }

    // Grow toward the default widths, claim panel first, with what the reading view can spare.
    let mut plan = Plan {
        documents,
        claims,
        guidelines,
        reading: 0.0,
        slack: 0.0,
    };
    let mut spare = width - plan.side_width() - READING_MIN;
    if let Some(claims) = plan.claims.as_mut() {
        grow(claims, CLAIMS, &mut spare);
    }
    if let Documents::Shown(list) = &mut documents {
        grow(list, DOCUMENTS, &mut spare);
        plan.documents = documents;
    }
    if let Some(guidelines) = plan.guidelines.as_mut() {
        grow(guidelines, GUIDELINES, &mut spare);
    }
    shrink_to_fit(&mut plan, width);
    let side = plan.side_width();
    plan.reading = (width - side).max(0.0);
    let resizable = [
        matches!(plan.documents, Documents::Shown(_)),
        plan.claims.is_some(),
        plan.guidelines.is_some(),
    ]
    .iter()
    .filter(|&&shown| shown)
    .count();
    plan.slack = if resizable == 0 {
        0.0
    } else {
        (plan.reading - READING_MIN).max(0.0) / resizable as f32
    };
    plan
}

/// Narrower than usable: the claim panel gives way first, then the guidelines, then the
/// documents list, so that the side panels never take more than `width`.
fn shrink_to_fit(plan: &mut Plan, width: f32) {
    let mut over = plan.side_width() - width;
    for panel in [plan.claims.as_mut(), plan.guidelines.as_mut()]
        .into_iter()
        .flatten()
    {
        let by = over.clamp(0.0, *panel);
        *panel -= by;
        over -= by;
    }
    if over > 0.0 {
        plan.documents = match plan.documents {
            Documents::Shown(list) if list - over >= COLLAPSED => Documents::Shown(list - over),
            Documents::Shown(_) | Documents::Collapsed if width >= COLLAPSED => {
                Documents::Collapsed
            }
            _ => Documents::Absent,
        };
    }
}

/// Widens `width` toward the panel's default by at most `spare`.
fn grow(width: &mut f32, spec: PanelSpec, spare: &mut f32) {
    let by = (spec.default - *width).clamp(0.0, spare.max(0.0));
    *width += by;
    *spare -= by;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotate(width: f32) -> Request {
        Request {
            width,
            view: MainView::Annotate,
            documents: None,
            guidelines: false,
        }
    }

    #[test]
    fn the_sizes_the_readme_states() {
        assert_eq!((MIN_USABLE_WIDTH, MIN_USABLE_HEIGHT), (664.0, 500.0));
        // The documents list collapses below this width (annotation view).
        assert_eq!(CLAIMS.min + DOCUMENTS.min + READING_MIN, 810.0);
        assert_eq!(plan(annotate(809.0)).documents, Documents::Collapsed);
        assert!(matches!(
            plan(annotate(810.0)).documents,
            Documents::Shown(_)
        ));
    }

    #[test]
    fn a_wide_window_shows_every_panel_at_its_default_width() {
        let plan = plan(annotate(1400.0));
        assert_eq!(plan.documents, Documents::Shown(DOCUMENTS.default));
        assert_eq!(plan.claims, Some(CLAIMS.default));
        assert_eq!(plan.guidelines, None);
        assert_eq!(plan.reading, 1400.0 - 300.0 - 360.0);
        assert_eq!(plan.slack, (plan.reading - READING_MIN) / 2.0);
    }

    #[test]
    fn at_800_points_the_documents_list_collapses_and_the_reading_view_keeps_its_width() {
        let plan = plan(annotate(800.0));
        assert_eq!(plan.documents, Documents::Collapsed);
        let claims = plan.claims.expect("the claim panel stays");
        assert!(claims >= CLAIMS.min);
        assert!(plan.reading >= READING_MIN);
        assert_eq!(plan.reading + plan.side_width(), 800.0);
    }

    #[test]
    fn the_documents_list_shrinks_before_it_collapses() {
        // Room for the list at its minimum but not at its default.
        let width = CLAIMS.default + DOCUMENTS.min + 40.0 + READING_MIN;
        let plan = plan(annotate(width));
        assert_eq!(plan.claims, Some(CLAIMS.default));
        assert_eq!(plan.documents, Documents::Shown(DOCUMENTS.min + 40.0));
        assert_eq!(plan.reading, READING_MIN);
        assert_eq!(plan.slack, 0.0);
    }

    #[test]
    fn the_toggle_opens_the_list_in_place_of_the_claim_panel_on_a_narrow_window() {
        let plan = plan(Request {
            documents: Some(true),
            ..annotate(800.0)
        });
        assert_eq!(plan.documents, Documents::Shown(DOCUMENTS.default));
        assert_eq!(plan.claims, None);
        assert!(plan.reading >= READING_MIN);
        // On a wide window it opens beside it, and closing it collapses it.
        let wide = super::plan(Request {
            documents: Some(true),
            ..annotate(1400.0)
        });
        assert!(matches!(wide.documents, Documents::Shown(_)) && wide.claims.is_some());
        let closed = super::plan(Request {
            documents: Some(false),
            ..annotate(1400.0)
        });
        assert_eq!(closed.documents, Documents::Collapsed);
    }

    #[test]
    fn the_guidelines_take_the_claim_panels_place_when_both_do_not_fit() {
        let narrow = plan(Request {
            guidelines: true,
            ..annotate(800.0)
        });
        assert_eq!(narrow.claims, None);
        assert!(narrow.guidelines.is_some());
        assert!(narrow.reading >= READING_MIN);
        let wide = plan(Request {
            guidelines: true,
            ..annotate(1400.0)
        });
        assert!(wide.claims.is_some() && wide.guidelines.is_some());
        assert!(wide.reading >= READING_MIN);
    }

    #[test]
    fn adjudication_and_agreement_have_no_claim_panel() {
        let adjudicate = plan(Request {
            view: MainView::Adjudicate,
            ..annotate(800.0)
        });
        assert_eq!(adjudicate.claims, None);
        assert_eq!(adjudicate.documents, Documents::Shown(DOCUMENTS.default));
        let agreement = plan(Request {
            view: MainView::Agreement,
            ..annotate(800.0)
        });
        assert_eq!(agreement.documents, Documents::Absent);
        assert_eq!(agreement.reading, 800.0);
    }

    #[test]
    fn at_every_width_and_choice_the_panels_fit_and_leave_the_reading_view_its_minimum() {
        for width in (0..=2400).step_by(10) {
            let width = width as f32;
            for view in [
                MainView::Annotate,
                MainView::Adjudicate,
                MainView::Agreement,
            ] {
                for documents in [None, Some(true), Some(false)] {
                    for guidelines in [false, true] {
                        let plan = plan(Request {
                            width,
                            view,
                            documents,
                            guidelines,
                        });
                        let shown = [
                            matches!(plan.documents, Documents::Shown(_)),
                            plan.claims.is_some(),
                            plan.guidelines.is_some(),
                        ];
                        let shown = shown.iter().filter(|&&s| s).count() as f32;
                        let maxima = plan.side_width() + plan.slack * shown;
                        assert!(plan.side_width() <= width + 0.01, "{width} {plan:?}");
                        assert!((plan.reading + plan.side_width() - width).abs() < 0.01);
                        if width >= MIN_USABLE_WIDTH {
                            assert!(plan.reading >= READING_MIN - 0.01, "{width} {plan:?}");
                            assert!(width - maxima >= READING_MIN - 0.01, "{width} {plan:?}");
                        }
                        if view == MainView::Annotate && documents != Some(true) && !guidelines {
                            assert!(plan.claims.is_some(), "{width} {plan:?}");
                        }
                    }
                }
            }
        }
    }
}
