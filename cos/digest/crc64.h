#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Cos {

/**
 * @brief CRC-64/XZ, the CRC that COS sends and checks in x-cos-hash-crc64ecma.
 *
 * ECMA-182 polynomial, reflected, init and xorout all ones (check value for "123456789":
 * 11051210869376104954). Carry-less multiplication folding on x86-64 CPUs with PCLMULQDQ
 * (chosen at run time), slicing-by-16 tables elsewhere and for short inputs. Streaming: update()
 * any number of times; value() is the CRC of everything so far. Defined by tests/data/vectors/crc64.json.
 */
class Crc64
{
public:
    /** @brief Feeds the next bytes. */
    void update(QByteArrayView data);
    /** @brief The CRC of all bytes fed so far (0 when none). */
    [[nodiscard]] quint64 value() const { return m_crc; }

    /** @brief The CRC of @p data in one call. */
    [[nodiscard]] static quint64 compute(QByteArrayView data);
    /**
     * @brief The CRC of A followed by B from crc(A), crc(B) and B's length (zlib-style).
     *
     * With @p lengthB <= 0 the result is @p crcA. Cost is O(log lengthB), independent of data.
     */
    [[nodiscard]] static quint64 combine(quint64 crcA, quint64 crcB, qint64 lengthB);
    /** @brief The header form: unsigned decimal, no leading zeros ("0" for 0). */
    [[nodiscard]] static QByteArray toDecimal(quint64 crc);

private:
    quint64 m_crc = 0;
};

} // namespace Cos
