// Checks that the official cos-nodejs-sdk-v5 takes cos-signer's JSON through its
// getAuthorization callback, with the field mapping of Tencent's own STS demo and the values
// unchanged; the SDK validates the names and the 10-digit times and then signs with them.
'use strict';
const assert = require('assert');
const http = require('http');
const COS = require('cos-nodejs-sdk-v5');

const base = process.argv[2];
const bucket = 'examplebucket-1250000000';
const region = 'ap-guangzhou';

function getJson(path) {
  return new Promise((resolve, reject) => {
    http.get(base + path, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, date: res.headers.date, json: JSON.parse(body) });
        } catch (e) {
          reject(e);
        }
      });
    }).on('error', reject);
  });
}

function signedUrl(cos, key) {
  return new Promise((resolve, reject) => {
    cos.getObjectUrl({ Bucket: bucket, Region: region, Key: key, Sign: true }, (err, data) =>
      err ? reject(err) : resolve(data.Url));
  });
}

// The callback body of the official demo (cos-js-sdk-v5 / qcloud-cos-sts-sdk READMEs).
function fromSts(data) {
  const c = data.credentials;
  return {
    TmpSecretId: c.tmpSecretId,
    TmpSecretKey: c.tmpSecretKey,
    SecurityToken: c.sessionToken,
    StartTime: data.startTime,
    ExpiredTime: data.expiredTime,
  };
}

(async () => {
  const sts = await getJson('/sts');
  assert.strictEqual(sts.status, 200, JSON.stringify(sts.json));
  assert.ok(sts.date, 'Date header present for clock correction');
  const data = sts.json;
  let calls = 0;
  const cos = new COS({
    getAuthorization: (options, callback) => {
      calls++;
      callback(fromSts(data));
    },
  });
  const url = await signedUrl(cos, 'users/anonymous/photo.jpg');
  assert.strictEqual(calls, 1);
  const q = new URL(url).searchParams;
  assert.strictEqual(q.get('q-ak'), data.credentials.tmpSecretId);
  assert.strictEqual(q.get('q-key-time'), data.startTime + ';' + data.expiredTime);
  assert.strictEqual(q.get('x-cos-security-token'), data.credentials.sessionToken);
  assert.match(q.get('q-signature'), /^[0-9a-f]{40}$/);

  // Negative control: the SDK really validates (a 13-digit time is refused).
  const bad = new COS({
    getAuthorization: (options, callback) => callback({ ...fromSts(data), ExpiredTime: data.expiredTime * 1000 }),
  });
  await assert.rejects(signedUrl(bad, 'users/anonymous/x'), (e) => {
    // The SDK wraps its Error ({error: Error, ...}) depending on the version.
    const text = [e && e.message, e && e.error && e.error.message, JSON.stringify(e)].join(' ');
    return /10 digits/.test(text);
  });

  // The legacy /sign shape through the legacy demo's mapping.
  const legacy = (await getJson('/sign')).json;
  assert.strictEqual(legacy.code, 0);
  const lc = legacy.data.credentials;
  const cosLegacy = new COS({
    getAuthorization: (options, callback) =>
      callback({
        TmpSecretId: lc.tmpSecretId,
        TmpSecretKey: lc.tmpSecretKey,
        SecurityToken: lc.sessionToken,
        ExpiredTime: legacy.data.expiredTime,
      }),
  });
  const legacyUrl = new URL(await signedUrl(cosLegacy, 'users/anonymous/a.txt')).searchParams;
  assert.strictEqual(legacyUrl.get('q-ak'), lc.tmpSecretId);
  console.log('ok: cos-nodejs-sdk-v5 accepted /sts and /sign; signed URL uses the issued key');
})().catch((e) => {
  console.error('FAIL:', e && e.stack ? e.stack : e);
  process.exit(1);
});
