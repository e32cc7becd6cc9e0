#!/usr/bin/env bash
# Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside each .js, .css and .wasm
# file of a built site's pkg folder, so that the server sends them as they are to a browser
# that accepts them (tower-http's ServeDir, `precompressed_br` / `precompressed_gzip`: it adds
# `Content-Encoding` and `Vary: Accept-Encoding`). Compressing once at the highest level takes
# a few seconds here; the server's on-the-fly compression of pages uses a fast level instead.
#
#   bash scripts/precompress.sh DIR      # e.g. "$(kyodo_release_site_root)/pkg"
set -euo pipefail
dir=${1:?usage: precompress.sh DIR}
shopt -s nullglob
for file in "$dir"/*.js "$dir"/*.css "$dir"/*.wasm; do
  gzip -9 -n -k -f "$file"
  brotli -q 11 -k -f "$file"
  # Same modification time as the file, so that Last-Modified and 304s agree.
  touch -r "$file" "$file.gz" "$file.br"
done
ls -l "$dir"
