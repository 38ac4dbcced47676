// A minimal HTTP function: responds to every request with a greeting and the time since the
// process started, so a cold start shows up in the response itself.
'use strict';

const http = require('http');

const host = '127.0.0.1';
const port = Number.parseInt(process.env.PORT || '18080', 10);
const startedAt = process.hrtime.bigint();

const server = http.createServer((request, response) => {
  const uptimeMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const body = JSON.stringify({
    message: 'Hello from nodejs-hello',
    path: request.url,
    uptimeMs: Math.round(uptimeMs * 1000) / 1000,
  });
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
});

server.listen(port, host, () => {
  console.log(`nodejs-hello listening on http://${host}:${port}`);
});

// Containers are stopped with SIGTERM; close the socket and exit at once.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
