#!/usr/bin/env bash
# Backs up the stack's MongoDB (every service's database) into one gzipped archive, through the
# running mongo container, and deletes this script's archives older than the retention period.
# `./backup.sh --help` for the options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The archives this script makes, and the only files its retention ever deletes.
NAME_PATTERN='^casino-[0-9]{8}T[0-9]{6}Z\.archive\.gz$'

usage() {
  cat <<'EOF'
Usage: ./backup.sh [options]

Dumps MongoDB through the mongo container of the Docker Compose stack:
  docker compose exec -T mongo mongodump --archive --gzip > DIR/casino-<UTC timestamp>.archive.gz
then deletes the archives in DIR older than the retention period. Only files named like its own
archives (casino-YYYYMMDDTHHMMSSZ.archive.gz) are ever deleted. Archives are readable by their
owner alone (mode 0600), as is a directory it makes for them (0700).

Options:
  --dir DIR              where the archives go (default: backups/ beside this script)
  --retention-days N     keep the archives of the last N days (default 30; a whole number, 1 or more)
  --env-file FILE        settings file for docker compose (default: its own, .env beside this script)
  --dry-run              print the commands and the archives that would be deleted; do nothing
  -h, --help             this help

Restore an archive with:
  docker compose exec -T mongo mongorestore --archive --gzip --drop < backups/casino-<timestamp>.archive.gz
EOF
}

die() {
  printf 'backup.sh: %s\n' "$*" >&2
  exit 1
}

need_value() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

BACKUP_DIR="$ROOT/backups"
RETENTION_DAYS=30
ENV_FILE=""
DRY_RUN=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dir) need_value "$@"; BACKUP_DIR="$2"; shift 2 ;;
    --dir=*) BACKUP_DIR="${1#*=}"; shift ;;
    --retention-days) need_value "$@"; RETENTION_DAYS="$2"; shift 2 ;;
    --retention-days=*) RETENTION_DAYS="${1#*=}"; shift ;;
    --env-file) need_value "$@"; ENV_FILE="$2"; shift 2 ;;
    --env-file=*) ENV_FILE="${1#*=}"; shift ;;
    --dry-run) DRY_RUN=true; shift ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ $RETENTION_DAYS =~ ^[0-9]+$ && $((10#$RETENTION_DAYS)) -ge 1 ]] ||
  die "--retention-days must be a whole number of days, 1 or more (got '$RETENTION_DAYS')"
RETENTION_DAYS=$((10#$RETENTION_DAYS))
[[ -n $BACKUP_DIR ]] || die "--dir must not be empty"
# Paths given relative to where the script is run from; Compose runs beside docker-compose.yml.
BACKUP_DIR="$(realpath -m -- "$BACKUP_DIR")"
if [[ -n $ENV_FILE ]]; then
  [[ -f $ENV_FILE ]] || die "the settings file $ENV_FILE does not exist"
  ENV_FILE="$(realpath -- "$ENV_FILE")"
fi
cd "$ROOT"

if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
elif [[ $DRY_RUN == true ]]; then
  echo "(neither docker compose nor docker-compose is available here; a real run would stop)"
  COMPOSE=(docker compose)
else
  die "neither 'docker compose' nor 'docker-compose' works here: install Docker with the Compose plugin"
fi
if [[ -n $ENV_FILE ]]; then COMPOSE+=(--env-file "$ENV_FILE"); fi
compose_text="$(printf '%q ' "${COMPOSE[@]}")"

[[ $DRY_RUN == false ]] || echo "backup.sh --dry-run: nothing is dumped, written or deleted."

# The mongo container must be running: exec into a stopped one fails with a less clear message.
mongo_running=false
container="$("${COMPOSE[@]}" ps -q mongo 2>/dev/null | head -n 1 || true)"
if [[ -n $container && "$(docker inspect --format '{{.State.Running}}' "$container" 2>/dev/null || true)" == true ]]; then
  mongo_running=true
fi
if [[ $mongo_running == false ]]; then
  message="the mongo container is not running: start the stack (./start-prod.sh, or ${compose_text}up -d mongo) first"
  if [[ $DRY_RUN == true ]]; then
    echo "(${message}; a real run would stop here)"
  else
    die "$message"
  fi
fi

# 1. Dump, to a partial file renamed on success: a failed dump never looks like an archive.
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
archive="$BACKUP_DIR/casino-${stamp}.archive.gz"
partial="$BACKUP_DIR/.casino-${stamp}.archive.gz.partial"
echo "+ mkdir -p $(printf '%q' "$BACKUP_DIR")"
echo "+ ${compose_text}exec -T mongo mongodump --archive --gzip > $(printf '%q' "$archive")"
if [[ $DRY_RUN == false ]]; then
  # Dumps hold every player's data: readable by this user alone, as is a directory made for them.
  umask 077
  mkdir -p "$BACKUP_DIR"
  trap 'rm -f "$partial"' EXIT
  if ! "${COMPOSE[@]}" exec -T mongo mongodump --archive --gzip >"$partial"; then
    die "mongodump failed; nothing was written and no archive was deleted"
  fi
  [[ -s $partial ]] || die "mongodump wrote nothing; no archive was deleted"
  mv "$partial" "$archive"
  trap - EXIT
  echo "Wrote $archive ($(du -h "$archive" | cut -f1))"
fi

# 2. Retention: this script's archives last modified more than N days ago.
old=()
if [[ -d $BACKUP_DIR ]]; then
  while IFS= read -r -d '' file; do
    if [[ "$(basename "$file")" =~ $NAME_PATTERN ]]; then old+=("$file"); fi
  done < <(find "$BACKUP_DIR" -maxdepth 1 -type f -name 'casino-*.archive.gz' -mmin "+$((RETENTION_DAYS * 1440))" -print0 | sort -z)
fi
if [[ ${#old[@]} -eq 0 ]]; then
  echo "No archive older than ${RETENTION_DAYS} days to delete."
else
  echo "Archives older than ${RETENTION_DAYS} days$([[ $DRY_RUN == true ]] && echo ' that would be deleted'):"
  for file in "${old[@]}"; do
    echo "+ rm -- $(printf '%q' "$file")"
    if [[ $DRY_RUN == false ]]; then rm -- "$file"; fi
  done
fi
