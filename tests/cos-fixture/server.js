// A stand-in for Tencent COS's XML API on loopback, for tests. Every request's q-sign
// signature (Authorization header or presigned query) is recomputed with the official
// cos-nodejs-sdk-v5 (COS.getAuthorization) and compared; the key time must contain the server's
// time, temporary keys need their x-cos-security-token. Objects live in memory.
//
// Hosts (the Host header decides; connect to the fixture with --connect-to or the SDK's Ip):
//   service.cos.myqcloud.com, service.* (a service domain)      GET Service, all buckets
//   cos.<region>.myqcloud.com                                     GET Service, one region
//   <bucket>-<appid>.cos[-internal].<region>.(myqcloud.com|tencentcos.cn)
//   <bucket>-<appid>.cos.accelerate.myqcloud.com                  bucket and object requests
//   a host of FIXTURE_DOMAINS ("host=bucket-appid,...")           custom domain of one bucket
//
// Environment:
//   FIXTURE_SECRET_ID / FIXTURE_SECRET_KEY          permanent key (required)
//   FIXTURE_TMP_ID / FIXTURE_TMP_KEY / FIXTURE_TMP_TOKEN   temporary key and its token
//   FIXTURE_CLOCK_OFFSET    seconds the server's clock is ahead (negative: behind)
//   FIXTURE_REFUSE_SUFFIX   drop connections for hosts ending in this (e.g. .myqcloud.com)
//   FIXTURE_CORRUPT_PREFIX  GET bodies of keys with this prefix get their first byte flipped
//   FIXTURE_DOMAINS         custom domains, "files.example.com=examplebucket-1250000000"
//   FIXTURE_STS_SECONDS     GET /sts (any other host, e.g. 127.0.0.1:<port>) hands out a new
//                           temporary key valid this many seconds, in the STS SDK's JSON shape;
//                           once expired it is refused with ExpiredToken
//   FIXTURE_PART_DELAY_MS   answer each UploadPart this much later (time to kill an upload)
//   FIXTURE_SLOW_GET_PREFIX GET bodies of keys with this prefix go out 256 KiB every 50 ms
//   FIXTURE_COPY_ERROR_PREFIX  PUT Object - Copy to a key with this prefix first answers 200
//                           with an <Error> InternalError body (as COS may), then copies
//   FIXTURE_TLS_CERT / FIXTURE_TLS_KEY  PEM files: serve https with this certificate instead of http
//   FIXTURE_LOG             append one line per request: method host path status, then
//                           " x-cos-sdk-retry" for resends, " q=NAMES" (query parameter names),
//                           " range=VALUE" (the Range header), " ak=KEY-ID"
// Prints "PORT <n>" when listening (port from argv[2], default 0 = any free port).
'use strict';
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const fs = require('fs');
const COS = require('cos-nodejs-sdk-v5');

const env = process.env;
const keys = new Map();
if (!env.FIXTURE_SECRET_ID || !env.FIXTURE_SECRET_KEY) {
  console.error('FIXTURE_SECRET_ID and FIXTURE_SECRET_KEY are required');
  process.exit(2);
}
keys.set(env.FIXTURE_SECRET_ID, { key: env.FIXTURE_SECRET_KEY, token: null });
if (env.FIXTURE_TMP_ID) {
  keys.set(env.FIXTURE_TMP_ID, { key: env.FIXTURE_TMP_KEY || '', token: env.FIXTURE_TMP_TOKEN || '' });
}
const clockOffsetMs = Number(env.FIXTURE_CLOCK_OFFSET || 0) * 1000;
const refuseSuffix = env.FIXTURE_REFUSE_SUFFIX || '';
const corruptPrefix = env.FIXTURE_CORRUPT_PREFIX || '';
const customDomains = new Map(
  (env.FIXTURE_DOMAINS || '')
    .split(',')
    .filter((s) => s.includes('='))
    .map((s) => s.split('=').map((x) => x.trim().toLowerCase()))
);
const logFile = env.FIXTURE_LOG || '';
const stsSeconds = Number(env.FIXTURE_STS_SECONDS || 0);
const partDelayMs = Number(env.FIXTURE_PART_DELAY_MS || 0);
const slowGetPrefix = env.FIXTURE_SLOW_GET_PREFIX || '';
const copyErrorPrefix = env.FIXTURE_COPY_ERROR_PREFIX || '';
const copyErrorsSent = new Set();
let stsIssued = 0;
const serverNowMs = () => Date.now() + clockOffsetMs;
// Clients sign with their own "now": a start this far in the server's future still counts.
const startSlackSeconds = 60;

// --- CRC-64/XZ (ECMA-182 reflected), as x-cos-hash-crc64ecma, on two 32-bit halves ----------
const CRC_TABLE_HI = new Uint32Array(256);
const CRC_TABLE_LO = new Uint32Array(256);
(() => {
  const polyHi = 0xc96c5795;
  const polyLo = 0xd7870f42;
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let k = 0; k < 8; k++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        hi = (hi ^ polyHi) >>> 0;
        lo = (lo ^ polyLo) >>> 0;
      }
    }
    CRC_TABLE_HI[i] = hi;
    CRC_TABLE_LO[i] = lo;
  }
})();

function crc64(buf) {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (let i = 0; i < buf.length; i++) {
    const idx = (lo ^ buf[i]) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    hi = hi >>> 8;
    hi = (hi ^ CRC_TABLE_HI[idx]) >>> 0;
    lo = (lo ^ CRC_TABLE_LO[idx]) >>> 0;
  }
  hi = (hi ^ 0xffffffff) >>> 0;
  lo = (lo ^ 0xffffffff) >>> 0;
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
if (crc64(Buffer.from('123456789')) !== '11051210869376104954') throw new Error('CRC64 self-check failed');

// --- state -----------------------------------------------------------------------------------
const buckets = new Map(); // name -> {region, created, objects: Map(key -> obj)}
const uploads = new Map(); // uploadId -> {bucket, key, parts: Map(n -> {data, etag, crc}), meta}

function md5hex(buf) {
  return crypto.createHash('md5').update(buf).digest('hex');
}
function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function xmlUnescape(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (m, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');
}
function requestId() {
  return crypto.randomBytes(18).toString('base64');
}
// camSafeUrlEncode of the SDK: encodeURIComponent plus ! ' ( ) *
function camSafe(s) {
  return encodeURIComponent(s)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

// --- responses -------------------------------------------------------------------------------
class CosError extends Error {
  constructor(status, code, message, extra) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra || '';
  }
}

function send(ctx, status, headers, body) {
  const res = ctx.res;
  const h = Object.assign(
    {
      Date: new Date(serverNowMs()).toUTCString(),
      Server: 'tencent-cos',
      'x-cos-request-id': ctx.requestId,
    },
    headers
  );
  const data = body === undefined || body === null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  if (!('Content-Length' in h)) h['Content-Length'] = String(data.length);
  res.writeHead(status, h);
  ctx.status = status;
  if (ctx.req.method === 'HEAD') {
    res.end();
  } else if (ctx.slow && data.length > 0) {
    // 256 KiB every 50 ms, until done or the client is gone.
    let offset = 0;
    const step = () => {
      if (res.destroyed) return;
      const end = Math.min(offset + 256 * 1024, data.length);
      const last = end === data.length;
      res.write(data.subarray(offset, end));
      offset = end;
      if (last) res.end();
      else setTimeout(step, 50);
    };
    step();
  } else {
    res.end(data);
  }
}

function sendXml(ctx, status, xml, headers) {
  send(ctx, status, Object.assign({ 'Content-Type': 'application/xml' }, headers || {}),
       '<?xml version="1.0" encoding="UTF-8"?>\n' + xml);
}

function sendError(ctx, e) {
  const xml =
    '<Error>\n' +
    `  <Code>${xmlEscape(e.code)}</Code>\n` +
    `  <Message>${xmlEscape(e.message)}</Message>\n` +
    `  <Resource>${xmlEscape(ctx.host + ctx.path)}</Resource>\n` +
    `  <RequestId>${ctx.requestId}</RequestId>\n` +
    `  <TraceId>${crypto.randomBytes(24).toString('base64')}</TraceId>\n` +
    e.extra +
    '</Error>';
  sendXml(ctx, e.status, xml);
}

// --- request parsing -------------------------------------------------------------------------
function parseQuery(raw) {
  const out = [];
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.push([decodeURIComponent(name), decodeURIComponent(value)]);
    } catch (e) {
      throw new CosError(400, 'InvalidURI', 'The query is not valid percent-encoding');
    }
  }
  return out;
}

function parseAuth(text) {
  const fields = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

// Verifies the request's signature with the official SDK; throws a CosError when it fails.
function verifySignature(ctx) {
  const req = ctx.req;
  const presignFields = {};
  for (const [n, v] of ctx.query) {
    if (n.startsWith('q-')) presignFields[n] = v;
  }
  let auth;
  let presigned = false;
  if (req.headers.authorization) {
    auth = parseAuth(req.headers.authorization);
  } else if (presignFields['q-signature']) {
    auth = presignFields;
    presigned = true;
  } else {
    throw new CosError(403, 'AccessDenied', 'Access Denied.');
  }
  for (const f of ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature']) {
    if (auth[f] === undefined) throw new CosError(403, 'AccessDenied', `Authorization has no ${f}.`);
  }
  if (auth['q-sign-algorithm'] !== 'sha1') throw new CosError(400, 'InvalidArgument', 'Unsupported q-sign-algorithm.');
  const account = keys.get(auth['q-ak']);
  if (!account) throw new CosError(403, 'InvalidAccessKeyId', 'The access key Id format you provided is invalid.');
  if (auth['q-sign-time'] !== auth['q-key-time']) throw new CosError(403, 'AccessDenied', 'q-sign-time and q-key-time differ.');

  const now = Math.floor(serverNowMs() / 1000);
  const m = /^(\d{10});(\d{10})$/.exec(auth['q-key-time']);
  if (!m) throw new CosError(403, 'AccessDenied', 'Invalid q-key-time.');
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < now) throw new CosError(403, 'AccessDenied', 'Request has expired');
  if (start > now + startSlackSeconds) {
    throw new CosError(403, 'RequestTimeTooSkewed',
                       'The difference between the request time and the current time is too large.',
                       `  <ServerTime>${new Date(serverNowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z')}</ServerTime>\n`);
  }

  if (account.token !== null) {
    let token = req.headers['x-cos-security-token'];
    if (presigned && token === undefined) {
      const t = ctx.query.find(([n]) => n === 'x-cos-security-token');
      token = t ? t[1] : undefined;
    }
    if (!token) throw new CosError(403, 'InvalidAccessKeyId', 'A temporary key needs its x-cos-security-token.');
    if (token !== account.token) throw new CosError(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    if (account.expires && now > account.expires) throw new CosError(400, 'ExpiredToken', 'The provided token has expired.');
  }

  const headerList = auth['q-header-list'] ? auth['q-header-list'].split(';') : [];
  const paramList = auth['q-url-param-list'] ? auth['q-url-param-list'].split(';') : [];
  if (!headerList.includes('host')) throw new CosError(403, 'AccessDenied', 'The Host header must be signed.');
  const headers = {};
  for (const name of headerList) {
    const value = req.headers[decodeURIComponent(name)];
    if (value === undefined) throw new CosError(403, 'AccessDenied', `Signed header ${name} is missing.`);
    headers[decodeURIComponent(name)] = value;
  }
  const query = {};
  for (const [n, v] of ctx.query) {
    if (presigned && (n.startsWith('q-') || n === 'x-cos-security-token')) continue;
    const listed = camSafe(n).toLowerCase();
    if (!paramList.includes(listed)) throw new CosError(403, 'AccessDenied', `Query parameter ${n} is not signed.`);
    query[n] = v;
  }
  const expected = parseAuth(
    COS.getAuthorization({
      SecretId: auth['q-ak'],
      SecretKey: account.key,
      Method: req.method,
      Pathname: ctx.path,
      Query: query,
      Headers: headers,
      KeyTime: auth['q-key-time'],
    })
  );
  if (expected['q-header-list'] !== auth['q-header-list'] || expected['q-url-param-list'] !== auth['q-url-param-list']
      || expected['q-signature'] !== auth['q-signature']) {
    throw new CosError(403, 'SignatureDoesNotMatch',
                       'The request signature we calculated does not match the signature you provided.');
  }
}

// --- hosts -----------------------------------------------------------------------------------
function classifyHost(host) {
  if (customDomains.has(host)) return { kind: 'bucket', bucket: customDomains.get(host), region: null };
  let m = /^cos\.([a-z0-9-]+)\.(myqcloud\.com|tencentcos\.cn)$/.exec(host);
  if (m && m[1] !== 'accelerate') return { kind: 'service', region: m[1] };
  if (/^service\./.test(host)) return { kind: 'service', region: null };
  m = /^([a-z0-9-]+-\d+)\.cos\.accelerate\.myqcloud\.com$/.exec(host);
  if (m) return { kind: 'bucket', bucket: m[1], region: null };
  m = /^([a-z0-9-]+-\d+)\.cos(-internal)?\.([a-z0-9-]+)\.(myqcloud\.com|tencentcos\.cn)$/.exec(host);
  if (m) return { kind: 'bucket', bucket: m[1], region: m[3] };
  return null;
}

// A temporary key of stsSeconds, as the STS SDK's JSON (what cos-signer's /sts returns).
function issueKey(ctx) {
  stsIssued += 1;
  const now = Math.floor(serverNowMs() / 1000);
  const id = `AKIDfixturests${String(stsIssued).padStart(6, '0')}`;
  const secret = crypto.randomBytes(16).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  keys.set(id, { key: secret, token, expires: now + stsSeconds });
  const body = JSON.stringify({
    credentials: { tmpSecretId: id, tmpSecretKey: secret, sessionToken: token },
    startTime: now,
    expiredTime: now + stsSeconds,
    expiration: new Date((now + stsSeconds) * 1000).toISOString(),
    requestId: ctx.requestId,
  });
  send(ctx, 200, { 'Content-Type': 'application/json' }, body);
}

// --- operations ------------------------------------------------------------------------------
function listBuckets(ctx, region) {
  const list = [...buckets.entries()]
    .filter(([, b]) => !region || b.region === region)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const items = list
    .map(([name, b]) =>
      `    <Bucket>\n      <Name>${xmlEscape(name)}</Name>\n      <Location>${b.region}</Location>\n` +
      `      <CreationDate>${new Date(b.created).toISOString().replace(/\.\d{3}Z$/, 'Z')}</CreationDate>\n` +
      '      <BucketType>cos</BucketType>\n    </Bucket>\n')
    .join('');
  sendXml(ctx, 200,
          '<ListAllMyBucketsResult>\n  <Owner>\n    <ID>qcs::cam::uin/100000000001:uin/100000000001</ID>\n' +
          '    <DisplayName>100000000001</DisplayName>\n  </Owner>\n' +
          `  <Buckets>\n${items}  </Buckets>\n  <Marker></Marker>\n  <MaxKeys>2000</MaxKeys>\n` +
          '  <IsTruncated>false</IsTruncated>\n</ListAllMyBucketsResult>');
}

function getBucketOrThrow(name) {
  const b = buckets.get(name);
  if (!b) throw new CosError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
  return b;
}

function q(ctx, name) {
  const e = ctx.query.find(([n]) => n === name);
  return e ? e[1] : undefined;
}

function listObjects(ctx, bucket) {
  const prefix = q(ctx, 'prefix') || '';
  const delimiter = q(ctx, 'delimiter') || '';
  const marker = q(ctx, 'marker') || '';
  const maxKeys = Math.min(Number(q(ctx, 'max-keys') || 1000), 1000);
  const urlEncode = q(ctx, 'encoding-type') === 'url';
  const enc = (s) => (urlEncode ? camSafe(s).replace(/%2F/g, '/') : s);
  const keysSorted = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > marker).sort();
  const contents = [];
  const prefixes = [];
  let truncated = false;
  let next = '';
  for (const key of keysSorted) {
    let entry = key;
    let isPrefix = false;
    if (delimiter) {
      const i = key.indexOf(delimiter, prefix.length);
      if (i >= 0) {
        entry = key.slice(0, i + delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && prefixes.includes(entry)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    next = entry;
    if (isPrefix) prefixes.push(entry);
    else contents.push(key);
  }
  let xml = `<ListBucketResult>\n  <Name>${xmlEscape(ctx.bucketName)}</Name>\n` +
    (urlEncode ? '  <EncodingType>url</EncodingType>\n' : '') +
    `  <Prefix>${xmlEscape(enc(prefix))}</Prefix>\n  <Marker>${xmlEscape(enc(marker))}</Marker>\n` +
    `  <MaxKeys>${maxKeys}</MaxKeys>\n` + (delimiter ? `  <Delimiter>${xmlEscape(enc(delimiter))}</Delimiter>\n` : '') +
    `  <IsTruncated>${truncated}</IsTruncated>\n` + (truncated ? `  <NextMarker>${xmlEscape(enc(next))}</NextMarker>\n` : '');
  for (const p of prefixes) xml += `  <CommonPrefixes>\n    <Prefix>${xmlEscape(enc(p))}</Prefix>\n  </CommonPrefixes>\n`;
  for (const k of contents) {
    const o = bucket.objects.get(k);
    xml += `  <Contents>\n    <Key>${xmlEscape(enc(k))}</Key>\n    <LastModified>${isoTime(o.modified)}</LastModified>\n` +
      `    <ETag>${xmlEscape(o.etag)}</ETag>\n    <Size>${o.data.length}</Size>\n` +
      '    <Owner>\n      <ID>1250000000</ID>\n      <DisplayName>1250000000</DisplayName>\n    </Owner>\n' +
      '    <StorageClass>STANDARD</StorageClass>\n  </Contents>\n';
  }
  sendXml(ctx, 200, xml + '</ListBucketResult>');
}

function objectHeaders(o) {
  const h = {
    ETag: o.etag,
    'Last-Modified': new Date(o.modified).toUTCString(),
    'Content-Type': o.contentType,
    'x-cos-hash-crc64ecma': o.crc64,
    'x-cos-storage-class': 'STANDARD',
    'Accept-Ranges': 'bytes',
  };
  if (o.contentEncoding) h['Content-Encoding'] = o.contentEncoding;
  for (const [n, v] of o.meta) h[n] = v;
  return h;
}

function storedMeta(req) {
  const meta = [];
  for (const [n, v] of Object.entries(req.headers)) {
    if (n.startsWith('x-cos-meta-')) meta.push([n, v]);
  }
  return meta;
}

function checkMd5(req, body) {
  const md5 = req.headers['content-md5'];
  if (md5 && md5 !== crypto.createHash('md5').update(body).digest('base64')) {
    throw new CosError(400, 'BadDigest', 'The Content-MD5 you specified did not match what was received.');
  }
}

function putObject(ctx, bucket, key, body) {
  if (ctx.req.headers['content-length'] === undefined) throw new CosError(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  checkMd5(ctx.req, body);
  const o = {
    data: body,
    etag: `"${md5hex(body)}"`,
    crc64: crc64(body),
    modified: serverNowMs(),
    contentType: ctx.req.headers['content-type'] || 'application/octet-stream',
    contentEncoding: ctx.req.headers['content-encoding'] || '',
    meta: storedMeta(ctx.req),
  };
  bucket.objects.set(key, o);
  send(ctx, 200, { ETag: o.etag, 'x-cos-hash-crc64ecma': o.crc64 });
}

// PUT Object - Copy: x-cos-copy-source is "<bucket host>/<percent-encoded key>".
function copyObject(ctx, bucket, key) {
  const source = ctx.req.headers['x-cos-copy-source'];
  const slash = source.indexOf('/');
  if (slash <= 0) throw new CosError(400, 'InvalidArgument', 'x-cos-copy-source must be <bucket host>/<key>.');
  const target = classifyHost(source.slice(0, slash).toLowerCase());
  if (!target || target.kind !== 'bucket') throw new CosError(400, 'InvalidArgument', 'x-cos-copy-source names no bucket host.');
  let sourceKey;
  try {
    sourceKey = decodeURIComponent(source.slice(slash + 1));
  } catch (e) {
    throw new CosError(400, 'InvalidArgument', 'The key of x-cos-copy-source is not valid percent-encoding.');
  }
  const from = getBucketOrThrow(target.bucket).objects.get(sourceKey);
  if (!from) throw new CosError(404, 'NoSuchKey', 'The specified key does not exist.');
  if (copyErrorPrefix && key.startsWith(copyErrorPrefix) && !copyErrorsSent.has(key)) {
    copyErrorsSent.add(key);
    return sendXml(ctx, 200, '<Error>\n  <Code>InternalError</Code>\n  <Message>We encountered an internal error. Please try again.</Message>\n' +
                   `  <RequestId>${ctx.requestId}</RequestId>\n</Error>`);
  }
  const replace = (ctx.req.headers['x-cos-metadata-directive'] || '').toLowerCase() === 'replaced';
  const o = Object.assign({}, from, {
    modified: serverNowMs(),
    contentType: replace ? ctx.req.headers['content-type'] || 'application/octet-stream' : from.contentType,
    meta: replace ? storedMeta(ctx.req) : from.meta,
  });
  bucket.objects.set(key, o);
  sendXml(ctx, 200, `<CopyObjectResult>\n  <ETag>${xmlEscape(o.etag)}</ETag>\n` +
          `  <LastModified>${isoTime(o.modified)}</LastModified>\n</CopyObjectResult>`,
          { 'x-cos-hash-crc64ecma': o.crc64 });
}

function getObject(ctx, bucket, key) {
  const o = bucket.objects.get(key);
  if (!o) throw new CosError(404, 'NoSuchKey', 'The specified key does not exist.');
  const ifMatch = ctx.req.headers['if-match'];
  if (ifMatch && ifMatch !== o.etag && ifMatch !== '*') throw new CosError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');
  const ifNoneMatch = ctx.req.headers['if-none-match'];
  if (ifNoneMatch && (ifNoneMatch === o.etag || ifNoneMatch === '*')) return send(ctx, 304, { ETag: o.etag });
  let body = o.data;
  ctx.slow = Boolean(slowGetPrefix) && key.startsWith(slowGetPrefix);
  if (corruptPrefix && key.startsWith(corruptPrefix) && ctx.req.method === 'GET' && body.length > 0) {
    body = Buffer.from(body);
    body[0] ^= 0xff;
  }
  const headers = objectHeaders(o);
  for (const [n, v] of ctx.query) {
    if (n.startsWith('response-')) headers[n.slice(9)] = v;
  }
  const range = ctx.req.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] !== '' || m[2] !== '')) {
      const size = o.data.length;
      let first;
      let last;
      if (m[1] === '') {
        first = Math.max(0, size - Number(m[2]));
        last = size - 1;
      } else {
        first = Number(m[1]);
        last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
      }
      if (first >= size || first > last) {
        throw new CosError(416, 'InvalidRange', 'The requested range is not satisfiable.');
      }
      headers['Content-Range'] = `bytes ${first}-${last}/${size}`;
      return send(ctx, 206, headers, body.subarray(first, last + 1));
    }
  }
  send(ctx, 200, headers, body);
}

function initiateUpload(ctx, bucket, key) {
  const id = crypto.randomBytes(20).toString('hex');
  uploads.set(id, {
    bucket: ctx.bucketName,
    key,
    parts: new Map(),
    initiated: serverNowMs(),
    contentType: ctx.req.headers['content-type'] || 'application/octet-stream',
    contentEncoding: ctx.req.headers['content-encoding'] || '',
    meta: storedMeta(ctx.req),
  });
  sendXml(ctx, 200, `<InitiateMultipartUploadResult>\n  <Bucket>${xmlEscape(ctx.bucketName)}</Bucket>\n` +
          `  <Key>${xmlEscape(key)}</Key>\n  <UploadId>${id}</UploadId>\n</InitiateMultipartUploadResult>`);
}

function getUpload(ctx, key) {
  const u = uploads.get(q(ctx, 'uploadId'));
  if (!u || u.bucket !== ctx.bucketName || u.key !== key) throw new CosError(404, 'NoSuchUpload', 'The specified upload does not exist.');
  return u;
}

function uploadPart(ctx, key, body) {
  const u = getUpload(ctx, key);
  const n = Number(q(ctx, 'partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new CosError(400, 'InvalidArgument', 'Invalid partNumber.');
  checkMd5(ctx.req, body);
  const part = { data: body, etag: `"${md5hex(body)}"`, crc64: crc64(body), modified: serverNowMs() };
  u.parts.set(n, part);
  send(ctx, 200, { ETag: part.etag, 'x-cos-hash-crc64ecma': part.crc64 });
}

function listParts(ctx, key) {
  const u = getUpload(ctx, key);
  const marker = Number(q(ctx, 'part-number-marker') || 0);
  const maxParts = Math.min(Number(q(ctx, 'max-parts') || 1000), 1000);
  const numbers = [...u.parts.keys()].filter((n) => n > marker).sort((a, b) => a - b);
  const page = numbers.slice(0, maxParts);
  const truncated = numbers.length > page.length;
  let xml = `<ListPartsResult>\n  <Bucket>${xmlEscape(ctx.bucketName)}</Bucket>\n  <Encoding-type/>\n` +
    `  <Key>${xmlEscape(key)}</Key>\n  <UploadId>${q(ctx, 'uploadId')}</UploadId>\n` +
    `  <PartNumberMarker>${marker}</PartNumberMarker>\n`;
  for (const n of page) {
    const p = u.parts.get(n);
    xml += `  <Part>\n    <PartNumber>${n}</PartNumber>\n    <LastModified>${isoTime(p.modified)}</LastModified>\n` +
      `    <ETag>${xmlEscape(p.etag)}</ETag>\n    <Size>${p.data.length}</Size>\n  </Part>\n`;
  }
  if (truncated) xml += `  <NextPartNumberMarker>${page[page.length - 1]}</NextPartNumberMarker>\n`;
  xml += `  <StorageClass>STANDARD</StorageClass>\n  <MaxParts>${maxParts}</MaxParts>\n  <IsTruncated>${truncated}</IsTruncated>\n</ListPartsResult>`;
  sendXml(ctx, 200, xml);
}

function completeUpload(ctx, bucket, key, body) {
  const u = getUpload(ctx, key);
  const text = body.toString('utf8');
  const parts = [];
  const re = /<Part>\s*<PartNumber>\s*(\d+)\s*<\/PartNumber>\s*<ETag>([^<]*)<\/ETag>\s*<\/Part>/g;
  let m;
  while ((m = re.exec(text))) parts.push([Number(m[1]), xmlUnescape(m[2]).trim()]);
  if (!parts.length) throw new CosError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  const buffers = [];
  const md5s = [];
  let previous = 0;
  for (const [n, etag] of parts) {
    if (n <= previous) throw new CosError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
    previous = n;
    const p = u.parts.get(n);
    const bare = (s) => s.replace(/"/g, '');
    if (!p || bare(p.etag) !== bare(etag)) throw new CosError(400, 'InvalidPart', `Part ${n} was not found or its ETag does not match.`);
    buffers.push(p.data);
    md5s.push(Buffer.from(bare(p.etag), 'hex'));
  }
  for (let i = 0; i + 1 < parts.length; i++) {
    if (buffers[i].length < 1024 * 1024) throw new CosError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
  }
  const data = Buffer.concat(buffers);
  const o = {
    data,
    etag: `"${md5hex(Buffer.concat(md5s))}-${parts.length}"`,
    crc64: crc64(data),
    modified: serverNowMs(),
    contentType: u.contentType,
    contentEncoding: u.contentEncoding,
    meta: u.meta,
  };
  bucket.objects.set(key, o);
  uploads.delete(q(ctx, 'uploadId'));
  sendXml(ctx, 200, `<CompleteMultipartUploadResult>\n  <Location>${xmlEscape(ctx.host + '/' + key)}</Location>\n` +
          `  <Bucket>${xmlEscape(ctx.bucketName)}</Bucket>\n  <Key>${xmlEscape(key)}</Key>\n` +
          `  <ETag>${xmlEscape(o.etag)}</ETag>\n</CompleteMultipartUploadResult>`,
          { 'x-cos-hash-crc64ecma': o.crc64 });
}

function listUploads(ctx) {
  const prefix = q(ctx, 'prefix') || '';
  let xml = `<ListMultipartUploadsResult>\n  <Bucket>${xmlEscape(ctx.bucketName)}</Bucket>\n  <Prefix>${xmlEscape(prefix)}</Prefix>\n` +
    '  <IsTruncated>false</IsTruncated>\n';
  for (const [id, u] of uploads) {
    if (u.bucket !== ctx.bucketName || !u.key.startsWith(prefix)) continue;
    xml += `  <Upload>\n    <Key>${xmlEscape(u.key)}</Key>\n    <UploadId>${id}</UploadId>\n` +
      `    <Initiated>${isoTime(u.initiated)}</Initiated>\n    <StorageClass>STANDARD</StorageClass>\n  </Upload>\n`;
  }
  sendXml(ctx, 200, xml + '</ListMultipartUploadsResult>');
}

function deleteMultiple(ctx, bucket, body) {
  checkMd5(ctx.req, body);
  const text = body.toString('utf8');
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text);
  let xml = '<DeleteResult>\n';
  const re = /<Key>([^<]*)<\/Key>/g;
  let m;
  while ((m = re.exec(text))) {
    const key = xmlUnescape(m[1]);
    bucket.objects.delete(key);
    if (!quiet) xml += `  <Deleted>\n    <Key>${xmlEscape(key)}</Key>\n  </Deleted>\n`;
  }
  sendXml(ctx, 200, xml + '</DeleteResult>');
}

function handleBucket(ctx, body) {
  const req = ctx.req;
  const key = ctx.path.slice(1);
  const has = (name) => ctx.query.some(([n]) => n === name);
  if (!key) {
    if (req.method === 'PUT' && ctx.query.length === 0) {
      if (buckets.has(ctx.bucketName)) throw new CosError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.');
      if (!ctx.region) throw new CosError(400, 'InvalidRequest', 'Create buckets on their region host.');
      buckets.set(ctx.bucketName, { region: ctx.region, created: serverNowMs(), objects: new Map() });
      return send(ctx, 200, {});
    }
    const bucket = getBucketOrThrow(ctx.bucketName);
    if (req.method === 'HEAD') return send(ctx, 200, {});
    if (req.method === 'DELETE') {
      if (bucket.objects.size) throw new CosError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.');
      buckets.delete(ctx.bucketName);
      return send(ctx, 204, {});
    }
    if (req.method === 'GET' && has('uploads')) return listUploads(ctx);
    if (req.method === 'GET') return listObjects(ctx, bucket);
    if (req.method === 'POST' && has('delete')) return deleteMultiple(ctx, bucket, body);
    throw new CosError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  const bucket = getBucketOrThrow(ctx.bucketName);
  if (req.method === 'PUT' && has('partNumber')) return uploadPart(ctx, key, body);
  if (req.method === 'PUT' && req.headers['x-cos-copy-source'] !== undefined) return copyObject(ctx, bucket, key);
  if (req.method === 'PUT') return putObject(ctx, bucket, key, body);
  if (req.method === 'POST' && has('uploads')) return initiateUpload(ctx, bucket, key);
  if (req.method === 'POST' && has('uploadId')) return completeUpload(ctx, bucket, key, body);
  if (req.method === 'GET' && has('uploadId')) return listParts(ctx, key);
  if (req.method === 'DELETE' && has('uploadId')) {
    getUpload(ctx, key);
    uploads.delete(q(ctx, 'uploadId'));
    return send(ctx, 204, {});
  }
  if (req.method === 'GET' || req.method === 'HEAD') return getObject(ctx, bucket, key);
  if (req.method === 'DELETE') {
    bucket.objects.delete(key);
    return send(ctx, 204, {});
  }
  throw new CosError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

function handle(ctx, body) {
  const target = classifyHost(ctx.host);
  if (!target && stsSeconds && ctx.path === '/sts' && ctx.req.method === 'GET') return issueKey(ctx);
  if (!target) throw new CosError(404, 'NoSuchBucket', `Unknown host ${ctx.host}.`);
  verifySignature(ctx);
  if (target.kind === 'service') {
    if (ctx.req.method !== 'GET' || ctx.path !== '/') throw new CosError(405, 'MethodNotAllowed', 'GET Service only.');
    return listBuckets(ctx, target.region);
  }
  ctx.bucketName = target.bucket;
  const existing = buckets.get(target.bucket);
  ctx.region = target.region || (existing ? existing.region : null);
  if (existing && target.region && existing.region !== target.region) {
    throw new CosError(404, 'NoSuchBucket', 'The specified bucket does not exist in this region.');
  }
  return handleBucket(ctx, body);
}

const handler = (req, res) => {
  const hostHeader = (req.headers.host || '').toLowerCase();
  const host = hostHeader.replace(/:\d+$/, '');
  if (refuseSuffix && host.endsWith(refuseSuffix)) {
    if (logFile) fs.appendFileSync(logFile, `${req.method} ${host} ${req.url.split('?')[0]} dropped\n`);
    req.socket.destroy();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const qi = req.url.indexOf('?');
    const rawPath = qi < 0 ? req.url : req.url.slice(0, qi);
    const ctx = { req, res, host, requestId: requestId(), status: 0, path: rawPath, query: [] };
    const respond = () => {
      try {
        try {
          ctx.path = decodeURIComponent(rawPath);
        } catch (e) {
          throw new CosError(400, 'InvalidURI', 'The path is not valid percent-encoding');
        }
        ctx.query = parseQuery(qi < 0 ? '' : req.url.slice(qi + 1));
        handle(ctx, body);
      } catch (e) {
        if (!(e instanceof CosError)) {
          console.error(e && e.stack ? e.stack : e);
          e = new CosError(500, 'InternalError', 'We encountered an internal error. Please try again.');
        }
        sendError(ctx, e);
      }
      if (logFile) {
        const retry = req.headers['x-cos-sdk-retry'] ? ' x-cos-sdk-retry' : '';
        const names = ctx.query.map(([n]) => n).filter((n) => !n.startsWith('q-'));
        const query = names.length ? ` q=${names.join(',')}` : '';
        const range = req.headers.range ? ` range=${req.headers.range}` : '';
        const ak = /q-ak=([^&]*)/.exec(req.headers.authorization || req.url);
        fs.appendFileSync(logFile, `${req.method} ${host} ${rawPath} ${ctx.status}${retry}${query}${range}${ak ? ' ak=' + ak[1] : ''}\n`);
      }
    };
    if (partDelayMs && req.method === 'PUT' && /[?&]partNumber=/.test(req.url)) setTimeout(respond, partDelayMs);
    else respond();
  });
};
const server = env.FIXTURE_TLS_CERT
  ? https.createServer({ cert: fs.readFileSync(env.FIXTURE_TLS_CERT), key: fs.readFileSync(env.FIXTURE_TLS_KEY) }, handler)
  : http.createServer(handler);
server.keepAliveTimeout = 30000;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log('PORT ' + server.address().port);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
