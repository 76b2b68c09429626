#!/usr/bin/env bash
# Renders every app icon from the two SVG sources in this folder. Needs rsvg-convert
# (librsvg2-bin), png2icns (icnsutils) and icotool (icoutils): all Debian packages.
#   coursedock.svg       → png/64x64 … png/1024x1024, and the large entries of .icns/.ico
#   coursedock-small.svg → png/16x16, png/32x32 (simplified for small sizes), the small entries
# Outputs are committed; run this again after editing a source.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p png
for s in 16 32; do rsvg-convert -w $s -h $s coursedock-small.svg -o png/${s}x${s}.png; done
for s in 48 64 128 256 512 1024; do rsvg-convert -w $s -h $s coursedock.svg -o png/${s}x${s}.png; done
# macOS: .icns with 16…1024 (png2icns picks each image's slot by its size).
png2icns coursedock.icns png/16x16.png png/32x32.png png/48x48.png png/128x128.png png/256x256.png png/512x512.png png/1024x1024.png >/dev/null
# Windows: .ico with 16…256 (256 stored as PNG, as Windows expects).
icotool -c -o coursedock.ico png/16x16.png png/32x32.png png/48x48.png png/64x64.png png/128x128.png -r png/256x256.png
