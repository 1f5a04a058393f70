#pragma once

#include "stsbackend.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <functional>

namespace Signer {

/**
 * @brief Temporary credentials per (back end, policy, duration), with single flight.
 *
 * An entry is handed out while more than the margin of its lifetime remains. While one
 * upstream call for a key is running, further requests for the same key wait for it instead
 * of starting their own (the iOS SDK's "fence queue" idea). The number of entries is bounded;
 * expired entries go first, then the oldest.
 */
class CredentialCache
{
public:
    using Callback = std::function<void(const Cos::Error &, const TempCredentials &, bool hit)>;
    using Fetcher = std::function<void(StsBackend::Callback)>;

    explicit CredentialCache(int marginSeconds = 300, int maxEntries = 4096);

    static QByteArray makeKey(const QString &backendId, const QByteArray &policy, int duration);

    /** @brief The cached credentials if more than the margin remains at @p now. */
    [[nodiscard]] const TempCredentials *lookup(const QByteArray &key, qint64 now) const;

    /**
     * @brief Answers from the cache, or joins/starts the single upstream call for @p key.
     * @p done runs synchronously on a hit, later otherwise.
     */
    void get(const QByteArray &key, qint64 now, const Fetcher &fetch, Callback done);

    [[nodiscard]] int margin() const { return m_margin; }
    [[nodiscard]] int size() const { return int(m_entries.size()); }
    [[nodiscard]] int inFlight() const { return int(m_waiters.size()); }
    /** @brief Upstream calls started since construction (for tests and /healthz). */
    [[nodiscard]] quint64 upstreamCalls() const { return m_upstreamCalls; }
    void clear() { m_entries.clear(); }

private:
    void insert(const QByteArray &key, const TempCredentials &creds, qint64 now);

    int m_margin;
    int m_maxEntries;
    quint64 m_upstreamCalls = 0;
    QHash<QByteArray, TempCredentials> m_entries;
    QHash<QByteArray, QList<Callback>> m_waiters;
};

} // namespace Signer
