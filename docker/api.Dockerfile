# syntax=docker/dockerfile:1
#
# CertFlow staff API (apps/api, NestJS), run from its TypeScript source with @swc-node/register as
# in development. The same image runs the schema migrations (`node tools/certflow.mjs db migrate`).
#
#   docker build -f docker/api.Dockerfile -t certflow-api .        # context: the repository root
#
# Build context: docker/api.Dockerfile.dockerignore (BuildKit reads <Dockerfile>.dockerignore
# before a root .dockerignore). Only the paths named in COPY below enter the image.

FROM node:20-bookworm-slim AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    SCARF_ANALYTICS=false
WORKDIR /app

# ---- deps: production node_modules (identical in worker.Dockerfile: one cache entry) -------------
FROM base AS deps
# The project's npm (as on the developers' machines and in CI): npm 11 runs install scripts only for
# the packages in package.json's allowScripts (npm 10, bundled with Node 20, would run them all).
RUN npm install --global --no-audit --no-fund npm@11.19.1
COPY package.json package-lock.json .npmrc ./
COPY docker/install-deps.sh /usr/local/bin/install-deps
# install-deps runs `npm install --no-audit --no-fund --omit=dev` with the lockfile. Not `npm ci`:
# npm ci refuses this lockfile because the registry used to create it only served the Linux builds
# of optional platform packages (@swc/core-darwin-*, ...), which the lockfile therefore lacks.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    sh /usr/local/bin/install-deps

# ---- source: the workspace sources the API and the CLI's `db migrate` load ----------------------
FROM base AS source
COPY package.json tsconfig.base.json ./
COPY libs/ libs/
COPY workflows/ workflows/
COPY policies/ policies/
COPY apps/api/ apps/api/
COPY apps/cli/ apps/cli/
COPY tools/certflow.mjs tools/certflow.mjs
# Tests stay out of the image even when no ignore file filtered them from the context.
RUN find apps libs workflows \( -name '*.spec.ts' -o -name '*.int-spec.ts' -o -name '*.e2e-spec.ts' \
      -o -name 'jest.config.*' \) -delete

# ---- runtime ------------------------------------------------------------------------------------
FROM base AS runtime
LABEL org.opencontainers.image.title="certflow-api" \
      org.opencontainers.image.description="CertFlow staff API (NestJS) and schema migrations"
# HOST: the API binds 127.0.0.1 unless told otherwise; in a container it must listen on all
# interfaces. PORT is read by apps/api (default 3000).
ENV NODE_ENV=production \
    SWC_NODE_PROJECT=tsconfig.base.json \
    HOST=0.0.0.0 \
    PORT=3000
# Code and dependencies stay owned by root and read-only to the service user.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=source /app ./
# `node` (uid 1000) comes with the base image; numeric, so runAsNonRoot checks can verify it.
USER 1000:1000
EXPOSE 3000
# Liveness only (GET /health); GET /ready also checks PostgreSQL and Temporal. No curl in the slim
# image: Node 20's fetch does the request.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# NestJS's shutdown hooks close the HTTP server and connections on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "-r", "@swc-node/register", "apps/api/src/main.ts"]
