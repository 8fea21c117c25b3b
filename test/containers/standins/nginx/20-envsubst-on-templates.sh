#!/bin/sh
# Renders every *.template under NGINX_ENVSUBST_TEMPLATE_DIR (/etc/nginx/templates) into
# NGINX_ENVSUBST_OUTPUT_DIR (/etc/nginx/conf.d), the suffix dropped, substituting only the
# environment variables whose names match NGINX_ENVSUBST_FILTER (all when it is empty).
set -e

template_dir=${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}
suffix=${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}
output_dir=${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}
filter=${NGINX_ENVSUBST_FILTER:-}

[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
  echo "$0: ERROR: $template_dir exists, but $output_dir is not writable" >&2
  exit 0
fi

# shellcheck disable=SC2016 # ${NAME} is what envsubst is told to replace
defined=$(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | grep -E -- "${filter:-.}" | sed 's/.*/${&}/' | tr '\n' ' ')

find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
  relative=${template#"$template_dir/"}
  output="$output_dir/${relative%"$suffix"}"
  mkdir -p "$(dirname "$output")"
  envsubst "$defined" <"$template" >"$output"
done
