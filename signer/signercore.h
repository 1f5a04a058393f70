#pragma once

#include "credentialcache.h"
#include "responses.h"
#include "signerconfig.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>

#include <functional>
#include <memory>

namespace Signer {

/** @brief A resolved, authorised request: what to grant and for how long. */
struct IssueRequest
{
    QString uid; ///< the caller; fills ${uid}
    QList<Scope> scopes;
    int durationSeconds = 1800;
};

/** @brief How an IssueRequest is shown: the answers' "scope" field and the access log's text. */
struct ScopePresentation
{
    QJsonArray scope; ///< Cos::CredentialScope::toJson() of SignerCore::credentialScope()
    QString logText; ///< describeScopes(), escaped for the log
};

/** @brief The answer to an IssueRequest. */
struct IssueResult
{
    SignerError error;
    TempCredentials credentials;
    bool cacheHit = false;
    qint64 serverTime = 0; ///< the signer's clock when answering (startTime)
};

/**
 * @brief The signer's logic without HTTP: scope resolution against the grants, policy, cache,
 * back end. Both the cos-signer server and the embedded signer use it.
 */
class SignerCore : public QObject
{
    Q_OBJECT
public:
    /** @brief Takes ownership of @p backend. */
    SignerCore(const SignerConfig &config, StsBackend *backend, QObject *parent = nullptr);
    ~SignerCore() override;

    /** @brief Creates the back end the config names (tencent or s3-sts). */
    static StsBackend *createBackend(const SignerConfig &config, QObject *parent = nullptr);

    /**
     * @brief Everything the grants allow for @p uid, at the default duration; with
     * @p shown, also its presentation(). Both are remembered per caller.
     */
    SignerError defaultRequest(const QString &uid, IssueRequest *out,
                               ScopePresentation *shown = nullptr) const;

    /**
     * @brief Resolves a POST /sts body. Empty body: the default request. Otherwise
     * {"scope":[{"action":[..],"bucket","region","prefix"}],"durationSeconds":N} (or a bare
     * array of scopes). Unknown fields, actions or buckets: 400; outside the grants: 403.
     */
    SignerError resolve(const QString &uid, const QByteArray &body, IssueRequest *out) const;

    /**
     * @brief What keys issued for @p request allow, as clients see it (the "scope" field of
     * the answers): buckets with their full names (CAM: with -APPID), regions, prefixes,
     * action names.
     */
    [[nodiscard]] Cos::CredentialScope credentialScope(const IssueRequest &request) const;

    /** @brief The "scope" field and the access-log text for @p request. */
    [[nodiscard]] ScopePresentation presentation(const IssueRequest &request) const;

    /** @brief The policy the back end will receive for @p request. */
    QByteArray policyFor(const IssueRequest &request, QString *error) const;

    /** @brief Answers synchronously when the cache holds the credentials; false otherwise. */
    bool answerFromCache(const IssueRequest &request, IssueResult *out) const;

    /** @brief Cache or upstream; @p done may run before issue() returns (cache hit). */
    void issue(const IssueRequest &request, std::function<void(const IssueResult &)> done);

    [[nodiscard]] const SignerConfig &config() const { return m_config; }
    [[nodiscard]] StsBackend *backend() const { return m_backend; }
    [[nodiscard]] CredentialCache &cache() { return m_cache; }

private:
    SignerError resolveScope(const QString &uid, const QJsonObject &scope, Scope *out) const;
    QByteArray cacheKey(const IssueRequest &request, const QByteArray &policy) const;

    struct PolicyMemo
    {
        QByteArray policy;
        QByteArray cacheKey;
    };
    const PolicyMemo *memoFor(const IssueRequest &request, QString *error) const;
    static QByteArray callerCacheKey(const PolicyMemo &memo, const QString &uid);

    SignerConfig m_config;
    StsBackend *m_backend;
    CredentialCache m_cache;
    // Policy and cache key per distinct request: both depend only on the (immutable) config,
    // the scopes and the duration, and building them costs more than the rest of a cache hit.
    mutable QHash<QByteArray, PolicyMemo> m_policyMemo;
    // GET /sts and /sign resolve the same default request for a caller every time; keeping it
    // with its presentation spares each cache hit the prefix expansion and the JSON and log
    // text of the scope. Depends only on the uid and the (immutable) config.
    struct DefaultMemo
    {
        IssueRequest request;
        ScopePresentation shown;
    };
    mutable QHash<QString, DefaultMemo> m_defaultMemo;
};

} // namespace Signer
