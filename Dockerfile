# The Gezhi server with its built client, for docker-compose.yml (PostGIS + Redis + this).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json .npmrc ./
COPY geo/package.json geo/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build
EXPOSE 8080
# tsx runs the TypeScript server directly; there is no separate compile step to drift from the source.
CMD ["node", "--import", "tsx", "server/src/server.ts"]
