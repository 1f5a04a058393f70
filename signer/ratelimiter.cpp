#include "ratelimiter.h"

#include <cmath>

namespace Signer {

RateLimiter::RateLimiter(double ratePerSecond, int burst, int maxClients)
    : m_rate(ratePerSecond)
    , m_burst(qMax(1, burst))
    , m_maxClients(qMax(1, maxClients))
{ }

bool RateLimiter::allow(const QString &client, qint64 nowMs, int *retryAfterSeconds)
{
    if (m_rate <= 0)
        return true;
    auto it = m_buckets.find(client);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_maxClients) {
            for (auto i = m_buckets.begin(); i != m_buckets.end();) {
                const double refilled = i->tokens + (nowMs - i->lastMs) * m_rate / 1000.0;
                i = refilled >= m_burst ? m_buckets.erase(i) : std::next(i);
            }
            while (m_buckets.size() >= m_maxClients)
                m_buckets.erase(m_buckets.begin());
        }
        it = m_buckets.insert(client, Bucket {m_burst, nowMs});
    }
    Bucket &b = *it;
    b.tokens = qMin(m_burst, b.tokens + qMax<qint64>(0, nowMs - b.lastMs) * m_rate / 1000.0);
    b.lastMs = nowMs;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    if (retryAfterSeconds)
        *retryAfterSeconds = qMax(1, int(std::ceil((1.0 - b.tokens) / m_rate)));
    return false;
}

} // namespace Signer
