// Unit tests of the signing engine beyond the reference vectors (tst_vectors): helpers, edge
// cases, CRC streaming/combine, and the published Tencent documentation examples.

#include "cos/signing/cossigner.h"
#include "cos/digest/crc64.h"
#include "cos/signing/percentencoding.h"
#include "cos/signing/sigv4.h"
#include "cos/signing/tc3.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {

// The bitwise definition from crc64.json's rules, as an independent reference.
quint64 crc64Bitwise(QByteArrayView data)
{
    quint64 crc = ~quint64(0);
    for (const char ch : data) {
        crc ^= static_cast<uchar>(ch);
        for (int i = 0; i < 8; ++i)
            crc = (crc >> 1) ^ ((crc & 1) ? 0xC96C5795D7870F42ULL : 0);
    }
    return ~crc;
}

QByteArray pattern(qsizetype length, int seed = 0)
{
    QByteArray data(length, Qt::Uninitialized);
    for (qsizetype i = 0; i < length; ++i)
        data[i] = char((i * 131 + seed * 7 + (i >> 9)) & 0xff);
    return data;
}

Cos::SigV4Input sigV4Base()
{
    Cos::SigV4Input in;
    in.accessKeyId = u"AKIAIOSFODNN7EXAMPLE"_s;
    in.secretAccessKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
    in.region = u"us-east-1"_s;
    in.service = u"s3"_s;
    in.method = "GET"_ba;
    in.host = u"examplebucket.s3.amazonaws.com"_s;
    in.canonicalPath = "/test.txt"_ba;
    in.headers = {{u"host"_s, in.host}};
    in.payloadHash = "UNSIGNED-PAYLOAD"_ba;
    in.amzDate = "20130524T000000Z"_ba;
    return in;
}

} // namespace

class TstSigning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyTime()
    {
        QCOMPARE(Cos::cosKeyTime(1557989151, 1557996351), u"1557989151;1557996351"_s);
        QCOMPARE(Cos::cosKeyTime(0, 900), u"0;900"_s);
        QCOMPARE(Cos::cosKeyTime(4102444800, 4102448400), u"4102444800;4102448400"_s);
    }

    void isSignedHeader_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("isSigned");
        QTest::newRow("host") << u"host"_s << true;
        QTest::newRow("Host") << u"Host"_s << true;
        QTest::newRow("CONTENT-TYPE") << u"CONTENT-TYPE"_s << true;
        QTest::newRow("content-length") << u"content-length"_s << true;
        QTest::newRow("content-md5") << u"Content-MD5"_s << true;
        QTest::newRow("range") << u"Range"_s << true;
        QTest::newRow("pic-operations") << u"Pic-Operations"_s << true;
        QTest::newRow("transfer-encoding") << u"Transfer-Encoding"_s << true;
        QTest::newRow("x-cos-acl") << u"x-cos-acl"_s << true;
        QTest::newRow("X-COS-Meta-A") << u"X-COS-Meta-A"_s << true;
        QTest::newRow("x-cos- inside") << u"my-x-cos-thing"_s << true;
        QTest::newRow("x-ci-process") << u"X-CI-Process"_s << true;
        QTest::newRow("date") << u"Date"_s << false;
        QTest::newRow("user-agent") << u"User-Agent"_s << false;
        QTest::newRow("authorization") << u"Authorization"_s << false;
        QTest::newRow("x-amz-date") << u"x-amz-date"_s << false;
        QTest::newRow("x-tc-action") << u"X-TC-Action"_s << false;
        QTest::newRow("content-language") << u"Content-Language"_s << false;
        QTest::newRow("hostname (prefix only)") << u"hostname"_s << false;
        QTest::newRow("x-cos without dash") << u"x-cosmeta"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void isSignedHeader()
    {
        QFETCH(QString, name);
        QFETCH(bool, isSigned);
        QCOMPARE(Cos::cosIsSignedHeader(name), isSigned);
    }

    void percentEncode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("keepSlash");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QString() << false << QByteArray();
        QTest::newRow("unreserved") << u"AZaz09-_.~"_s << false << "AZaz09-_.~"_ba;
        QTest::newRow("space") << u"a b"_s << false << "a%20b"_ba;
        QTest::newRow("plus") << u"a+b"_s << false << "a%2Bb"_ba;
        QTest::newRow("slash") << u"a/b"_s << false << "a%2Fb"_ba;
        QTest::newRow("slash kept") << u"/a/b c/"_s << true << "/a/b%20c/"_ba;
        QTest::newRow("percent") << u"100%"_s << true << "100%25"_ba;
        QTest::newRow("js extras") << u"!'()*"_s << false << "%21%27%28%29%2A"_ba;
        QTest::newRow("reserved") << u"?#&=;:,@[]"_s << true << "%3F%23%26%3D%3B%3A%2C%40%5B%5D"_ba;
        QTest::newRow("chinese") << u"腾讯云"_s << false << "%E8%85%BE%E8%AE%AF%E4%BA%91"_ba;
        QTest::newRow("emoji (surrogate pair)") << u"😀"_s << false << "%F0%9F%98%80"_ba;
        QTest::newRow("latin-1") << u"é"_s << false << "%C3%A9"_ba;
        QTest::newRow("newline and tab") << u"\n\t"_s << false << "%0A%09"_ba;
    }

    void percentEncode()
    {
        QFETCH(QString, text);
        QFETCH(bool, keepSlash);
        QFETCH(QByteArray, encoded);
        QCOMPARE(Cos::percentEncode(text, keepSlash), encoded);
        QCOMPARE(Cos::percentEncode(QByteArrayView(text.toUtf8()), keepSlash), encoded);
    }

    void percentEncodeRawBytes()
    {
        // Not valid UTF-8: every byte is still encoded on its own, never dropped or replaced.
        const QByteArray raw("\x00\x7f\x80\xff", 4);
        QCOMPARE(Cos::percentEncode(QByteArrayView(raw)), "%00%7F%80%FF"_ba);
    }

    void cosDocPutVector()
    {
        // COS documentation (zh "请求签名"): PUT with Date signed, path decoded UTF-8.
        Cos::CosSignInput in;
        in.method = "PUT"_ba;
        in.path = u"/exampleobject(腾讯云)"_s;
        in.secretId = u"AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"_s;
        in.secretKey = u"BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"_s;
        in.keyTime = Cos::cosKeyTime(1557989151, 1557996351);
        const Cos::StringPairs headers = {
                {u"Content-Length"_s, u"13"_s},
                {u"Content-MD5"_s, u"mQ/fVh815F3k6TAUm8m0eg=="_s},
                {u"Content-Type"_s, u"text/plain"_s},
                {u"Date"_s, u"Thu, 16 May 2019 06:45:51 GMT"_s},
                {u"Host"_s, u"examplebucket-1250000000.cos.ap-beijing.myqcloud.com"_s},
                {u"x-cos-acl"_s, u"private"_s},
                {u"x-cos-grant-read"_s, u"uin=\"100000000011\""_s},
        };
        const Cos::CosSignResult r = Cos::cosSignExplicitHeaders(in, headers);
        QCOMPARE(r.signKey, "eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f"_ba);
        QCOMPARE(r.headerList.join(u';'),
                 u"content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read"_s);
        QCOMPARE(QCryptographicHash::hash(r.formatString, QCryptographicHash::Sha1).toHex(),
                 "8b2751e77f43a0995d6e9eb9477f4b685cca4172"_ba);
        QCOMPARE(r.signature, "3b8851a11a569213c17ba8fa7dcf2abec6935172"_ba);
        QVERIFY(r.authorization.endsWith("&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172"));

        // cosSign applies the whitelist: Date is left out, so the signature changes.
        in.headers = headers;
        const Cos::CosSignResult whitelisted = Cos::cosSign(in);
        QCOMPARE(whitelisted.headerList.join(u';'),
                 u"content-length;content-md5;content-type;host;x-cos-acl;x-cos-grant-read"_s);
        QVERIFY(whitelisted.signature != r.signature);
    }

    void cosDocGetVector()
    {
        Cos::CosSignInput in;
        in.method = "GET"_ba;
        in.path = u"/exampleobject(腾讯云)"_s;
        in.query = {{u"response-content-type"_s, u"application/octet-stream"_s},
                    {u"response-cache-control"_s, u"max-age=600"_s}};
        in.secretId = u"AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"_s;
        in.secretKey = u"BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"_s;
        in.keyTime = Cos::cosKeyTime(1557989753, 1557996953);
        const Cos::CosSignResult r = Cos::cosSignExplicitHeaders(
                in,
                {{u"Date"_s, u"Thu, 16 May 2019 06:55:53 GMT"_s},
                 {u"Host"_s, u"examplebucket-1250000000.cos.ap-beijing.myqcloud.com"_s}});
        QCOMPARE(r.signKey, "937914bf490e9e8c189836aad2052e4feeb35eaf"_ba);
        QCOMPARE(r.urlParamList.join(u';'), u"response-cache-control;response-content-type"_s);
        QCOMPARE(QCryptographicHash::hash(r.formatString, QCryptographicHash::Sha1).toHex(),
                 "54ecfe22f59d3514fdc764b87a32d8133ea611e6"_ba);
        QCOMPARE(r.signature, "01681b8c9d798a678e43b685a9f1bba0f6c0e012"_ba);
    }

    void cosParamOrderVersusListOrder()
    {
        // paramString sorts raw names, the list sorts encoded names: for a non-ASCII name
        // the two orders differ.
        Cos::CosSignInput in;
        in.method = "GET"_ba;
        in.path = u"/"_s;
        in.query = {{u"中"_s, u"1"_s}, {u"z"_s, u"2"_s}};
        in.keyTime = Cos::cosKeyTime(1, 2);
        const Cos::CosSignResult r = Cos::cosSign(in);
        QCOMPARE(r.formatString, "get\n/\nz=2&%e4%b8%ad=1\n\n"_ba);
        QCOMPARE(r.urlParamList, QStringList({u"%e4%b8%ad"_s, u"z"_s}));
    }

    void cosPresignTokenAndUnsignedHost()
    {
        Cos::CosPresignInput in;
        in.method = "GET"_ba;
        in.scheme = u"https"_s;
        in.host = u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s;
        in.key = u"dir/a b.txt"_s;
        in.query = {{u"versionId"_s, u"v 1"_s}};
        in.secretId = u"AKIDx"_s;
        in.secretKey = u"key"_s;
        in.keyTime = Cos::cosKeyTime(100, 200);
        in.securityToken = u"tok"_s;
        in.signHost = false;
        const QByteArray url = Cos::cosPresignedUrl(in);
        QVERIFY2(url.startsWith("https://b-1250000000.cos.ap-guangzhou.myqcloud.com/dir/a%20b.txt"
                                "?q-sign-algorithm=sha1&q-ak=AKIDx&q-sign-time=100;200"
                                "&q-key-time=100;200&q-header-list=&q-url-param-list=versionid"
                                "&q-signature="),
                 url.constData());
        QVERIFY2(url.endsWith("&x-cos-security-token=tok&versionId=v%201"), url.constData());
    }

    void crcCheckValue()
    {
        QCOMPARE(Cos::Crc64::compute("123456789"), 0x995DC9BBDF1939FAULL);
        QCOMPARE(Cos::Crc64::compute({}), 0ULL);
        QCOMPARE(Cos::Crc64().value(), 0ULL);
    }

    void crcMatchesBitwise()
    {
        // Every length up to 700 at every alignment 0..7: the table path for short inputs, the
        // carry-less folding path (256 bytes and more, where the CPU has it) with every tail.
        const QByteArray data = pattern(720, 3);
        for (int offset = 0; offset < 8; ++offset) {
            for (int len = 0; len <= 700; ++len) {
                const QByteArrayView view = QByteArrayView(data).sliced(offset, len);
                QCOMPARE(Cos::Crc64::compute(view), crc64Bitwise(view));
            }
        }
    }

    void crcStreamingOddChunks_data()
    {
        QTest::addColumn<int>("chunk");
        for (int chunk : {1, 3, 7, 9, 13, 64, 255, 256, 257, 4093, 65537, 300000})
            QTest::newRow(qPrintable(QString::number(chunk))) << chunk;
    }

    void crcStreamingOddChunks()
    {
        QFETCH(int, chunk);
        const QByteArray data = pattern(200003, chunk);
        const quint64 oneShot = Cos::Crc64::compute(data);
        QCOMPARE(oneShot, crc64Bitwise(data));
        Cos::Crc64 crc;
        for (qsizetype pos = 0; pos < data.size(); pos += chunk)
            crc.update(QByteArrayView(data).sliced(pos, qMin<qsizetype>(chunk, data.size() - pos)));
        QCOMPARE(crc.value(), oneShot);
        crc.update({}); // an empty update changes nothing
        QCOMPARE(crc.value(), oneShot);
    }

    void crcCombine()
    {
        const QByteArray data = pattern(1 << 20, 11);
        const quint64 whole = Cos::Crc64::compute(data);
        for (qsizetype split : {qsizetype(0), qsizetype(1), qsizetype(7), qsizetype(4096),
                                qsizetype(524289), data.size() - 1, data.size()}) {
            const QByteArrayView a = QByteArrayView(data).first(split);
            const QByteArrayView b = QByteArrayView(data).sliced(split);
            QCOMPARE(Cos::Crc64::combine(Cos::Crc64::compute(a), Cos::Crc64::compute(b), b.size()),
                     whole);
        }
    }

    void crcCombineLengthZero()
    {
        const quint64 a = Cos::Crc64::compute("Hello, ");
        QCOMPARE(Cos::Crc64::combine(a, 0, 0), a);
        // lengthB 0 means B is empty: crc(B) is ignored, whatever the caller passed.
        QCOMPARE(Cos::Crc64::combine(a, 0x1234, 0), a);
        QCOMPARE(Cos::Crc64::combine(a, 0x1234, -5), a);
        QCOMPARE(Cos::Crc64::combine(0, 0, 0), 0ULL);
    }

    void crcToDecimal()
    {
        QCOMPARE(Cos::Crc64::toDecimal(0), "0"_ba);
        QCOMPARE(Cos::Crc64::toDecimal(11051210869376104954ULL), "11051210869376104954"_ba);
        QCOMPARE(Cos::Crc64::toDecimal(~quint64(0)), "18446744073709551615"_ba);
    }

    void amzDate()
    {
        QCOMPARE(Cos::sigV4AmzDate(QDateTime(QDate(2013, 5, 24), QTime(0, 0), QTimeZone::utc())),
                 "20130524T000000Z"_ba);
        // A time in another zone is converted to UTC, across the date line.
        const QDateTime beijing(QDate(2024, 1, 1), QTime(7, 5, 9), QTimeZone(8 * 3600));
        QCOMPARE(Cos::sigV4AmzDate(beijing), "20231231T230509Z"_ba);
    }

    void sigV4AddedHeaders()
    {
        Cos::SigV4Input in = sigV4Base();
        in.sessionToken = u"TOKEN"_s;
        Cos::SigV4Result r = Cos::sigV4SignHeaders(in);
        const Cos::StringPairs added = {{u"x-amz-date"_s, u"20130524T000000Z"_s},
                                        {u"x-amz-security-token"_s, u"TOKEN"_s},
                                        {u"x-amz-content-sha256"_s, u"UNSIGNED-PAYLOAD"_s}};
        QCOMPARE(r.addedHeaders, added);
        QVERIFY(r.authorization.contains(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));

        // A given content hash header (any case) is kept and not added again.
        in.sessionToken.clear();
        in.headers.append({u"X-Amz-Content-SHA256"_s, u"UNSIGNED-PAYLOAD"_s});
        r = Cos::sigV4SignHeaders(in);
        QCOMPARE(r.addedHeaders, Cos::StringPairs({{u"x-amz-date"_s, u"20130524T000000Z"_s}}));
        QVERIFY(r.canonicalRequest.contains("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"));

        // A stale x-amz-date among the given headers is replaced, not signed twice.
        in.headers.append({u"X-Amz-Date"_s, u"19990101T000000Z"_s});
        r = Cos::sigV4SignHeaders(in);
        QVERIFY(!r.canonicalRequest.contains("19990101"));
        QCOMPARE(r.canonicalRequest.count("x-amz-date:"), 1);
    }

    void sigV4HeaderCanonicalisation()
    {
        Cos::SigV4Input in = sigV4Base();
        in.headers.append({u"X-Amz-Meta-Note"_s, u"  a \t b\r\nc  "_s});
        in.headers.append({u"User-Agent"_s, u"test/1.0"_s});
        in.headers.append({u"Proxy-Authorization"_s, u"x"_s});
        in.headers.append({u"Sec-Fetch-Mode"_s, u"cors"_s});
        const Cos::SigV4Result r = Cos::sigV4SignHeaders(in);
        QVERIFY2(r.canonicalRequest.contains("\nx-amz-meta-note:a b c\n"),
                 r.canonicalRequest.constData());
        QVERIFY(!r.canonicalRequest.contains("user-agent"));
        QVERIFY(!r.canonicalRequest.contains("proxy-"));
        QVERIFY(!r.canonicalRequest.contains("sec-fetch"));
    }

    void sigV4EmptyPayloadHashMeansUnsigned()
    {
        Cos::SigV4Input in = sigV4Base();
        const Cos::SigV4Result explicitUnsigned = Cos::sigV4SignHeaders(in);
        in.payloadHash.clear();
        const Cos::SigV4Result defaulted = Cos::sigV4SignHeaders(in);
        QCOMPARE(defaulted.signature, explicitUnsigned.signature);
        QVERIFY(defaulted.canonicalRequest.endsWith("\nUNSIGNED-PAYLOAD"));
    }

    void sigV4PresignExpiryClamped()
    {
        const Cos::SigV4Input in = sigV4Base();
        const Cos::SigV4Presigned week = Cos::sigV4Presign(in, 604800, u"https"_s);
        const Cos::SigV4Presigned tooLong = Cos::sigV4Presign(in, 10000000, u"https"_s);
        QVERIFY(tooLong.url.contains("&X-Amz-Expires=604800&"));
        QCOMPARE(tooLong.url, week.url);
        QVERIFY(Cos::sigV4Presign(in, -1, u"http"_s).url.contains("&X-Amz-Expires=1&"));
    }

    void sigV4PresignSessionToken()
    {
        Cos::SigV4Input in = sigV4Base();
        in.sessionToken = u"a/b+c="_s;
        const Cos::SigV4Presigned p = Cos::sigV4Presign(in, 60, u"https"_s);
        QVERIFY2(p.url.startsWith("https://examplebucket.s3.amazonaws.com/test.txt"
                                  "?X-Amz-Security-Token=a%2Fb%2Bc%3D&X-Amz-Algorithm="),
                 p.url.constData());
        QVERIFY(p.canonicalRequest.contains("&X-Amz-Security-Token=a%2Fb%2Bc%3D&"));
    }

    void tc3DocVector()
    {
        // Tencent Cloud API 3.0 documentation (zh), CVM DescribeInstances POST.
        Cos::Tc3Input in;
        in.secretId = u"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"_s;
        in.secretKey = u"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"_s;
        in.method = "POST"_ba;
        in.host = u"cvm.tencentcloudapi.com"_s;
        in.service = u"cvm"_s;
        in.timestamp = 1551113065;
        in.contentType = "application/json; charset=utf-8"_ba;
        in.payload =
                R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})"_ba;
        const Cos::Tc3Result r = Cos::tc3Sign(in);
        QVERIFY(r.canonicalRequest.endsWith(
                "\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"));
        QVERIFY(r.stringToSign.contains("\n2019-02-25/cvm/tc3_request\n"));
        QCOMPARE(r.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"_ba);
        QCOMPARE(r.authorization,
                 "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
                 "tc3_request, SignedHeaders=content-type;host, "
                 "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"_ba);
    }

    void tc3UtcDate_data()
    {
        QTest::addColumn<qint64>("timestamp");
        QTest::addColumn<QByteArray>("date");
        QTest::newRow("epoch") << qint64(0) << "1970-01-01"_ba;
        QTest::newRow("last second of a day") << qint64(1700006399) << "2023-11-14"_ba;
        QTest::newRow("midnight UTC") << qint64(1700006400) << "2023-11-15"_ba;
        QTest::newRow("leap day") << qint64(1709208000) << "2024-02-29"_ba;
        QTest::newRow("before epoch") << qint64(-1) << "1969-12-31"_ba;
    }

    void tc3UtcDate()
    {
        QFETCH(qint64, timestamp);
        QFETCH(QByteArray, date);
        Cos::Tc3Input in;
        in.method = "POST"_ba;
        in.service = u"sts"_s;
        in.timestamp = timestamp;
        const Cos::Tc3Result r = Cos::tc3Sign(in);
        QVERIFY2(r.stringToSign.contains(QByteArray('\n' + date + "/sts/tc3_request\n")),
                 r.stringToSign.constData());
    }
};

QTEST_GUILESS_MAIN(TstSigning)
#include "tst_signing.moc"
