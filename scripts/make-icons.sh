#!/usr/bin/env bash
# Draws Isnad's application icon from the bundled Noto Naskh Arabic font (OFL, fonts/) and
# writes the hicolor PNGs under packaging/icons/. Run by hand when the design changes and
# commit the PNGs: the build and the .deb use the committed files, not this script.
#
#   bash scripts/make-icons.sh
#
# Needs ImageMagick 6 with the pango delegate (`convert -list format | grep -i pango`):
# Pango shapes the Arabic (joined letters); ImageMagick's own `label:` would not.
#
# The design: the word إسناد in white on a blue rounded square, over an orange band (a
# highlighted span, as in the app) for 48 px and up; the single letter س over the band for
# 16–32 px, where the word would be a smudge.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v convert >/dev/null || { echo "make-icons: ImageMagick (convert) is missing" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fontconfig that sees only the bundled font, so the result does not depend on the machine.
cat >"$work/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$PWD/fonts</dir><cachedir>$work/fc-cache</cachedir></fontconfig>
CONF
export FONTCONFIG_FILE="$work/fonts.conf"

S=1024
blue='#17598f'
orange='#e8742a'
convert -size ${S}x${S} xc:none -fill "$blue" -draw "roundrectangle 48,48 975,975 180,180" "$work/bg.png"

# Large: the whole word, thickened a little (the font has one weight), on the band.
convert -background none -fill white \
    pango:'<span font="Noto Naskh Arabic 400">إسناد</span>' \
    -trim +repage -morphology Dilate Disk:6 -resize 800x560 "$work/word.png"
convert "$work/bg.png" \
    \( -size 820x150 xc:none -fill "$orange" -draw "roundrectangle 0,0 819,149 40,40" \) \
    -gravity center -geometry +0+170 -composite \
    "$work/word.png" -gravity center -geometry +0+20 -composite "$work/large.png"

# Small: the letter sīn above the band.
convert -background none -fill white \
    pango:'<span font="Noto Naskh Arabic 400">س</span>' \
    -trim +repage -morphology Dilate Disk:16 -resize 720x470 "$work/letter.png"
convert "$work/bg.png" \
    \( -size 760x150 xc:none -fill "$orange" -draw "roundrectangle 0,0 759,149 50,50" \) \
    -gravity center -geometry +0+300 -composite \
    "$work/letter.png" -gravity center -geometry +0-100 -composite "$work/small.png"

for size in 16 24 32 48 64 128 256; do
    if ((size <= 32)); then master="$work/small.png"; else master="$work/large.png"; fi
    out="packaging/icons/hicolor/${size}x${size}/apps/isnad.png"
    mkdir -p "$(dirname "$out")"
    # -strip: no timestamps, so the same design gives the same bytes.
    convert "$master" -filter Lanczos -resize ${size}x${size} -depth 8 -strip "PNG32:$out"
    echo "$out"
done
