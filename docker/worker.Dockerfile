# syntax=docker/dockerfile:1
#
# CertFlow Temporal worker (apps/worker): the credential-set and party workflows, their activities
# and the projector, run from TypeScript source with @swc-node/register as in development.
#
#   docker build -f docker/worker.Dockerfile -t certflow-worker .  # context: the repository root
#
# Build context: docker/worker.Dockerfile.dockerignore (BuildKit reads <Dockerfile>.dockerignore
# before a root .dockerignore). Only the paths named in COPY below enter the image.

FROM node:20-bookworm-slim AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    SCARF_ANALYTICS=false
WORKDIR /app

# ---- deps: production node_modules (identical in api.Dockerfile: one cache entry) ----------------
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

# ---- source: the workspace sources the worker loads ---------------------------------------------
FROM base AS source
COPY package.json tsconfig.base.json ./
COPY libs/ libs/
COPY workflows/ workflows/
COPY policies/ policies/
COPY apps/worker/ apps/worker/
# Tests stay out of the image even when no ignore file filtered them from the context.
RUN find apps libs workflows \( -name '*.spec.ts' -o -name '*.int-spec.ts' -o -name '*.e2e-spec.ts' \
      -o -name 'jest.config.*' \) -delete

# ---- bundle: the workflow bundle, built once here instead of at every worker start ----------------
# Same code as the runtime's workflows/ (built from the source stage); WORKFLOW_BUNDLE points the
# worker at it. Uses the CLI's bundle-workflows, which only this stage needs.
FROM base AS bundle
ENV NODE_ENV=production \
    SWC_NODE_PROJECT=tsconfig.base.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=source /app ./
COPY apps/cli/ apps/cli/
COPY tools/certflow.mjs tools/certflow.mjs
RUN node tools/certflow.mjs bundle-workflows /app/dist/workflows/bundle.js

# ---- runtime ------------------------------------------------------------------------------------
FROM base AS runtime
LABEL org.opencontainers.image.title="certflow-worker" \
      org.opencontainers.image.description="CertFlow Temporal worker and projector"
ENV NODE_ENV=production \
    SWC_NODE_PROJECT=tsconfig.base.json \
    WORKFLOW_BUNDLE=/app/dist/workflows/bundle.js
# Code and dependencies stay owned by root and read-only to the service user.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=source /app ./
COPY --from=bundle /app/dist/workflows/bundle.js dist/workflows/bundle.js
# `node` (uid 1000) comes with the base image; numeric, so runAsNonRoot checks can verify it.
USER 1000:1000
# No HTTP port, so no HEALTHCHECK: a worker's liveness is its pollers on the task queue
# (`temporal task-queue describe --task-queue certflow`); a crashed process exits and is restarted.
# The Temporal SDK drains in-flight tasks on SIGTERM before worker.run() returns.
STOPSIGNAL SIGTERM
CMD ["node", "-r", "@swc-node/register", "apps/worker/src/main.ts"]
