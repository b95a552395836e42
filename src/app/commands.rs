//! Every keyboard command of the app in one table: its key, its label and where it applies.
//! The shortcut overlay (`?`) is generated from this table, and key handling reads it, so
//! the help can never disagree with the keys. Every command also has a mouse equivalent in
//! the views (buttons), listed in the overlay's last column.

use egui::{Key, Modifiers};

/// Where a command applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (unless a text field has the keyboard).
    Global,
    /// The annotation view.
    Annotate,
    /// The adjudication view.
    Adjudicate,
}

/// A keyboard command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    NextSentence,
    PreviousSentence,
    NextSentenceVisual,
    PreviousSentenceVisual,
    SetSpeaker,
    SetTarget,
    SetCue,
    SetContent,
    Stance(u8),
    Confirm,
    NoClaim,
    Discard,
    ImplicitSpeaker,
    ChooseEntity,
    NewEntity,
    AcceptSuggestions,
    ToggleBoilerplate,
    ExtendSelectionEnd,
    ShrinkSelectionEnd,
    ExtendSelectionStart,
    ShrinkSelectionStart,
    DeleteClaim,
    Undo,
    Redo,
    Guidelines,
    Shortcuts,
    FocusDocumentFilter,
    AdjNext,
    AdjPrevious,
    AdjNextUndecided,
    AdjFocusNext,
    AdjFocusPrevious,
    AdjTake(u8),
    AdjReject,
    AdjStance(u8),
    AdjDecide,
    AdjReopen,
}

/// A key with its exact modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    pub key: Key,
    pub ctrl: bool,
    pub shift: bool,
    pub alt: bool,
}

const fn key(key: Key) -> Shortcut {
    Shortcut {
        key,
        ctrl: false,
        shift: false,
        alt: false,
    }
}

const fn ctrl(key: Key) -> Shortcut {
    Shortcut {
        key,
        ctrl: true,
        shift: false,
        alt: false,
    }
}

const fn shift(key: Key) -> Shortcut {
    Shortcut {
        key,
        ctrl: false,
        shift: true,
        alt: false,
    }
}

const fn alt_shift(key: Key) -> Shortcut {
    Shortcut {
        key,
        ctrl: false,
        shift: true,
        alt: true,
    }
}

const fn ctrl_shift(key: Key) -> Shortcut {
    Shortcut {
        key,
        ctrl: true,
        shift: true,
        alt: false,
    }
}

impl Shortcut {
    /// Text for the help overlay.
    pub fn label(&self) -> String {
        let mut text = String::new();
        if self.ctrl {
            text.push_str("Ctrl+");
        }
        if self.alt {
            text.push_str("Alt+");
        }
        if self.shift {
            text.push_str("Shift+");
        }
        text.push_str(match self.key {
            Key::ArrowDown => "Down",
            Key::ArrowUp => "Up",
            Key::ArrowLeft => "Left",
            Key::ArrowRight => "Right",
            Key::Enter => "Enter",
            Key::Escape => "Esc",
            Key::Delete => "Delete",
            Key::Backspace => "Backspace",
            Key::Questionmark => "?",
            Key::F1 => "F1",
            Key::Tab => "Tab",
            other => other.name(),
        });
        if text.len() == 1 {
            text = text.to_lowercase();
        }
        text
    }

    fn matches(&self, key: Key, modifiers: Modifiers) -> bool {
        // "?" is typed with Shift on most layouts: ignore Shift for it.
        let shift_matches = self.key == Key::Questionmark || modifiers.shift == self.shift;
        key == self.key
            && (modifiers.ctrl || modifiers.command) == self.ctrl
            && modifiers.alt == self.alt
            && shift_matches
    }
}

/// One row of the command table.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    pub command: Command,
    pub shortcuts: &'static [Shortcut],
    pub scope: Scope,
    pub label: &'static str,
    /// The mouse equivalent.
    pub mouse: &'static str,
}

/// The command table. Stance keys come from the label schema (1–9) and claim-type keys from
/// the label schema's letters; both are handled beside this table.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        command: Command::NextSentence,
        shortcuts: &[key(Key::J), key(Key::ArrowDown)],
        scope: Scope::Annotate,
        label: "Next sentence",
        mouse: "⏷ button or a sentence number",
    },
    CommandInfo {
        command: Command::PreviousSentence,
        shortcuts: &[key(Key::K), key(Key::ArrowUp)],
        scope: Scope::Annotate,
        label: "Previous sentence",
        mouse: "⏶ button or a sentence number",
    },
    CommandInfo {
        command: Command::NextSentenceVisual,
        shortcuts: &[key(Key::ArrowLeft)],
        scope: Scope::Annotate,
        label: "Next sentence (reading direction, Arabic)",
        mouse: "",
    },
    CommandInfo {
        command: Command::PreviousSentenceVisual,
        shortcuts: &[key(Key::ArrowRight)],
        scope: Scope::Annotate,
        label: "Previous sentence (reading direction, Arabic)",
        mouse: "",
    },
    CommandInfo {
        command: Command::SetSpeaker,
        shortcuts: &[key(Key::S)],
        scope: Scope::Annotate,
        label: "Selection ➡ speaker (no selection: choose the entity)",
        mouse: "⬅ selection (s)",
    },
    CommandInfo {
        command: Command::SetTarget,
        shortcuts: &[key(Key::T)],
        scope: Scope::Annotate,
        label: "Selection ➡ target (no selection: choose the entity)",
        mouse: "⬅ selection (t)",
    },
    CommandInfo {
        command: Command::SetCue,
        shortcuts: &[key(Key::C)],
        scope: Scope::Annotate,
        label: "Selection ➡ reporting cue",
        mouse: "⬅ selection (c)",
    },
    CommandInfo {
        command: Command::SetContent,
        shortcuts: &[key(Key::M)],
        scope: Scope::Annotate,
        label: "Selection ➡ claim content",
        mouse: "⬅ selection (m)",
    },
    CommandInfo {
        command: Command::Confirm,
        shortcuts: &[key(Key::Enter)],
        scope: Scope::Annotate,
        label: "Confirm the claim",
        mouse: "Confirm claim",
    },
    CommandInfo {
        command: Command::NoClaim,
        shortcuts: &[key(Key::X)],
        scope: Scope::Annotate,
        label: "Mark the sentence “no claim” (again: unmark)",
        mouse: "No claim",
    },
    CommandInfo {
        command: Command::Discard,
        shortcuts: &[key(Key::Escape)],
        scope: Scope::Annotate,
        label: "Clear the selection, else discard the draft / stop editing (a window, menu or text field in front takes Esc first)",
        mouse: "Discard",
    },
    CommandInfo {
        command: Command::ImplicitSpeaker,
        shortcuts: &[key(Key::I)],
        scope: Scope::Annotate,
        label: "Implicit speaker: choose the entity without a span",
        mouse: "Implicit…",
    },
    CommandInfo {
        command: Command::ChooseEntity,
        shortcuts: &[key(Key::E)],
        scope: Scope::Annotate,
        label: "Choose the entity of the speaker (or target)",
        mouse: "Entity…",
    },
    CommandInfo {
        command: Command::NewEntity,
        shortcuts: &[key(Key::N)],
        scope: Scope::Annotate,
        label: "New entity from the selection",
        mouse: "New entity…",
    },
    CommandInfo {
        command: Command::AcceptSuggestions,
        shortcuts: &[key(Key::A)],
        scope: Scope::Annotate,
        label: "Accept the suggested cue and speaker",
        mouse: "Accept suggestions",
    },
    CommandInfo {
        command: Command::ToggleBoilerplate,
        shortcuts: &[key(Key::U)],
        scope: Scope::Annotate,
        label: "Flip the sentence's boilerplate flag",
        mouse: "Boilerplate ☐",
    },
    CommandInfo {
        command: Command::ExtendSelectionEnd,
        shortcuts: &[shift(Key::ArrowLeft)],
        scope: Scope::Annotate,
        label: "Selection end one character further (RTL)",
        mouse: "drag",
    },
    CommandInfo {
        command: Command::ShrinkSelectionEnd,
        shortcuts: &[shift(Key::ArrowRight)],
        scope: Scope::Annotate,
        label: "Selection end one character back (RTL)",
        mouse: "drag",
    },
    CommandInfo {
        command: Command::ShrinkSelectionStart,
        shortcuts: &[alt_shift(Key::ArrowLeft)],
        scope: Scope::Annotate,
        label: "Selection start one character later: drop a clitic (و، ب، ل، ال)",
        mouse: "drag",
    },
    CommandInfo {
        command: Command::ExtendSelectionStart,
        shortcuts: &[alt_shift(Key::ArrowRight)],
        scope: Scope::Annotate,
        label: "Selection start one character earlier",
        mouse: "drag",
    },
    CommandInfo {
        command: Command::DeleteClaim,
        shortcuts: &[key(Key::Delete)],
        scope: Scope::Annotate,
        label: "Delete the claim being edited",
        mouse: "🗑 on a claim",
    },
    CommandInfo {
        command: Command::Redo,
        shortcuts: &[ctrl_shift(Key::Z), ctrl(Key::Y)],
        scope: Scope::Global,
        label: "Redo",
        mouse: "Edit > Redo",
    },
    CommandInfo {
        command: Command::Undo,
        shortcuts: &[ctrl(Key::Z)],
        scope: Scope::Global,
        label: "Undo (also after a restart)",
        mouse: "Edit > Undo",
    },
    CommandInfo {
        command: Command::Guidelines,
        shortcuts: &[key(Key::F1)],
        scope: Scope::Global,
        label: "Annotation guidelines",
        mouse: "Help > Guidelines",
    },
    CommandInfo {
        command: Command::Shortcuts,
        shortcuts: &[key(Key::Questionmark)],
        scope: Scope::Global,
        label: "This list of shortcuts",
        mouse: "Help > Shortcuts",
    },
    CommandInfo {
        command: Command::FocusDocumentFilter,
        shortcuts: &[ctrl(Key::F)],
        scope: Scope::Global,
        label: "Filter the documents",
        mouse: "filter box",
    },
    CommandInfo {
        command: Command::AdjNext,
        shortcuts: &[key(Key::J), key(Key::ArrowDown)],
        scope: Scope::Adjudicate,
        label: "Next sentence",
        mouse: "⏷",
    },
    CommandInfo {
        command: Command::AdjPrevious,
        shortcuts: &[key(Key::K), key(Key::ArrowUp)],
        scope: Scope::Adjudicate,
        label: "Previous sentence",
        mouse: "⏶",
    },
    CommandInfo {
        command: Command::AdjNextUndecided,
        shortcuts: &[key(Key::N)],
        scope: Scope::Adjudicate,
        label: "Next undecided sentence",
        mouse: "Next undecided",
    },
    CommandInfo {
        command: Command::AdjFocusNext,
        shortcuts: &[key(Key::Tab)],
        scope: Scope::Adjudicate,
        label: "Next claim of the sentence",
        mouse: "click a claim",
    },
    CommandInfo {
        command: Command::AdjFocusPrevious,
        shortcuts: &[shift(Key::Tab)],
        scope: Scope::Adjudicate,
        label: "Previous claim of the sentence",
        mouse: "click a claim",
    },
    CommandInfo {
        command: Command::AdjReject,
        shortcuts: &[key(Key::R)],
        scope: Scope::Adjudicate,
        label: "Reject the focused claim (no gold claim)",
        mouse: "Reject",
    },
    CommandInfo {
        command: Command::AdjDecide,
        shortcuts: &[key(Key::Enter)],
        scope: Scope::Adjudicate,
        label: "Decide the sentence and go to the next undecided one",
        mouse: "Decide sentence",
    },
    CommandInfo {
        command: Command::AdjReopen,
        shortcuts: &[key(Key::Backspace)],
        scope: Scope::Adjudicate,
        label: "Reopen the sentence's decision",
        mouse: "Reopen",
    },
];

/// Number keys 1–9.
pub const DIGIT_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// Takes this frame's key presses that are commands of `scope` (and global ones) out of the
/// input, in order. Stances: digits in the annotation view; in adjudication, digits take an
/// annotator's version and Alt+digit sets the gold stance.
pub fn take_commands(ctx: &egui::Context, scope: Scope, letters_allowed: bool) -> Vec<Command> {
    let mut found = Vec::new();
    ctx.input_mut(|input| {
        input.events.retain(|event| {
            let egui::Event::Key {
                key: pressed_key,
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                return true;
            };
            let plain = !(modifiers.ctrl || modifiers.command || modifiers.alt);
            let is_letter_like = plain && !matches!(pressed_key, Key::F1 | Key::Escape);
            if is_letter_like && !letters_allowed {
                return true;
            }
            if let Some(index) = DIGIT_KEYS.iter().position(|k| k == pressed_key) {
                let digit = index as u8 + 1;
                let command = match (scope, modifiers.alt) {
                    (Scope::Annotate, false) if plain => Some(Command::Stance(digit)),
                    (Scope::Adjudicate, false) if plain => Some(Command::AdjTake(digit)),
                    (Scope::Adjudicate, true) => Some(Command::AdjStance(digit)),
                    _ => None,
                };
                if let Some(command) = command {
                    found.push(command);
                    return false;
                }
                return true;
            }
            for info in COMMANDS {
                if info.scope != Scope::Global && info.scope != scope {
                    continue;
                }
                if info
                    .shortcuts
                    .iter()
                    .any(|s| s.matches(*pressed_key, *modifiers))
                {
                    found.push(info.command);
                    return false;
                }
            }
            true
        });
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_of_one_scope_share_a_key() {
        for a in COMMANDS {
            for b in COMMANDS {
                if std::ptr::eq(a, b) {
                    continue;
                }
                let overlap =
                    a.scope == b.scope || a.scope == Scope::Global || b.scope == Scope::Global;
                if overlap {
                    for s in a.shortcuts {
                        assert!(
                            !b.shortcuts.contains(s),
                            "{:?} and {:?} share {}",
                            a.command,
                            b.command,
                            s.label()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn app_letters_do_not_clash_with_claim_type_keys() {
        let schema = crate::labels::LabelSchema::builtin();
        for info in COMMANDS {
            for shortcut in info.shortcuts {
                let label = shortcut.label();
                if label.chars().count() == 1 {
                    let letter = label.chars().next().unwrap_or(' ');
                    assert!(
                        schema.claim_types.iter().all(|t| t.key != letter),
                        "{letter} is both {:?} and a claim type",
                        info.command
                    );
                }
            }
        }
    }
}
