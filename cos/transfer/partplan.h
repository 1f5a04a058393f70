#pragma once

#include "cos/core/error.h"
#include "cos/digest/filedigest.h"

#include <QList>
#include <QtGlobal>

namespace Cos {

/**
 * @brief How a file of a given size is uploaded: one PUT, or multipart with a fixed part size.
 *
 * The part size is the smallest entry of the table 1, 2, 4, 8, ..., 4096, 5120 MiB (the
 * doubling table of cos-js-sdk-v5) that is at least the preferred part size and keeps the part
 * count at or below 10 000. Every part but the last has exactly partSize bytes; the last has
 * the rest (at least 1 byte). Part numbers start at 1.
 */
class PartPlan
{
public:
    static constexpr qint64 MiB = 1024 * 1024;
    static constexpr qint64 MinPartSize = 1 * MiB; ///< COS's lower bound for non-last parts
    static constexpr qint64 MaxPartSize = 5120 * MiB; ///< COS and S3: 5 GiB
    static constexpr int MaxParts = 10000;
    static constexpr qint64 MaxSinglePut = 5LL * 1024 * MiB; ///< PUT Object limit: 5 GiB
    /** @brief The largest object multipart can carry: 10 000 parts of 5 GiB. */
    static constexpr qint64 MaxObjectSize = MaxPartSize * MaxParts;

    /** @brief Files of at least this many bytes go multipart by default. */
    static constexpr qint64 DefaultMultipartThreshold = 16 * MiB;
    /** @brief The part size preferred by default: 512 MiB uploads to RGW were 10 to 15% faster
     * with 16 MiB parts than with 8 MiB, and larger parts did not help further
     * (docs/benchmarks.md, Transfers). */
    static constexpr qint64 DefaultPartSize = 16 * MiB;

    /** @brief The part size table in bytes, ascending. */
    [[nodiscard]] static const QList<qint64> &partSizeTable();

    /**
     * @brief The part size for @p totalSize bytes: the smallest table entry that is
     * >= @p preferredPartSize and keeps the count <= MaxParts; 0 when the object is too large.
     */
    [[nodiscard]] static qint64 choosePartSize(qint64 totalSize,
                                               qint64 preferredPartSize = DefaultPartSize);

    /**
     * @brief Plans an upload of @p totalSize bytes: single PUT below @p multipartThreshold,
     * multipart at or above it. @p error (optional) receives an InvalidInput error for a
     * negative size, a threshold above 5 GiB, or an object larger than MaxObjectSize; the plan
     * is then invalid.
     */
    [[nodiscard]] static PartPlan forUpload(qint64 totalSize,
                                            qint64 multipartThreshold = DefaultMultipartThreshold,
                                            qint64 preferredPartSize = DefaultPartSize,
                                            Error *error = nullptr);

    /** @brief A multipart plan with an explicit part size (a resumed checkpoint's). */
    [[nodiscard]] static PartPlan withPartSize(qint64 totalSize, qint64 partSize);

    [[nodiscard]] bool isValid() const { return m_totalSize >= 0; }
    [[nodiscard]] bool isMultipart() const { return m_partSize > 0; }
    [[nodiscard]] qint64 totalSize() const { return m_totalSize; }
    /** @brief 0 for a single PUT. */
    [[nodiscard]] qint64 partSize() const { return m_partSize; }
    /** @brief 0 for a single PUT; at least 1 for multipart. */
    [[nodiscard]] int partCount() const;
    /** @brief Byte offset of part @p partNumber (1-based). */
    [[nodiscard]] qint64 partOffset(int partNumber) const;
    /** @brief Length of part @p partNumber (1-based); 0 when out of range. */
    [[nodiscard]] qint64 partLength(int partNumber) const;
    /** @brief Every part's bytes of the file, part n at index n - 1. */
    [[nodiscard]] QList<FileWindow> windows() const;

private:
    qint64 m_totalSize = -1;
    qint64 m_partSize = 0;
};

/**
 * @brief Splits [0, totalSize) into ranges of @p rangeSize for parallel ranged GETs.
 *
 * Returned as (first, lastInclusive) pairs; empty for a size of 0.
 */
QList<std::pair<qint64, qint64>> splitRanges(qint64 totalSize, qint64 rangeSize);

} // namespace Cos
