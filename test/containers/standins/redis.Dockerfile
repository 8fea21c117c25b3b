# Stand-in for redis:7.4-alpine: Debian's redis-server (7.0) and redis-cli, run as the redis user
# from /data, as the official image does.
FROM casino-standin/debian:bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
