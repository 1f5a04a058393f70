#include "cos/transfer/partplan.h"

using namespace Qt::StringLiterals;

namespace Cos {

const QList<qint64> &PartPlan::partSizeTable()
{
    static const QList<qint64> table = [] {
        QList<qint64> t;
        for (qint64 s = 1; s <= 4096; s *= 2)
            t.append(s * MiB);
        t.append(5120 * MiB);
        return t;
    }();
    return table;
}

qint64 PartPlan::choosePartSize(qint64 totalSize, qint64 preferredPartSize)
{
    if (totalSize < 0)
        return 0;
    for (const qint64 size : partSizeTable()) {
        if (size < preferredPartSize)
            continue;
        // ceil(totalSize / size) <= MaxParts, written without overflow
        if ((totalSize + size - 1) / size <= MaxParts)
            return size;
    }
    return 0;
}

PartPlan PartPlan::forUpload(qint64 totalSize, qint64 multipartThreshold, qint64 preferredPartSize,
                             Error *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = Error(Error::Kind::InvalidInput, message);
        return PartPlan();
    };
    if (error)
        *error = Error();
    if (totalSize < 0)
        return fail(u"File size %1 is negative"_s.arg(totalSize));
    if (multipartThreshold < 0 || multipartThreshold > MaxSinglePut)
        return fail(u"Multipart threshold %1 is outside 0..%2 bytes"_s.arg(multipartThreshold)
                            .arg(MaxSinglePut));
    if (totalSize > MaxObjectSize)
        return fail(
                u"File of %1 bytes is larger than the %2 bytes multipart can carry"_s.arg(totalSize)
                        .arg(MaxObjectSize));
    PartPlan plan;
    plan.m_totalSize = totalSize;
    // An empty file is always one PUT: multipart needs at least one part of >= 1 byte.
    if (totalSize == 0 || totalSize < multipartThreshold)
        return plan;
    plan.m_partSize = choosePartSize(totalSize, qBound(MinPartSize, preferredPartSize, MaxPartSize));
    return plan;
}

PartPlan PartPlan::withPartSize(qint64 totalSize, qint64 partSize)
{
    PartPlan plan;
    if (totalSize <= 0 || partSize < MinPartSize || partSize > MaxPartSize
        || (totalSize + partSize - 1) / partSize > MaxParts)
        return plan;
    plan.m_totalSize = totalSize;
    plan.m_partSize = partSize;
    return plan;
}

int PartPlan::partCount() const
{
    if (m_partSize <= 0 || m_totalSize <= 0)
        return 0;
    return int((m_totalSize + m_partSize - 1) / m_partSize);
}

qint64 PartPlan::partOffset(int partNumber) const
{
    return m_partSize * (partNumber - 1);
}

qint64 PartPlan::partLength(int partNumber) const
{
    if (partNumber < 1 || partNumber > partCount())
        return 0;
    return qMin(m_partSize, m_totalSize - partOffset(partNumber));
}

QList<std::pair<qint64, qint64>> splitRanges(qint64 totalSize, qint64 rangeSize)
{
    QList<std::pair<qint64, qint64>> ranges;
    if (totalSize <= 0 || rangeSize <= 0)
        return ranges;
    for (qint64 first = 0; first < totalSize; first += rangeSize)
        ranges.append({first, qMin(first + rangeSize, totalSize) - 1});
    return ranges;
}

QList<FileWindow> PartPlan::windows() const
{
    QList<FileWindow> out;
    out.reserve(partCount());
    for (int n = 1; n <= partCount(); ++n)
        out.append(FileWindow {partOffset(n), partLength(n)});
    return out;
}

} // namespace Cos
