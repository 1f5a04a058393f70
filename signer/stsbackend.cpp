#include "stsbackend.h"

#include "cos/net/requestjournal.h"
#include "cos/signing/percentencoding.h"
#include "cos/signing/sigv4.h"
#include "cos/signing/tc3.h"
#include "cos/protocol/xmlparsers.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace Signer {

StsBackend::StsBackend(QObject *parent)
    : QObject(parent)
{ }

StsBackend::~StsBackend() = default;

void StsBackend::setJournal(Cos::RequestJournal *journal)
{
    m_journal = journal;
}

namespace {

// The STS action of a call: Tencent names it in a header, S3-style STS in the form body.
QString stsAction(const QNetworkRequest &request, const QByteArray &body)
{
    const QByteArray header = request.rawHeader("X-TC-Action");
    if (!header.isEmpty())
        return QString::fromLatin1(header);
    for (const QByteArray &pair : body.split('&')) {
        if (pair.startsWith("Action="))
            return QString::fromLatin1(pair.mid(7));
    }
    return u"POST"_s;
}

// The request id of an STS answer: JSON "RequestId" (Tencent) or <RequestId> (S3-style).
QString stsRequestId(const QByteArray &body)
{
    static const QRegularExpression re(
            uR"re("RequestId"\s*:\s*"([^"]{1,128})"|<RequestId>([^<]{1,128})</RequestId>)re"_s);
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(body.left(64 * 1024)));
    if (!m.hasMatch())
        return {};
    return m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
}

} // namespace

QNetworkAccessManager *StsBackend::nam()
{
    if (!m_nam) {
        auto *own = new QNetworkAccessManager(this);
        // A redirect would carry a signed body to another host; STS never redirects.
        own->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_nam = own;
    }
    return m_nam;
}

QString StsBackend::hostHeader(const QUrl &url)
{
    const int defaultPort = url.scheme() == "https"_L1 ? 443 : 80;
    QString host = url.host(QUrl::FullyEncoded);
    if (host.contains(u':'))
        host = u'[' + host + u']';
    if (url.port() != -1 && url.port() != defaultPort)
        host += u':' + QString::number(url.port());
    return host;
}

void StsBackend::post(
        QNetworkRequest request, const QByteArray &body,
        std::function<void(const Cos::Error &, int, QNetworkReply *, const QByteArray &)> handle)
{
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = nam()->post(request, body);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_timeoutMs);
    // The body of an STS answer is small; cap it so that a misbehaving upstream cannot
    // make the signer buffer without bound.
    constexpr qint64 kMaxBody = 1 << 20;
    connect(reply, &QNetworkReply::readyRead, reply, [reply] {
        if (reply->bytesAvailable() > kMaxBody)
            reply->abort();
    });
    const QString host = request.url().host();

    // The journal entry of this call, when someone observes (nothing is built otherwise).
    quint64 journalId = 0;
    const Cos::SecretRedactor redactor(m_journal ? signingKeys() : Cos::Credentials());
    if (m_journal) {
        Cos::JournalEntry e;
        e.kind = Cos::JournalEntry::Kind::Sts;
        e.operation = stsAction(request, body);
        e.method = "POST"_ba;
        e.url = redactor.url(request.url().toString(QUrl::FullyEncoded));
        e.requestHeaders = redactor.headers(Cos::rawHeaders(request));
        e.bytesSent = body.size();
        e.keys.keyId = Cos::maskKeyId(signingKeys().secretId);
        journalId = m_journal->begin(std::move(e));
    }
    auto sent = std::make_shared<QElapsedTimer>();
    sent->start();
    const auto record = [this, journalId, redactor, sent](const Cos::Error &error, int status,
                                                          const QByteArray &answer) {
        if (journalId == 0 || !m_journal)
            return;
        // An answer that carries credentials is never kept; any other one explains a failure.
        const bool issued = status >= 200 && status < 300 && answer.contains("Credentials");
        m_journal->update(journalId, [&](Cos::JournalEntry &e) {
            e.finished = true;
            e.status = status;
            e.durationMs = sent->elapsed();
            e.bytesReceived = answer.size();
            e.requestId = stsRequestId(answer);
            if (error)
                e.error = redactor.apply(error.toString());
            else if (!issued)
                e.error = u"HTTP %1 without credentials"_s.arg(status);
            if (!issued)
                e.errorBody = redactor.apply(answer.left(Cos::RequestJournal::MaxErrorBody));
        });
    };
    connect(reply, &QNetworkReply::finished, this, [reply, timedOut, handle, host, record, this] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (*timedOut) {
            const Cos::Error error(Cos::Error::Kind::Timeout,
                                   u"STS at %1 did not answer within %2 ms"_s.arg(host).arg(
                                           m_timeoutMs));
            record(error, 0, {});
            handle(error, 0, reply, {});
            return;
        }
        if (status == 0) {
            const Cos::Error error(Cos::Error::Kind::Network,
                                   u"cannot reach STS at %1: %2"_s.arg(host, reply->errorString()));
            record(error, 0, {});
            handle(error, 0, reply, {});
            return;
        }
        const QByteArray answer = reply->readAll();
        record({}, status, answer);
        handle({}, status, reply, answer);
    });
}

QString sanitizeSessionName(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                || (c >= u'0' && c <= u'9') || QStringView(u"_+=,.@-").contains(c);
        out.append(ok ? c : u'_');
    }
    out = out.left(64);
    while (out.size() < 2)
        out.append(u'_');
    return out;
}

// ---------------------------------------------------------------------------------------------

TencentStsBackend::TencentStsBackend(Options options, QObject *parent)
    : StsBackend(parent)
    , m_options(std::move(options))
{ }

QString TencentStsBackend::cacheId() const
{
    return u"tencent|%1|%2|%3|%4"_s.arg(m_options.endpoint.toString(), m_options.secretId,
                                        m_options.region, m_options.roleArn);
}

Cos::Credentials TencentStsBackend::signingKeys() const
{
    Cos::Credentials c;
    c.secretId = m_options.secretId;
    c.secretKey = m_options.secretKey;
    return c;
}

void TencentStsBackend::fetch(const StsRequest &request, Callback done)
{
    const bool assume = !m_options.roleArn.isEmpty();
    QJsonObject payload;
    payload.insert(u"DurationSeconds"_s, request.durationSeconds);
    // The API URL-decodes Policy, also inside a JSON body.
    payload.insert(u"Policy"_s,
                   QString::fromLatin1(Cos::percentEncode(QByteArrayView(request.policy))));
    if (assume) {
        payload.insert(u"RoleArn"_s, m_options.roleArn);
        payload.insert(u"RoleSessionName"_s, sanitizeSessionName(request.sessionName));
    } else {
        payload.insert(u"Name"_s, sanitizeSessionName(m_options.federationName));
    }
    const QByteArray body = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    const QByteArray contentType = "application/json; charset=utf-8"_ba;
    const qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    const QString host = hostHeader(m_options.endpoint);

    Cos::Tc3Input in;
    in.secretId = m_options.secretId;
    in.secretKey = m_options.secretKey;
    in.method = "POST"_ba;
    in.host = host;
    in.service = u"sts"_s;
    in.timestamp = timestamp;
    in.contentType = contentType;
    in.payload = body;
    const Cos::Tc3Result signature = Cos::tc3Sign(in);

    QNetworkRequest req(m_options.endpoint);
    req.setRawHeader("Host", host.toUtf8());
    req.setRawHeader("Content-Type", contentType);
    req.setRawHeader("X-TC-Action", assume ? "AssumeRole" : "GetFederationToken");
    req.setRawHeader("X-TC-Version", "2018-08-13");
    req.setRawHeader("X-TC-Timestamp", QByteArray::number(timestamp));
    if (!m_options.region.isEmpty())
        req.setRawHeader("X-TC-Region", m_options.region.toUtf8());
    req.setRawHeader("Authorization", signature.authorization);

    post(req, body,
         [done](const Cos::Error &transport, int status, QNetworkReply *, const QByteArray &data) {
             TempCredentials creds;
             if (transport) {
                 done(transport, creds);
                 return;
             }
             const Cos::Error error = parseResponse(status, data, &creds);
             done(error, error ? TempCredentials {} : creds);
         });
}

Cos::Error TencentStsBackend::parseResponse(int httpStatus, const QByteArray &body,
                                            TempCredentials *out)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject response = doc.object().value("Response"_L1).toObject();
    if (doc.isNull() || response.isEmpty()) {
        Cos::Error e(Cos::Error::Kind::Parse,
                     u"STS answered HTTP %1 without an API 3.0 Response object"_s.arg(httpStatus));
        return e.setHttpStatus(httpStatus);
    }
    const QString requestId = response.value("RequestId"_L1).toString();
    const QJsonObject error = response.value("Error"_L1).toObject();
    if (!error.isEmpty()) {
        Cos::Error e = Cos::Error::service(httpStatus, error.value("Code"_L1).toString(),
                                           error.value("Message"_L1).toString().left(300),
                                           requestId);
        const QString code = e.code();
        e.setRetryable(code == "RequestLimitExceeded"_L1 || code == "InternalError"_L1
                       || code.startsWith("RequestLimitExceeded."_L1));
        return e;
    }
    if (httpStatus < 200 || httpStatus >= 300)
        return Cos::Error::service(httpStatus, u"HttpError"_s,
                                   u"STS answered HTTP %1"_s.arg(httpStatus), requestId);
    const QJsonObject c = response.value("Credentials"_L1).toObject();
    out->tmpSecretId = c.value("TmpSecretId"_L1).toString();
    out->tmpSecretKey = c.value("TmpSecretKey"_L1).toString();
    out->sessionToken = c.value("Token"_L1).toString();
    out->expiredTime = response.value("ExpiredTime"_L1).toInteger();
    out->expiration = response.value("Expiration"_L1).toString();
    out->requestId = requestId;
    out->issuedAt = QDateTime::currentSecsSinceEpoch();
    if (!out->isValid() || out->expiredTime < 1000000000 || out->expiredTime > 9999999999) {
        Cos::Error e(Cos::Error::Kind::Parse,
                     u"STS answer lacks Credentials.TmpSecretId/TmpSecretKey/Token or a "
                     "10-digit ExpiredTime"_s);
        return e.setRequestId(requestId);
    }
    if (out->expiration.isEmpty())
        out->expiration = QDateTime::fromSecsSinceEpoch(out->expiredTime, Qt::UTC)
                                  .toString(Qt::ISODate);
    return {};
}

// ---------------------------------------------------------------------------------------------

S3StsBackend::S3StsBackend(Options options, QObject *parent)
    : StsBackend(parent)
    , m_options(std::move(options))
{ }

QString S3StsBackend::cacheId() const
{
    return u"s3-sts|%1|%2|%3|%4"_s.arg(m_options.endpoint.toString(), m_options.accessKeyId,
                                       m_options.region, m_options.roleArn);
}

Cos::Credentials S3StsBackend::signingKeys() const
{
    Cos::Credentials c;
    c.secretId = m_options.accessKeyId;
    c.secretKey = m_options.secretAccessKey;
    return c;
}

void S3StsBackend::fetch(const StsRequest &request, Callback done)
{
    const Cos::StringPairs form = {
            {u"Action"_s, u"AssumeRole"_s},
            {u"DurationSeconds"_s, QString::number(request.durationSeconds)},
            {u"Policy"_s, QString::fromUtf8(request.policy)},
            {u"RoleArn"_s, m_options.roleArn},
            {u"RoleSessionName"_s, sanitizeSessionName(request.sessionName)},
            {u"Version"_s, u"2011-06-15"_s},
    };
    QByteArray body;
    for (const auto &[k, v] : form) {
        if (!body.isEmpty())
            body += '&';
        body += Cos::percentEncode(k) + '=' + Cos::percentEncode(v);
    }
    const QByteArray contentType = "application/x-www-form-urlencoded; charset=utf-8"_ba;
    const QString host = hostHeader(m_options.endpoint);
    QByteArray path = m_options.endpoint.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/"_ba;

    Cos::SigV4Input in;
    in.accessKeyId = m_options.accessKeyId;
    in.secretAccessKey = m_options.secretAccessKey;
    in.region = m_options.region;
    in.service = u"sts"_s;
    in.method = "POST"_ba;
    in.host = host;
    in.canonicalPath = path;
    in.headers = {{u"host"_s, host}, {u"content-type"_s, QString::fromLatin1(contentType)}};
    in.payloadHash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    in.amzDate = Cos::sigV4AmzDate(QDateTime::currentDateTimeUtc());
    const Cos::SigV4Result signature = Cos::sigV4SignHeaders(in);

    QNetworkRequest req(m_options.endpoint);
    req.setRawHeader("Host", host.toUtf8());
    req.setRawHeader("Content-Type", contentType);
    for (const auto &[k, v] : signature.addedHeaders)
        req.setRawHeader(k.toUtf8(), v.toUtf8());
    req.setRawHeader("Authorization", signature.authorization);

    post(req, body,
         [done](const Cos::Error &transport, int status, QNetworkReply *reply,
                const QByteArray &data) {
             if (transport) {
                 done(transport, {});
                 return;
             }
             if (status < 200 || status >= 300) {
                 Cos::Error e = Cos::parseErrorResponse(status, data,
                                                        QString::fromLatin1(reply->rawHeader(
                                                                "x-amz-request-id")));
                 done(e, {});
                 return;
             }
             Cos::AssumeRoleResult result;
             const Cos::Error e = Cos::parseAssumeRoleResponse(data, &result);
             if (e) {
                 done(e, {});
                 return;
             }
             TempCredentials creds;
             creds.tmpSecretId = result.accessKeyId;
             creds.tmpSecretKey = result.secretAccessKey;
             creds.sessionToken = result.sessionToken;
             creds.expiredTime = result.expiration.toSecsSinceEpoch();
             creds.expiration = result.expiration.toUTC().toString(Qt::ISODate);
             creds.requestId = result.requestId;
             creds.issuedAt = QDateTime::currentSecsSinceEpoch();
             if (!creds.isValid()) {
                 done(Cos::Error(Cos::Error::Kind::Parse,
                                 u"AssumeRole answer lacks credentials or an expiration"_s),
                      {});
                 return;
             }
             done({}, creds);
         });
}

} // namespace Signer
