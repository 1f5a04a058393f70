#include "cos/digest/prefixdigest.h"

#include "cos/core/poolcall.h"

#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {
constexpr qint64 ReadSize = 256 * 1024;
}

PrefixDigest::PrefixDigest(const QString &path, qint64 totalSize, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_total(qMax<qint64>(0, totalSize))
{ }

PrefixDigest::~PrefixDigest() = default;

void PrefixDigest::setAvailable(qint64 bytes)
{
    m_available = std::clamp(bytes, m_available, m_total);
    maybeStart();
}

void PrefixDigest::whenDone(QObject *context, std::function<void(const WindowDigest &)> done)
{
    m_waiters.append({context, std::move(done)});
    if (!m_busy && (m_state.hashed == m_total || m_state.error.isError()))
        deliver();
    else
        maybeStart();
}

void PrefixDigest::maybeStart()
{
    if (m_busy || m_state.error.isError() || m_state.hashed >= m_available)
        return;
    if (m_available - m_state.hashed < MinStep && m_available < m_total)
        return;
    m_busy = true;
    runInThreadPool<State>(
            this,
            [path = m_path, state = m_state, end = m_available] {
                return advance(path, state, end);
            },
            [this](const State &state) {
                m_busy = false;
                m_state = state;
                if (m_state.error.isError() || m_state.hashed == m_total)
                    deliver();
                else
                    maybeStart();
            });
}

void PrefixDigest::deliver()
{
    if (m_waiters.isEmpty())
        return;
    WindowDigest digest;
    digest.error = m_state.error;
    if (!digest.error.isError()) {
        digest.md5 = Md5Lanes::finish(m_state.md5,
                                      reinterpret_cast<const uchar *>(m_state.tail.constData()),
                                      m_state.tail.size(), quint64(m_total));
        digest.crc64 = m_state.crc.value();
    }
    const auto waiters = std::exchange(m_waiters, {});
    for (const auto &[context, done] : waiters) {
        if (!context)
            continue;
        // Always from the event loop, as the digest of a worker would come.
        QMetaObject::invokeMethod(
                context.data(), [digest, done = done] { done(digest); }, Qt::QueuedConnection);
    }
}

PrefixDigest::State PrefixDigest::advance(const QString &path, State state, qint64 end)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        state.error = Error(Error::Kind::Io, u"Cannot open %1: %2"_s.arg(path, file.errorString()));
        return state;
    }
    if (!file.seek(state.hashed)) {
        state.error = Error(Error::Kind::Io,
                            u"Cannot seek to byte %1 of %2: %3"_s.arg(state.hashed)
                                    .arg(path, file.errorString()));
        return state;
    }
    // The carried tail first, then whole blocks straight from the read buffer.
    QByteArray buffer(ReadSize + Md5Lanes::BlockSize, Qt::Uninitialized);
    auto *base = reinterpret_cast<uchar *>(buffer.data());
    while (state.hashed < end) {
        const qsizetype carried = state.tail.size();
        std::copy(state.tail.cbegin(), state.tail.cend(), buffer.begin());
        const qint64 want = qMin(ReadSize, end - state.hashed);
        const qint64 got = file.read(buffer.data() + carried, want);
        if (got <= 0) {
            state.error = Error(Error::Kind::Io,
                                u"Cannot read %1 at byte %2: %3"_s.arg(path)
                                        .arg(state.hashed)
                                        .arg(got < 0 ? file.errorString() : u"end of file"_s));
            return state;
        }
        state.crc.update(QByteArrayView(buffer.constData() + carried, got));
        const qsizetype filled = carried + qsizetype(got);
        const qsizetype blocks = filled / Md5Lanes::BlockSize;
        const uchar *p = base;
        Md5Lanes::processBlocks(&state.md5, &p, 1, blocks);
        state.tail = QByteArray(buffer.constData() + blocks * Md5Lanes::BlockSize,
                                filled - blocks * Md5Lanes::BlockSize);
        state.hashed += got;
    }
    return state;
}

} // namespace Cos
