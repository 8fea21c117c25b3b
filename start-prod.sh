#!/usr/bin/env bash
# Deploys the casino with Docker Compose on this machine, as a tracked Sentry release:
# checks .env, bumps the patch version everywhere, builds every image, creates the Sentry release
# (commits, the frontend's source maps), starts the stack, waits for every healthcheck, marks the
# deploy in Sentry and prints where everything is. `./start-prod.sh --help` for the options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# sentry-cli, pinned: the root does not depend on @sentry/cli, so npx fetches this exact version.
# Its binary comes in an npm optional dependency (@sentry/cli-linux-x64 and the like), so it works
# even where install scripts are off (npm_config_ignore_scripts=true).
SENTRY_CLI_VERSION="3.8.0"
SENTRY_CLI=(npx --yes "@sentry/cli@${SENTRY_CLI_VERSION}")

REQUIRED_VARS=(JWT_SECRET ADMIN_TOKEN)
OPTIONAL_VARS=(SENTRY_AUTH_TOKEN SENTRY_ORG SENTRY_PROJECT SENTRY_URL SENTRY_DSN SENTRY_ENVIRONMENT MONGO_URL REDIS_URL)
STEPS=9

usage() {
  cat <<'EOF'
Usage: ./start-prod.sh [options]

Deploys the casino with Docker Compose, as a new patch release tracked in Sentry:
  1. loads the platform's settings from .env (the names .env.example lists or docker-compose.yml
     reads; variables already set in the environment win; any other name is ignored) and checks it:
     JWT_SECRET (at least 32 characters) and ADMIN_TOKEN (at least 16) are required;
     SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT, SENTRY_URL and the rest are optional
  2. bumps the patch version (1.0.58 -> 1.0.59) in package.json, every workspace's package.json
     and their entries in package-lock.json
  3. exports SENTRY_RELEASE=casino@<new version>
  4. builds the gateway's image, then every other one in parallel from its cache (docker compose,
     or docker-compose)
  5. with SENTRY_AUTH_TOKEN set: creates the Sentry release, sets its commits, uploads the
     frontend's source maps (taken from the built frontend image) and finalizes it
  6. starts the stack (up -d)
  7. waits until every container's healthcheck is healthy
  8. with SENTRY_AUTH_TOKEN set: records the deploy in Sentry
  9. prints the URLs

Options:
  --env-file FILE          settings file (default: .env beside this script)
  --dry-run                print every step and its exact commands, change nothing; still checks
                           the settings and prints the next version
  --no-bump                keep the current version (release casino@<current version>)
  --only bump              only bump the version, nothing else (no settings needed)
  --timeout SECONDS        how long to wait for the healthchecks (default 180)
  --environment NAME       Sentry environment of the deploy (default: SENTRY_ENVIRONMENT, else
                           NODE_ENV, else production)
  --sourcemaps-from WHERE  image (default): copy frontend/dist out of the built frontend image,
                           so the maps match the served files byte for byte;
                           local: build the frontend here (npm run build -w @casino/frontend)
  --frontend-dist PATH     where the frontend image keeps the build (default /app/frontend/dist)
  -h, --help               this help

Secrets are never printed. sentry-cli runs as npx --yes @sentry/cli@SENTRY_CLI_VERSION_HERE.
EOF
}

die() {
  printf 'start-prod.sh: %s\n' "$*" >&2
  exit 1
}

# --- Options --------------------------------------------------------------------------------------
ENV_FILE=""
DRY_RUN=false
BUMP=true
ONLY=""
TIMEOUT=180
ENVIRONMENT=""
SOURCEMAPS_FROM="image"
FRONTEND_DIST="/app/frontend/dist"

need_value() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage | sed "s/SENTRY_CLI_VERSION_HERE/${SENTRY_CLI_VERSION}/"
      exit 0
      ;;
    --env-file) need_value "$@"; ENV_FILE="$2"; shift 2 ;;
    --env-file=*) ENV_FILE="${1#*=}"; shift ;;
    --dry-run) DRY_RUN=true; shift ;;
    --no-bump | --skip-bump) BUMP=false; shift ;;
    --only) need_value "$@"; ONLY="$2"; shift 2 ;;
    --only=*) ONLY="${1#*=}"; shift ;;
    --timeout) need_value "$@"; TIMEOUT="$2"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    --environment) need_value "$@"; ENVIRONMENT="$2"; shift 2 ;;
    --environment=*) ENVIRONMENT="${1#*=}"; shift ;;
    --sourcemaps-from) need_value "$@"; SOURCEMAPS_FROM="$2"; shift 2 ;;
    --sourcemaps-from=*) SOURCEMAPS_FROM="${1#*=}"; shift ;;
    --frontend-dist) need_value "$@"; FRONTEND_DIST="$2"; shift 2 ;;
    --frontend-dist=*) FRONTEND_DIST="${1#*=}"; shift ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ -z $ONLY || $ONLY == bump ]] || die "--only takes one step: bump (got '$ONLY')"
[[ $ONLY != bump || $BUMP == true ]] || die "--only bump and --no-bump contradict each other"
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -gt 0 ]] || die "--timeout must be a whole number of seconds above 0 (got '$TIMEOUT')"
[[ $SOURCEMAPS_FROM == image || $SOURCEMAPS_FROM == local ]] || die "--sourcemaps-from must be image or local (got '$SOURCEMAPS_FROM')"
command -v node >/dev/null 2>&1 || die "node is needed (to read .env and package.json files)"
# A relative --env-file is relative to where the script is run from; everything else to the repository.
if [[ -n $ENV_FILE ]]; then
  [[ -f $ENV_FILE ]] || die "the settings file $ENV_FILE does not exist (copy .env.example to it and fill in JWT_SECRET and ADMIN_TOKEN)"
  ENV_FILE="$(cd "$(dirname "$ENV_FILE")" && pwd)/$(basename "$ENV_FILE")"
fi
cd "$ROOT"

# --- Output, with secrets masked --------------------------------------------------------------------
SECRET_NAME='(SECRET|TOKEN|PASSWORD|DSN|KEY)'

# Replaces the value of every secret-looking variable (and URLs' user:password@) with ***.
mask() {
  local text="$*" name value
  while IFS='=' read -r name _; do
    [[ $name =~ $SECRET_NAME || $name == MONGO_URL || $name == REDIS_URL ]] || continue
    value="${!name:-}"
    [[ ${#value} -ge 4 ]] && text="${text//"$value"/***}"
  done < <(compgen -e)
  printf '%s' "$text" | sed -E 's#(://)[^/@[:space:]]+@#\1***@#g'
}

say() {
  printf '%s\n' "$(mask "$*")"
}

STEP=0
step() {
  STEP=$((STEP + 1))
  say ""
  say "==> [${STEP}/${STEPS}] $*"
}

# Prints a command (shell-quoted, masked) and runs it unless this is a dry run.
run() {
  say "+ $(printf '%q ' "$@" | sed 's/ $//')"
  if [[ $DRY_RUN == false ]]; then
    "$@"
  fi
}

# --- 1. Settings ------------------------------------------------------------------------------------
# Reads FILE with Node's own dotenv parser (the one the services use) and exports each of the
# platform's settings not already set (non-empty) in the environment. A setting is a name that
# .env.example lists or docker-compose.yml reads; any other name (NODE_OPTIONS, LD_PRELOAD,
# BASH_ENV, PATH...) would change how this script and its tools run, so it is named and ignored.
load_env_file() {
  local file="$1" parsed key value
  parsed="$(mktemp)"
  if ! node -e '
    const { parseEnv } = require("node:util");
    const { existsSync, readFileSync } = require("node:fs");
    const [file, root] = process.argv.slice(1);
    const read = (name) => (existsSync(root + "/" + name) ? readFileSync(root + "/" + name, "utf8") : "");
    const settings = new Set([
      ...[...read(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
      ...[...read("docker-compose.yml").matchAll(/[$][{]([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
    ]);
    const ignored = [];
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
      if (settings.has(key)) process.stdout.write(key + "\0" + value + "\0");
      else ignored.push(key);
    }
    process.stdout.write("\0" + ignored.sort().join(", ") + "\0");
  ' "$file" "$ROOT" >"$parsed"; then
    rm -f "$parsed"
    die "could not read $file"
  fi
  while IFS= read -r -d '' key && IFS= read -r -d '' value; do
    if [[ -z $key ]]; then
      [[ -z $value ]] || say "    ignored, not settings of the platform: $value"
    # An empty value means "not set", as for the services.
    elif [[ -n $value && -z ${!key:-} ]]; then
      export "$key=$value"
    fi
  done <"$parsed"
  rm -f "$parsed"
}

join_by() {
  local separator="$1" first="$2"
  shift 2
  printf '%s' "$first" "${@/#/$separator}"
}

check_settings() {
  local problems=() name
  for name in "${REQUIRED_VARS[@]}"; do
    [[ -n ${!name:-} ]] || problems+=("$name is missing")
  done
  if [[ -n ${JWT_SECRET:-} && ${#JWT_SECRET} -lt 32 ]]; then problems+=("JWT_SECRET must be at least 32 characters"); fi
  if [[ -n ${ADMIN_TOKEN:-} && ${#ADMIN_TOKEN} -lt 16 ]]; then problems+=("ADMIN_TOKEN must be at least 16 characters"); fi
  if [[ -n ${SENTRY_AUTH_TOKEN:-} ]]; then
    for name in SENTRY_ORG SENTRY_PROJECT; do
      [[ -n ${!name:-} ]] || problems+=("$name is missing (needed with SENTRY_AUTH_TOKEN for release tracking)")
    done
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    {
      printf 'start-prod.sh: the settings (%s) are not ready for a deployment:\n' "$ENV_DESCRIPTION"
      printf '  - %s\n' "${problems[@]}"
      printf 'Required: %s. Optional: %s (SENTRY_AUTH_TOKEN, SENTRY_ORG and SENTRY_PROJECT turn on release tracking).\n' \
        "$(join_by ', ' "${REQUIRED_VARS[@]}")" "$(join_by ', ' "${OPTIONAL_VARS[@]}")"
      printf 'See .env.example for what each one means.\n'
    } >&2
    exit 1
  fi
}

describe_var() {
  local name="$1"
  if [[ -z ${!name:-} ]]; then
    printf '%s not set' "$name"
  elif [[ $name =~ $SECRET_NAME || $name == MONGO_URL || $name == REDIS_URL ]]; then
    printf '%s set (hidden)' "$name"
  else
    printf '%s=%s' "$name" "${!name}"
  fi
}

# --- 2. Version -------------------------------------------------------------------------------------
# `bump_versions check|write`: prints "current <v>", "next <v>" and one "file <path>" per file it
# changes (or would change). Reads the workspaces from the root package.json; workspace packages
# that pin each other to the old version (@casino/shared: "0.1.0") are moved along.
bump_versions() {
  node -e '
    const fs = require("node:fs");
    const path = require("node:path");
    const [root, mode] = process.argv.slice(1);
    const fail = (message) => { console.error("start-prod.sh: " + message); process.exit(1); };
    const read = (file) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
    const write = (file, json) => fs.writeFileSync(path.join(root, file), JSON.stringify(json, null, 2) + "\n");

    const pkg = read("package.json");
    const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(pkg.version));
    if (!parts) fail("package.json has version " + JSON.stringify(pkg.version) + ", not MAJOR.MINOR.PATCH");
    const current = pkg.version;
    const next = parts[1] + "." + parts[2] + "." + (Number(parts[3]) + 1);

    const dirs = [];
    for (const pattern of pkg.workspaces || []) {
      if (pattern.endsWith("/*") && !pattern.slice(0, -2).includes("*")) {
        const parent = pattern.slice(0, -2);
        for (const entry of fs.readdirSync(path.join(root, parent), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          if (entry.isDirectory() && fs.existsSync(path.join(root, parent, entry.name, "package.json"))) dirs.push(parent + "/" + entry.name);
        }
      } else if (!pattern.includes("*")) {
        if (!fs.existsSync(path.join(root, pattern, "package.json"))) fail("workspace " + pattern + " has no package.json");
        dirs.push(pattern);
      } else {
        fail("unsupported workspace pattern " + pattern + " (only dir and dir/*)");
      }
    }

    const workspaces = dirs.map((dir) => ({ dir, file: dir + "/package.json", json: read(dir + "/package.json") }));
    const names = new Set(workspaces.map((w) => w.json.name));
    const sections = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];
    // Pins between workspaces that name the old version exactly (or ^/~ it) follow the bump.
    const movePins = (json) => {
      for (const section of sections) {
        for (const [name, spec] of Object.entries(json[section] || {})) {
          if (names.has(name)) {
            const m = /^([\^~]?)(.*)$/.exec(spec);
            if (m[2] === current) json[section][name] = m[1] + next;
          }
        }
      }
    };

    const changed = [];
    pkg.version = next;
    movePins(pkg);
    changed.push(["package.json", pkg]);
    for (const w of workspaces) {
      w.json.version = next;
      movePins(w.json);
      changed.push([w.file, w.json]);
    }
    if (fs.existsSync(path.join(root, "package-lock.json"))) {
      const lock = read("package-lock.json");
      if (lock.name === pkg.name) lock.version = next;
      const entries = lock.packages || {};
      for (const key of ["", ...dirs]) {
        if (entries[key]) {
          entries[key].version = next;
          movePins(entries[key]);
        }
      }
      changed.push(["package-lock.json", lock]);
    }

    console.log("current " + current);
    console.log("next " + next);
    for (const [file, json] of changed) {
      if (mode === "write") write(file, json);
      console.log("file " + file);
    }
  ' "$ROOT" "$1"
}

# --- Docker Compose -----------------------------------------------------------------------------------
COMPOSE=()
detect_compose() {
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  elif [[ $DRY_RUN == true ]]; then
    say "    (neither docker compose nor docker-compose is available here; a real run would stop)"
    COMPOSE=(docker compose)
  else
    die "neither 'docker compose' nor 'docker-compose' works here: install Docker with the Compose plugin"
  fi
  if [[ -n $ENV_FILE_USED ]]; then
    COMPOSE+=(--env-file "$ENV_FILE_USED")
  fi
}

# --- Sentry -------------------------------------------------------------------------------------------
sentry() {
  run "${SENTRY_CLI[@]}" "$@"
}

# The frontend's build: copied out of the built image (what is served, byte for byte), or built here.
frontend_build_dir() {
  local out="$1" container
  if [[ $SOURCEMAPS_FROM == local ]]; then
    # vite.config.ts bakes SENTRY_RELEASE (exported above) and SENTRY_ENVIRONMENT into the bundle;
    # NODE_ENV=production so that a development NODE_ENV from .env cannot make a development bundle.
    run env NODE_ENV=production npm run build -w @casino/frontend
    FRONTEND_BUILD="$ROOT/frontend/dist"
    return
  fi
  run "${COMPOSE[@]}" create frontend
  say "+ container=\$($(printf '%q ' "${COMPOSE[@]}")ps -a -q frontend)"
  if [[ $DRY_RUN == true ]]; then
    say "+ docker cp \"\$container:${FRONTEND_DIST}/.\" ${out}"
  else
    container="$("${COMPOSE[@]}" ps -a -q frontend | head -n 1)"
    [[ -n $container ]] || die "no frontend container after '${COMPOSE[*]} create frontend'"
    run docker cp "${container}:${FRONTEND_DIST}/." "$out"
  fi
  FRONTEND_BUILD="$out"
}

sentry_release() {
  local work="${TMPDIR:-/tmp}/start-prod.XXXXXXXX"
  if [[ $DRY_RUN == false ]]; then
    work="$(mktemp -d -t start-prod.XXXXXXXX)"
    START_PROD_WORK="$work"
    trap 'rm -rf -- "$START_PROD_WORK"' EXIT
  fi
  sentry releases new "$SENTRY_RELEASE"
  if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    say "    not a git repository: no commits for the release"
  elif [[ -n "$(git -C "$ROOT" remote 2>/dev/null)" ]]; then
    sentry releases set-commits "$SENTRY_RELEASE" --auto --ignore-missing ||
      say "    warning: could not set the commits (is the repository connected in Sentry?); going on"
  else
    say "    no git remote: commits from the local history"
    sentry releases set-commits "$SENTRY_RELEASE" --local ||
      say "    warning: could not set the commits; going on"
  fi
  frontend_build_dir "$work/dist"
  if [[ $DRY_RUN == false ]] && ! compgen -G "$FRONTEND_BUILD/assets/*.map" >/dev/null; then
    die "no source maps in $FRONTEND_BUILD/assets: the frontend image must keep frontend/dist/assets/*.map (vite's hidden source maps)"
  fi
  # Hidden source maps: the served files name no map, so Sentry matches them by release and path
  # (~/assets/<file>), exactly as the browser SDK reports them under SENTRY_RELEASE.
  # shellcheck disable=SC2088  # ~/ is Sentry's "any origin", not a home directory
  sentry sourcemaps upload --release "$SENTRY_RELEASE" --url-prefix '~/assets' "$FRONTEND_BUILD/assets"
  sentry releases finalize "$SENTRY_RELEASE"
}

# --- 7. Health ----------------------------------------------------------------------------------------
# One line per container: "<service> <state> <health or none> <exit code>".
container_states() {
  local ids
  ids="$("${COMPOSE[@]}" ps -a -q)"
  [[ -n $ids ]] || return 0
  # shellcheck disable=SC2086  # one id per word
  docker inspect --format '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' $ids
}

wait_healthy() {
  local deadline=$((SECONDS + TIMEOUT)) states service state health code waiting failed total ready last_report=-1000
  while true; do
    states="$(container_states)"
    waiting=()
    failed=()
    total=0
    ready=0
    while read -r service state health code; do
      [[ -n $service ]] || continue
      total=$((total + 1))
      if [[ $state == exited && $code != 0 ]] || [[ $state == dead ]]; then
        failed+=("$service ($state, exit code $code)")
      elif [[ $health == healthy || ($health == none && $state == running) || ($state == exited && $code == 0) ]]; then
        ready=$((ready + 1))
      elif [[ $health == none ]]; then
        waiting+=("$service ($state)")
      else
        waiting+=("$service ($health)")
      fi
    done <<<"$states"
    if [[ ${#failed[@]} -gt 0 ]]; then
      die "these containers stopped: ${failed[*]}; see '${COMPOSE[*]} logs <service>'"
    fi
    if [[ $total -eq 0 ]]; then
      waiting=("every service (no container yet)")
    fi
    if [[ ${#waiting[@]} -eq 0 ]]; then
      say "    all ${total} containers are healthy"
      return 0
    fi
    if [[ $SECONDS -ge $deadline ]]; then
      die "not healthy after ${TIMEOUT} s: ${waiting[*]}; see '${COMPOSE[*]} ps' and '${COMPOSE[*]} logs <service>'"
    fi
    if [[ $((SECONDS - last_report)) -ge 10 ]]; then
      say "    ${ready}/${total} healthy after $((SECONDS - deadline + TIMEOUT)) s; waiting for: ${waiting[*]}"
      last_report=$SECONDS
    fi
    sleep 2
  done
}

# --- The run ------------------------------------------------------------------------------------------
if [[ $ONLY == bump ]]; then
  [[ $DRY_RUN == false ]] || say "start-prod.sh --only bump --dry-run: nothing is written."
  mode="write"
  if [[ $DRY_RUN == true ]]; then mode="check"; fi
  output="$(bump_versions "$mode")"
  next="$(sed -n 's/^next //p' <<<"$output")"
  say "Version $(sed -n 's/^current //p' <<<"$output") -> ${next}"
  sed -n 's/^file /    /p' <<<"$output"
  exit 0
fi

if [[ $DRY_RUN == true ]]; then
  say "start-prod.sh --dry-run: every step and command is printed; nothing is changed, built, uploaded or started."
fi

# 1. Settings
ENV_FILE_USED=""
if [[ -z $ENV_FILE ]]; then
  if [[ -f "$ROOT/.env" ]]; then ENV_FILE_USED="$ROOT/.env"; fi
else
  ENV_FILE_USED="$ENV_FILE"
fi
if [[ -n $ENV_FILE_USED ]]; then
  ENV_DESCRIPTION="$ENV_FILE_USED and the environment"
  step "Load the settings from $ENV_FILE_USED (variables set in the environment win)"
  load_env_file "$ENV_FILE_USED"
else
  ENV_DESCRIPTION="the environment; there is no .env"
  step "Load the settings from the environment (there is no $ROOT/.env)"
fi
check_settings
required_line=""
for name in "${REQUIRED_VARS[@]}"; do required_line+="$(describe_var "$name"), "; done
optional_line=""
for name in "${OPTIONAL_VARS[@]}"; do optional_line+="$(describe_var "$name"), "; done
say "    required: ${required_line%, }"
say "    optional: ${optional_line%, }"

# 2. Version
if [[ $BUMP == true ]]; then
  output="$(bump_versions check)"
  current="$(sed -n 's/^current //p' <<<"$output")"
  next="$(sed -n 's/^next //p' <<<"$output")"
  step "Bump the version: ${current} -> ${next}"
  say "    next version: ${next}"
  while read -r file; do
    say "+ set \"version\": \"${next}\" in ${file}"
  done < <(sed -n 's/^file //p' <<<"$output")
  if [[ $DRY_RUN == false ]]; then
    bump_versions write >/dev/null
  fi
else
  next="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
  step "Keep the version (--no-bump): ${next}"
  say "    version: ${next}"
fi

# 3. Release name, as the services name it by default (casino@<version in package.json>).
step "Release casino@${next}"
if [[ -n ${SENTRY_RELEASE:-} && $SENTRY_RELEASE != "casino@${next}" ]]; then
  say "    (replacing SENTRY_RELEASE=${SENTRY_RELEASE} from the settings)"
fi
say "+ export SENTRY_RELEASE=casino@${next}"
export SENTRY_RELEASE="casino@${next}"
if [[ -z $ENVIRONMENT ]]; then
  ENVIRONMENT="${SENTRY_ENVIRONMENT:-${NODE_ENV:-production}}"
fi
say "    Sentry environment of the deploy: ${ENVIRONMENT}"

# 4. Build
step "Build every image in parallel"
detect_compose
# Every image begins with the same full npm install. Built at once from an empty cache, each would
# run it for itself; the gateway's image builds it once, and the rest take it from the cache.
run "${COMPOSE[@]}" build gateway
run "${COMPOSE[@]}" build --parallel

# 5. Sentry release
TRACKING=false
if [[ -n ${SENTRY_AUTH_TOKEN:-} ]]; then TRACKING=true; fi
if [[ $TRACKING == true ]]; then
  # sentry-cli reads SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT and SENTRY_URL from the
  # environment, so no secret is ever on a command line; an empty one would be taken as set.
  for name in SENTRY_URL SENTRY_ORG SENTRY_PROJECT; do
    if [[ -z ${!name:-} ]]; then unset "$name"; fi
  done
  step "Create the Sentry release ${SENTRY_RELEASE} (sentry-cli ${SENTRY_CLI_VERSION} through npx; token, org and project from the environment)"
  sentry_release
else
  step "Sentry release: skipped (SENTRY_AUTH_TOKEN is not set)"
fi

# 6. Start
step "Start the stack"
run "${COMPOSE[@]}" up -d

# 7. Health
step "Wait until every container is healthy (at most ${TIMEOUT} s)"
say "+ $(printf '%q ' "${COMPOSE[@]}")ps -a -q, then docker inspect each container's health every 2 s"
if [[ $DRY_RUN == false ]]; then
  wait_healthy
fi

# 8. Deploy marker
if [[ $TRACKING == true ]]; then
  step "Record the deploy of ${SENTRY_RELEASE} to ${ENVIRONMENT} in Sentry"
  sentry deploys new --release "$SENTRY_RELEASE" -e "$ENVIRONMENT"
else
  step "Sentry deploy: skipped (SENTRY_AUTH_TOKEN is not set)"
fi

# 9. URLs
step "Ready: ${SENTRY_RELEASE}"
cat <<'EOF'
    Lobby (frontend)   http://localhost:3000
    Ops console        http://localhost:3000/console
    Gateway API        http://localhost:8080/api/v1
    Swagger UI         http://localhost:8080/api-docs
    Grafana            http://localhost:3001
    Prometheus         http://localhost:9090
    Spotlight          http://localhost:8969
EOF
if [[ $DRY_RUN == false && $BUMP == true ]]; then
  say ""
  say "The version bump to ${next} is not committed: git commit -am 'Release ${next}'"
fi
