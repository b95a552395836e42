//! `isnad bidi`: print text lines in visual order, through the same layout code as the app.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use clap::Args;

use crate::text::{TextDirection, visual_lines};

/// Print lines from stdin in visual order, as the app shows them.
///
/// Read text lines on stdin and print each in visual (display) order, as the app lays it
/// out: the Unicode Bidirectional Algorithm per line, brackets mirrored, no shaping (no
/// presentation forms), no padding. Without --width, one output line per input line; with
/// it, each line is first broken at that many characters (per grapheme) at allowed break
/// points, then each resulting line is reordered. Use it to see why a sentence displays as it
/// does, or to compare with another implementation (ICU, fribidi).
#[derive(Debug, Args)]
pub struct BidiArgs {
    /// Break lines at this many characters first.
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,

    /// Paragraph direction: auto (first strong character, as the app does), rtl or ltr.
    #[arg(long, value_enum, default_value = "auto")]
    pub direction: DirectionArg,
}

/// The --direction values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DirectionArg {
    Auto,
    Rtl,
    Ltr,
}

impl BidiArgs {
    pub fn run(&self) -> anyhow::Result<ExitCode> {
        if self.width == Some(0) {
            anyhow::bail!("--width must be at least 1");
        }
        let direction = match self.direction {
            DirectionArg::Auto => None,
            DirectionArg::Rtl => Some(TextDirection::Rtl),
            DirectionArg::Ltr => Some(TextDirection::Ltr),
        };
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut input = stdin.lock();
        let mut bytes = Vec::new();
        let mut line_number = 0usize;
        loop {
            bytes.clear();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                break;
            }
            line_number += 1;
            if bytes.last() == Some(&b'\n') {
                bytes.pop();
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
            }
            let line = std::str::from_utf8(&bytes)
                .map_err(|e| anyhow::anyhow!("stdin line {line_number} is not UTF-8: {e}"))?;
            for visual in visual_lines(line, self.width, direction) {
                if let Err(e) = writeln!(out, "{visual}") {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(e.into());
                }
            }
        }
        match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(ExitCode::SUCCESS),
        }
    }
}
