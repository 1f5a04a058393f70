// The COS fixture's own test: the official cos-nodejs-sdk-v5, connected to the fixture with its
// Ip option, must get through (buckets, objects with awkward keys, multipart, presigned URLs,
// temporary keys), and wrong keys, wrong tokens and expired signatures must be refused with
// COS's error codes. Otherwise the fixture would prove nothing about cosctl.
// Usage: node check_fixture.js PORT SECRET_ID SECRET_KEY TMP_ID TMP_KEY TMP_TOKEN
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const http = require('http');
const COS = require('cos-nodejs-sdk-v5');

const [port, secretId, secretKey, tmpId, tmpKey, tmpToken] = process.argv.slice(2);
const Region = 'ap-guangzhou';
const Bucket = 'sdkcheck-1250000000';
const base = { Protocol: 'http:', Ip: '127.0.0.1:' + port, AutoSwitchHost: false };

function call(cos, method, params) {
  return new Promise((resolve, reject) => cos[method](params, (err, data) => (err ? reject(err) : resolve(data))));
}
async function refused(promise, code) {
  try {
    await promise;
  } catch (e) {
    const got = (e && (e.code || (e.error && e.error.Code))) || JSON.stringify(e);
    assert.strictEqual(got, code, 'error code: ' + JSON.stringify(e && e.error));
    return e;
  }
  throw new Error('expected ' + code + ', the request succeeded');
}
function fetchViaFixture(url) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: u.pathname + u.search, headers: { Host: u.host } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

(async () => {
  const cos = new COS(Object.assign({ SecretId: secretId, SecretKey: secretKey }, base));
  await call(cos, 'putBucket', { Bucket, Region });
  const service = await call(cos, 'getService', {});
  assert.ok(service.Buckets.some((b) => b.Name === Bucket && b.Location === Region));
  const regional = await call(cos, 'getService', { Region });
  assert.ok(regional.Buckets.some((b) => b.Name === Bucket));
  const elsewhere = await call(cos, 'getService', { Region: 'ap-beijing' });
  assert.ok(!elsewhere.Buckets.some((b) => b.Name === Bucket));

  // Keys with spaces, '+', '%', CJK and emoji; the fixture's CRC64 is the one COS documents.
  const keys = ['a b+c.txt', '100%/done.txt', '目录/文件.txt', 'emoji/😀.bin'];
  for (const Key of keys) {
    const Body = Buffer.from('content of ' + Key);
    const put = await call(cos, 'putObject', { Bucket, Region, Key, Body });
    assert.strictEqual(put.ETag, '"' + crypto.createHash('md5').update(Body).digest('hex') + '"');
    assert.match(put.headers['x-cos-hash-crc64ecma'], /^\d+$/);
    const got = await call(cos, 'getObject', { Bucket, Region, Key });
    assert.ok(got.Body.equals(Body), Key);
    const head = await call(cos, 'headObject', { Bucket, Region, Key });
    assert.strictEqual(head.headers['content-length'], String(Body.length));
  }
  const check = await call(cos, 'putObject', { Bucket, Region, Key: 'crc/check', Body: Buffer.from('123456789') });
  assert.strictEqual(check.headers['x-cos-hash-crc64ecma'], '11051210869376104954');
  const listed = await call(cos, 'getBucket', { Bucket, Region, Prefix: '', MaxKeys: 1000 });
  for (const Key of keys) assert.ok(listed.Contents.some((c) => c.Key === Key), 'listed ' + Key);

  // Ranged GET.
  const ranged = await call(cos, 'getObject', { Bucket, Region, Key: 'crc/check', Range: 'bytes=2-4' });
  assert.strictEqual(ranged.statusCode, 206);
  assert.strictEqual(ranged.Body.toString(), '345');

  // Multipart through the SDK's own calls.
  const big = crypto.randomBytes(1024 * 1024 + 1000);
  const init = await call(cos, 'multipartInit', { Bucket, Region, Key: 'multi/part.bin' });
  const p1 = await call(cos, 'multipartUpload', { Bucket, Region, Key: 'multi/part.bin', UploadId: init.UploadId, PartNumber: 1, Body: big.subarray(0, 1024 * 1024) });
  const p2 = await call(cos, 'multipartUpload', { Bucket, Region, Key: 'multi/part.bin', UploadId: init.UploadId, PartNumber: 2, Body: big.subarray(1024 * 1024) });
  const parts = await call(cos, 'multipartListPart', { Bucket, Region, Key: 'multi/part.bin', UploadId: init.UploadId });
  assert.strictEqual(parts.Part.length, 2);
  await call(cos, 'multipartComplete', { Bucket, Region, Key: 'multi/part.bin', UploadId: init.UploadId,
                                        Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] });
  const whole = await call(cos, 'getObject', { Bucket, Region, Key: 'multi/part.bin' });
  assert.ok(whole.Body.equals(big));
  assert.match(whole.ETag, /-2"$/);

  // A presigned URL of the SDK works; altered, it is refused.
  const url = await new Promise((resolve, reject) => cos.getObjectUrl({ Bucket, Region, Key: 'a b+c.txt', Sign: true, Expires: 60 },
                                                                      (err, data) => (err ? reject(err) : resolve(data.Url))));
  const fetched = await fetchViaFixture(url);
  assert.strictEqual(fetched.status, 200);
  assert.strictEqual(fetched.body.toString(), 'content of a b+c.txt');
  const tampered = await fetchViaFixture(url.replace('a%20b%2Bc.txt', 'a%20b%2Bd.txt'));
  assert.strictEqual(tampered.status, 403);
  assert.match(tampered.body.toString(), /SignatureDoesNotMatch/);

  // Temporary keys: accepted with their token, refused with another.
  const now = Math.floor(Date.now() / 1000);
  const temp = (token) => new COS(Object.assign({
    getAuthorization: (options, callback) => callback({ TmpSecretId: tmpId, TmpSecretKey: tmpKey, SecurityToken: token,
                                                         StartTime: now - 10, ExpiredTime: now + 1800 }),
  }, base));
  await call(temp(tmpToken), 'putObject', { Bucket, Region, Key: 'temp.txt', Body: Buffer.from('t') });
  const tempUrl = await new Promise((resolve, reject) => temp(tmpToken).getObjectUrl({ Bucket, Region, Key: 'temp.txt', Sign: true },
                                                                                     (err, data) => (err ? reject(err) : resolve(data.Url))));
  assert.strictEqual((await fetchViaFixture(tempUrl)).status, 200);
  await refused(call(temp(tmpToken + 'x'), 'headObject', { Bucket, Region, Key: 'temp.txt' }), '403');
  await refused(call(temp(tmpToken + 'x'), 'getBucket', { Bucket, Region }), 'InvalidToken');

  // Wrong key, unknown key id, expired signature, bucket of another region.
  const wrong = new COS(Object.assign({ SecretId: secretId, SecretKey: secretKey + 'x' }, base));
  await refused(call(wrong, 'getService', {}), 'SignatureDoesNotMatch');
  await refused(call(wrong, 'putObject', { Bucket, Region, Key: 'x', Body: Buffer.from('x') }), 'SignatureDoesNotMatch');
  const unknown = new COS(Object.assign({ SecretId: 'AKIDunknown', SecretKey: secretKey }, base));
  await refused(call(unknown, 'getService', {}), 'InvalidAccessKeyId');
  const late = new COS(Object.assign({ SecretId: secretId, SecretKey: secretKey, SystemClockOffset: -3600 * 1000,
                                       CorrectClockSkew: false }, base));
  const expired = await refused(call(late, 'getBucket', { Bucket, Region }), 'AccessDenied');
  assert.strictEqual(expired.error.Message, 'Request has expired');
  // With clock correction on, the SDK learns the fixture's Date and succeeds on its retry.
  const corrected = new COS(Object.assign({ SecretId: secretId, SecretKey: secretKey, SystemClockOffset: -3600 * 1000 }, base));
  await call(corrected, 'getBucket', { Bucket, Region });
  await refused(call(cos, 'getObject', { Bucket, Region: 'ap-beijing', Key: 'a b+c.txt' }), 'NoSuchBucket');
  await refused(call(cos, 'getObject', { Bucket, Region, Key: 'missing' }), 'NoSuchKey');

  for (const Key of [...keys, 'crc/check', 'multi/part.bin', 'temp.txt']) await call(cos, 'deleteObject', { Bucket, Region, Key });
  await call(cos, 'deleteBucket', { Bucket, Region });
  console.log('ok: the fixture accepts cos-nodejs-sdk-v5 requests and refuses wrong keys, tokens and times');
})().catch((e) => {
  console.error('FAIL:', e && e.stack ? e.stack : JSON.stringify(e));
  process.exit(1);
});
