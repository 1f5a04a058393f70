#pragma once

#include "cos/core/error.h"

#include <QFile>
#include <QIODevice>

namespace Cos {

/**
 * @brief A read-only, seekable QIODevice over the bytes [offset, offset + size) of a file.
 *
 * The request body of one upload part (Nextcloud's UploadDevice): QNetworkAccessManager pulls
 * the bytes as it sends them, so memory stays at its small socket buffer whatever the part
 * size. Non-sequential, so a retry or an HTTP redirect can reset() it and send it again. Each
 * device opens its own QFile, so several parts in flight never share a file position.
 *
 * A file that shrinks under the window is reported as a read error (readData returns -1), never
 * as a short body: a short body would make the server wait for bytes that never come.
 */
class FileWindowDevice : public QIODevice
{
    Q_OBJECT

public:
    FileWindowDevice(const QString &fileName, qint64 offset, qint64 size, QObject *parent = nullptr);
    ~FileWindowDevice() override;

    /** @brief Opens the file read-only; false with errorString() set when it cannot. */
    bool open(OpenMode mode) override;
    void close() override;

    [[nodiscard]] bool isSequential() const override { return false; }
    [[nodiscard]] qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;
    [[nodiscard]] bool atEnd() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QFile m_file;
    qint64 m_offset;
    qint64 m_size;
};

} // namespace Cos
