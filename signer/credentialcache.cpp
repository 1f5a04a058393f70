#include "credentialcache.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace Signer {

CredentialCache::CredentialCache(int marginSeconds, int maxEntries)
    : m_margin(marginSeconds)
    , m_maxEntries(qMax(1, maxEntries))
{ }

QByteArray CredentialCache::makeKey(const QString &backendId, const QByteArray &policy, int duration)
{
    // Hashing keeps the key small however large the policy is.
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(backendId.toUtf8());
    h.addData(QByteArrayView("\n", 1));
    h.addData(policy);
    h.addData(QByteArrayView("\n", 1));
    h.addData(QByteArray::number(duration));
    return h.result();
}

const TempCredentials *CredentialCache::lookup(const QByteArray &key, qint64 now) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend() || it->expiredTime - now <= m_margin)
        return nullptr;
    return &*it;
}

void CredentialCache::get(const QByteArray &key, qint64 now, const Fetcher &fetch, Callback done)
{
    if (const TempCredentials *hit = lookup(key, now)) {
        done({}, *hit, true);
        return;
    }
    auto waiting = m_waiters.find(key);
    if (waiting != m_waiters.end()) {
        waiting->append(std::move(done));
        return;
    }
    m_waiters.insert(key, {std::move(done)});
    ++m_upstreamCalls;
    fetch([this, key](const Cos::Error &error, const TempCredentials &creds) {
        if (!error)
            insert(key, creds, QDateTime::currentSecsSinceEpoch());
        const QList<Callback> waiters = m_waiters.take(key);
        for (const Callback &cb : waiters)
            cb(error, creds, false);
    });
}

void CredentialCache::insert(const QByteArray &key, const TempCredentials &creds, qint64 now)
{
    if (creds.expiredTime - now <= m_margin) {
        // Never reusable: do not keep it (and do not evict something useful for it).
        m_entries.remove(key);
        return;
    }
    if (m_entries.size() >= m_maxEntries && !m_entries.contains(key)) {
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->expiredTime - now <= m_margin)
                it = m_entries.erase(it);
            else
                ++it;
        }
        while (m_entries.size() >= m_maxEntries) {
            auto oldest = m_entries.begin();
            for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
                if (it->issuedAt < oldest->issuedAt)
                    oldest = it;
            }
            m_entries.erase(oldest);
        }
    }
    m_entries.insert(key, creds);
}

} // namespace Signer
