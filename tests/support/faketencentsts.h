#pragma once

#include <QByteArray>
#include <QHttpServer>
#include <QJsonObject>
#include <QString>
#include <QTcpServer>
#include <QUrl>

/**
 * @brief A test-only Tencent Cloud STS (API 3.0) on loopback.
 *
 * It verifies every call like the real service: TC3-HMAC-SHA256 recomputed with Cos::tc3Sign
 * over the received Host, Content-Type and body (wrong → AuthFailure.SignatureFailure, unknown
 * SecretId → AuthFailure.SecretIdNotFound, timestamp more than 300 s off →
 * AuthFailure.SignatureExpire), X-TC-Version 2018-08-13, the action's required parameters and
 * a URL-encoded CAM policy without "principal" (else InvalidParameter). It answers in the
 * official envelope {"Response":{...,"RequestId"}}, HTTP 200 also for errors, as the API does.
 */
class FakeTencentSts : public QObject
{
    Q_OBJECT
public:
    FakeTencentSts(QString secretId, QString secretKey, QObject *parent = nullptr);

    /** @brief Listens on 127.0.0.1, any free port. */
    bool start();
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] quint16 port() const;

    /** @brief Every following call fails with this API error (empty code: succeed again). */
    void failWith(const QString &code, const QString &message = {});
    /** @brief Answers after @p ms milliseconds. */
    void setDelay(int ms) { m_delayMs = ms; }
    /** @brief Answers with a body that is not JSON. */
    void setGarbage(bool on) { m_garbage = on; }

    [[nodiscard]] int calls() const { return m_calls; }
    [[nodiscard]] int successes() const { return m_successes; }
    [[nodiscard]] const QString &lastAction() const { return m_lastAction; }
    /** @brief The last call's parameters, Policy already URL-decoded. */
    [[nodiscard]] const QJsonObject &lastParams() const { return m_lastParams; }
    [[nodiscard]] const QString &lastErrorCode() const { return m_lastErrorCode; }

private:
    QJsonObject handle(const QHttpServerRequest &request);
    QJsonObject error(const QString &code, const QString &message);

    QString m_secretId;
    QString m_secretKey;
    QHttpServer m_http;
    QTcpServer *m_tcp = nullptr;
    QString m_failCode;
    QString m_failMessage;
    int m_delayMs = 0;
    bool m_garbage = false;
    int m_calls = 0;
    int m_successes = 0;
    QString m_lastAction;
    QJsonObject m_lastParams;
    QString m_lastErrorCode;
};
