# syntax=docker/dockerfile:1

# Build stage: install the workspace from the lockfile, compile it with turbo, then copy the server
# with only its production dependencies (the workspace packages as their dist/) into /deploy. The
# web console (@memgate/console, a dependency of the server) is built by the same turbo run and
# ships as its dist/, served at /console (MEMGATE_CONSOLE=off turns it off).
FROM node:24-bookworm-slim AS build
RUN npm install --global pnpm@10.34.9
WORKDIR /src
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm exec turbo run build --filter=@memgate/server
RUN pnpm deploy --legacy --filter=@memgate/server --prod /deploy

# Runtime stage: compiled JavaScript on plain node, as the unprivileged `node` user. The code is
# owned by root (read-only for the server); only the data directory is writable.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8283 MEMGATE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /deploy ./
RUN mkdir /data && chown node:node /data
USER node
# The SQLite database (and the default user's key file) when DATABASE_URL is not set.
VOLUME ["/data"]
EXPOSE 8283
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
