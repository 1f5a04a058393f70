// Minimal Express endpoint for the cos-signer benchmark: GET /sts answers with the exact bytes
// cos-signer returned for the cached scope (read once from the file given as argv[2]).
// Prints "PORT <n>" once listening on 127.0.0.1 (argv[3], default 0 = any free port).
'use strict';
const fs = require('fs');
const express = require('express');

const body = fs.readFileSync(process.argv[2]);
const app = express();
// Same headers as cos-signer (no ETag, no X-Powered-By): the comparison is about serving, not
// about Express's defaults.
app.disable('x-powered-by');
app.set('etag', false);
app.get('/sts', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.type('application/json');
    res.send(body);
});
const server = app.listen(Number(process.argv[3] || 0), '127.0.0.1', () => {
    console.log('PORT ' + server.address().port);
});
