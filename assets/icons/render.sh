#!/usr/bin/env bash
# Renders the toolbar and store icons from the SVG sources into public/icons/ (committed, so a
# build never needs this tool). Needs rsvg-convert (Debian: apt-get install librsvg2-bin).
# 16 and 32 px are toolbar sizes: drawn from a tighter crop so the shield fills the button.
# 48 and 128 px keep the store's padding (a 96 px shape on a 128 px canvas).
set -euo pipefail
cd "$(dirname "$0")"
out=../../public/icons
mkdir -p "$out"
for variant in relayguard relayguard-on-dark; do
  for size in 16 32; do
    sed 's/viewBox="0 0 128 128"/viewBox="14 14 100 100"/' "$variant.svg" | rsvg-convert -w "$size" -h "$size" -o "$out/$variant-$size.png"
  done
  for size in 48 128; do
    rsvg-convert -w "$size" -h "$size" -o "$out/$variant-$size.png" "$variant.svg"
  done
done
