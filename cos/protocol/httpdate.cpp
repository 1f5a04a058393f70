#include "cos/protocol/httpdate.h"

#include <QDate>
#include <QList>
#include <QTime>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

int daysInMonth(int year, int month)
{
    return QDate(year, month, 1).daysInMonth();
}

// Reads exactly n digits at pos.
bool digits(QStringView s, qsizetype pos, int n, int *out)
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const QChar c = s.at(pos + i);
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c.unicode() - '0');
    }
    *out = v;
    return true;
}

QDateTime makeUtc(int y, int mo, int d, int h, int mi, int sec, int ms, int offsetSeconds)
{
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60)
        return {};
    if (sec == 60) { // a leap second: keep the instant inside the minute
        sec = 59;
        ms = 999;
    }
    QDateTime dt(QDate(y, mo, d), QTime(h, mi, sec, ms), Qt::UTC);
    if (!dt.isValid())
        return {};
    return dt.addSecs(-offsetSeconds);
}

QDateTime parseIso8601(QStringView s)
{
    int y, mo, d, h, mi, sec;
    if (!digits(s, 0, 4, &y) || s.size() < 19 || s.at(4) != u'-' || !digits(s, 5, 2, &mo)
        || s.at(7) != u'-' || !digits(s, 8, 2, &d))
        return {};
    const QChar t = s.at(10);
    if (t != u'T' && t != u't' && t != u' ')
        return {};
    if (!digits(s, 11, 2, &h) || s.at(13) != u':' || !digits(s, 14, 2, &mi) || s.at(16) != u':'
        || !digits(s, 17, 2, &sec))
        return {};
    qsizetype pos = 19;
    int ms = 0;
    if (pos < s.size() && (s.at(pos) == u'.' || s.at(pos) == u',')) {
        ++pos;
        int n = 0;
        while (pos < s.size() && s.at(pos) >= u'0' && s.at(pos) <= u'9') {
            if (n < 3)
                ms = ms * 10 + (s.at(pos).unicode() - '0');
            ++n;
            ++pos;
        }
        if (n == 0 || n > 9)
            return {};
        for (int i = n; i < 3; ++i)
            ms *= 10;
    }
    int offset = 0;
    if (pos < s.size()) {
        const QChar z = s.at(pos);
        if (z == u'Z' || z == u'z') {
            ++pos;
        } else if (z == u'+' || z == u'-') {
            int oh, om;
            if (!digits(s, pos + 1, 2, &oh))
                return {};
            qsizetype mpos = pos + 3;
            if (mpos < s.size() && s.at(mpos) == u':')
                ++mpos;
            if (!digits(s, mpos, 2, &om) || oh > 23 || om > 59)
                return {};
            offset = (oh * 3600 + om * 60) * (z == u'-' ? -1 : 1);
            pos = mpos + 2;
        } else {
            return {};
        }
    }
    if (pos != s.size())
        return {};
    return makeUtc(y, mo, d, h, mi, sec, ms, offset);
}

QDateTime parseRfc1123(QStringView s)
{
    static constexpr const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QList<QStringView> parts = s.split(u' ', Qt::SkipEmptyParts);
    qsizetype i = 0;
    if (parts.size() == 6) {
        const QStringView day = parts.at(0);
        if (!day.endsWith(u','))
            return {};
        const QStringView name = day.chopped(1);
        if (std::none_of(std::begin(days), std::end(days), [&](const char *n) {
                return name.compare(QLatin1StringView(n), Qt::CaseInsensitive) == 0;
            }))
            return {};
        i = 1;
    } else if (parts.size() != 5) {
        return {};
    }
    int d = 0;
    const QStringView dayText = parts.at(i);
    if ((dayText.size() != 1 && dayText.size() != 2) || !digits(dayText, 0, int(dayText.size()), &d))
        return {};
    int mo = 0;
    for (int m = 0; m < 12; ++m) {
        if (parts.at(i + 1).compare(QLatin1StringView(months[m]), Qt::CaseInsensitive) == 0)
            mo = m + 1;
    }
    int y, h, mi, sec;
    const QStringView year = parts.at(i + 2);
    const QStringView time = parts.at(i + 3);
    if (mo == 0 || year.size() != 4 || !digits(year, 0, 4, &y) || time.size() != 8
        || !digits(time, 0, 2, &h) || time.at(2) != u':' || !digits(time, 3, 2, &mi)
        || time.at(5) != u':' || !digits(time, 6, 2, &sec))
        return {};
    const QStringView zone = parts.at(i + 4);
    if (zone != u"GMT"_s && zone != u"UTC"_s && zone != u"+0000"_s && zone != u"Z"_s)
        return {};
    return makeUtc(y, mo, d, h, mi, sec, 0, 0);
}

} // namespace

QDateTime parseTimestamp(QStringView text)
{
    const QStringView s = text.trimmed();
    if (s.isEmpty())
        return {};
    const QDateTime iso = parseIso8601(s);
    return iso.isValid() ? iso : parseRfc1123(s);
}

} // namespace Cos
