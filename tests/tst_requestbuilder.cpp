#include "cos/signing/cossigner.h"
#include "cos/protocol/endpoint.h"
#include "cos/protocol/requestbuilder.h"
#include "cos/net/requestsigner.h"
#include "cos/signing/sigv4.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QXmlStreamReader>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Cos;

using Build = std::function<BuildResult()>;
Q_DECLARE_METATYPE(Build)
Q_DECLARE_METATYPE(Cos::Endpoint)
Q_DECLARE_METATYPE(Cos::Credentials)

namespace {

constexpr qint64 kNow = 1700000000; // 2023-11-14T22:13:20Z

Endpoint cosEndpoint()
{
    return Endpoint::cos(u"ap-guangzhou"_s, u"1250000000"_s);
}

Endpoint s3Endpoint(const QString &url, bool pathStyle)
{
    Error error;
    const Endpoint e = Endpoint::s3(QUrl(url), u"us-east-1"_s, pathStyle, &error);
    if (error)
        qFatal("bad test endpoint %s: %s", qPrintable(url), qPrintable(error.message()));
    return e;
}

PutObjectParams sized(qint64 length)
{
    PutObjectParams p;
    p.contentLength = length;
    return p;
}

Credentials permanentKeys()
{
    Credentials c;
    c.secretId = u"AKIDEXAMPLEID"_s;
    c.secretKey = u"exampleSecretKey0123456789"_s;
    return c;
}

Credentials temporaryKeys()
{
    Credentials c = permanentKeys();
    c.sessionToken = u"tokenABC+/=123"_s;
    c.startTime = kNow - 30;
    c.expiredTime = kNow + 1800;
    return c;
}

// The raw (decoded) pairs of an encoded query, the way a server reads them.
StringPairs parseQuery(const QByteArray &encoded)
{
    StringPairs pairs;
    if (encoded.isEmpty())
        return pairs;
    for (const QByteArray &part : encoded.split('&')) {
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        pairs.append({QUrl::fromPercentEncoding(name), QUrl::fromPercentEncoding(value)});
    }
    return pairs;
}

QByteArray encodedPathOf(const QUrl &url)
{
    return url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveQuery
                         | QUrl::RemoveFragment);
}

// The headers the signature covers: all the signer set except Authorization itself and the
// unsigned Accept-Encoding.
StringPairs headersOf(const QNetworkRequest &request)
{
    StringPairs headers;
    for (const QByteArray &name : request.rawHeaderList()) {
        if (name.compare("authorization", Qt::CaseInsensitive) != 0
            && name.compare("accept-encoding", Qt::CaseInsensitive) != 0)
            headers.append({QString::fromLatin1(name), QString::fromUtf8(request.rawHeader(name))});
    }
    return headers;
}

QString valueOf(const StringPairs &pairs, QLatin1StringView name)
{
    for (const auto &[n, v] : pairs) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

// q-key-time out of a COS Authorization value.
QString cosAuthField(const QByteArray &authorization, const QByteArray &field)
{
    for (const QByteArray &part : authorization.split('&')) {
        if (part.startsWith(QByteArray(field + '=')))
            return QString::fromLatin1(part.mid(field.size() + 1));
    }
    return {};
}

// Recomputes the SigV4 Authorization from what would be sent: method, URL and headers.
QByteArray recomputeSigV4(const QByteArray &method, const QByteArray &encodedPath,
                          const QByteArray &encodedQuery, const StringPairs &headers,
                          const Credentials &c, const QString &region)
{
    SigV4Input in;
    in.accessKeyId = c.secretId;
    in.secretAccessKey = c.secretKey;
    in.sessionToken = valueOf(headers, "x-amz-security-token"_L1);
    in.region = region;
    in.service = u"s3"_s;
    in.method = method;
    in.host = valueOf(headers, "host"_L1);
    in.canonicalPath = encodedPath;
    in.query = parseQuery(encodedQuery);
    in.headers = headers;
    in.payloadHash = valueOf(headers, "x-amz-content-sha256"_L1).toLatin1();
    in.amzDate = valueOf(headers, "x-amz-date"_L1).toLatin1();
    return sigV4SignHeaders(in).authorization;
}

// Recomputes the COS Authorization from the decoded URL path, the query and the headers.
QByteArray recomputeCos(const QByteArray &method, const QString &decodedPath,
                        const QByteArray &encodedQuery, const StringPairs &headers,
                        const Credentials &c, const QString &keyTime)
{
    CosSignInput in;
    in.method = method;
    in.path = decodedPath;
    in.query = parseQuery(encodedQuery);
    in.headers = headers;
    in.secretId = c.secretId;
    in.secretKey = c.secretKey;
    in.keyTime = keyTime;
    return cosSign(in).authorization;
}

/** A raw TCP server that records each request head and answers 200, to see the exact bytes. */
class WireCapture : public QObject
{
    Q_OBJECT
public:
    struct Captured
    {
        QByteArray method;
        QByteArray target;
        StringPairs headers;
        QByteArray body;
    };

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QList<Captured> requests;

    WireCapture()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
            }
        });
    }

private:
    void onData(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = buf.left(end).split('\n');
            Captured c;
            const QList<QByteArray> first = lines.first().trimmed().split(' ');
            c.method = first.value(0);
            c.target = first.value(1);
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                const QString name = QString::fromLatin1(line.left(colon));
                const QString value = QString::fromUtf8(line.mid(colon + 1).trimmed());
                c.headers.append({name, value});
                if (name.compare("content-length"_L1, Qt::CaseInsensitive) == 0)
                    length = value.toLongLong();
            }
            if (buf.size() < end + 4 + length)
                return;
            c.body = buf.mid(end + 4, length);
            buf.remove(0, end + 4 + length);
            requests.append(c);
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TstRequestBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hosts_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<QByteArray>("url");
        QTest::addColumn<QByteArray>("host");

        const RequestBuilder cos(cosEndpoint());
        QTest::newRow("cos service") << Build([cos] { return cos.listBuckets(); })
                                     << "https://service.cos.myqcloud.com/"_ba
                                     << "service.cos.myqcloud.com"_ba;
        QTest::newRow("cos region") << Build([cos] {
            return cos.listBuckets({u"ap-beijing"_s, {}, 0});
        }) << "https://cos.ap-beijing.myqcloud.com/"_ba
                                    << "cos.ap-beijing.myqcloud.com"_ba;
        QTest::newRow("cos region paged") << Build([cos] {
            return cos.listBuckets({u"ap-beijing-1"_s, u"b x"_s, 2000});
        }) << "https://cos.ap-beijing-1.myqcloud.com/?marker=b%20x&max-keys=2000"_ba
                                          << "cos.ap-beijing-1.myqcloud.com"_ba;
        QTest::newRow("cos bucket gets -appid")
                << Build([cos] { return cos.listObjects(u"examplebucket"_s); })
                << "https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/"_ba
                << "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;
        QTest::newRow("cos bucket has -appid already")
                << Build([cos] { return cos.headObject(u"examplebucket-1250000000"_s, u"k"_s); })
                << "https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/k"_ba
                << "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;
        QTest::newRow("cos other digits are not the appid")
                << Build([cos] { return cos.listObjects(u"logs-2024"_s); })
                << "https://logs-2024-1250000000.cos.ap-guangzhou.myqcloud.com/"_ba
                << "logs-2024-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;

        Endpoint noAppId = Endpoint::cos(u"ap-shanghai"_s, {});
        const RequestBuilder cosNoAppId(noAppId);
        QTest::newRow("cos without appid uses the full name")
                << Build([cosNoAppId] { return cosNoAppId.getObject(u"b-1300000000"_s, u"k"_s); })
                << "https://b-1300000000.cos.ap-shanghai.myqcloud.com/k"_ba
                << "b-1300000000.cos.ap-shanghai.myqcloud.com"_ba;

        Endpoint accel = cosEndpoint();
        accel.accelerate = true;
        const RequestBuilder cosAccel(accel);
        QTest::newRow("cos accelerate")
                << Build([cosAccel] { return cosAccel.getObject(u"examplebucket"_s, u"a.txt"_s); })
                << "https://examplebucket-1250000000.cos.accelerate.myqcloud.com/a.txt"_ba
                << "examplebucket-1250000000.cos.accelerate.myqcloud.com"_ba;

        Endpoint custom = cosEndpoint();
        custom.domain = u"Files.Example.com"_s;
        custom.scheme = u"http"_s;
        custom.port = 8080;
        const RequestBuilder cosCustom(custom);
        QTest::newRow("cos custom domain, http, port") << Build([cosCustom] {
            return cosCustom.getObject(u"examplebucket"_s, u"d/a.txt"_s);
        }) << "http://files.example.com:8080/d/a.txt"_ba
                                                       << "files.example.com:8080"_ba;

        Endpoint tpl = cosEndpoint();
        tpl.domain = u"{BucketName}.{AppId}.{Region}.cdn.example.com"_s;
        const RequestBuilder cosTemplate(tpl);
        QTest::newRow("cos domain template")
                << Build([cosTemplate] {
                       return cosTemplate.getObject(u"examplebucket"_s, u"a.txt"_s);
                   })
                << "https://examplebucket.1250000000.ap-guangzhou.cdn.example.com/a.txt"_ba
                << "examplebucket.1250000000.ap-guangzhou.cdn.example.com"_ba;
        Endpoint tplFull = cosEndpoint();
        tplFull.domain = u"{Bucket}.file.myqcloud.com"_s;
        const RequestBuilder cosTemplateFull(tplFull);
        QTest::newRow("cos domain template {Bucket}")
                << Build([cosTemplateFull] {
                       return cosTemplateFull.getObject(u"examplebucket"_s, u"a.txt"_s);
                   })
                << "https://examplebucket-1250000000.file.myqcloud.com/a.txt"_ba
                << "examplebucket-1250000000.file.myqcloud.com"_ba;
        Endpoint internal = cosEndpoint();
        internal.internal = true;
        const RequestBuilder cosInternal(internal);
        QTest::newRow("cos private network")
                << Build([cosInternal] { return cosInternal.getObject(u"examplebucket"_s, u"a"_s); })
                << "https://examplebucket-1250000000.cos-internal.ap-guangzhou.tencentcos.cn/a"_ba
                << "examplebucket-1250000000.cos-internal.ap-guangzhou.tencentcos.cn"_ba;
        Endpoint service = cosEndpoint();
        service.serviceDomain = u"service.{Region}.example.com"_s;
        const RequestBuilder cosService(service);
        Endpoint noRegion = cosEndpoint();
        noRegion.region.clear();
        const RequestBuilder cosNoRegion(noRegion);
        QTest::newRow("cos list all buckets needs no region")
                << Build([cosNoRegion] { return cosNoRegion.listBuckets(); })
                << "https://service.cos.myqcloud.com/"_ba
                << "service.cos.myqcloud.com"_ba;
        Endpoint serviceFixed = cosEndpoint();
        serviceFixed.serviceDomain = u"buckets.example.com"_s;
        const RequestBuilder cosServiceFixed(serviceFixed);
        QTest::newRow("cos service domain, all buckets")
                << Build([cosServiceFixed] { return cosServiceFixed.listBuckets(); })
                << "https://buckets.example.com/"_ba
                << "buckets.example.com"_ba;
        QTest::newRow("cos service domain, one region") << Build([cosService] {
            return cosService.listBuckets({u"ap-beijing"_s, {}, 0});
        }) << "https://service.ap-beijing.example.com/"_ba
                                                        << "service.ap-beijing.example.com"_ba;

        Endpoint defaultPort = cosEndpoint();
        defaultPort.port = 443;
        const RequestBuilder cosDefaultPort(defaultPort);
        QTest::newRow("cos https port 443 is left out")
                << Build([cosDefaultPort] { return cosDefaultPort.getObject(u"b"_s, u"k"_s); })
                << "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/k"_ba
                << "b-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;

        const RequestBuilder path(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        QTest::newRow("s3 path list buckets")
                << Build([path] { return path.listBuckets(); }) << "http://127.0.0.1:7480/"_ba
                << "127.0.0.1:7480"_ba;
        QTest::newRow("s3 path bucket")
                << Build([path] { return path.listObjects(u"my-bucket"_s); })
                << "http://127.0.0.1:7480/my-bucket"_ba
                << "127.0.0.1:7480"_ba;
        QTest::newRow("s3 path object")
                << Build([path] { return path.getObject(u"my-bucket"_s, u"dir/a.txt"_s); })
                << "http://127.0.0.1:7480/my-bucket/dir/a.txt"_ba
                << "127.0.0.1:7480"_ba;

        const RequestBuilder virt(s3Endpoint(u"http://localhost:7480"_s, false));
        QTest::newRow("s3 virtual bucket")
                << Build([virt] { return virt.listObjects(u"my-bucket"_s); })
                << "http://my-bucket.localhost:7480/"_ba
                << "my-bucket.localhost:7480"_ba;
        QTest::newRow("s3 virtual object")
                << Build([virt] { return virt.putObject(u"my-bucket"_s, u"a b"_s, sized(0)); })
                << "http://my-bucket.localhost:7480/a%20b"_ba
                << "my-bucket.localhost:7480"_ba;
        QTest::newRow("s3 virtual list buckets")
                << Build([virt] { return virt.listBuckets(); }) << "http://localhost:7480/"_ba
                << "localhost:7480"_ba;

        const RequestBuilder https(
                s3Endpoint(u"https://cos.ap-guangzhou.myqcloud.com:443"_s, false));
        QTest::newRow("s3 on cos, default port")
                << Build([https] { return https.getObject(u"b-1250000000"_s, u"k"_s); })
                << "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/k"_ba
                << "b-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;

        const RequestBuilder v6(s3Endpoint(u"http://[::1]:7480"_s, true));
        QTest::newRow("s3 ipv6 path") << Build([v6] { return v6.getObject(u"bkt"_s, u"k"_s); })
                                      << "http://[::1]:7480/bkt/k"_ba
                                      << "[::1]:7480"_ba;

        Endpoint s3AppId = s3Endpoint(u"https://cos.ap-guangzhou.myqcloud.com"_s, false);
        s3AppId.appId = u"1250000000"_s;
        const RequestBuilder s3WithAppId(s3AppId);
        QTest::newRow("s3 with appid suffix")
                << Build([s3WithAppId] { return s3WithAppId.getObject(u"b"_s, u"k"_s); })
                << "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/k"_ba
                << "b-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;
    }

    void hosts()
    {
        QFETCH(Build, build);
        QFETCH(QByteArray, url);
        QFETCH(QByteArray, host);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(b.request.encodedUrl(), url);
        QCOMPARE(b.request.hostHeader(), host);
        for (const Credentials &c : {permanentKeys(), temporaryKeys()}) {
            const SignedRequest s = RequestSigner::sign(b.request, c, kNow);
            QVERIFY2(s.ok(), qPrintable(s.error.message()));
            QCOMPARE(s.request.url().toEncoded(), url);
            QCOMPARE(s.request.rawHeader("Host"), host);
            QCOMPARE(s.method, b.request.method);
        }
    }

    void connectToAndBackupHost()
    {
        // connect-to: the URL names the connect address; Host, signature and TLS name do not.
        Endpoint e = cosEndpoint();
        e.connectHost = u"127.0.0.1"_s;
        e.connectPort = 8443;
        const BuildResult b = RequestBuilder(e).getObject(u"examplebucket"_s, u"a b.txt"_s);
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        const QByteArray real = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;
        QCOMPARE(b.request.hostHeader(), real);
        QCOMPARE(b.request.networkUrl().toEncoded(), "https://127.0.0.1:8443/a%20b.txt"_ba);
        const SignedRequest s = RequestSigner::sign(b.request, permanentKeys(), kNow);
        QVERIFY2(s.ok(), qPrintable(s.error.message()));
        QCOMPARE(s.request.url().toEncoded(), "https://127.0.0.1:8443/a%20b.txt"_ba);
        QCOMPARE(s.request.rawHeader("Host"), real);
        QCOMPARE(s.request.peerVerifyName(), QString::fromLatin1(real));
        Endpoint plain = cosEndpoint();
        const SignedRequest same = RequestSigner::sign(
                RequestBuilder(plain).getObject(u"examplebucket"_s, u"a b.txt"_s).request,
                permanentKeys(), kNow);
        // The address to connect to is not part of what is signed.
        QCOMPARE(s.request.rawHeader("Authorization"), same.request.rawHeader("Authorization"));
        QCOMPARE(same.request.peerVerifyName(), QString());
        // Every request asks for the stored bytes, not a compressed variant.
        QCOMPARE(same.request.rawHeader("Accept-Encoding"), "identity"_ba);
        QVERIFY(!same.request.rawHeader("Authorization").contains("accept-encoding"));

        // Without a port the request's own port is kept.
        Endpoint hostOnly = cosEndpoint();
        hostOnly.connectHost = u"10.0.0.7"_s;
        QCOMPARE(RequestBuilder(hostOnly).listBuckets().request.networkUrl().toEncoded(),
                 "https://10.0.0.7/"_ba);

        // The backup domain: only the default domain's bucket hosts, and only when enabled.
        const Endpoint c = cosEndpoint();
        QCOMPARE(c.backupHost(u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s),
                 u"b-1250000000.cos.ap-guangzhou.tencentcos.cn"_s);
        QCOMPARE(c.backupHost(u"b-1250000000.cos.accelerate.myqcloud.com"_s), QString());
        QCOMPARE(c.backupHost(u"service.cos.myqcloud.com"_s), QString());
        QCOMPARE(c.backupHost(u"cos.ap-guangzhou.myqcloud.com"_s), QString());
        QCOMPARE(c.backupHost(u"files.example.com"_s), QString());
        QCOMPARE(c.backupHost(u"b-1250000000.cos-internal.ap-guangzhou.tencentcos.cn"_s), QString());
        Endpoint off = cosEndpoint();
        off.backupDomain = false;
        QCOMPARE(off.backupHost(u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s), QString());
        const Endpoint s3 = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
        QCOMPARE(s3.backupHost(u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s), QString());
    }

    void endpointOptions()
    {
        // The text form of flags, variables and settings, applied to a COS endpoint.
        Endpoint e = cosEndpoint();
        EndpointOptions o;
        o.protocol = u"HTTP:"_s;
        o.domain = u"https://{Bucket}.cos.{Region}.tencentcos.cn/"_s;
        o.serviceDomain = u" service.example.com "_s;
        o.connectTo = u"[::1]:8443"_s;
        o.backupDomain = false;
        QVERIFY(o.hasCosOptions());
        QCOMPARE(o.applyTo(&e).message(), QString());
        QCOMPARE(e.scheme, u"https"_s); // the domain's scheme comes last and wins
        QCOMPARE(e.domain, u"{Bucket}.cos.{Region}.tencentcos.cn"_s);
        QCOMPARE(e.serviceDomain, u"service.example.com"_s);
        QCOMPARE(e.connectHost, u"::1"_s);
        QCOMPARE(e.connectPort, 8443);
        QVERIFY(!e.backupDomain);
        QVERIFY(!e.validate());
        const BuildResult b = RequestBuilder(e).getObject(u"examplebucket"_s, u"k"_s);
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(b.request.hostHeader(),
                 "examplebucket-1250000000.cos.ap-guangzhou.tencentcos.cn"_ba);
        QCOMPARE(b.request.networkUrl().toEncoded(), "https://[::1]:8443/k"_ba);

        Endpoint plain = cosEndpoint();
        EndpointOptions hostOnly;
        hostOnly.connectTo = u"proxy.internal"_s;
        hostOnly.accelerate = true;
        QVERIFY(!hostOnly.applyTo(&plain));
        QCOMPARE(plain.connectHost, u"proxy.internal"_s);
        QCOMPARE(plain.connectPort, -1);
        QVERIFY(plain.accelerate);

        // Malformed values are refused with what was expected.
        for (const QString &bad : {u"127.0.0.1:"_s, u"127.0.0.1:port"_s, u"[::1"_s, u"[::1]x"_s,
                                   u"[::1]:"_s, u":80"_s, u"h:+80"_s}) {
            Endpoint t = cosEndpoint();
            EndpointOptions c;
            c.connectTo = bad;
            const Error err = c.applyTo(&t);
            QVERIFY2(err.message().contains(u"HOST[:PORT]"_s), qPrintable(bad));
        }
        Endpoint t = cosEndpoint();
        EndpointOptions badProtocol;
        badProtocol.protocol = u"ftp"_s;
        QVERIFY(badProtocol.applyTo(&t).message().contains(u"neither http nor https"_s));
        // A port out of range parses, and validate() names it.
        EndpointOptions bigPort;
        bigPort.connectTo = u"127.0.0.1:70000"_s;
        QVERIFY(!bigPort.applyTo(&t));
        QVERIFY(t.validate().message().contains(u"Connect-to port 70000"_s));

        // S3 takes connect-to only.
        Endpoint s3 = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
        EndpointOptions s3Options;
        s3Options.connectTo = u"10.0.0.1:9000"_s;
        QVERIFY(!s3Options.hasCosOptions());
        QVERIFY(!s3Options.applyTo(&s3));
        QCOMPARE(s3.connectHost, u"10.0.0.1"_s);
        s3Options.domain = u"x.example.com"_s;
        QVERIFY(s3Options.applyTo(&s3).message().contains(u"COS dialect options"_s));
    }

    void keyEncoding_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("encoded");

        QTest::newRow("space and plus") << u"a b+c.txt"_s << "a%20b%2Bc.txt"_ba;
        QTest::newRow("percent") << u"100%.txt"_s << "100%25.txt"_ba;
        QTest::newRow("percent that looks encoded") << u"a%20b"_s << "a%2520b"_ba;
        QTest::newRow("question mark") << u"what?.txt"_s << "what%3F.txt"_ba;
        QTest::newRow("hash") << u"#tag"_s << "%23tag"_ba;
        QTest::newRow("double slash") << u"a//b"_s << "a//b"_ba;
        QTest::newRow("trailing slash") << u"dir/"_s << "dir/"_ba;
        QTest::newRow("unicode") << u"文件/报告.txt"_s
                                 << "%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.txt"_ba;
        QTest::newRow("unreserved") << u"~-_.x"_s << "~-_.x"_ba;
        QTest::newRow("sub-delims")
                << u"(腾讯云)!*'"_s << "%28%E8%85%BE%E8%AE%AF%E4%BA%91%29%21%2A%27"_ba;
        QTest::newRow("gen-delims")
                << u"a;b=c&d,e$f@g:h[i]"_s << "a%3Bb%3Dc%26d%2Ce%24f%40g%3Ah%5Bi%5D"_ba;
        QTest::newRow("dots that are not segments") << u".../.a/..b"_s << ".../.a/..b"_ba;
        QTest::newRow("emoji") << u"\U0001F600"_s << "%F0%9F%98%80"_ba;
    }

    void keyEncoding()
    {
        QFETCH(QString, key);
        QFETCH(QByteArray, encoded);

        const RequestBuilder cos(cosEndpoint());
        const BuildResult c = cos.getObject(u"b"_s, key);
        QVERIFY2(c.ok(), qPrintable(c.error.message()));
        QCOMPARE(c.request.path, u'/' + key);
        QCOMPARE(c.request.encodedPath, '/' + encoded);
        const SignedRequest cs = RequestSigner::sign(c.request, permanentKeys(), kNow);
        QVERIFY(cs.ok());
        QCOMPARE(cs.request.url().toEncoded(),
                 "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/"_ba + encoded);
        // The COS signer signs the decoded path; it must be what the URL decodes to.
        QCOMPARE(cs.request.url().path(QUrl::FullyDecoded), u'/' + key);

        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        const BuildResult s = s3.putObject(u"bkt"_s, key, sized(3));
        QVERIFY(s.ok());
        const SignedRequest ss = RequestSigner::sign(s.request, permanentKeys(), kNow);
        QVERIFY(ss.ok());
        QCOMPARE(ss.request.url().toEncoded(), "http://127.0.0.1:7480/bkt/"_ba + encoded);
        QCOMPARE(encodedPathOf(ss.request.url()), "/bkt/"_ba + encoded);
    }

    void queryEncoding_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<QByteArray>("query");

        const RequestBuilder cos(cosEndpoint());
        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        ListObjectsParams list;
        list.prefix = u"a b+c/ä&=?#"_s;
        list.delimiter = u"/"_s;
        list.marker = u"x%y"_s;
        list.maxKeys = 10;
        list.urlEncoding = true;
        const QByteArray listQuery =
                "prefix=a%20b%2Bc%2F%C3%A4%26%3D%3F%23&delimiter=%2F&marker=x%25y"
                "&max-keys=10&encoding-type=url"_ba;
        QTest::newRow("cos list v1")
                << Build([cos, list] { return cos.listObjects(u"b"_s, list); }) << listQuery;
        QTest::newRow("s3 list v1")
                << Build([s3, list] { return s3.listObjects(u"bkt"_s, list); }) << listQuery;
        ListObjectsParams v2;
        v2.v2 = true;
        v2.prefix = u"p"_s;
        v2.continuationToken = u"1/abc+=="_s;
        v2.startAfter = u"k 1"_s;
        v2.maxKeys = 1000;
        QTest::newRow("s3 list v2")
                << Build([s3, v2] { return s3.listObjects(u"bkt"_s, v2); })
                << "list-type=2&prefix=p&continuation-token=1%2Fabc%2B%3D%3D&start-after=k%201"
                   "&max-keys=1000"_ba;
        QTest::newRow("initiate") << Build([cos] {
            return cos.initiateMultipartUpload(u"b"_s, u"k"_s);
        }) << "uploads"_ba;
        QTest::newRow("upload part")
                << Build([cos] { return cos.uploadPart(u"b"_s, u"k"_s, u"abc+def/="_s, 3, 10); })
                << "partNumber=3&uploadId=abc%2Bdef%2F%3D"_ba;
        QTest::newRow("list parts") << Build([s3] {
            return s3.listParts(u"bkt"_s, u"k"_s, u"id"_s, {100, 5, true});
        }) << "uploadId=id&max-parts=100&part-number-marker=5&encoding-type=url"_ba;
        QTest::newRow("complete") << Build([cos] {
            return cos.completeMultipartUpload(u"b"_s, u"k"_s, u"id"_s, {{1, u"\"e\""_s}});
        }) << "uploadId=id"_ba;
        QTest::newRow("abort") << Build([s3] {
            return s3.abortMultipartUpload(u"bkt"_s, u"k"_s, u"id"_s);
        }) << "uploadId=id"_ba;
        ListUploadsParams uploads;
        uploads.prefix = u"p/"_s;
        uploads.keyMarker = u"k m"_s;
        uploads.uploadIdMarker = u"u"_s;
        uploads.maxUploads = 50;
        QTest::newRow("list uploads")
                << Build([cos, uploads] { return cos.listMultipartUploads(u"b"_s, uploads); })
                << "uploads&prefix=p%2F&key-marker=k%20m&upload-id-marker=u&max-uploads=50"_ba;
        QTest::newRow("delete multiple")
                << Build([cos] { return cos.deleteObjects(u"b"_s, {u"a"_s}); }) << "delete"_ba;
        GetObjectParams overrides;
        overrides.responseHeaders = {{u"Content-Disposition"_s,
                                      u"attachment; filename=\"a b.txt\""_s},
                                     {u"response-content-type"_s, u"text/plain"_s}};
        overrides.versionId = u"v1"_s;
        QTest::newRow("get overrides")
                << Build([cos, overrides] { return cos.getObject(u"b"_s, u"k"_s, overrides); })
                << "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22"
                   "&response-content-type=text%2Fplain&versionId=v1"_ba;
        QTest::newRow("put bucket has none")
                << Build([cos] { return cos.putBucket(u"b"_s); }) << QByteArray();
    }

    void queryEncoding()
    {
        QFETCH(Build, build);
        QFETCH(QByteArray, query);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(b.request.encodedQuery(), query);
        const SignedRequest s = RequestSigner::sign(b.request, permanentKeys(), kNow);
        QVERIFY(s.ok());
        QCOMPARE(s.request.url().query(QUrl::FullyEncoded).toLatin1(), query);
        QCOMPARE(s.request.url().toEncoded().endsWith(query.isEmpty() ? QByteArray() : '?' + query),
                 true);
        // What a server reads back is exactly the pairs that were signed.
        QCOMPARE(parseQuery(query), b.request.query);
    }

    void headers_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<StringPairs>("expected"); // name -> value; an empty value: must be absent

        const RequestBuilder cos(cosEndpoint());
        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        PutObjectParams put;
        put.contentLength = 5;
        put.contentType = u"text/plain"_s;
        put.contentMd5 = "mQ/fVh815F3k6TAUm8m0eg=="_ba;
        put.metadata = {{u"Author"_s, u"Ann"_s}, {u"x_y.z"_s, u"1 2"_s}};
        put.acl = u"private"_s;
        put.storageClass = u"STANDARD_IA"_s;
        put.contentDisposition = u"attachment"_s;
        QTest::newRow("cos put object")
                << Build([cos, put] { return cos.putObject(u"b"_s, u"k"_s, put); })
                << StringPairs {{u"Content-Length"_s, u"5"_s},
                                {u"Content-Type"_s, u"text/plain"_s},
                                {u"Content-MD5"_s, u"mQ/fVh815F3k6TAUm8m0eg=="_s},
                                {u"x-cos-meta-author"_s, u"Ann"_s},
                                {u"x-cos-meta-x_y.z"_s, u"1 2"_s},
                                {u"x-cos-acl"_s, u"private"_s},
                                {u"x-cos-storage-class"_s, u"STANDARD_IA"_s},
                                {u"Content-Disposition"_s, u"attachment"_s},
                                {u"x-amz-meta-author"_s, {}}};
        QTest::newRow("s3 put object")
                << Build([s3, put] { return s3.putObject(u"bkt"_s, u"k"_s, put); })
                << StringPairs {{u"Content-Length"_s, u"5"_s},
                                {u"x-amz-meta-author"_s, u"Ann"_s},
                                {u"x-amz-acl"_s, u"private"_s},
                                {u"x-amz-storage-class"_s, u"STANDARD_IA"_s},
                                {u"x-amz-content-sha256"_s, u"UNSIGNED-PAYLOAD"_s},
                                {u"x-cos-meta-author"_s, {}}};
        PutObjectParams hashed;
        hashed.contentLength = 0;
        hashed.payloadHash = QCryptographicHash::hash({}, QCryptographicHash::Sha256).toHex();
        QTest::newRow("s3 put object with payload hash, default type")
                << Build([s3, hashed] { return s3.putObject(u"bkt"_s, u"k"_s, hashed); })
                << StringPairs {{u"Content-Type"_s, u"application/octet-stream"_s},
                                {u"x-amz-content-sha256"_s,
                                 QString::fromLatin1(hashed.payloadHash)}};
        QTest::newRow("cos put bucket acl")
                << Build([cos] { return cos.putBucket(u"b"_s, u"public-read"_s); })
                << StringPairs {{u"x-cos-acl"_s, u"public-read"_s}, {u"Content-Length"_s, u"0"_s}};
        QTest::newRow("s3 put bucket acl")
                << Build([s3] { return s3.putBucket(u"bkt"_s, u"private"_s); })
                << StringPairs {{u"x-amz-acl"_s, u"private"_s}, {u"Content-Length"_s, u"0"_s}};
        GetObjectParams range;
        range.rangeFirst = 0;
        range.rangeLast = 1023;
        range.ifMatch = u"\"abc\""_s;
        QTest::newRow("get range if-match")
                << Build([cos, range] { return cos.getObject(u"b"_s, u"k"_s, range); })
                << StringPairs {{u"Range"_s, u"bytes=0-1023"_s},
                                {u"If-Match"_s, u"\"abc\""_s},
                                {u"Content-Length"_s, {}}};
        GetObjectParams open;
        open.rangeFirst = 100;
        open.ifNoneMatch = u"\"x\""_s;
        QTest::newRow("get open range")
                << Build([s3, open] { return s3.getObject(u"bkt"_s, u"k"_s, open); })
                << StringPairs {
                           {u"Range"_s, u"bytes=100-"_s},
                           {u"If-None-Match"_s, u"\"x\""_s},
                           {u"x-amz-content-sha256"_s,
                            u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s}};
        QTest::newRow("upload part md5")
                << Build([cos] {
                       return cos.uploadPart(u"b"_s, u"k"_s, u"id"_s, 1, 1048576,
                                             "mQ/fVh815F3k6TAUm8m0eg=="_ba);
                   })
                << StringPairs {{u"Content-Length"_s, u"1048576"_s},
                                {u"Content-MD5"_s, u"mQ/fVh815F3k6TAUm8m0eg=="_s}};
        PutObjectParams initiate;
        initiate.metadata = {{u"m"_s, u"v"_s}};
        QTest::newRow("initiate has a content type")
                << Build([s3, initiate] {
                       return s3.initiateMultipartUpload(u"bkt"_s, u"k"_s, initiate);
                   })
                << StringPairs {{u"Content-Type"_s, u"application/octet-stream"_s},
                                {u"x-amz-meta-m"_s, u"v"_s},
                                {u"Content-Length"_s, u"0"_s}};
    }

    void headers()
    {
        QFETCH(Build, build);
        QFETCH(StringPairs, expected);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        const SignedRequest s = RequestSigner::sign(b.request, permanentKeys(), kNow);
        QVERIFY(s.ok());
        for (const auto &[name, value] : expected) {
            const QByteArray raw = name.toLatin1();
            if (value.isEmpty())
                QVERIFY2(!s.request.hasRawHeader(raw), raw.constData());
            else
                QCOMPARE(QString::fromUtf8(s.request.rawHeader(raw)), value);
        }
    }

    void contentLengthOnBodyless_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("contentLength"); // empty: no header

        for (const bool useS3 : {false, true}) {
            const RequestBuilder r(useS3 ? s3Endpoint(u"http://127.0.0.1:7480"_s, true)
                                         : cosEndpoint());
            const QByteArray d = useS3 ? "s3 "_ba : "cos "_ba;
            const QString b = useS3 ? u"bkt"_s : u"b"_s;
            QTest::addRow("%sput bucket", d.constData())
                    << Build([r, b] { return r.putBucket(b); }) << "PUT"_ba
                    << "0"_ba;
            QTest::addRow("%sdelete bucket", d.constData())
                    << Build([r, b] { return r.deleteBucket(b); }) << "DELETE"_ba
                    << "0"_ba;
            QTest::addRow("%sdelete object", d.constData())
                    << Build([r, b] { return r.deleteObject(b, u"k"_s); }) << "DELETE"_ba
                    << "0"_ba;
            QTest::addRow("%sabort", d.constData())
                    << Build([r, b] { return r.abortMultipartUpload(b, u"k"_s, u"i"_s); })
                    << "DELETE"_ba
                    << "0"_ba;
            QTest::addRow("%sinitiate", d.constData())
                    << Build([r, b] { return r.initiateMultipartUpload(b, u"k"_s); }) << "POST"_ba
                    << "0"_ba;
            QTest::addRow("%sempty put object", d.constData())
                    << Build([r, b] { return r.putObject(b, u"k"_s, sized(0)); }) << "PUT"_ba
                    << "0"_ba;
            QTest::addRow("%sget", d.constData())
                    << Build([r, b] { return r.getObject(b, u"k"_s); }) << "GET"_ba << QByteArray();
            QTest::addRow("%shead", d.constData())
                    << Build([r, b] { return r.headObject(b, u"k"_s); }) << "HEAD"_ba
                    << QByteArray();
            QTest::addRow("%shead bucket", d.constData())
                    << Build([r, b] { return r.headBucket(b); }) << "HEAD"_ba << QByteArray();
        }
    }

    void contentLengthOnBodyless()
    {
        QFETCH(Build, build);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, contentLength);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(b.request.method, method);
        QVERIFY(b.request.body.isEmpty());
        const SignedRequest s = RequestSigner::sign(b.request, permanentKeys(), kNow);
        QCOMPARE(s.request.hasRawHeader("Content-Length"), !contentLength.isEmpty());
        QCOMPARE(s.request.rawHeader("Content-Length"), contentLength);
    }

    void xmlBodies()
    {
        const RequestBuilder cos(cosEndpoint());
        const BuildResult c = cos.completeMultipartUpload(u"b"_s, u"k"_s, u"id"_s,
                                                          {{3, u"\"c\""_s},
                                                           {1, u"\"a\""_s},
                                                           {2, u"\"b&<\""_s}});
        QVERIFY2(c.ok(), qPrintable(c.error.message()));
        QCOMPARE(c.request.method, "POST"_ba);
        QCOMPARE(c.request.header(u"content-length"), QString::number(c.request.body.size()));
        QCOMPARE(c.request.header(u"content-type"), u"application/xml"_s);
        QCOMPARE(c.request.header(u"content-md5"),
                 QString::fromLatin1(
                         QCryptographicHash::hash(c.request.body, QCryptographicHash::Md5)
                                 .toBase64()));
        QVERIFY(c.request.payloadHash.isEmpty() || c.request.dialect == Dialect::S3);
        // Parts sorted ascending, ETags escaped.
        QXmlStreamReader xml(c.request.body);
        QList<int> numbers;
        QStringList etags;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (xml.name() == "PartNumber"_L1)
                    numbers.append(xml.readElementText().toInt());
                else if (xml.name() == "ETag"_L1)
                    etags.append(xml.readElementText());
            }
        }
        QVERIFY(!xml.hasError());
        QCOMPARE(numbers, QList<int>({1, 2, 3}));
        QCOMPARE(etags, QStringList({u"\"a\""_s, u"\"b&<\""_s, u"\"c\""_s}));

        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        const BuildResult d = s3.deleteObjects(u"bkt"_s,
                                               {u"a b"_s, u"x&y<z>"_s, u"/lead"_s, u"a/../b"_s},
                                               true);
        QVERIFY2(d.ok(), qPrintable(d.error.message()));
        QCOMPARE(d.request.payloadHash,
                 QCryptographicHash::hash(d.request.body, QCryptographicHash::Sha256).toHex());
        const SignedRequest ds = RequestSigner::sign(d.request, permanentKeys(), kNow);
        QCOMPARE(ds.request.rawHeader("x-amz-content-sha256"), d.request.payloadHash);
        QCOMPARE(ds.body, d.request.body);
        QXmlStreamReader dx(d.request.body);
        QStringList keys;
        bool quiet = false;
        while (!dx.atEnd()) {
            if (dx.readNext() == QXmlStreamReader::StartElement) {
                if (dx.name() == "Key"_L1)
                    keys.append(dx.readElementText());
                else if (dx.name() == "Quiet"_L1)
                    quiet = dx.readElementText() == "true"_L1;
            }
        }
        QVERIFY(!dx.hasError());
        QVERIFY(quiet);
        QCOMPARE(keys, QStringList({u"a b"_s, u"x&y<z>"_s, u"/lead"_s, u"a/../b"_s}));
    }

    void validation_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<QString>("fragment");

        auto cosWith = [](const std::function<void(Endpoint &)> &change) {
            Endpoint e = cosEndpoint();
            change(e);
            return RequestBuilder(e);
        };
        const RequestBuilder cos(cosEndpoint());
        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));

        const RequestBuilder badRegion = cosWith([](Endpoint &e) { e.region = u"AP_Beijing"_s; });
        QTest::newRow("region upper case")
                << Build([badRegion] { return badRegion.getObject(u"b"_s, u"k"_s); })
                << u"region \"AP_Beijing\""_s;
        const RequestBuilder dotted = cosWith([](Endpoint &e) { e.region = u"ap-x.evil.com"_s; });
        QTest::newRow("region with dots")
                << Build([dotted] { return dotted.listObjects(u"b"_s); }) << u"region"_s;
        const RequestBuilder emptyRegion = cosWith([](Endpoint &e) { e.region.clear(); });
        QTest::newRow("region empty")
                << Build([emptyRegion] { return emptyRegion.listObjects(u"b"_s); }) << u"region"_s;
        QTest::newRow("list buckets bad region") << Build([cos] {
            return cos.listBuckets({u"ap beijing"_s, {}, 0});
        }) << u"region"_s;
        const RequestBuilder badAppId = cosWith([](Endpoint &e) { e.appId = u"12a"_s; });
        QTest::newRow("appid not digits")
                << Build([badAppId] { return badAppId.listObjects(u"b"_s); }) << u"APPID"_s;
        const RequestBuilder ftp = cosWith([](Endpoint &e) { e.scheme = u"ftp"_s; });
        QTest::newRow("scheme") << Build([ftp] { return ftp.listObjects(u"b"_s); }) << u"scheme"_s;
        const RequestBuilder port = cosWith([](Endpoint &e) { e.port = 70000; });
        QTest::newRow("port") << Build([port] { return port.listObjects(u"b"_s); })
                              << u"Port 70000"_s;
        const RequestBuilder both = cosWith([](Endpoint &e) {
            e.accelerate = true;
            e.domain = u"a.example.com"_s;
        });
        QTest::newRow("accelerate and custom")
                << Build([both] { return both.listObjects(u"b"_s); }) << u"Choose one"_s;
        const RequestBuilder badDomain = cosWith([](Endpoint &e) { e.domain = u"a b.com"_s; });
        QTest::newRow("custom domain")
                << Build([badDomain] { return badDomain.listObjects(u"b"_s); })
                << u"Domain \"a b.com\" is not a valid host"_s;
        const RequestBuilder unknownPlaceholder = cosWith(
                [](Endpoint &e) { e.domain = u"{Bucket}.{Zone}.example.com"_s; });
        QTest::newRow("domain template placeholder")
                << Build([unknownPlaceholder] { return unknownPlaceholder.listObjects(u"b"_s); })
                << u"unknown placeholder"_s;
        const RequestBuilder schemeInDomain = cosWith(
                [](Endpoint &e) { e.domain = u"https://{Bucket}.example.com"_s; });
        QTest::newRow("domain with scheme")
                << Build([schemeInDomain] { return schemeInDomain.listObjects(u"b"_s); })
                << u"without scheme"_s;
        const RequestBuilder internalAccel = cosWith([](Endpoint &e) {
            e.internal = true;
            e.accelerate = true;
        });
        QTest::newRow("internal and accelerate")
                << Build([internalAccel] { return internalAccel.listObjects(u"b"_s); })
                << u"Choose one"_s;
        const RequestBuilder serviceBucket = cosWith(
                [](Endpoint &e) { e.serviceDomain = u"{Bucket}.example.com"_s; });
        const RequestBuilder serviceRegion = cosWith(
                [](Endpoint &e) { e.serviceDomain = u"service.{Region}.example.com"_s; });
        QTest::newRow("service domain needs a region")
                << Build([serviceRegion] { return serviceRegion.listBuckets(); })
                << u"gives no valid host"_s;
        QTest::newRow("service domain with bucket")
                << Build([serviceBucket] { return serviceBucket.listBuckets(); })
                << u"bucket placeholder"_s;
        const RequestBuilder badConnect = cosWith(
                [](Endpoint &e) { e.connectHost = u"not a host"_s; });
        QTest::newRow("connect-to host")
                << Build([badConnect] { return badConnect.listObjects(u"b"_s); })
                << u"Connect-to host"_s;
        const RequestBuilder badConnectPort = cosWith([](Endpoint &e) {
            e.connectHost = u"127.0.0.1"_s;
            e.connectPort = 0;
        });
        QTest::newRow("connect-to port")
                << Build([badConnectPort] { return badConnectPort.listObjects(u"b"_s); })
                << u"Connect-to port 0"_s;
        const RequestBuilder s3Domain = [] {
            Endpoint e = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
            e.internal = true;
            return RequestBuilder(e);
        }();
        QTest::newRow("s3 internal") << Build([s3Domain] { return s3Domain.listObjects(u"bkt"_s); })
                                     << u"COS dialect options"_s;

        QTest::newRow("bucket upper case")
                << Build([cos] { return cos.listObjects(u"MyBucket"_s); }) << u"lower-case"_s;
        QTest::newRow("bucket underscore")
                << Build([cos] { return cos.listObjects(u"my_bucket"_s); }) << u"lower-case"_s;
        QTest::newRow("bucket leading dash")
                << Build([cos] { return cos.listObjects(u"-b"_s); }) << u"start or end"_s;
        QTest::newRow("bucket empty")
                << Build([cos] { return cos.listObjects(QString()); }) << u"empty"_s;
        QTest::newRow("bucket too long")
                << Build([cos] { return cos.listObjects(QString(40, u'a')); }) << u"too long"_s;
        QTest::newRow("bucket with dot")
                << Build([cos] { return cos.listObjects(u"a.b"_s); }) << u"lower-case"_s;
        const RequestBuilder noAppId = cosWith([](Endpoint &e) { e.appId.clear(); });
        QTest::newRow("bucket without appid")
                << Build([noAppId] { return noAppId.listObjects(u"examplebucket"_s); })
                << u"-APPID"_s;

        QTest::newRow("key empty")
                << Build([cos] { return cos.getObject(u"b"_s, QString()); }) << u"key is empty"_s;
        QTest::newRow("key too long")
                << Build([cos] { return cos.getObject(u"b"_s, QString(284, u'中')); })
                << u"852 bytes"_s;
        QTest::newRow("key control char")
                << Build([cos] { return cos.putObject(u"b"_s, u"a\nb"_s, sized(0)); })
                << u"U+000a"_s;
        QTest::newRow("key leading slash")
                << Build([cos] { return cos.getObject(u"b"_s, u"/a"_s); }) << u"start with '/'"_s;
        QTest::newRow("key dot-dot")
                << Build([s3] { return s3.getObject(u"bkt"_s, u"a/../b"_s); }) << u"segment"_s;
        QTest::newRow("key dot") << Build([s3] { return s3.deleteObject(u"bkt"_s, u"./a"_s); })
                                 << u"segment"_s;
        QTest::newRow("key lone surrogate")
                << Build([cos] { return cos.getObject(u"b"_s, QString(QChar(0xd800))); })
                << u"Unicode"_s;

        QTest::newRow("s3 bucket short")
                << Build([s3] { return s3.listObjects(u"ab"_s); }) << u"3 to 63"_s;
        QTest::newRow("s3 bucket double dot")
                << Build([s3] { return s3.listObjects(u"a..b"_s); }) << u"'.'"_s;
        QTest::newRow("s3 bucket ip")
                << Build([s3] { return s3.listObjects(u"192.168.1.1"_s); }) << u"IP address"_s;
        Endpoint ipVirtual = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
        ipVirtual.pathStyle = false;
        const RequestBuilder virt(ipVirtual);
        QTest::newRow("s3 virtual on ip")
                << Build([virt] { return virt.listObjects(u"bkt"_s); }) << u"path style"_s;
        Endpoint noRegion = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
        noRegion.region.clear();
        const RequestBuilder s3NoRegion(noRegion);
        QTest::newRow("s3 region")
                << Build([s3NoRegion] { return s3NoRegion.listBuckets(); }) << u"S3 region"_s;
        QTest::newRow("s3 list buckets marker") << Build([s3] {
            return s3.listBuckets({{}, u"m"_s, 0});
        }) << u"without"_s;

        QTest::newRow("cos list v2") << Build([cos] {
            ListObjectsParams p;
            p.v2 = true;
            return cos.listObjects(u"b"_s, p);
        }) << u"version 1"_s;
        QTest::newRow("v2 with marker") << Build([s3] {
            ListObjectsParams p;
            p.v2 = true;
            p.marker = u"m"_s;
            return s3.listObjects(u"bkt"_s, p);
        }) << u"v1 parameter"_s;
        QTest::newRow("v1 with token") << Build([s3] {
            ListObjectsParams p;
            p.continuationToken = u"t"_s;
            return s3.listObjects(u"bkt"_s, p);
        }) << u"v2 parameters"_s;
        QTest::newRow("max-keys") << Build([cos] {
            ListObjectsParams p;
            p.maxKeys = 1001;
            return cos.listObjects(u"b"_s, p);
        }) << u"max-keys 1001"_s;
        QTest::newRow("range backwards") << Build([cos] {
            GetObjectParams p;
            p.rangeFirst = 10;
            p.rangeLast = 5;
            return cos.getObject(u"b"_s, u"k"_s, p);
        }) << u"ends before"_s;
        QTest::newRow("response override") << Build([cos] {
            GetObjectParams p;
            p.responseHeaders = {{u"x-evil"_s, u"1"_s}};
            return cos.getObject(u"b"_s, u"k"_s, p);
        }) << u"cannot be overridden"_s;
        QTest::newRow("put without length")
                << Build([cos] { return cos.putObject(u"b"_s, u"k"_s, {}); })
                << u"content length"_s;
        QTest::newRow("put over 5 GiB") << Build([cos] {
            return cos.putObject(u"b"_s, u"k"_s, sized(RequestBuilder::MaxSinglePutBytes + 1));
        }) << u"multipart"_s;
        QTest::newRow("bad md5") << Build([cos] {
            PutObjectParams p;
            p.contentLength = 1;
            p.contentMd5 = "abc"_ba;
            return cos.putObject(u"b"_s, u"k"_s, p);
        }) << u"Content-MD5"_s;
        QTest::newRow("bad payload hash") << Build([s3] {
            PutObjectParams p;
            p.contentLength = 1;
            p.payloadHash = "ABC"_ba;
            return s3.putObject(u"bkt"_s, u"k"_s, p);
        }) << u"Payload hash"_s;
        QTest::newRow("metadata not ascii") << Build([cos] {
            PutObjectParams p;
            p.contentLength = 1;
            p.metadata = {{u"name"_s, u"wert ä"_s}};
            return cos.putObject(u"b"_s, u"k"_s, p);
        }) << u"printable ASCII"_s;
        QTest::newRow("metadata header injection") << Build([cos] {
            PutObjectParams p;
            p.contentLength = 1;
            p.metadata = {{u"a"_s, u"x\r\nx-cos-acl: public-read"_s}};
            return cos.putObject(u"b"_s, u"k"_s, p);
        }) << u"printable ASCII"_s;
        QTest::newRow("metadata bad name") << Build([cos] {
            PutObjectParams p;
            p.contentLength = 1;
            p.metadata = {{u"a b"_s, u"x"_s}};
            return cos.putObject(u"b"_s, u"k"_s, p);
        }) << u"Metadata name"_s;
        QTest::newRow("metadata too big") << Build([cos] {
            PutObjectParams p;
            p.contentLength = 1;
            p.metadata = {{u"a"_s, QString(2048, u'x')}};
            return cos.putObject(u"b"_s, u"k"_s, p);
        }) << u"2048 bytes"_s;
        QTest::newRow("acl") << Build([cos] { return cos.putBucket(u"b"_s, u"public read"_s); })
                             << u"ACL"_s;
        QTest::newRow("part 0") << Build([cos] {
            return cos.uploadPart(u"b"_s, u"k"_s, u"i"_s, 0, 1);
        }) << u"Part number 0"_s;
        QTest::newRow("part 10001")
                << Build([cos] { return cos.uploadPart(u"b"_s, u"k"_s, u"i"_s, 10001, 1); })
                << u"Part number 10001"_s;
        QTest::newRow("part no upload id")
                << Build([cos] { return cos.uploadPart(u"b"_s, u"k"_s, QString(), 1, 1); })
                << u"Upload id is empty"_s;
        QTest::newRow("complete no parts")
                << Build([cos] { return cos.completeMultipartUpload(u"b"_s, u"k"_s, u"i"_s, {}); })
                << u"at least one part"_s;
        QTest::newRow("complete duplicate") << Build([cos] {
            return cos.completeMultipartUpload(u"b"_s, u"k"_s, u"i"_s,
                                               {{2, u"\"a\""_s}, {2, u"\"b\""_s}});
        }) << u"listed twice"_s;
        QTest::newRow("complete no etag") << Build([cos] {
            return cos.completeMultipartUpload(u"b"_s, u"k"_s, u"i"_s, {{1, QString()}});
        }) << u"ETag"_s;
        QTest::newRow("delete none")
                << Build([cos] { return cos.deleteObjects(u"b"_s, {}); }) << u"at least one key"_s;
        QTest::newRow("delete too many") << Build([cos] {
            QStringList keys;
            for (int i = 0; i < 1001; ++i)
                keys.append(QString::number(i));
            return cos.deleteObjects(u"b"_s, keys);
        }) << u"at most 1000"_s;
        QTest::newRow("delete control char")
                << Build([cos] { return cos.deleteObjects(u"b"_s, {u"a\u0001"_s}); })
                << u"control character"_s;
    }

    void validation()
    {
        QFETCH(Build, build);
        QFETCH(QString, fragment);
        const BuildResult b = build();
        QVERIFY(!b.ok());
        QCOMPARE(b.error.kind(), Error::Kind::InvalidInput);
        QVERIFY2(b.error.message().contains(fragment),
                 qPrintable(u"message \"%1\" lacks \"%2\""_s.arg(b.error.message(), fragment)));
        QVERIFY(b.request.isNull());
    }

    void validationLimits()
    {
        const RequestBuilder cos(cosEndpoint());
        // 850 bytes is allowed, 851 is not.
        const QString key850 = QString(283, u'中') + u'a';
        QCOMPARE(key850.toUtf8().size(), 850);
        QVERIFY(cos.getObject(u"b"_s, key850).ok());
        QVERIFY(!cos.getObject(u"b"_s, key850 + u'a').ok());
        // 50 characters including -appid is allowed; a 39-character name + "-1250000000" is 50.
        QVERIFY(cos.listObjects(QString(39, u'a')).ok());
        QVERIFY(!cos.listObjects(QString(40, u'a')).ok());
        QVERIFY(cos.listObjects(QString(39, u'a') + "-1250000000"_L1).ok());
        QVERIFY(cos.listObjects(u"a"_s).ok());
        QVERIFY(cos.uploadPart(u"b"_s, u"k"_s, u"i"_s, 10000, RequestBuilder::MaxSinglePutBytes)
                        .ok());
        QVERIFY(cos.putObject(u"b"_s, u"k"_s, sized(RequestBuilder::MaxSinglePutBytes)).ok());

        Error error;
        Endpoint::s3(QUrl(u"http://127.0.0.1:7480/base"_s), u"us-east-1"_s, true, &error);
        QCOMPARE(error.kind(), Error::Kind::InvalidInput);
        QVERIFY(error.message().contains("path"_L1));
        Endpoint::s3(QUrl(u"http://user:pw@127.0.0.1:7480"_s), u"us-east-1"_s, true, &error);
        QVERIFY(error.message().contains("user info"_L1));
        QVERIFY(!error.message().contains("pw"_L1));
        Endpoint::s3(QUrl(u"not a url"_s), u"us-east-1"_s, true, &error);
        QCOMPARE(error.kind(), Error::Kind::InvalidInput);
        const Endpoint ok = Endpoint::s3(QUrl(u"HTTPS://Example.COM/"_s), u"us-east-1"_s, false,
                                         &error);
        QVERIFY2(!error, qPrintable(error.message()));
        QCOMPARE(ok.scheme, u"https"_s);
        QCOMPARE(ok.host, u"example.com"_s);
        QCOMPARE(ok.effectivePort(), -1);
    }

    void appIdSuffix_data()
    {
        QTest::addColumn<QString>("appId");
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<QString>("full");
        QTest::newRow("added") << u"1250000000"_s << u"photos"_s << u"photos-1250000000"_s;
        QTest::newRow("kept") << u"1250000000"_s << u"photos-1250000000"_s
                              << u"photos-1250000000"_s;
        QTest::newRow("other number")
                << u"1250000000"_s << u"photos-1300000000"_s << u"photos-1300000000-1250000000"_s;
        QTest::newRow("suffix of the appid only")
                << u"1250000000"_s << u"photos-250000000"_s << u"photos-250000000-1250000000"_s;
        QTest::newRow("no appid") << QString() << u"photos-1250000000"_s << u"photos-1250000000"_s;
    }

    void appIdSuffix()
    {
        QFETCH(QString, appId);
        QFETCH(QString, bucket);
        QFETCH(QString, full);
        const Endpoint e = Endpoint::cos(u"ap-guangzhou"_s, appId);
        QCOMPARE(e.fullBucketName(bucket), full);
        const BuildResult b = RequestBuilder(e).listObjects(bucket);
        if (full.size() <= 50) {
            QVERIFY2(b.ok(), qPrintable(b.error.message()));
            QCOMPARE(b.request.host, full + ".cos.ap-guangzhou.myqcloud.com"_L1);
        }
    }

    void tokenHeaders_data()
    {
        QTest::addColumn<Endpoint>("endpoint");
        QTest::addColumn<Credentials>("credentials");
        QTest::addColumn<QByteArray>("present");
        QTest::addColumn<QByteArray>("absent");

        const Endpoint s3 = s3Endpoint(u"http://127.0.0.1:7480"_s, true);
        QTest::newRow("cos temporary")
                << cosEndpoint() << temporaryKeys() << "x-cos-security-token"_ba
                << "x-amz-security-token"_ba;
        QTest::newRow("s3 temporary") << s3 << temporaryKeys() << "x-amz-security-token"_ba
                                      << "x-cos-security-token"_ba;
        QTest::newRow("cos permanent")
                << cosEndpoint() << permanentKeys() << QByteArray() << "x-cos-security-token"_ba;
        QTest::newRow("s3 permanent")
                << s3 << permanentKeys() << QByteArray() << "x-amz-security-token"_ba;
    }

    void tokenHeaders()
    {
        QFETCH(Endpoint, endpoint);
        QFETCH(Credentials, credentials);
        QFETCH(QByteArray, present);
        QFETCH(QByteArray, absent);
        const BuildResult b = RequestBuilder(endpoint).getObject(u"bkt"_s, u"k"_s);
        QVERIFY(b.ok());
        const SignedRequest s = RequestSigner::sign(b.request, credentials, kNow);
        QVERIFY(s.ok());
        if (!present.isEmpty()) {
            QCOMPARE(s.request.rawHeader(present), credentials.sessionToken.toLatin1());
            // The token is signed too.
            QVERIFY(s.request.rawHeader("Authorization").contains(present));
        }
        QVERIFY(!s.request.hasRawHeader(absent));
        // The secret key never travels.
        for (const QByteArray &name : s.request.rawHeaderList())
            QVERIFY(!s.request.rawHeader(name).contains(credentials.secretKey.toLatin1()));
    }

    void cosSignatureRoundTrip_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<Credentials>("credentials");
        QTest::addColumn<QString>("keyTime");
        QTest::addColumn<QString>("headerList");

        const RequestBuilder cos(cosEndpoint());
        const QString now = QString::number(kNow);
        const QString perm = now + u';' + QString::number(kNow + 900);
        const Credentials temp = temporaryKeys();
        const QString tempTime = QString::number(temp.startTime) + u';'
                + QString::number(temp.expiredTime);
        QTest::newRow("get unicode key")
                << Build([cos] { return cos.getObject(u"b"_s, u"文件 a+b%.txt"_s); })
                << permanentKeys() << perm << u"host"_s;
        QTest::newRow("put with meta, temporary")
                << Build([cos] {
                       PutObjectParams p;
                       p.contentLength = 3;
                       p.contentType = u"text/plain"_s;
                       p.metadata = {{u"Author"_s, u"a"_s}};
                       return cos.putObject(u"b"_s, u"dir/a b?#.txt"_s, p);
                   })
                << temp << tempTime
                << u"content-length;content-type;host;x-cos-meta-author;x-cos-security-token"_s;
        QTest::newRow("list with query") << Build([cos] {
            ListObjectsParams p;
            p.prefix = u"a b/ä"_s;
            p.delimiter = u"/"_s;
            p.maxKeys = 5;
            return cos.listObjects(u"b"_s, p);
        }) << permanentKeys() << perm << u"host"_s;
        QTest::newRow("initiate") << Build([cos] {
            return cos.initiateMultipartUpload(u"b"_s, u"x//y/"_s);
        }) << permanentKeys() << perm
                                  << u"content-length;content-type;host"_s;
        Credentials noStart = temporaryKeys();
        noStart.startTime = 0;
        noStart.expiredTime = kNow + 100;
        QTest::newRow("temporary without start time")
                << Build([cos] { return cos.deleteObject(u"b"_s, u"k"_s); }) << noStart
                << now + u';' + QString::number(kNow + 100)
                << u"content-length;host;x-cos-security-token"_s;
        QTest::newRow("range get") << Build([cos] {
            GetObjectParams p;
            p.rangeFirst = 5;
            p.ifMatch = u"\"e\""_s;
            return cos.getObject(u"b"_s, u"k"_s, p);
        }) << permanentKeys() << perm
                                   << u"host;if-match;range"_s;
    }

    void cosSignatureRoundTrip()
    {
        QFETCH(Build, build);
        QFETCH(Credentials, credentials);
        QFETCH(QString, keyTime);
        QFETCH(QString, headerList);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(RequestSigner::cosKeyTime(credentials, kNow), keyTime);
        const SignedRequest s = RequestSigner::sign(b.request, credentials, kNow);
        QVERIFY2(s.ok(), qPrintable(s.error.message()));
        const QByteArray auth = s.request.rawHeader("Authorization");
        QVERIFY(auth.startsWith("q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEID&"));
        QCOMPARE(cosAuthField(auth, "q-key-time"), keyTime);
        QCOMPARE(cosAuthField(auth, "q-header-list"), headerList);
        const QUrl url = s.request.url();
        const QByteArray again = recomputeCos(s.method, url.path(QUrl::FullyDecoded),
                                              url.query(QUrl::FullyEncoded).toLatin1(),
                                              headersOf(s.request), credentials, keyTime);
        QCOMPARE(again, auth);
    }

    void cosVectors_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<Build>("build");
        const RequestBuilder cos(cosEndpoint());
        QTest::newRow("method_put_part") << u"method_put_part"_s << Build([cos] {
            return cos.uploadPart(
                    u"examplebucket"_s, u"big.bin"_s,
                    u"1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361"_s,
                    1, 1048576);
        });
        QTest::newRow("query_list_objects") << u"query_list_objects"_s << Build([cos] {
            ListObjectsParams p;
            p.prefix = u"photos/2024 年/a+b"_s;
            p.delimiter = u"/"_s;
            p.marker = u"photos/2024 年/x%y~z"_s;
            p.maxKeys = 1000;
            p.urlEncoding = true;
            return cos.listObjects(u"examplebucket-1250000000"_s, p);
        });
    }

    void cosVectors()
    {
        // Requests the builder makes that are cases of the shared COS signature vectors: the
        // builder's path, query and headers must be exactly the case's, and so the signature.
        QFETCH(QString, id);
        QFETCH(Build, build);
        QFile file(QStringLiteral(COS_TEST_DATA_DIR "/vectors/cos-signature.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject vector;
        for (const QJsonValue &v : QJsonDocument::fromJson(file.readAll())["cases"_L1].toArray()) {
            if (v["id"_L1].toString() == id)
                vector = v.toObject();
        }
        QVERIFY(!vector.isEmpty());
        auto pairs = [](const QJsonValue &array) {
            StringPairs out;
            for (const QJsonValue &p : array.toArray())
                out.append({p[0].toString(), p[1].toString()});
            return out;
        };

        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        QCOMPARE(QString::fromLatin1(b.request.method), vector["method"_L1].toString());
        QCOMPARE(b.request.path, vector["path"_L1].toString());
        QCOMPARE(b.request.query, pairs(vector["query"_L1]));
        StringPairs headers = b.request.headers;
        headers.prepend({u"Host"_s, QString::fromLatin1(b.request.hostHeader())});
        QCOMPARE(headers, pairs(vector["headers"_L1]));

        Credentials c;
        c.secretId = vector["secretId"_L1].toString();
        c.secretKey = vector["secretKey"_L1].toString();
        const QStringList keyTime = vector["keyTime"_L1].toString().split(u';');
        const qint64 start = keyTime.at(0).toLongLong();
        const SignedRequest s = RequestSigner::sign(b.request, c, start,
                                                    int(keyTime.at(1).toLongLong() - start));
        QVERIFY(s.ok());
        QCOMPARE(s.request.rawHeader("Authorization"),
                 vector["expected"_L1]["authorization"_L1].toString().toLatin1());
    }

    void s3SignatureRoundTrip_data()
    {
        QTest::addColumn<Build>("build");
        QTest::addColumn<Credentials>("credentials");
        QTest::addColumn<QString>("signedHeaders");

        const RequestBuilder path(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        const RequestBuilder virt(s3Endpoint(u"https://s3.example.com:8443"_s, false));
        QTest::newRow("path get unicode")
                << Build([path] { return path.getObject(u"bkt"_s, u"文件 a+b%.txt"_s); })
                << permanentKeys() << u"host;x-amz-content-sha256;x-amz-date"_s;
        QTest::newRow("virtual put temp")
                << Build([virt] {
                       PutObjectParams p;
                       p.contentLength = 3;
                       p.metadata = {{u"k"_s, u"v"_s}};
                       return virt.putObject(u"bkt"_s, u"dir/a b?#.txt"_s, p);
                   })
                << temporaryKeys()
                << u"content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-k;"
                   "x-amz-security-token"_s;
        QTest::newRow("list v2") << Build([path] {
            ListObjectsParams p;
            p.v2 = true;
            p.prefix = u"a b/ä+"_s;
            p.continuationToken = u"t/+="_s;
            return path.listObjects(u"bkt"_s, p);
        }) << permanentKeys() << u"host;x-amz-content-sha256;x-amz-date"_s;
        QTest::newRow("uploads flag")
                << Build([path] { return path.listMultipartUploads(u"bkt"_s); }) << temporaryKeys()
                << u"host;x-amz-content-sha256;x-amz-date;x-amz-security-token"_s;
        QTest::newRow("delete multiple")
                << Build([virt] { return virt.deleteObjects(u"bkt"_s, {u"a"_s}); })
                << permanentKeys()
                << u"content-length;content-md5;content-type;host;"
                   "x-amz-content-sha256;x-amz-date"_s;
    }

    void s3SignatureRoundTrip()
    {
        QFETCH(Build, build);
        QFETCH(Credentials, credentials);
        QFETCH(QString, signedHeaders);
        const BuildResult b = build();
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        const SignedRequest s = RequestSigner::sign(b.request, credentials, kNow);
        QVERIFY2(s.ok(), qPrintable(s.error.message()));
        const QByteArray auth = s.request.rawHeader("Authorization");
        QVERIFY(auth.startsWith(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEID/20231114/us-east-1/s3/aws4_request, "));
        QVERIFY2(auth.contains(QByteArray(", SignedHeaders=" + signedHeaders.toLatin1() + ", ")),
                 auth.constData());
        QCOMPARE(s.request.rawHeader("x-amz-date"), "20231114T221320Z"_ba);
        const QUrl url = s.request.url();
        const QByteArray again = recomputeSigV4(s.method, encodedPathOf(url),
                                                url.query(QUrl::FullyEncoded).toLatin1(),
                                                headersOf(s.request), credentials, u"us-east-1"_s);
        QCOMPARE(again, auth);
    }

    void s3DocumentedSignature()
    {
        // AWS's "GET Object with Range" example, built by the builder.
        const RequestBuilder s3(s3Endpoint(u"https://s3.amazonaws.com"_s, false));
        GetObjectParams p;
        p.rangeFirst = 0;
        p.rangeLast = 9;
        const BuildResult b = s3.getObject(u"examplebucket"_s, u"test.txt"_s, p);
        QVERIFY(b.ok());
        Credentials c;
        c.secretId = u"AKIAIOSFODNN7EXAMPLE"_s;
        c.secretKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
        const QDateTime when(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC);
        const SignedRequest s = RequestSigner::sign(b.request, c, when);
        QVERIFY(s.ok());
        QCOMPARE(s.request.url().toEncoded(), "https://examplebucket.s3.amazonaws.com/test.txt"_ba);
        QCOMPARE(s.request.rawHeader("Authorization"),
                 "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                 "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                 "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"_ba);
    }

    void signingErrors()
    {
        const BuildResult b = RequestBuilder(cosEndpoint()).getObject(u"b"_s, u"k"_s);
        QVERIFY(b.ok());
        SignedRequest s = RequestSigner::sign(b.request, Credentials(), kNow);
        QCOMPARE(s.error.kind(), Error::Kind::Credentials);
        Credentials bad = temporaryKeys();
        bad.sessionToken = u"SeCrEtToKeN\r\nX-Injected: 1"_s;
        s = RequestSigner::sign(b.request, bad, kNow);
        QCOMPARE(s.error.kind(), Error::Kind::Credentials);
        QVERIFY(!s.error.message().contains("SeCrEt"_L1));
        s = RequestSigner::sign(HttpRequest(), permanentKeys(), kNow);
        QCOMPARE(s.error.kind(), Error::Kind::InvalidInput);
        s = RequestSigner::sign(b.request, permanentKeys(), kNow, 0);
        QCOMPARE(s.error.kind(), Error::Kind::InvalidInput);
        QCOMPARE(RequestSigner::presign(b.request, permanentKeys(), kNow, 0).error.kind(),
                 Error::Kind::InvalidInput);
        QCOMPARE(RequestSigner::presign(b.request, permanentKeys(), kNow, 604801).error.kind(),
                 Error::Kind::InvalidInput);
        Credentials expired = temporaryKeys();
        expired.expiredTime = kNow - 1;
        QCOMPARE(RequestSigner::presign(b.request, expired, kNow, 60).error.kind(),
                 Error::Kind::Credentials);
        // A signed request never follows redirects.
        s = RequestSigner::sign(b.request, permanentKeys(), kNow);
        QCOMPARE(s.request.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
                 int(QNetworkRequest::ManualRedirectPolicy));
    }

    void presignCos()
    {
        const RequestBuilder cos(cosEndpoint());
        GetObjectParams p;
        p.responseHeaders = {{u"content-disposition"_s, u"attachment"_s}};
        const BuildResult b = cos.getObject(u"b"_s, u"文件 a+b.txt"_s, p);
        QVERIFY(b.ok());
        const Credentials c = temporaryKeys();
        const PresignedUrl u = RequestSigner::presign(b.request, c, kNow, 600);
        QVERIFY2(u.ok(), qPrintable(u.error.message()));
        CosPresignInput in;
        in.method = "GET"_ba;
        in.scheme = u"https"_s;
        in.host = u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s;
        in.key = u"文件 a+b.txt"_s;
        in.query = {{u"response-content-disposition"_s, u"attachment"_s}};
        in.secretId = c.secretId;
        in.secretKey = c.secretKey;
        in.keyTime = cosKeyTime(kNow, kNow + 600);
        in.securityToken = c.sessionToken;
        const QByteArray expected = cosPresignedUrl(in);
        QCOMPARE(u.url.toEncoded(), expected);
        QVERIFY(expected.startsWith("https://b-1250000000.cos.ap-guangzhou.myqcloud.com/"
                                    "%E6%96%87%E4%BB%B6%20a%2Bb.txt?q-sign-algorithm=sha1&"));
        QVERIFY(expected.contains("&x-cos-security-token="));
        // Temporary keys cap the URL at their expiry.
        const PresignedUrl capped = RequestSigner::presign(b.request, c, kNow, 604800);
        QVERIFY(capped.url.toEncoded().contains(QByteArray("q-key-time=" + QByteArray::number(kNow)
                                                           + ';'
                                                           + QByteArray::number(c.expiredTime))));
    }

    void presignS3()
    {
        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        const BuildResult b = s3.getObject(u"bkt"_s, u"a b+c/ä.txt"_s);
        QVERIFY(b.ok());
        const Credentials c = temporaryKeys();
        const PresignedUrl u = RequestSigner::presign(b.request, c, kNow, 3600);
        QVERIFY2(u.ok(), qPrintable(u.error.message()));
        SigV4Input in;
        in.accessKeyId = c.secretId;
        in.secretAccessKey = c.secretKey;
        in.sessionToken = c.sessionToken;
        in.region = u"us-east-1"_s;
        in.service = u"s3"_s;
        in.method = "GET"_ba;
        in.host = u"127.0.0.1:7480"_s;
        in.canonicalPath = "/bkt/a%20b%2Bc/%C3%A4.txt"_ba;
        in.headers = {{u"host"_s, u"127.0.0.1:7480"_s}};
        in.payloadHash = "UNSIGNED-PAYLOAD"_ba;
        in.amzDate = "20231114T221320Z"_ba;
        QCOMPARE(u.url.toEncoded(), sigV4Presign(in, 3600, u"http"_s).url);
        const QByteArray q = u.url.query(QUrl::FullyEncoded).toLatin1();
        QVERIFY(q.contains("X-Amz-Expires=3600"));
        QVERIFY(q.contains("X-Amz-Security-Token="));
        QVERIFY(q.contains("X-Amz-SignedHeaders=host"));
    }

    // The exact bytes QNetworkAccessManager sends: request line and headers must be what was
    // signed, and the signature recomputed from those bytes must match.
    // PUT Object - Copy: the source header of each dialect, the key percent-encoded with "/"
    // kept, and signed like any other header.
    void copyObject()
    {
        const QString key = u"dir/a b+c%ü?#.txt"_s;
        const QByteArray encoded = "dir/a%20b%2Bc%25%C3%BC%3F%23.txt";
        const RequestBuilder cos(cosEndpoint());
        const BuildResult c = cos.copyObject(u"dst"_s, u"new/key"_s, u"src"_s, key);
        QVERIFY2(c.ok(), qPrintable(c.error.message()));
        QCOMPARE(c.request.method, "PUT"_ba);
        QCOMPARE(c.request.operation, u"PutObjectCopy"_s);
        QCOMPARE(c.request.host, u"dst-1250000000.cos.ap-guangzhou.myqcloud.com"_s);
        QCOMPARE(c.request.path, u"/new/key"_s);
        QCOMPARE(c.request.header(u"x-cos-copy-source"),
                 u"src-1250000000.cos.ap-guangzhou.myqcloud.com/"_s + QString::fromLatin1(encoded));
        const SignedRequest cs = RequestSigner::sign(c.request, permanentKeys(), kNow);
        QVERIFY(cs.ok());
        QVERIFY(cs.request.rawHeader("Authorization").contains("x-cos-copy-source"));

        const RequestBuilder s3(s3Endpoint(u"http://127.0.0.1:7480"_s, true));
        const BuildResult s = s3.copyObject(u"dst"_s, u"k"_s, u"src"_s, key);
        QVERIFY2(s.ok(), qPrintable(s.error.message()));
        QCOMPARE(s.request.header(u"x-amz-copy-source"), u"/src/"_s + QString::fromLatin1(encoded));
        const SignedRequest ss = RequestSigner::sign(s.request, permanentKeys(), kNow);
        QVERIFY(ss.ok());
        QVERIFY(ss.request.rawHeader("Authorization").contains("x-amz-copy-source"));

        // Bad source names are refused before anything is sent.
        QCOMPARE(s3.copyObject(u"dst"_s, u"k"_s, QString(), u"k"_s).error.kind(),
                 Error::Kind::InvalidInput);
        QCOMPARE(s3.copyObject(u"dst"_s, u"k"_s, u"src"_s, QString()).error.kind(),
                 Error::Kind::InvalidInput);
    }

    void wire_data()
    {
        QTest::addColumn<bool>("s3");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("method");
        const QStringList keys = {u"文件 a+b.txt"_s, u"100% ?#.txt"_s,   u"a//b/"_s,
                                  u"dir/"_s,         u"(x)!*';=&,$@:"_s, u".../x"_s};
        for (const bool s3 : {true, false}) {
            for (const QString &key : keys) {
                const QByteArray name = (s3 ? "s3 "_ba : "cos "_ba) + key.toUtf8();
                QTest::addRow("%s PUT", name.constData()) << s3 << key << "PUT"_ba;
                QTest::addRow("%s GET", name.constData()) << s3 << key << "GET"_ba;
            }
            QTest::newRow(s3 ? "s3 DELETE" : "cos DELETE") << s3 << u"a b"_s << "DELETE"_ba;
            QTest::newRow(s3 ? "s3 POST" : "cos POST") << s3 << u"a b"_s << "POST"_ba;
            QTest::newRow(s3 ? "s3 HEAD" : "cos HEAD") << s3 << u"a b"_s << "HEAD"_ba;
        }
    }

    void wire()
    {
        QFETCH(bool, s3);
        QFETCH(QString, key);
        QFETCH(QByteArray, method);
        WireCapture capture;
        QVERIFY(capture.listen());
        Endpoint e;
        if (s3) {
            e = s3Endpoint(u"http://127.0.0.1:%1"_s.arg(capture.port()), true);
        } else {
            e = cosEndpoint();
            e.scheme = u"http"_s;
            e.domain = u"127.0.0.1"_s;
            e.port = capture.port();
        }
        const RequestBuilder builder(e);
        const QByteArray body = "hello"_ba;
        BuildResult b;
        if (method == "PUT") {
            PutObjectParams p;
            p.contentLength = body.size();
            p.payloadHash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
            b = builder.putObject(u"bkt"_s, key, p);
        } else if (method == "GET") {
            b = builder.getObject(u"bkt"_s, key,
                                  {0, 3, u"\"e\""_s, {}, {{u"content-type"_s, u"a/b c"_s}}, {}});
        } else if (method == "DELETE") {
            b = builder.abortMultipartUpload(u"bkt"_s, key, u"id+1"_s);
        } else if (method == "POST") {
            b = builder.initiateMultipartUpload(u"bkt"_s, key);
        } else {
            b = builder.headObject(u"bkt"_s, key);
        }
        QVERIFY2(b.ok(), qPrintable(b.error.message()));
        const Credentials c = temporaryKeys();
        const SignedRequest s = RequestSigner::sign(b.request, c, kNow);
        QVERIFY2(s.ok(), qPrintable(s.error.message()));

        QNetworkAccessManager nam;
        QBuffer device;
        device.setData(body);
        device.open(QIODevice::ReadOnly);
        QNetworkReply *reply = sendSigned(&nam, s, method == "PUT" ? &device : nullptr);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        reply->deleteLater();
        QCOMPARE(capture.requests.size(), 1);
        const WireCapture::Captured &w = capture.requests.first();

        QCOMPARE(w.method, method);
        const QByteArray query = b.request.encodedQuery();
        QCOMPARE(w.target, b.request.encodedPath + (query.isEmpty() ? QByteArray() : '?' + query));
        QCOMPARE(valueOf(w.headers, "host"_L1).toLatin1(), b.request.hostHeader());
        if (method == "PUT")
            QCOMPARE(w.body, body);
        if (method == "PUT" || method == "POST" || method == "DELETE")
            QCOMPARE(valueOf(w.headers, "content-length"_L1), method == "PUT" ? u"5"_s : u"0"_s);

        const qsizetype q = w.target.indexOf('?');
        const QByteArray wirePath = q < 0 ? w.target : w.target.left(q);
        const QByteArray wireQuery = q < 0 ? QByteArray() : w.target.mid(q + 1);
        // Only the headers the signer was given count; Qt adds User-Agent, Connection, ...
        // Accept-Encoding: identity is sent (no decoding by Qt) but not signed.
        QCOMPARE(valueOf(w.headers, "accept-encoding"_L1), u"identity"_s);
        StringPairs sent;
        for (const auto &h : w.headers) {
            if (s.request.hasRawHeader(h.first.toLatin1())
                && h.first.compare("accept-encoding"_L1, Qt::CaseInsensitive) != 0)
                sent.append(h);
        }
        const QByteArray auth = valueOf(w.headers, "authorization"_L1).toLatin1();
        if (s3) {
            QCOMPARE(recomputeSigV4(w.method, wirePath, wireQuery, sent, c, u"us-east-1"_s), auth);
        } else {
            const QString keyTime = cosAuthField(auth, "q-key-time");
            QCOMPARE(recomputeCos(w.method, QUrl::fromPercentEncoding(wirePath), wireQuery, sent, c,
                                  keyTime),
                     auth);
        }
    }
};

QTEST_GUILESS_MAIN(TstRequestBuilder)
#include "tst_requestbuilder.moc"
