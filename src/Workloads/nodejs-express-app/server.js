// An order service on Express: validates orders with a JSON schema, keeps them in memory and
// exports them through the AWS SDK. The SDK is loaded on the first export only, so a cold
// start reads a small part of the installed dependency tree, as real services often do.
'use strict';

const crypto = require('crypto');
const express = require('express');
const _ = require('lodash');
const moment = require('moment');
const Ajv = require('ajv');

const host = '127.0.0.1';
const port = Number.parseInt(process.env.PORT || '18082', 10);

const orderSchema = {
  type: 'object',
  properties: {
    customer: { type: 'string', minLength: 1 },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string', minLength: 1 },
          quantity: { type: 'integer', minimum: 1 },
          unitPrice: { type: 'number', minimum: 0 },
        },
        required: ['sku', 'quantity', 'unitPrice'],
        additionalProperties: false,
      },
    },
  },
  required: ['customer', 'items'],
  additionalProperties: false,
};

const validateOrder = new Ajv({ allErrors: true }).compile(orderSchema);
const orders = new Map();

const app = express();
app.use(express.json({ limit: '100kb' }));

app.get('/healthz', (request, response) => {
  response.json({ status: 'ok' });
});

app.get('/', (request, response) => {
  response.json({
    message: 'Hello from nodejs-express-app',
    orders: orders.size,
    time: moment.utc().toISOString(),
  });
});

app.post('/orders', (request, response) => {
  if (!validateOrder(request.body)) {
    response.status(400).json({ errors: validateOrder.errors });
    return;
  }

  const order = {
    id: crypto.randomUUID(),
    customer: request.body.customer,
    items: request.body.items,
    total: _.round(_.sumBy(request.body.items, (item) => item.quantity * item.unitPrice), 2),
    createdAt: moment.utc().toISOString(),
  };
  orders.set(order.id, order);
  response.status(201).json(order);
});

app.get('/orders/:id', (request, response) => {
  const order = orders.get(request.params.id);
  if (order === undefined) {
    response.status(404).json({ error: `order ${request.params.id} not found` });
    return;
  }

  response.json(order);
});

// Serialises all orders the way the S3 upload would, without sending anything: the SDK is
// loaded here, on first use, and no client is configured with a remote endpoint.
app.get('/export', (request, response) => {
  const AWS = require('aws-sdk');
  const body = JSON.stringify(_.sortBy([...orders.values()], 'createdAt'));
  const checksum = AWS.util.crypto.md5(body, 'base64');
  response.json({ orders: orders.size, bytes: Buffer.byteLength(body), md5: checksum });
});

const server = app.listen(port, host, () => {
  console.log(`nodejs-express-app listening on http://${host}:${port}`);
});

// Containers are stopped with SIGTERM; close the socket and exit at once.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
