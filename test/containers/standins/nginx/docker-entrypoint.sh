#!/bin/sh
# The nginx images' entry point, as the frontend image relies on it: when the command is nginx,
# each file of /docker-entrypoint.d in version order, *.envsh sourced (so what it exports reaches
# the scripts after it) and *.sh run, if executable; then the command.
set -e

say() {
  if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then echo "$@"; fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
  find /docker-entrypoint.d/ -follow -type f -print | sort -V | while read -r f; do
    case "$f" in
      *.envsh)
        if [ -x "$f" ]; then
          say "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        else
          say "$0: ignoring $f, not executable"
        fi
        ;;
      *.sh)
        if [ -x "$f" ]; then
          say "$0: running $f"
          "$f"
        else
          say "$0: ignoring $f, not executable"
        fi
        ;;
      *) say "$0: ignoring $f" ;;
    esac
  done
fi

exec "$@"
