# syntax=docker/dockerfile:1
# One image for every dlsync process; docker-compose.yml picks the command per service:
#   node apps/worker/dist/main.js | node apps/scheduler/dist/main.js | node apps/admin/dist/main.js
#   node apps/cli/dist/main.js <command>   (also on PATH as `dlsync`)

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund
# Keep only what runs: manifests, build output, bins, migrations and production node_modules.
RUN mkdir /out \
 && cp package.json package-lock.json /out/ \
 && cp -r migrations node_modules /out/ \
 && for d in packages/* apps/*; do \
      mkdir -p "/out/$d" && cp "$d/package.json" "/out/$d/"; \
      if [ -d "$d/dist" ]; then cp -r "$d/dist" "/out/$d/"; fi; \
      if [ -d "$d/bin" ]; then cp -r "$d/bin" "/out/$d/"; fi; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

FROM node:22-bookworm-slim AS runtime
# A bounded heap: every task streams its work in pages, so 128 MB of old space is plenty and
# V8 is kept from growing the heap lazily with the garbage of long runs (see npm run bench).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=128 \
    PATH=/app/node_modules/.bin:$PATH \
    DLSYNC_CONFIG=/config/env.yaml
WORKDIR /app
COPY --from=build --chown=root:root /out /app
# The image's `node` user (uid 1000); nothing under /app is writable by it.
USER node
CMD ["node", "apps/cli/dist/main.js", "--help"]
