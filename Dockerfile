# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite driver.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Runtime stage: no compiler, non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production CONCORD_CONFIG=/etc/concord/concord.yaml \
    CONCORD_DATABASE_URL=/var/lib/concord/concord.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY mappings ./mappings
COPY config/concord.yaml /etc/concord/concord.yaml
RUN mkdir -p /var/lib/concord && chown node:node /var/lib/concord
USER node
VOLUME ["/var/lib/concord"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.CONCORD_HTTP_PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run"]
