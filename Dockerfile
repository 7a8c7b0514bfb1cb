# influxdb3-offline-tokens as a small image for init containers, one-shot Jobs, Compose
# token services and CI. Build: docker build -t influxdb3-offline-tokens:0.1.0 .
#
# Stage 1 builds the bundle and packs the package exactly as `npm pack` ships it;
# stage 2 installs only that tarball (it has no dependencies), so the image holds Node,
# the bundle and nothing from the build.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the `dependencies` script would build before the sources are copied in.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json api-extractor.json ./
COPY scripts ./scripts
COPY schemas ./schemas
COPY src ./src
COPY bin ./bin
# The library's API report (the build checks the types against it) and the man page the package ships.
COPY docs ./docs
COPY LICENSE README.md ./
RUN node scripts/build.mjs \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/influxdb3-offline-tokens-*.tgz /tmp/influxdb3-offline-tokens.tgz

FROM node:20-alpine
COPY --from=build /tmp/influxdb3-offline-tokens.tgz /tmp/
RUN npm install -g --offline --no-audit --no-fund /tmp/influxdb3-offline-tokens.tgz \
 && rm /tmp/influxdb3-offline-tokens.tgz \
 && npm cache clean --force \
 && addgroup -g 1500 influxdb3 \
 && adduser -u 1500 -G influxdb3 -D -H -s /sbin/nologin influxdb3 \
 && mkdir -p /tokens \
 && chown 1500:1500 /tokens \
 && chmod 0700 /tokens
# The official InfluxDB 3 image runs as uid 1500: files written by this user are the
# server's own. Run as root only to hand files to other users (--owner).
USER 1500:1500
WORKDIR /tokens
ENTRYPOINT ["influxdb3-offline-tokens"]
CMD ["--help"]
