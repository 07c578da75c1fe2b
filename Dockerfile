# bouncewatch: one image, several roles (run, serve, follow, ingest, report).
# Build:  docker build -t bouncewatch .
# Run:    see docker-compose.yml (host /var/log read-only, a named volume for the database).

# ---- build: compile TypeScript, the web bundle and better-sqlite3's native module ----
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles with node-gyp when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Install without lifecycle scripts (the project's `prepare` needs the sources, copied below),
# then run only the install scripts of the native packages.
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild
COPY . .
# dist/scripts holds the benchmarks and corpus checks: tools for developers, not part of the product.
RUN npm run build \
 && rm -rf dist/scripts \
 && npm prune --omit=dev \
 && node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()"

# ---- runtime: no compilers, a non-root user in group adm (reads /var/log/mail.log) ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    BOUNCEWATCH_DB=/var/lib/bouncewatch/bouncewatch.db \
    BOUNCEWATCH_PORT=8550
# adm is gid 4 in Debian, the same group that owns the host's /var/log/mail.log on Debian and Ubuntu.
RUN groupadd --system bouncewatch \
 && useradd --system --gid bouncewatch --groups adm --home-dir /var/lib/bouncewatch \
      --shell /usr/sbin/nologin bouncewatch \
 && mkdir -p /var/lib/bouncewatch \
 && chown bouncewatch:bouncewatch /var/lib/bouncewatch \
 && chmod 0750 /var/lib/bouncewatch
WORKDIR /app
# Application files stay owned by root: the service user can read them, not change them.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The name alone, not user:group: only the implicit form gets the supplementary groups (adm) from /etc/group.
USER bouncewatch
VOLUME ["/var/lib/bouncewatch"]
EXPOSE 8550
# /healthz needs no credentials: ingest alive and database writable, 200 or 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.BOUNCEWATCH_PORT||8550)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/server/cli/bin.js"]
# The container's loopback is not the host's: listen on all container addresses, which makes a
# token mandatory (BOUNCEWATCH_TOKEN); publish the port on the host's 127.0.0.1 only.
CMD ["run", "--bind", "0.0.0.0", "/var/log/mail.log"]
