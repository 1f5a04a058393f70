#include "cos/transfer/filewindowdevice.h"

using namespace Qt::StringLiterals;

namespace Cos {

FileWindowDevice::FileWindowDevice(const QString &fileName, qint64 offset, qint64 size,
                                   QObject *parent)
    : QIODevice(parent)
    , m_file(fileName)
    , m_offset(qMax<qint64>(0, offset))
    , m_size(qMax<qint64>(0, size))
{ }

FileWindowDevice::~FileWindowDevice() = default;

bool FileWindowDevice::open(OpenMode mode)
{
    if ((mode & WriteOnly) || !(mode & ReadOnly)) {
        setErrorString(u"FileWindowDevice is read-only"_s);
        return false;
    }
    // Unbuffered: the socket pulls large blocks anyway, and a read-ahead buffer would hide a
    // file truncated under us.
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        setErrorString(u"Cannot open %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        return false;
    }
    if (m_file.size() < m_offset + m_size) {
        setErrorString(u"%1 has %2 bytes, fewer than the %3 this window needs (did it change?)"_s
                               .arg(m_file.fileName())
                               .arg(m_file.size())
                               .arg(m_offset + m_size));
        m_file.close();
        return false;
    }
    if (!m_file.seek(m_offset)) {
        setErrorString(u"Cannot seek in %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        m_file.close();
        return false;
    }
    // Unbuffered: QNAM copies into its own socket buffer; a second QIODevice buffer would only
    // double the copies.
    return QIODevice::open(mode | Unbuffered);
}

void FileWindowDevice::close()
{
    QIODevice::close();
    m_file.close();
}

bool FileWindowDevice::seek(qint64 pos)
{
    if (pos < 0 || pos > m_size || !m_file.isOpen())
        return false;
    if (!m_file.seek(m_offset + pos))
        return false;
    return QIODevice::seek(pos);
}

bool FileWindowDevice::atEnd() const
{
    return pos() >= m_size;
}

qint64 FileWindowDevice::readData(char *data, qint64 maxSize)
{
    const qint64 left = m_size - pos();
    if (left <= 0)
        return -1;
    const qint64 want = qMin(maxSize, left);
    const qint64 got = m_file.read(data, want);
    if (got < 0) {
        setErrorString(u"Read error in %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        return -1;
    }
    if (got == 0) {
        setErrorString(u"%1 ended inside the window (it was truncated)"_s.arg(m_file.fileName()));
        return -1;
    }
    return got;
}

qint64 FileWindowDevice::writeData(const char *, qint64)
{
    return -1;
}

} // namespace Cos
