#include "pickedfilestager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QPromise>
#include <QStandardPaths>
#include <QThreadPool>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// What QFile is given for @p url: a local path, ":/..." for Qt resources, and the URL itself
// for everything else (on Android, Qt's content file engine opens "content://..." names).
QString fileEngineName(const QUrl &url)
{
    if (url.isLocalFile())
        return url.toLocalFile();
    if (url.scheme() == "qrc"_L1)
        return u":"_s + url.path();
    return url.toString();
}

// A file name for the copy and the object: the engine's name for the file, else the URL's
// last segment; never a path separator, a control character, "." or "..".
QString safeName(const QUrl &url, const QString &engineName)
{
    QString name = QFileInfo(engineName).fileName();
    if (name.isEmpty())
        name = url.fileName();
    QString out;
    out.reserve(name.size());
    for (const QChar c : std::as_const(name)) {
        if (c == u'/' || c == u'\\' || c.category() == QChar::Other_Control)
            out += u'_';
        else
            out += c;
    }
    if (out.isEmpty() || out == "."_L1 || out == ".."_L1)
        out = u"upload"_s;
    return out;
}

bool isInside(const QString &path, const QString &dir)
{
    const QString p = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString d = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    return p.startsWith(d + u'/');
}

} // namespace

PickedFileStager::PickedFileStager(const QString &cacheDir, bool copyLocalFiles, QObject *parent)
    : QObject(parent)
    , m_cacheDir(QDir::cleanPath(cacheDir))
    , m_copyLocalFiles(copyLocalFiles)
{ }

PickedFileStager::~PickedFileStager()
{
    m_cancelled->store(true);
}

PickedFileStager *PickedFileStager::createForPlatform(QObject *parent)
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    const bool copyLocal = true;
#else
    const bool copyLocal = false;
#endif
    return new PickedFileStager(cache + u"/picked"_s, copyLocal, parent);
}

bool PickedFileStager::needsCopy(const QUrl &url) const
{
    return !url.isLocalFile() || m_copyLocalFiles;
}

PickedFileStager::Staged PickedFileStager::stageOne(const QUrl &url, const QString &cacheDir,
                                                    bool copyLocalFiles,
                                                    const std::atomic_bool *cancelled)
{
    Staged s;
    s.source = url;
    const QString engineName = fileEngineName(url);
    const QString shown = url.isLocalFile() ? engineName : url.toDisplayString();
    s.name = safeName(url, engineName);
    const QFileInfo info(engineName);
    if (url.isLocalFile() && !copyLocalFiles) {
        if (!info.isFile() || !info.isReadable()) {
            s.error = PickedFileStager::tr("Cannot read %1: not a readable file.").arg(shown);
            return s;
        }
        s.localPath = info.absoluteFilePath();
        s.size = info.size();
        return s;
    }
    QFile in(engineName);
    if (!in.open(QIODevice::ReadOnly)) {
        s.error = PickedFileStager::tr("Cannot read %1: %2").arg(shown, in.errorString());
        return s;
    }
    const QString folder = cacheDir + u'/' + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!QDir().mkpath(folder)) {
        s.error = PickedFileStager::tr("Cannot copy %1: cannot create %2.").arg(shown, folder);
        return s;
    }
    const QString target = folder + u'/' + s.name;
    QFile out(target);
    auto fail = [&](const QString &why) {
        out.remove();
        QDir(folder).removeRecursively();
        s.error = PickedFileStager::tr("Cannot copy %1 for upload: %2").arg(shown, why);
        return s;
    };
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(out.errorString());
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        if (cancelled && cancelled->load())
            return fail(PickedFileStager::tr("cancelled"));
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(in.errorString());
        if (n == 0)
            break;
        if (out.write(buffer.constData(), n) != n)
            return fail(out.errorString());
        total += n;
    }
    if (!out.flush())
        return fail(out.errorString());
    out.close();
    s.localPath = target;
    s.size = total;
    s.copied = true;
    return s;
}

void PickedFileStager::stage(const QList<QUrl> &urls, Done done)
{
    if (std::none_of(urls.cbegin(), urls.cend(), [this](const QUrl &u) { return needsCopy(u); })) {
        QList<Staged> out;
        out.reserve(urls.size());
        for (const QUrl &u : urls)
            out.append(stageOne(u, m_cacheDir, m_copyLocalFiles));
        done(out);
        return;
    }
    auto promise = std::make_shared<QPromise<QList<Staged>>>();
    QFuture<QList<Staged>> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, urls, dir = m_cacheDir,
                                          copyLocal = m_copyLocalFiles, cancelled = m_cancelled] {
        QList<Staged> out;
        out.reserve(urls.size());
        for (const QUrl &u : urls)
            out.append(stageOne(u, dir, copyLocal, cancelled.get()));
        promise->addResult(out);
        promise->finish();
    });
    // The continuation runs on this object's thread and is dropped if this object goes first.
    future.then(this, [done = std::move(done)](const QList<Staged> &staged) { done(staged); });
}

bool PickedFileStager::isStagedCopy(const QString &localPath) const
{
    return !localPath.isEmpty() && isInside(localPath, m_cacheDir);
}

bool PickedFileStager::release(const QString &localPath) const
{
    if (!isStagedCopy(localPath))
        return false;
    // Each copy has a folder of its own directly below the cache folder.
    const QString folder = QFileInfo(localPath).absolutePath();
    if (QFileInfo(folder).absolutePath() != QFileInfo(m_cacheDir).absoluteFilePath())
        return false;
    return QDir(folder).removeRecursively();
}

int PickedFileStager::prune(const QStringList &inUse) const
{
    QStringList keep;
    for (const QString &path : inUse) {
        if (isStagedCopy(path))
            keep.append(QFileInfo(path).absolutePath());
    }
    int removed = 0;
    const QDir cache(m_cacheDir);
    const QStringList folders = cache.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &f : folders) {
        const QString folder = cache.absoluteFilePath(f);
        if (!keep.contains(folder) && QDir(folder).removeRecursively())
            ++removed;
    }
    return removed;
}
