#!/usr/bin/env bash
# The container test's machine (npm run test:containers runs this first): a Docker engine whose
# containers have no route off this machine, and the base images the repository's Dockerfiles start
# from, made here, since no registry can be reached and nothing may be pulled:
#   casino-standin/debian:bookworm                  debootstrap --variant=minbase, trimmed like -slim
#   casino-standin/node:20-bookworm-slim            + this machine's Node.js and npm, user node (1000)
#   casino-standin/nginx-unprivileged:1.28          + Debian's nginx as uid 101, the entry point
#   casino-standin/redis:7                          + Debian's redis-server
#   casino-standin/prometheus:2                     + Debian's prometheus
# What exists is kept: the engine if it answers, each image from the build cache. Runs as root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${CASINO_CONTAINERS_WORK:-/var/tmp/casino-containers}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"

say() { printf 'containers: %s\n' "$*"; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Masquerading and forwarding off, and no iptables rules: containers reach each other and ports
# published on this machine, nothing beyond it.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $work/dockerd.log)"
  nohup dockerd --iptables=false --ip-masq=false --ip-forward=false >"$work/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || {
    tail -20 "$work/dockerd.log" >&2
    exit 1
  }
fi

has_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! has_image casino-standin/debian:bookworm; then
  say "debootstrap bookworm from $mirror"
  rootfs="$work/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    exit 1
  }
  # As Docker's Debian images: package installs start no services, and leave no documentation,
  # manual pages, translations or package caches behind.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
SLIM
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  : >"$rootfs/etc/resolv.conf"
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - casino-standin/debian:bookworm >/dev/null
  rm -rf "$rootfs"
fi

# The classic builder: the engine (20.10) is older than some docker clients, whose BuildKit it lacks.
build() {
  local tag=$1 dockerfile=$2 context=$3 log
  log="$work/build-${tag//[\/:]/-}.log"
  say "building $tag"
  DOCKER_BUILDKIT=0 docker build --network host -t "$tag" -f "$dockerfile" "$context" >"$log" 2>&1 || {
    tail -30 "$log" >&2
    exit 1
  }
}

# Node.js and npm as this machine has them, and its CA bundle, for the node stand-in's context.
node_context="$work/node-context"
rm -rf "$node_context"
mkdir -p "$node_context"
cp "$(node -p process.execPath)" "$node_context/node"
cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$node_context/npm"
cp /etc/ssl/certs/ca-certificates.crt "$node_context/ca-certificates.crt"
build casino-standin/node:20-bookworm-slim "$here/standins/node.Dockerfile" "$node_context"
rm -rf "$node_context"

build casino-standin/nginx-unprivileged:1.28 "$here/standins/nginx.Dockerfile" "$here/standins"
build casino-standin/redis:7 "$here/standins/redis.Dockerfile" "$here/standins"
build casino-standin/prometheus:2 "$here/standins/prometheus.Dockerfile" "$here/standins"
say "engine and base images ready"
