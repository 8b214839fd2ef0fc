#!/usr/bin/env bash
# Packs create-hardened-api as it was at an earlier commit, for the upgrade tests (test/fixtures/upgrade):
# the package a user would have installed, with the version 0.1.0-dev.<commit count> so that it sorts
# before the current release. Usage: scripts/pack-version.sh <commit> (run from the repository, after npm install).
set -euo pipefail
commit=$(git rev-parse --short "$1")
repo=$(git rev-parse --show-toplevel)
out="$repo/test/fixtures/upgrade"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$commit" | tar -x -C "$work"
ln -s "$repo/node_modules" "$work/node_modules"
cd "$work"
version="0.1.0-dev.$(git -C "$repo" rev-list --count "$commit")"
npm pkg set version="$version"
npx tsc -p tsconfig.build.json
mkdir -p "$out"
npm pack --silent --pack-destination "$out" >/dev/null
echo "$out/create-hardened-api-$version.tgz ($commit)"
