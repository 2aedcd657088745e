# syntax=docker/dockerfile:1
# Peil in a container (issue 15). Build: docker build -t peil .   Run with PostgreSQL and a mail
# catcher: docker compose up (compose.yaml). See README "Operating Peil".

# ---- build: install everything, compile the server and the admin app, then drop the dev dependencies
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# tsc compiles src/ with the tests beside it, which import test/ and bench/: they come along.
COPY tsconfig.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY locales ./locales
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY web ./web
RUN npm run build && npm prune --omit=dev

# ---- run: Node 22 slim, the compiled code, production dependencies, as an unprivileged user
FROM node:22-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PEIL_DATA_DIR=/data
WORKDIR /app
RUN groupadd --system --gid 10001 peil \
 && useradd --system --uid 10001 --gid peil --home-dir /app --shell /usr/sbin/nologin peil \
 && mkdir -p /data && chown peil:peil /data
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/locales ./locales
COPY --from=build /app/dist ./dist
USER peil
# PGlite's files, the lock and (development only) the generated master key. With DATABASE_URL it
# holds only the lock; backups (PEIL_BACKUP_DIR) can go here too.
VOLUME ["/data"]
EXPOSE 3000
# Liveness only: a database outage must not get the container restarted (/readyz is for the balancer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/peil.js", "start"]
