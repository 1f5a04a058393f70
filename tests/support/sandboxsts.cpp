#include "sandboxsts.h"

#include "cos/protocol/xmlparsers.h"
#include "cos/signing/sigv4.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

std::optional<Credentials> sandboxAssumeRole(const SandboxEnv &env, const QString &policy,
                                             int seconds, QString *error)
{
    QUrlQuery form;
    const auto add = [&form](const QString &k, const QString &v) {
        form.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    };
    add(u"Action"_s, u"AssumeRole"_s);
    add(u"Version"_s, u"2011-06-15"_s);
    add(u"RoleArn"_s, env.roleArn);
    add(u"RoleSessionName"_s, u"cos-tests"_s);
    add(u"DurationSeconds"_s, QString::number(seconds));
    add(u"Policy"_s, policy);
    const QByteArray body = form.toString(QUrl::FullyEncoded).toLatin1();
    const QUrl url(env.stsEndpoint.endsWith(u'/') ? env.stsEndpoint : env.stsEndpoint + u'/');

    SigV4Input in;
    in.accessKeyId = env.secretId;
    in.secretAccessKey = env.secretKey;
    in.region = env.region;
    in.service = u"sts"_s;
    in.method = "POST";
    in.host = url.port() > 0 ? u"%1:%2"_s.arg(url.host()).arg(url.port()) : url.host();
    in.canonicalPath = "/";
    in.headers = {{u"host"_s, in.host}, {u"content-type"_s, u"application/x-www-form-urlencoded"_s}};
    in.payloadHash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    in.amzDate = sigV4AmzDate(QDateTime::currentDateTimeUtc());
    const SigV4Result signature = sigV4SignHeaders(in);

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
    for (const auto &[n, v] : signature.addedHeaders)
        request.setRawHeader(n.toLatin1(), v.toLatin1());
    request.setRawHeader("Authorization", signature.authorization);
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!done.wait(20000)) {
        *error = u"AssumeRole timed out"_s;
        return std::nullopt;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray xml = reply->readAll();
    if (status != 200) {
        *error = parseErrorResponse(status, xml).toString();
        return std::nullopt;
    }
    AssumeRoleResult result;
    if (Error e = parseAssumeRoleResponse(xml, &result)) {
        *error = e.toString();
        return std::nullopt;
    }
    Credentials c;
    c.secretId = result.accessKeyId;
    c.secretKey = result.secretAccessKey;
    c.sessionToken = result.sessionToken;
    c.expiredTime = result.expiration.toSecsSinceEpoch();
    return c;
}
