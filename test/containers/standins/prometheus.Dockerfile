# Stand-in for prom/prometheus: Debian's prometheus (2.42), run as nobody from /prometheus with the
# official image's entry point (/bin is /usr/bin) and default flags, and wget for the health check
# (the official image has busybox's).
FROM casino-standin/debian:bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends prometheus wget \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /prometheus /etc/prometheus \
  && chown nobody:nogroup /prometheus
WORKDIR /prometheus
USER nobody
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
