#pragma once

#include <QtGlobal>

#include <atomic>

QT_BEGIN_NAMESPACE
class QByteArray;
class QDateTime;
QT_END_NAMESPACE

namespace Cos {

/**
 * @brief The engine's notion of "now": the device clock corrected by an offset to server time.
 *
 * now = system time + test skew + offset. The offset is learnt from the server: the HTTP Date
 * header of any response, <ServerTime> in an error body, or the startTime of temporary
 * credentials (a lower bound only: a credential cannot start in the future). Signers take their
 * time from here, so a device clock that is minutes off still produces valid signatures after
 * one round trip.
 *
 * Thread-safe (atomics); one Clock per Client.
 */
class Clock
{
public:
    /** @brief Offsets smaller than this are not adopted from ordinary responses (Date has 1 s
     * resolution and latency adds more; iOS uses 60 s). */
    static constexpr qint64 PassiveThresholdSeconds = 60;
    /** @brief On a skew error the offset counts as changed when it moved by more than this. */
    static constexpr qint64 SkewErrorThresholdSeconds = 2;

    /** @brief Corrected time, Unix milliseconds. */
    [[nodiscard]] qint64 nowMSecs() const;
    /** @brief Corrected time, Unix seconds (what signers use). */
    [[nodiscard]] qint64 nowSeconds() const { return nowMSecs() / 1000; }
    /** @brief Corrected time as a UTC QDateTime. */
    [[nodiscard]] QDateTime now() const;
    /** @brief The device's own time (system time plus the test skew), Unix milliseconds. */
    [[nodiscard]] qint64 deviceMSecs() const;

    /** @brief The learnt offset to server time in milliseconds (server - device). */
    [[nodiscard]] qint64 offsetMSecs() const { return m_offsetMs.load(); }
    /** @brief Whether a server time (Date header or <ServerTime>) was seen at all, so that
     * now() is known to be the server's time (the offset may still be 0). */
    [[nodiscard]] bool hasServerTime() const { return m_serverTimeSeen.load(); }

    /**
     * @brief Adopts @p serverTime as the current server time when the corrected clock differs
     * from it by at least @p thresholdSeconds. Returns true when the offset changed.
     * An invalid QDateTime is ignored.
     */
    bool adjustToServerTime(const QDateTime &serverTime,
                            qint64 thresholdSeconds = PassiveThresholdSeconds);

    /** @brief As adjustToServerTime(), from an HTTP Date header (RFC 1123). */
    bool adjustToDateHeader(const QByteArray &dateHeader,
                            qint64 thresholdSeconds = PassiveThresholdSeconds);

    /**
     * @brief Uses the start of a credential's validity (Unix seconds) as a lower bound of
     * server time: adopts it only when the corrected clock is more than the passive threshold
     * behind it. A startTime in the past says nothing (the issuer may have cached the keys).
     */
    bool adjustToCredentialStart(qint64 startTimeSeconds);

    /**
     * @brief Test hook: pretends the device clock is off by @p seconds (positive: ahead).
     * Does not touch the learnt offset, so the engine must discover the skew itself.
     */
    void setSkewForTesting(qint64 seconds) { m_testSkewMs.store(seconds * 1000); }
    [[nodiscard]] qint64 skewForTesting() const { return m_testSkewMs.load() / 1000; }

private:
    std::atomic<qint64> m_offsetMs {0};
    std::atomic<qint64> m_testSkewMs {0};
    std::atomic<bool> m_serverTimeSeen {false};
};

} // namespace Cos
