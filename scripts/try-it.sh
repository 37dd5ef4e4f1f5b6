#!/usr/bin/env bash
# README's first command: see Stateful do its main job in a minute or two. From a fresh clone:
# brings up a Docker engine and the Postgres image (scripts/docker/ensure-docker.sh, seconds when
# they are there), builds the drill jar, then restores a realistic dump (the real dvdrental.tar
# from ../shared/dumps when it is there, else a generated dataset), migrates it while watching
# the locks, prints each migration's locks and hazards, runs a restore drill and writes the HTML
# reports into target/try-it/. Everything it creates in Docker is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { echo "[try-it] $*"; }
if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  say "installing a JDK 17 and Maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
say "0/4 Docker engine and image"
eval "$(STATEFUL_CI_IMAGES="${STATEFUL_CI_IMAGES:-postgres:17-trixie}" scripts/docker/ensure-docker.sh)"
export STATEFUL_IMAGE="${STATEFUL_IMAGE:-postgres:17-trixie}"
say "    building stateful-drill.jar (the first build downloads the dependencies)"
built=$(date +%s)
mkdir -p target
if ! mvn -B -q -pl drill -am package -DskipTests >target/try-it-build.log 2>&1; then
  tail -40 target/try-it-build.log
  say "the build failed; its log: target/try-it-build.log"
  exit 1
fi
say "    built in $(( $(date +%s) - built )) s"
java -cp drill/target/stateful-drill.jar dev.stateful.drill.cli.TryIt "$PWD" "$PWD/target/try-it"
say "total $(( $(date +%s) - started )) s. Next: the tests, bash .ci/run"
