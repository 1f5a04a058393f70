#include "cos/net/requestsigner.h"

#include "cos/signing/cossigner.h"
#include "cos/signing/sigv4.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

Error credentialError(const QString &message)
{
    return Error(Error::Kind::Credentials, message);
}

bool isHeaderSafe(const QString &value)
{
    return std::all_of(value.begin(), value.end(),
                       [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

// The messages name the field, never its value: these are secrets.
Error checkCredentials(const Credentials &c)
{
    if (c.isEmpty())
        return credentialError(u"No credentials: the secret id or secret key is empty"_s);
    if (!isHeaderSafe(c.secretId))
        return credentialError(u"The secret id contains characters not allowed in a header"_s);
    if (!isHeaderSafe(c.sessionToken))
        return credentialError(u"The session token contains characters not allowed in a header"_s);
    return {};
}

// @p url is r.url(), passed in because building it encodes the whole query again.
Error checkRequest(const HttpRequest &r, const QUrl &url)
{
    if (r.isNull())
        return Error(Error::Kind::InvalidInput, u"Cannot sign an empty request"_s);
    if (!url.isValid())
        return Error(Error::Kind::InvalidInput,
                     u"The request URL is not valid: %1"_s.arg(QString::fromLatin1(r.encodedUrl())));
    return {};
}

StringPairs headersWithHost(const HttpRequest &r)
{
    StringPairs headers;
    headers.reserve(r.headers.size() + 1);
    headers.append({u"Host"_s, QString::fromLatin1(r.hostHeader())});
    for (const auto &h : r.headers) {
        if (h.first.compare("host"_L1, Qt::CaseInsensitive) != 0)
            headers.append(h);
    }
    return headers;
}

QByteArray amzDate(qint64 nowSeconds)
{
    return sigV4AmzDate(QDateTime::fromSecsSinceEpoch(nowSeconds, Qt::UTC));
}

SigV4Input sigV4Input(const HttpRequest &r, const Credentials &c, qint64 nowSeconds)
{
    SigV4Input in;
    in.accessKeyId = c.secretId;
    in.secretAccessKey = c.secretKey;
    in.sessionToken = c.sessionToken;
    in.region = r.region;
    in.service = u"s3"_s;
    in.method = r.method;
    in.host = QString::fromLatin1(r.hostHeader());
    in.canonicalPath = r.encodedPath;
    in.query = r.query;
    in.payloadHash = r.payloadHash;
    in.amzDate = amzDate(nowSeconds);
    return in;
}

} // namespace

QString RequestSigner::cosKeyTime(const Credentials &credentials, qint64 nowSeconds,
                                  int validitySeconds)
{
    if (credentials.isTemporary() && credentials.startTime > 0
        && credentials.expiredTime > credentials.startTime)
        return Cos::cosKeyTime(credentials.startTime, credentials.expiredTime);
    qint64 end = nowSeconds + validitySeconds;
    if (credentials.expiredTime > 0)
        end = std::min(end, credentials.expiredTime);
    return Cos::cosKeyTime(nowSeconds, end);
}

SignedRequest RequestSigner::sign(const HttpRequest &request, const Credentials &credentials,
                                  const QDateTime &now, int validitySeconds)
{
    return sign(request, credentials, now.toSecsSinceEpoch(), validitySeconds);
}

SignedRequest RequestSigner::sign(const HttpRequest &request, const Credentials &credentials,
                                  qint64 nowSeconds, int validitySeconds)
{
    SignedRequest out;
    out.method = request.method;
    out.body = request.body;
    const QUrl url = request.url();
    if (Error e = checkRequest(request, url)) {
        out.error = e;
        return out;
    }
    if (Error e = checkCredentials(credentials)) {
        out.error = e;
        return out;
    }
    if (validitySeconds <= 0) {
        out.error = Error(Error::Kind::InvalidInput,
                          u"Signature validity must be positive, not %1 s"_s.arg(validitySeconds));
        return out;
    }

    StringPairs headers = headersWithHost(request);
    QByteArray authorization;
    if (request.dialect == Dialect::Cos) {
        if (credentials.isTemporary()) {
            headers.removeIf([](const auto &h) {
                return h.first.compare("x-cos-security-token"_L1, Qt::CaseInsensitive) == 0;
            });
            headers.append({u"x-cos-security-token"_s, credentials.sessionToken});
        }
        CosSignInput in;
        in.method = request.method;
        in.path = request.path;
        in.query = request.query;
        in.headers = headers;
        in.secretId = credentials.secretId;
        in.secretKey = credentials.secretKey;
        in.keyTime = cosKeyTime(credentials, nowSeconds, validitySeconds);
        CosSignResult r = cosSign(in);
        authorization = r.authorization;
        out.trace = {r.formatString, r.stringToSign};
    } else {
        SigV4Input in = sigV4Input(request, credentials, nowSeconds);
        in.headers = headers;
        const SigV4Result r = sigV4SignHeaders(in);
        // The signer replaces given x-amz-date / x-amz-security-token headers by its own.
        for (const auto &added : r.addedHeaders) {
            headers.removeIf([&added](const auto &h) {
                return h.first.compare(added.first, Qt::CaseInsensitive) == 0;
            });
        }
        headers += r.addedHeaders;
        authorization = r.authorization;
        out.trace = {r.canonicalRequest, r.stringToSign};
    }

    // With a connect-to address the URL names that address; the Host header (signed above)
    // and the TLS peer name stay those of the real host.
    QNetworkRequest nr(request.connectHost.isEmpty() ? url : request.networkUrl());
    if (!request.connectHost.isEmpty())
        nr.setPeerVerifyName(request.host);
    for (const auto &[name, value] : std::as_const(headers))
        nr.setRawHeader(name.toLatin1(), value.toUtf8());
    nr.setRawHeader("Authorization"_ba, authorization);
    // Objects stored with a Content-Encoding (gzip, br, ...) are returned as stored: otherwise
    // Qt asks for compressed answers, decodes them on its own and drops Content-Length, and a
    // download could no longer be checked against the stored size, ETag or CRC64. Not signed,
    // as in the official SDKs.
    if (!nr.hasRawHeader("Accept-Encoding"_ba))
        nr.setRawHeader("Accept-Encoding"_ba, "identity"_ba);
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    out.request = nr;
    return out;
}

PresignedUrl RequestSigner::presign(const HttpRequest &request, const Credentials &credentials,
                                    qint64 nowSeconds, int expiresSeconds)
{
    PresignedUrl out;
    if (Error e = checkRequest(request, request.url())) {
        out.error = e;
        return out;
    }
    if (Error e = checkCredentials(credentials)) {
        out.error = e;
        return out;
    }
    if (expiresSeconds < 1 || expiresSeconds > MaxPresignSeconds) {
        out.error = Error(Error::Kind::InvalidInput,
                          u"A presigned URL expires after 1 to %1 seconds, not %2"_s
                                  .arg(MaxPresignSeconds)
                                  .arg(expiresSeconds));
        return out;
    }

    QByteArray url;
    if (request.dialect == Dialect::Cos) {
        qint64 end = nowSeconds + expiresSeconds;
        if (credentials.isTemporary() && credentials.expiredTime > 0)
            end = std::min(end, credentials.expiredTime);
        if (end <= nowSeconds) {
            out.error = credentialError(u"The temporary credentials have already expired"_s);
            return out;
        }
        CosPresignInput in;
        in.method = request.method;
        in.scheme = request.scheme;
        in.host = QString::fromLatin1(request.hostHeader());
        in.key = request.path.mid(1);
        in.query = request.query;
        in.secretId = credentials.secretId;
        in.secretKey = credentials.secretKey;
        in.keyTime = Cos::cosKeyTime(nowSeconds, end);
        in.securityToken = credentials.sessionToken;
        url = cosPresignedUrl(in);
    } else {
        SigV4Input in = sigV4Input(request, credentials, nowSeconds);
        in.headers = {{u"host"_s, QString::fromLatin1(request.hostHeader())}};
        in.payloadHash = "UNSIGNED-PAYLOAD"_ba;
        url = sigV4Presign(in, expiresSeconds, request.scheme).url;
    }
    out.url = QUrl::fromEncoded(url, QUrl::StrictMode);
    if (!out.url.isValid())
        out.error = Error(Error::Kind::InvalidInput, u"The presigned URL is not a valid URL"_s);
    return out;
}

QNetworkReply *sendSigned(QNetworkAccessManager *manager, const SignedRequest &signedRequest,
                          QIODevice *body)
{
    const QNetworkRequest &r = signedRequest.request;
    const QByteArray &m = signedRequest.method;
    if (m == "GET")
        return manager->get(r);
    if (m == "HEAD")
        return manager->head(r);
    if (m == "DELETE" && !body && signedRequest.body.isEmpty())
        return manager->deleteResource(r);
    if (m == "PUT")
        return body ? manager->put(r, body) : manager->put(r, signedRequest.body);
    if (m == "POST")
        return body ? manager->post(r, body) : manager->post(r, signedRequest.body);
    return body ? manager->sendCustomRequest(r, m, body)
                : manager->sendCustomRequest(r, m, signedRequest.body);
}

} // namespace Cos
