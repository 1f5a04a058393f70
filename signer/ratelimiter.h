#pragma once

#include <QHash>
#include <QString>

namespace Signer {

/**
 * @brief Token bucket per client: @p ratePerSecond sustained, @p burst at once.
 *
 * The table is bounded: when it grows past maxClients, buckets that have refilled completely
 * (clients that went quiet) are dropped first, then arbitrary ones.
 */
class RateLimiter
{
public:
    RateLimiter(double ratePerSecond, int burst, int maxClients = 10000);

    /** @brief Takes one token for @p client; false (and the seconds to wait) when none is left. */
    bool allow(const QString &client, qint64 nowMs, int *retryAfterSeconds = nullptr);
    [[nodiscard]] int size() const { return int(m_buckets.size()); }

private:
    struct Bucket
    {
        double tokens;
        qint64 lastMs;
    };
    double m_rate;
    double m_burst;
    int m_maxClients;
    QHash<QString, Bucket> m_buckets;
};

} // namespace Signer
