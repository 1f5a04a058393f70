#include "cos/net/clock.h"

#include "cos/protocol/httpdate.h"

#include <QByteArray>
#include <QDateTime>

#include <cstdlib>

using namespace Qt::StringLiterals;

namespace Cos {

qint64 Clock::deviceMSecs() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_testSkewMs.load();
}

qint64 Clock::nowMSecs() const
{
    return deviceMSecs() + m_offsetMs.load();
}

QDateTime Clock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(nowMSecs(), Qt::UTC);
}

bool Clock::adjustToServerTime(const QDateTime &serverTime, qint64 thresholdSeconds)
{
    if (!serverTime.isValid())
        return false;
    m_serverTimeSeen.store(true);
    const qint64 server = serverTime.toMSecsSinceEpoch();
    const qint64 diff = server - nowMSecs();
    if (std::llabs(diff) < thresholdSeconds * 1000)
        return false;
    m_offsetMs.store(server - deviceMSecs());
    return true;
}

bool Clock::adjustToDateHeader(const QByteArray &dateHeader, qint64 thresholdSeconds)
{
    if (dateHeader.isEmpty())
        return false;
    return adjustToServerTime(parseTimestamp(QString::fromLatin1(dateHeader)), thresholdSeconds);
}

bool Clock::adjustToCredentialStart(qint64 startTimeSeconds)
{
    if (startTimeSeconds <= 0)
        return false;
    // Only "we are behind" is evidence: the issuer may hand out keys it cached minutes ago.
    if (startTimeSeconds * 1000 - nowMSecs() < PassiveThresholdSeconds * 1000)
        return false;
    m_offsetMs.store(startTimeSeconds * 1000 - deviceMSecs());
    return true;
}

} // namespace Cos
