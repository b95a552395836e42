//! The guidelines side panel (F1): the project's Markdown guidelines, rendered as simple
//! blocks (headings, paragraphs, bullets, quotes) with bidi-correct text, so the Arabic
//! examples read right.

use crate::app::state::{Action, ViewState};
use crate::text::ParagraphView;

/// A block of the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(usize, String),
    Paragraph(String),
    Bullet(String),
    Quote(String),
    Code(String),
    Rule,
}

/// Splits Markdown into blocks (the subset the guidelines use); inline markers (`**`, `` ` ``)
/// are removed.
pub fn parse_markdown(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut code: Option<Vec<String>> = None;
    let flush = |paragraph: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(clean(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line.to_owned());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut blocks);
            code = Some(Vec::new());
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(rest) = trimmed.strip_prefix('#') {
            flush(&mut paragraph, &mut blocks);
            let level = 1 + rest.chars().take_while(|&c| c == '#').count();
            blocks.push(Block::Heading(
                level,
                clean(rest.trim_start_matches('#').trim()),
            ));
        } else if trimmed == "---" || trimmed == "***" {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
        } else if let Some(rest) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Bullet(clean(rest)));
        } else if let Some(rest) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Quote(clean(rest.trim())));
        } else if line.starts_with("  ")
            && matches!(blocks.last(), Some(Block::Bullet(_)))
            && paragraph.is_empty()
        {
            if let Some(Block::Bullet(text)) = blocks.last_mut() {
                text.push(' ');
                text.push_str(&clean(trimmed));
            }
        } else {
            paragraph.push(trimmed.to_owned());
        }
    }
    if let Some(lines) = code {
        blocks.push(Block::Code(lines.join("\n")));
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// Removes inline Markdown: `**bold**`, `*emphasis*` and `` `code` `` markers (a lone `*`,
/// e.g. "بـ *", is kept).
fn clean(text: &str) -> String {
    let text = text.replace("**", "").replace('`', "");
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            if c != '*' {
                return true;
            }
            let before = i
                .checked_sub(1)
                .and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric());
            let after = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
            !(before || after)
        })
        .map(|(_, &c)| c)
        .collect()
}

pub fn show(ui: &mut egui::Ui, state: &ViewState<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Guidelines");
        if ui.small_button("✖").on_hover_text("Close (F1)").clicked() {
            actions.push(Action::ToggleGuidelines);
        }
    });
    let claim_panel_hidden =
        state.view == crate::app::state::MainView::Annotate && !state.claims_shown;
    if claim_panel_hidden {
        ui.weak("The window is too narrow for both: the claim panel is back when the guidelines close (F1). Its keys work meanwhile.");
    }
    ui.separator();
    let blocks = parse_markdown(state.guidelines);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width() - 8.0;
            for (index, block) in blocks.iter().enumerate() {
                let (text, size, indent, strong) = match block {
                    Block::Heading(level, text) => (
                        text.as_str(),
                        (24.0 - 3.0 * *level as f32).max(15.0),
                        0.0,
                        true,
                    ),
                    Block::Paragraph(text) => (text.as_str(), 15.0, 0.0, false),
                    Block::Bullet(text) => (text.as_str(), 15.0, 14.0, false),
                    Block::Quote(text) => (text.as_str(), 17.0, 10.0, false),
                    Block::Code(text) => {
                        ui.monospace(text);
                        continue;
                    }
                    Block::Rule => {
                        ui.separator();
                        continue;
                    }
                };
                ui.horizontal(|ui| {
                    ui.add_space(indent);
                    if matches!(block, Block::Bullet(_)) {
                        ui.label("•");
                    }
                    let color = if strong {
                        ui.visuals().strong_text_color()
                    } else if matches!(block, Block::Quote(_)) {
                        ui.visuals().text_color().gamma_multiply(0.9)
                    } else {
                        ui.visuals().text_color()
                    };
                    ParagraphView::new(text)
                        .font_size(size)
                        .color(color)
                        .max_width(width - indent - 12.0)
                        .sense(egui::Sense::hover())
                        .id_salt(("guidelines", index))
                        .show(ui);
                });
                ui.add_space(if strong { 6.0 } else { 4.0 });
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks() {
        let blocks = parse_markdown(
            "# Title\n\nSome **bold**\n*emphasised* text.\n\n- item\n  continued\n> قال الرئيس بـ *\n\n```\ncode\n```\n",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading(1, "Title".into()),
                Block::Paragraph("Some bold emphasised text.".into()),
                Block::Bullet("item continued".into()),
                Block::Quote("قال الرئيس بـ *".into()),
                Block::Code("code".into()),
            ]
        );
    }

    #[test]
    fn the_built_in_guidelines_parse_into_many_blocks() {
        let blocks = parse_markdown(crate::model::project::BUILTIN_GUIDELINES);
        assert!(blocks.len() > 40);
        assert!(matches!(blocks[0], Block::Heading(1, _)));
    }
}
