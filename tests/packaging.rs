//! The packaging metadata stays valid without building the package (that takes a release
//! build; `scripts/build-deb.sh` does it and test-installs the result): the desktop entry
//! passes `desktop-file-validate` and names the binary, the icon and the window class the
//! app sets; every hicolor icon is a PNG of its size; the window icon is the packaged one;
//! every file `[package.metadata.deb]` packages exists (or is one the script generates).

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use std::path::{Path, PathBuf};

const SIZES: [u32; 7] = [16, 24, 32, 48, 64, 128, 256];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn icon_path(size: u32) -> PathBuf {
    repo(&format!(
        "packaging/icons/hicolor/{size}x{size}/apps/isnad.png"
    ))
}

/// Width, height, bit depth and colour type from a PNG's IHDR chunk, or what is wrong.
fn png_header(bytes: &[u8]) -> Result<(u32, u32, u8, u8), String> {
    if bytes.len() < 33 || bytes[..8] != *b"\x89PNG\r\n\x1a\n" {
        return Err("not a PNG (no PNG signature)".into());
    }
    if bytes[12..16] != *b"IHDR" {
        return Err("no IHDR chunk first".into());
    }
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    Ok((word(16), word(20), bytes[24], bytes[25]))
}

/// The `Key=value` lines of the `[Desktop Entry]` group.
fn desktop_entry() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo("packaging/isnad.desktop")).unwrap();
    text.lines()
        .skip_while(|line| *line != "[Desktop Entry]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[test]
fn every_hicolor_icon_is_an_rgba_png_of_its_size() {
    for size in SIZES {
        let path = icon_path(size);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header = png_header(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(header, (size, size, 8, 6), "{}", path.display());
    }
}

#[test]
fn the_window_icon_is_the_packaged_128_px_icon() {
    let icon = isnad::app::window_icon().expect("the embedded window icon decodes");
    assert_eq!((icon.width, icon.height), (128, 128));
    assert_eq!(icon.rgba.len(), 128 * 128 * 4);
    // Not a blank square: the blue ground, the white word and the orange band are there.
    let pixels: Vec<&[u8]> = icon.rgba.chunks(4).collect();
    let opaque = pixels.iter().filter(|p| p[3] == 255).count();
    let white = pixels.iter().filter(|p| p[..3] == [255, 255, 255]).count();
    let orange = pixels
        .iter()
        .filter(|p| p[0] > 200 && p[1] > 90 && p[1] < 140 && p[2] < 70)
        .count();
    assert!(opaque > 128 * 128 * 2 / 3, "{opaque} opaque pixels");
    assert!(
        white > 300 && orange > 300,
        "white {white}, orange {orange}"
    );
}

#[test]
fn the_desktop_entry_starts_the_binary_with_its_icon_and_window_class() {
    let entry = desktop_entry();
    let value = |key: &str| {
        entry
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("isnad.desktop has no {key}"))
    };
    assert_eq!(value("Type"), "Application");
    assert_eq!(value("Exec"), "isnad");
    assert_eq!(value("Icon"), "isnad");
    assert_eq!(value("Terminal"), "false");
    // Docks match the window to the entry by its class (X11) or app id (Wayland).
    assert_eq!(value("StartupWMClass"), isnad::app::APP_ID);
    assert!(value("Name[ar]").contains("إسناد"));
    let icon = value("Icon");
    assert!(
        SIZES
            .iter()
            .all(|&s| icon_path(s).ends_with(format!("{icon}.png")))
    );
}

/// `desktop-file-validate` (desktop-file-utils) on the entry. Without the tool the check is
/// skipped with a message on a developer's machine and fails under `CI=true` (`.ci/run`
/// installs it).
#[test]
fn the_desktop_entry_passes_desktop_file_validate() {
    let path = repo("packaging/isnad.desktop");
    match std::process::Command::new("desktop-file-validate")
        .arg(&path)
        .output()
    {
        Ok(output) => assert!(
            output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
            "desktop-file-validate {}:\n{}{}",
            path.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => {
            let why = format!("desktop-file-validate (desktop-file-utils) cannot run: {error}");
            let in_ci =
                std::env::var("CI").is_ok_and(|value| !matches!(value.trim(), "" | "false" | "0"));
            assert!(
                !in_ci,
                "{why}\nCI=true, so this is a failure: .ci/run installs it"
            );
            eprintln!("skipped: {why}");
        }
    }
}

#[test]
fn every_packaged_file_exists_and_every_icon_is_packaged() {
    let manifest: toml::Table = std::fs::read_to_string(repo("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let deb = &manifest["package"]["metadata"]["deb"];
    let assets: Vec<(String, String)> = deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| {
            let pair = asset.as_array().unwrap();
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Built by cargo, or written by scripts/build-deb.sh before `cargo deb`.
    let generated = [
        "target/release/isnad",
        "target/packaging/third-party-licenses.txt.gz",
    ];
    for (source, _) in &assets {
        assert!(
            generated.contains(&source.as_str()) || repo(source).is_file(),
            "Cargo.toml packages {source}, which does not exist"
        );
    }
    let license_file = deb["license-file"].as_array().unwrap()[0].as_str().unwrap();
    assert_eq!(license_file, "target/packaging/copyright");
    let script = std::fs::read_to_string(repo("scripts/build-deb.sh")).unwrap();
    for file in generated.iter().skip(1).chain([&license_file]) {
        let name = Path::new(file).file_name().unwrap().to_str().unwrap();
        assert!(script.contains(name), "build-deb.sh does not write {file}");
    }
    for size in SIZES {
        let source = format!("packaging/icons/hicolor/{size}x{size}/apps/isnad.png");
        let dest = format!("usr/share/icons/hicolor/{size}x{size}/apps/");
        assert!(
            assets.contains(&(source.clone(), dest)),
            "{source} is not packaged in usr/share/icons/hicolor"
        );
    }
    assert!(assets.contains(&(
        "packaging/isnad.desktop".into(),
        "usr/share/applications/".into()
    )));
    for licence in ["LICENSE-MIT", "LICENSE-APACHE", "fonts/OFL.txt"] {
        assert!(repo(licence).is_file(), "{licence} is missing");
    }
}
