#include "faketencentsts.h"

#include "cos/signing/tc3.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
using FakeResponderRef = QHttpServerResponder &&;
#else
using FakeResponderRef = QHttpServerResponder &;
#endif

FakeTencentSts::FakeTencentSts(QString secretId, QString secretKey, QObject *parent)
    : QObject(parent)
    , m_secretId(std::move(secretId))
    , m_secretKey(std::move(secretKey))
{
    m_http.route(u"/"_s, [this](const QHttpServerRequest &request, FakeResponderRef responder) {
        const QJsonObject answer = handle(request);
        const QByteArray body = m_garbage ? "<html>502 Bad Gateway</html>"_ba
                                          : QJsonDocument(answer).toJson(QJsonDocument::Compact);
        const QByteArray mime = m_garbage ? "text/html"_ba : "application/json"_ba;
        if (m_delayMs <= 0) {
            responder.write(body, mime);
            return;
        }
        auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> socket = shared->socket();
        QTimer::singleShot(m_delayMs, this, [shared, socket, body, mime] {
            if (socket)
                shared->write(body, mime);
        });
    });
}

bool FakeTencentSts::start()
{
    m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(QHostAddress::LocalHost, 0))
        return false;
    m_http.bind(m_tcp);
    return true;
}

QUrl FakeTencentSts::url() const
{
    return QUrl(u"http://127.0.0.1:%1/"_s.arg(port()));
}

quint16 FakeTencentSts::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void FakeTencentSts::failWith(const QString &code, const QString &message)
{
    m_failCode = code;
    m_failMessage = message.isEmpty() ? u"fake failure: "_s + code : message;
}

QJsonObject FakeTencentSts::error(const QString &code, const QString &message)
{
    m_lastErrorCode = code;
    return QJsonObject {
            {u"Response"_s,
             QJsonObject {{u"Error"_s, QJsonObject {{u"Code"_s, code}, {u"Message"_s, message}}},
                          {u"RequestId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}}}};
}

QJsonObject FakeTencentSts::handle(const QHttpServerRequest &request)
{
    ++m_calls;
    m_lastErrorCode.clear();
    const QByteArray authorization = request.value("Authorization"_ba);
    const QByteArray contentType = request.value("Content-Type"_ba);
    const QByteArray host = request.value("Host"_ba);
    const QByteArray action = request.value("X-TC-Action"_ba);
    m_lastAction = QString::fromLatin1(action);
    const qint64 timestamp = request.value("X-TC-Timestamp"_ba).toLongLong();
    if (request.method() != QHttpServerRequest::Method::Post)
        return error(u"InvalidParameter"_s, u"only POST is supported by this fake"_s);
    if (authorization.isEmpty())
        return error(u"AuthFailure.SignatureFailure"_s, u"missing Authorization"_s);
    if (request.value("X-TC-Version"_ba) != "2018-08-13")
        return error(u"InvalidParameter"_s, u"X-TC-Version must be 2018-08-13"_s);
    const QByteArray prefix = "TC3-HMAC-SHA256 Credential="_ba;
    if (!authorization.startsWith(prefix))
        return error(u"AuthFailure.SignatureFailure"_s, u"unsupported signature method"_s);
    const QByteArray credentialId = authorization.mid(prefix.size(),
                                                      authorization.indexOf('/') - prefix.size());
    if (credentialId != m_secretId.toUtf8())
        return error(u"AuthFailure.SecretIdNotFound"_s, u"The SecretId is not found"_s);
    if (qAbs(QDateTime::currentSecsSinceEpoch() - timestamp) > 300)
        return error(u"AuthFailure.SignatureExpire"_s, u"Signature expired"_s);
    Cos::Tc3Input in;
    in.secretId = m_secretId;
    in.secretKey = m_secretKey;
    in.method = "POST"_ba;
    in.host = QString::fromLatin1(host);
    in.service = u"sts"_s;
    in.timestamp = timestamp;
    in.contentType = contentType;
    in.payload = request.body();
    if (Cos::tc3Sign(in).authorization != authorization)
        return error(u"AuthFailure.SignatureFailure"_s,
                     u"The provided credentials could not be validated"_s);

    const QJsonObject params = QJsonDocument::fromJson(request.body()).object();
    QJsonObject recorded = params;
    const QString policyEncoded = params.value("Policy"_L1).toString();
    const QByteArray policy = QByteArray::fromPercentEncoding(policyEncoded.toLatin1());
    recorded.insert(u"Policy"_s, QString::fromUtf8(policy));
    m_lastParams = recorded;
    const qint64 duration = params.value("DurationSeconds"_L1).toInteger(1800);
    if (action == "GetFederationToken") {
        if (params.value("Name"_L1).toString().isEmpty())
            return error(u"MissingParameter"_s,
                         u"The request is missing a required parameter `Name`"_s);
    } else if (action == "AssumeRole") {
        if (params.value("RoleArn"_L1).toString().isEmpty()
            || params.value("RoleSessionName"_L1).toString().isEmpty())
            return error(u"MissingParameter"_s, u"RoleArn and RoleSessionName are required"_s);
    } else {
        return error(u"InvalidAction"_s, u"unknown action"_s);
    }
    const QJsonDocument policyDoc = QJsonDocument::fromJson(policy);
    if (policyEncoded.contains(u'{') || !policyDoc.isObject() || policy.contains("\"principal\"")
        || duration < 1 || duration > 129600)
        return error(u"InvalidParameter"_s,
                     u"Policy must be URL-encoded CAM JSON without principal"_s);
    if (!m_failCode.isEmpty())
        return error(m_failCode, m_failMessage);

    ++m_successes;
    const qint64 expired = QDateTime::currentSecsSinceEpoch() + duration;
    const QString n = QString::number(m_successes);
    return QJsonObject {
            {u"Response"_s,
             QJsonObject {{u"Credentials"_s,
                           QJsonObject {{u"Token"_s, QString(u"fake-session-token-"_s + n)},
                                        {u"TmpSecretId"_s, QString(u"AKIDfakeTmp"_s + n)},
                                        {u"TmpSecretKey"_s, QString(u"fakeTmpSecretKey"_s + n)}}},
                          {u"ExpiredTime"_s, expired},
                          {u"Expiration"_s,
                           QDateTime::fromSecsSinceEpoch(expired, Qt::UTC).toString(Qt::ISODate)},
                          {u"RequestId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}}}};
}
