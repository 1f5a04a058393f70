#pragma once

#include "policy.h"

#include "cos/core/credentials.h"
#include "cos/core/error.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
QT_END_NAMESPACE

namespace Cos {
class RequestJournal;
} // namespace Cos

namespace Signer {

/** @brief Temporary credentials as an STS service issued them. */
struct TempCredentials
{
    QString tmpSecretId;
    QString tmpSecretKey;
    QString sessionToken;
    qint64 expiredTime = 0; ///< Unix seconds
    QString expiration; ///< ISO 8601 UTC, "2019-08-07T08:54:35Z"
    QString requestId; ///< the upstream request id
    qint64 issuedAt = 0; ///< Unix seconds, the signer's clock when the answer arrived

    [[nodiscard]] bool isValid() const
    {
        return !tmpSecretId.isEmpty() && !tmpSecretKey.isEmpty() && !sessionToken.isEmpty()
                && expiredTime > 0;
    }
};

/** @brief What to ask an STS back end for. */
struct StsRequest
{
    QByteArray policy; ///< compact JSON from buildPolicy()
    int durationSeconds = 1800;
    QString sessionName; ///< RoleSessionName / federation Name; sanitised by the back end
};

/**
 * @brief One STS service behind one interface.
 *
 * Implementations are asynchronous and call @p done exactly once, on the owner's thread,
 * unless the back end is destroyed first. Errors carry Kind::Network, Kind::Timeout,
 * Kind::Service (the upstream code and request id) or Kind::Parse; never a secret.
 */
class StsBackend : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Cos::Error &, const TempCredentials &)>;

    explicit StsBackend(QObject *parent = nullptr);
    ~StsBackend() override;

    /** @brief "tencent" or "s3-sts". */
    [[nodiscard]] virtual QString name() const = 0;
    /** @brief Identifies the upstream account for the credential cache (no secret in it). */
    [[nodiscard]] virtual QString cacheId() const = 0;
    [[nodiscard]] virtual PolicyDialect dialect() const = 0;
    virtual void fetch(const StsRequest &request, Callback done) = 0;

    /** @brief Upstream timeout for one call, in milliseconds (default 10 000). */
    void setTimeout(int ms) { m_timeoutMs = ms; }
    [[nodiscard]] int timeout() const { return m_timeoutMs; }

    /**
     * @brief Records every STS call into @p journal (not owned; null: none, the default): the
     * action, URL, headers (Authorization reduced to algorithm, masked key id and signed
     * names), status, time, bytes, request id and the body of a failure; never the body of an
     * answer that carries credentials, nor the request body.
     */
    void setJournal(Cos::RequestJournal *journal);

protected:
    /** @brief The keys the calls are signed with: the journal redacts them wherever they occur. */
    [[nodiscard]] virtual Cos::Credentials signingKeys() const { return {}; }

    /** @brief Posts @p body, enforces the timeout, hands status, headers and body to @p handle. */
    void post(QNetworkRequest request, const QByteArray &body,
              std::function<void(const Cos::Error &transportError, int status, QNetworkReply *reply,
                                 const QByteArray &body)>
                      handle);
    QNetworkAccessManager *nam();

    /** @brief The Host header value QNAM sends for @p url: host[:port]. */
    static QString hostHeader(const QUrl &url);

private:
    QPointer<QNetworkAccessManager> m_nam;
    QPointer<Cos::RequestJournal> m_journal;
    int m_timeoutMs = 10000;
};

/**
 * @brief Tencent Cloud STS API 3.0 (sts.tencentcloudapi.com, Version 2018-08-13), TC3-signed.
 *
 * GetFederationToken (Name, Policy, DurationSeconds) or, with a role ARN, AssumeRole
 * (RoleArn, RoleSessionName, Policy, DurationSeconds). The policy is URL-encoded inside the
 * JSON body, as the API requires.
 */
class TencentStsBackend final : public StsBackend
{
    Q_OBJECT
public:
    struct Options
    {
        QString secretId;
        QString secretKey;
        QUrl endpoint = QUrl(QStringLiteral("https://sts.tencentcloudapi.com/"));
        QString region = QStringLiteral("ap-guangzhou"); ///< X-TC-Region
        QString roleArn; ///< empty: GetFederationToken; else AssumeRole
        QString federationName = QStringLiteral("cos-signer");
    };
    explicit TencentStsBackend(Options options, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("tencent"); }
    QString cacheId() const override;
    PolicyDialect dialect() const override { return PolicyDialect::Cam; }
    void fetch(const StsRequest &request, Callback done) override;

    /** @brief Parses an API 3.0 answer ({"Response":{...}}) into credentials or an error. */
    static Cos::Error parseResponse(int httpStatus, const QByteArray &body, TempCredentials *out);

protected:
    Cos::Credentials signingKeys() const override;

private:
    Options m_options;
};

/** @brief S3-style STS: AssumeRole with an inline IAM session policy, SigV4, form POST. */
class S3StsBackend final : public StsBackend
{
    Q_OBJECT
public:
    struct Options
    {
        QString accessKeyId;
        QString secretAccessKey;
        QUrl endpoint; ///< e.g. http://127.0.0.1:7480/ (Ceph RGW), https://sts.amazonaws.com/
        QString region = QStringLiteral("us-east-1");
        QString roleArn;
    };
    explicit S3StsBackend(Options options, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("s3-sts"); }
    QString cacheId() const override;
    PolicyDialect dialect() const override { return PolicyDialect::Iam; }
    void fetch(const StsRequest &request, Callback done) override;

protected:
    Cos::Credentials signingKeys() const override;

private:
    Options m_options;
};

/** @brief RoleSessionName-safe form of a caller name: [\w+=,.@-], 2..64 characters. */
QString sanitizeSessionName(const QString &name);

} // namespace Signer
