#!/bin/bash
# Make a Docker engine and the Postgres images the tests use available on this
# machine, then print the environment that Testcontainers needs here as
# `export` lines (use: eval "$(scripts/docker/ensure-docker.sh)" from the project root).
#
# - No engine running: install Debian's docker.io if dockerd is missing, start
#   dockerd in the background (log: $STATEFUL_DOCKERD_LOG), wait until it answers.
# - Image missing (STATEFUL_CI_IMAGES, default "postgres:17-trixie postgres:15-bookworm"):
#   try `docker pull`; where no registry answers, build it from Debian packages
#   with debootstrap (about a minute each) and `docker import` it under the same
#   tag. The built image behaves like the official one for what tests use
#   (entrypoint env vars, PGDATA=/var/lib/postgresql/data, init scripts, log lines).
# - No Ryuk image: disable Ryuk (the project cleans up by its own labels).
# Idempotent: a second run finds everything in place and takes a second.
# Progress goes to stderr; only export lines go to stdout.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "[ensure-docker] $*" >&2; }
images=${STATEFUL_CI_IMAGES:-"postgres:17-trixie postgres:15-bookworm"}
dockerd_log=${STATEFUL_DOCKERD_LOG:-/tmp/stateful-dockerd.log}

engine_up() { docker info >/dev/null 2>&1; }

if ! engine_up; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io) >&2
  fi
  # A dockerd or containerd that was killed leaves its pid file behind, and a new one refuses
  # to start while that pid still names a process (a zombie counts): clear files whose process
  # is gone, a zombie, or another program, and try again a few times.
  stale_pidfiles() {
    local f pid state comm
    for f in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
      [ -f "$f" ] || continue
      pid=$(cat "$f" 2>/dev/null); state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
      comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
      if [ -z "$state" ] || [ "$state" = Z ] || { [ "$comm" != dockerd ] && [ "$comm" != containerd ]; }; then rm -f "$f"; fi
    done
  }
  for attempt in 1 2 3; do
    engine_up && break
    stale_pidfiles
    log "starting dockerd (log: $dockerd_log)"
    nohup dockerd >"$dockerd_log" 2>&1 </dev/null &
    dpid=$!
    for _ in $(seq 1 60); do engine_up && break; kill -0 "$dpid" 2>/dev/null || break; sleep 1; done
    engine_up || sleep 2
  done
  engine_up || { log "dockerd did not come up; last log lines:"; tail -20 "$dockerd_log" >&2; exit 1; }
fi
# The cache registry tests start Debian's reference registry (docker-registry 2.8) themselves.
if ! command -v docker-registry >/dev/null 2>&1 && [ ! -x /usr/bin/docker-registry ]; then
  log "installing docker-registry"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry) >&2 || log "docker-registry not installed"
fi
log "engine: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

mirror() {
  local m
  m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "$m"
}

build_image() { # tag suite pg_major
  local tag=$1 suite=$2 major=$3 root
  command -v debootstrap >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap) >&2
  root=$(mktemp -d /tmp/stateful-pgroot.XXXXXX)
  log "building $tag from Debian $suite packages (postgresql-$major)"
  if ! debootstrap --variant=minbase --include="postgresql-$major,ca-certificates" "$suite" "$root" "$(mirror)" >"$root.log" 2>&1; then
    log "debootstrap failed; last lines of $root.log:"; tail -20 "$root.log" >&2; exit 1
  fi
  # Drop the cluster that the Debian package creates at install time, and caches.
  rm -rf "$root/var/lib/postgresql/$major" "$root/etc/postgresql/$major" \
         "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$root/usr/share/postgresql/$major/postgresql.conf.sample"
  install -m 0755 "$here/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data"
  # `docker import` takes no STOPSIGNAL: the entrypoint turns SIGTERM into
  # Postgres' fast shutdown (SIGINT) itself, as the official image's STOPSIGNAL does.
  tar -C "$root" -c . | docker import \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' -c 'CMD ["postgres"]' \
    -c 'EXPOSE 5432' -c "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -c 'ENV PGDATA=/var/lib/postgresql/data' -c 'ENV LANG=C.UTF-8' \
    -c 'VOLUME /var/lib/postgresql/data' - "$tag" >&2
  rm -rf "$root" "$root.log"
  log "built $tag"
}

build_redis() { # tag suite: Debian's redis-server, run like the official image (in /data, protected mode off)
  local tag=$1 suite=$2 root
  command -v debootstrap >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap) >&2
  root=$(mktemp -d /tmp/stateful-redisroot.XXXXXX)
  log "building $tag from Debian $suite packages (redis-server)"
  if ! debootstrap --variant=minbase --include="redis-server,redis-tools" "$suite" "$root" "$(mirror)" >"$root.log" 2>&1; then
    log "debootstrap failed; last lines of $root.log:"; tail -20 "$root.log" >&2; exit 1
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  install -m 0755 "$here/redis-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$root/data"
  tar -C "$root" -c . | docker import \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' -c 'CMD ["redis-server"]' \
    -c 'EXPOSE 6379' -c 'WORKDIR /data' -c 'VOLUME /data' -c 'ENV LANG=C.UTF-8' - "$tag" >&2
  rm -rf "$root" "$root.log"
  log "built $tag"
}

for tag in $images; do
  docker image inspect "$tag" >/dev/null 2>&1 && continue
  if timeout 30 docker pull -q "$tag" >/dev/null 2>&1; then log "pulled $tag"; continue; fi
  case "$tag" in
    postgres:*-trixie)   major=${tag#postgres:}; build_image "$tag" trixie   "${major%%-*}" ;;
    postgres:*-bookworm) major=${tag#postgres:}; build_image "$tag" bookworm "${major%%-*}" ;;
    redis:*-bookworm)    build_redis "$tag" bookworm ;;
    redis:*-trixie)      build_redis "$tag" trixie ;;
    *) log "cannot pull $tag and no recipe to build it"; exit 1 ;;
  esac
done

# The image upgrade examples need a second build of the current major version (the
# official images have many; offline there is one): derive one with its own image id.
rebuilt=${STATEFUL_EXAMPLE_REBUILT_IMAGE:-stateful-examples/postgres:17-rebuilt}
base=$(printf '%s\n' $images | grep -m1 '^postgres:')
if ! docker image inspect "$rebuilt" >/dev/null 2>&1; then
  log "building $rebuilt from $base"
  printf 'FROM %s\nENV STATEFUL_EXAMPLE_REBUILT=1\nLABEL dev.stateful.example=rebuilt\n' "$base" \
    | docker build -q -t "$rebuilt" - >&2
fi
[ -n "${STATEFUL_EXAMPLE_REBUILT_IMAGE:-}" ] || echo "export STATEFUL_EXAMPLE_REBUILT_IMAGE=$rebuilt"

# The library's default image (official postgres:17) can't be had without a registry:
# point Stateful at the first image of the list unless the caller chose one.
if [ -z "${STATEFUL_IMAGE:-}" ] && ! docker image inspect postgres:17 >/dev/null 2>&1; then
  echo "export STATEFUL_IMAGE=${images%% *}"
fi
echo "export TESTCONTAINERS_CHECKS_DISABLE=true"
# Ryuk reaps containers after a JVM dies; without its image, it must be off.
ryuk=$(docker images --format '{{.Repository}}' | grep -c '^testcontainers/ryuk$' || true)
[ "$ryuk" != 0 ] || echo "export TESTCONTAINERS_RYUK_DISABLED=true"
# Inside a container-like sandbox Testcontainers would otherwise start a helper
# container to find the gateway address; the engine runs on this host.
if [ -z "${DOCKER_HOST:-}" ] && [ -e /.dockerenv ]; then echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost"; fi
