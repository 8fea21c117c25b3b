# Stand-in for node:20-bookworm-slim, which no registry here can give: Debian bookworm (minbase, from
# casino-standin/debian) with this machine's own Node.js and npm where the official image keeps
# them, and its `node` user (uid and gid 1000). engine.sh stages the build context: node, npm/ and
# this machine's CA bundle, which npm needs to reach the registry from a build here. The bundle is
# part of the local stand-in only, never of anything the repository ships.
FROM casino-standin/debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
  && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
