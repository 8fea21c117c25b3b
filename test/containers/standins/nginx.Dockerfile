# Stand-in for nginxinc/nginx-unprivileged:1.28: Debian's nginx (1.22) and curl, run as uid 101
# with the pid file and temporary files in /tmp, the official server block on 8080, and an
# entry point that does what the frontend image relies on: source /docker-entrypoint.d/*.envsh,
# run its *.sh, render /etc/nginx/templates/*.template into /etc/nginx/conf.d with the variables
# NGINX_ENVSUBST_FILTER lets through, then exec nginx.
FROM casino-standin/debian:bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends nginx-light gettext-base curl \
  && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available \
  && groupadd --system --gid 101 nginx \
  && useradd --system --uid 101 --gid nginx --no-create-home --home /nonexistent --shell /bin/false nginx \
  && mkdir -p /docker-entrypoint.d /etc/nginx/conf.d /usr/share/nginx/html /var/cache/nginx /var/log/nginx \
  && ln -sf /dev/stdout /var/log/nginx/access.log \
  && ln -sf /dev/stderr /var/log/nginx/error.log \
  && chown -R 101:0 /etc/nginx/conf.d /var/cache/nginx \
  && chmod -R g+w /etc/nginx/conf.d /var/cache/nginx
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/default.conf /etc/nginx/conf.d/default.conf
COPY nginx/docker-entrypoint.sh /docker-entrypoint.sh
COPY nginx/20-envsubst-on-templates.sh /docker-entrypoint.d/20-envsubst-on-templates.sh
EXPOSE 8080
STOPSIGNAL SIGQUIT
USER 101
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
