#pragma once

#include "cos/core/credentials.h"
#include "cos/core/error.h"
#include "cos/net/requestjournal.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkRequest;
class QNetworkReply;
QT_END_NAMESPACE

namespace Cos {

class Clock;

/**
 * @brief Where credentials come from: static keys, a signing URL, the embedded signer.
 *
 * Contract: after fetch(), the provider emits fetched() exactly once, never synchronously.
 * fetch() is not called again before that (CredentialCache guarantees single flight), except
 * after cancel(), which drops the fetch in progress without emitting. Providers never log
 * secrets, and their error messages never contain them.
 */
class CredentialProvider : public QObject
{
    Q_OBJECT
public:
    explicit CredentialProvider(QObject *parent = nullptr);
    ~CredentialProvider() override;

    /** @brief A one-line description for UIs and `cosctl credentials`; never a secret. */
    [[nodiscard]] virtual QString description() const = 0;

    /** @brief False when fetching again cannot give other keys (static keys), so a forced
     * refresh on an expiry error would be pointless. */
    [[nodiscard]] virtual bool canRefresh() const { return true; }

    /** @brief Starts a fetch; the result comes through fetched(). */
    virtual void fetch() = 0;

    /** @brief Drops a fetch in progress; fetched() is then not emitted for it. */
    virtual void cancel() { }

    /** @brief The clock that learns from credential start times (may be null). Not owned. */
    void setClock(Clock *clock) { m_clock = clock; }
    [[nodiscard]] Clock *clock() const { return m_clock; }
    /** @brief Where a provider that makes HTTP requests records them (may be null). */
    void setJournal(RequestJournal *journal) { m_journal = journal; }
    [[nodiscard]] RequestJournal *journal() const { return m_journal; }

Q_SIGNALS:
    /** @brief The result of fetch(): credentials, or an error of kind Credentials/Network/... */
    void fetched(const Cos::Credentials &credentials, const Cos::Error &error);

protected:
    Clock *m_clock = nullptr;
    QPointer<RequestJournal> m_journal;
};

/** @brief Permanent (or caller-managed temporary) keys given up front. */
class StaticCredentialProvider : public CredentialProvider
{
    Q_OBJECT
public:
    /** @brief @p sourceName says where the keys came from, e.g. "environment". */
    explicit StaticCredentialProvider(Credentials credentials, QString sourceName = {},
                                      QObject *parent = nullptr);

    [[nodiscard]] QString description() const override;
    [[nodiscard]] bool canRefresh() const override { return false; }
    void fetch() override;

private:
    Credentials m_credentials;
    QString m_sourceName;
};

/**
 * @brief Parses the JSON a signing URL returns into @p out.
 *
 * Accepted shapes:
 *  - legacy cossign / API 2.0: {code, message, codeDesc, data:{credentials:{sessionToken,
 *    tmpSecretId, tmpSecretKey}, expiredTime}}; a non-zero code is an error carrying message
 *    and codeDesc;
 *  - STS SDK 3.x: {credentials:{tmpSecretId, tmpSecretKey, sessionToken}, startTime,
 *    expiredTime, expiration, requestId};
 *  - raw API 3.0: {"Response":{"Credentials":{"Token","TmpSecretId","TmpSecretKey"},
 *    "ExpiredTime", ...}}; a Response.Error {Code, Message} is an error.
 * Times must be 10-digit Unix seconds (a 13-digit millisecond value is rejected by name), the
 * three credential fields non-empty strings. A top-level "scope" (cos-signer: what the keys
 * allow, see CredentialScope) fills Credentials::scope; a malformed one rejects the answer. Errors are of kind Credentials and name fields,
 * never their values.
 */
Error parseCredentialsJson(QByteArrayView json, Credentials *out);

/**
 * @brief Fetches temporary keys with GET from a signing URL (cossign, an STS SDK server or our
 * signer), optionally with "Authorization: Bearer <token>".
 *
 * The startTime of the answer feeds the Clock (as a lower bound of server time).
 * description() shows scheme, host and path only: a query may hold a token.
 */
class UrlCredentialProvider : public CredentialProvider
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 30000;
    static constexpr qsizetype MaxResponseSize = 64 * 1024;

    /** @brief @p manager is not owned and must outlive the provider. */
    UrlCredentialProvider(QNetworkAccessManager *manager, QUrl url, QByteArray bearerToken = {},
                          QObject *parent = nullptr);
    ~UrlCredentialProvider() override;

    [[nodiscard]] QString description() const override;
    void fetch() override;
    void cancel() override;

    /** @brief Transfer timeout of one fetch (default 30 s). */
    void setTimeout(int ms) { m_timeoutMs = ms; }
    [[nodiscard]] const QUrl &url() const { return m_url; }

private:
    void onFinished();
    void recordFetch(const QNetworkRequest &request);
    void recordAnswer(int status, qint64 bodyBytes, const QByteArray &errorBody, const Error &error);

    QNetworkAccessManager *m_manager;
    QUrl m_url;
    QByteArray m_bearerToken;
    int m_timeoutMs = DefaultTimeoutMs;
    QPointer<QNetworkReply> m_reply;
    quint64 m_journalId = 0;
    QElapsedTimer m_fetchTimer;
};

/**
 * @brief The in-process signer (the signer library), seen as a provider.
 *
 * The signer library subclasses this and implements fetch() by asking its signer core for
 * temporary keys (no HTTP in between) and emitting fetched(). Nothing here depends on the signer
 * library; the app wires an implementation in when it bundles the signer.
 */
class EmbeddedSignerProvider : public CredentialProvider
{
    Q_OBJECT
public:
    using CredentialProvider::CredentialProvider;
    [[nodiscard]] QString description() const override;
};

/**
 * @brief Caches the provider's credentials and hands them to requests: single flight, refresh
 * margin, forced refresh.
 *
 * @verbatim
 *                     request()
 *      +---------+ -------------> +----------+  fetched(ok)   +---------+
 *      |  Empty  |                | Fetching | -------------> |  Valid  |
 *      +---------+ <------------- +----------+                +---------+
 *           ^     fetched(error)    ^  |  waiters parked;          |  |
 *           |     or fetch timeout  |  |  all flushed at once      |  | request() with fewer than
 *           |     (waiters get the  |  |                           |  | margin seconds left, or
 *           |      error)           |  +---------------------------+  | invalidate(current keys)
 *           |                       +---------------------------------+
 *           +------------------------------ invalidate() -------------+
 * @endverbatim
 *
 * request() answers at once (synchronously) while the cached keys have more than the margin
 * left: min(refreshMargin, lifetime / 2), so keys that live only a few seconds are still used.
 * Otherwise the callback is parked and exactly one provider fetch runs for all parked callbacks
 * (the iOS "fence queue"); a fetch that takes longer than fetchTimeout fails them all.
 * invalidate(rejected) drops the cached keys only when they are still the rejected ones, so many
 * jobs that fail with ExpiredToken at once cause one fetch, not many.
 */
class CredentialCache : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultFetchTimeoutMs = 120000;
    static constexpr int DefaultRefreshMarginSeconds = 60;

    using Callback = std::function<void(const Credentials &, const Error &)>;

    /** @brief @p provider is not owned; @p clock (not owned) gives "now" for expiry checks. */
    CredentialCache(CredentialProvider *provider, Clock *clock, QObject *parent = nullptr);
    ~CredentialCache() override;

    /**
     * @brief Calls @p callback with valid credentials or an error; synchronously when cached
     * keys are valid, else after the fetch. Not called when @p context is destroyed first.
     */
    void request(QObject *context, Callback callback);

    /** @brief The cached keys when they are valid now (more than the margin left). */
    [[nodiscard]] std::optional<Credentials> current() const;
    /** @brief The cached keys regardless of validity (for display). */
    [[nodiscard]] std::optional<Credentials> cached() const { return m_credentials; }

    /** @brief Forgets the cached keys; the next request() fetches. */
    void invalidate();
    /** @brief Forgets the cached keys if they are @p rejected; returns true if it did. */
    bool invalidate(const Credentials &rejected);

    /** @brief Starts a fetch now unless one is running (e.g. to prefetch). */
    void refresh();

    void setFetchTimeout(int ms) { m_fetchTimeoutMs = ms; }
    [[nodiscard]] int fetchTimeout() const { return m_fetchTimeoutMs; }
    [[nodiscard]] int refreshMargin() const { return m_refreshMarginSeconds; }

    [[nodiscard]] CredentialProvider *provider() const { return m_provider; }
    [[nodiscard]] bool isFetching() const { return m_fetching; }
    /** @brief Number of provider fetches started so far (diagnostics, tests). */
    [[nodiscard]] int fetchCount() const { return m_fetchCount; }

Q_SIGNALS:
    /** @brief New credentials were adopted. */
    void credentialsChanged();
    /** @brief A fetch failed (also reported to each waiter). */
    void fetchFailed(const Cos::Error &error);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };

    [[nodiscard]] bool isUsable(const Credentials &c) const;
    void startFetch();
    void onFetched(const Credentials &credentials, const Error &error);
    void onTimeout();
    void flush(const Credentials &credentials, const Error &error);

    QPointer<CredentialProvider> m_provider;
    Clock *m_clock;
    std::optional<Credentials> m_credentials;
    qint64 m_fetchedAtSeconds = 0;
    QList<Waiter> m_waiters;
    QTimer m_timeout;
    bool m_fetching = false;
    int m_fetchCount = 0;
    int m_fetchTimeoutMs = DefaultFetchTimeoutMs;
    int m_refreshMarginSeconds = DefaultRefreshMarginSeconds;
};

} // namespace Cos
