// LocalWalk: files of a local tree in an S3 listing's order (code points of the relative path),
// read in bounded chunks per folder, with links, loops, single-file and missing starts.
#include "cos/transfer/localwalk.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

bool touch(const QString &path, const QByteArray &body = "x")
{
    QDir().mkpath(path.section(u'/', 0, -2));
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(body) == body.size();
}

struct Walked
{
    QStringList paths;
    QList<LocalEntry::Type> types;
    qint64 maxHeld = 0;
    qint64 passes = 0;
};

Walked walk(LocalWalk &w)
{
    Walked out;
    while (const LocalEntry *e = w.peek()) {
        out.paths.append(e->path);
        out.types.append(e->type);
        out.maxHeld = std::max(out.maxHeld, w.entriesHeld());
        w.advance();
    }
    out.passes = w.passes();
    return out;
}

// The order of an S3 listing: UTF-8 bytes.
QStringList listingOrder(QStringList paths)
{
    std::sort(paths.begin(), paths.end(),
              [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    return paths;
}

} // namespace

class TstLocalWalk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compareKeys_data();
    void compareKeys();
    void listingOrderInChunks_data();
    void listingOrderInChunks();
    void largeFolderStaysBounded();
    void symlinks();
    void startsAndMissing();
};

void TstLocalWalk::compareKeys_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("equal") << u"a/b"_s << u"a/b"_s << 0;
    QTest::newRow("prefix") << u"a"_s << u"a/b"_s << -1;
    QTest::newRow("dot before slash") << u"a.txt"_s << u"a/b"_s << -1;
    QTest::newRow("slash before digit") << u"a/b"_s << u"a0"_s << -1;
    QTest::newRow("ascii before latin-1") << u"z"_s << u"ü"_s << -1;
    // U+FF01 (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) by code point, and in
    // UTF-8; QString::compare says the opposite.
    QTest::newRow("bmp before supplementary") << u"\uFF01"_s << u"\U0001F600"_s << -1;
    QTest::newRow("supplementary after bmp") << u"\U0001F600"_s << u"\uE000"_s << 1;
}

void TstLocalWalk::compareKeys()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(LocalWalk::compareKeys(a, b), expected);
    QCOMPARE(LocalWalk::compareKeys(b, a), -expected);
    QCOMPARE(expected, a.toUtf8() < b.toUtf8() ? -1 : a.toUtf8() == b.toUtf8() ? 0 : 1);
}

void TstLocalWalk::listingOrderInChunks_data()
{
    QTest::addColumn<int>("chunk");
    for (int chunk : {1, 2, 3, 7, 1000})
        QTest::newRow(qPrintable(QString::number(chunk))) << chunk;
}

void TstLocalWalk::listingOrderInChunks()
{
    QFETCH(int, chunk);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList files {u"a.txt"_s,        u"a/x"_s,        u"a/y/z"_s,
                             u"a0"_s,           u"a-b"_s,        u"b"_s,
                             u"ü n+i.txt"_s,    u"\uFF01.txt"_s, u"\U0001F600.txt"_s,
                             u"deep/1/2/3/f"_s, u"deep/1/2/g"_s, u"deep/1.txt"_s,
                             u".hidden"_s,      u"space d/f f"_s};
    for (const QString &f : files)
        QVERIFY(touch(dir.filePath(f)));
    QVERIFY(QDir().mkpath(dir.filePath(u"empty/inner"_s)));
    LocalWalk w(dir.path(), {}, chunk);
    const Walked got = walk(w);
    QCOMPARE(got.paths, listingOrder(files));
    QVERIFY(std::all_of(got.types.cbegin(), got.types.cend(),
                        [](LocalEntry::Type t) { return t == LocalEntry::Type::File; }));
    // At most a chunk per folder on the path (deep/1/2/3 is five folders) and the entry.
    QVERIFY2(got.maxHeld <= 5 * chunk + 1, qPrintable(QString::number(got.maxHeld)));
}

void TstLocalWalk::largeFolderStaysBounded()
{
    QTemporaryDir dir;
    QStringList files;
    for (int i = 0; i < 500; ++i) {
        files.append(u"big/f%1"_s.arg(i));
        QVERIFY(touch(dir.filePath(files.constLast()), QByteArray(i % 7, 'y')));
    }
    LocalWalk w(dir.path(), {}, 16);
    const Walked got = walk(w);
    QCOMPARE(got.paths, listingOrder(files));
    QVERIFY2(got.maxHeld <= 2 * 16 + 1, qPrintable(QString::number(got.maxHeld)));
    // 500 names in chunks of 16: 32 passes over "big", one over the root, and the last check.
    QVERIFY2(got.passes >= 32 && got.passes <= 35, qPrintable(QString::number(got.passes)));
    // Sizes come from the files.
    LocalWalk again(dir.path(), u"big/"_s, 1000);
    while (const LocalEntry *e = again.peek()) {
        QCOMPARE(e->size, QFileInfo(dir.filePath(e->path)).size());
        again.advance();
    }
}

void TstLocalWalk::symlinks()
{
    QTemporaryDir dir;
    QVERIFY(touch(dir.filePath(u"t/real/f"_s)));
    QVERIFY(QFile::link(dir.filePath(u"t/real/f"_s), dir.filePath(u"t/link-file"_s)));
    QVERIFY(QFile::link(dir.filePath(u"t/real"_s), dir.filePath(u"t/link-dir"_s)));
    QVERIFY(QFile::link(dir.filePath(u"t"_s), dir.filePath(u"t/real/loop"_s)));
    QVERIFY(QFile::link(dir.filePath(u"t/nowhere"_s), dir.filePath(u"t/dangling"_s)));
    {
        LocalWalk w(dir.filePath(u"t"_s));
        const Walked got = walk(w);
        QCOMPARE(got.paths,
                 (QStringList {u"dangling"_s, u"link-dir"_s, u"link-file"_s, u"real/f"_s,
                               u"real/loop"_s}));
        QCOMPARE(got.types,
                 (QList<LocalEntry::Type> {LocalEntry::Type::Symlink, LocalEntry::Type::Symlink,
                                           LocalEntry::Type::Symlink, LocalEntry::Type::File,
                                           LocalEntry::Type::Symlink}));
    }
    {
        // Followed: links to files are files, links to folders are walked, a link back to a
        // folder on the path is a loop (Other) and a dangling link is Other.
        LocalWalk w(dir.filePath(u"t"_s), {}, LocalWalk::DefaultChunk, true);
        const Walked got = walk(w);
        QCOMPARE(got.paths,
                 (QStringList {u"dangling"_s, u"link-dir/f"_s, u"link-dir/loop/"_s, u"link-file"_s,
                               u"real/f"_s, u"real/loop/"_s}));
        QCOMPARE(got.types,
                 (QList<LocalEntry::Type> {LocalEntry::Type::Other, LocalEntry::Type::File,
                                           LocalEntry::Type::Other, LocalEntry::Type::File,
                                           LocalEntry::Type::File, LocalEntry::Type::Other}));
    }
}

void TstLocalWalk::startsAndMissing()
{
    QTemporaryDir dir;
    QVERIFY(touch(dir.filePath(u"a.txt"_s)));
    QVERIFY(touch(dir.filePath(u"a.txt.bak"_s)));
    QVERIFY(touch(dir.filePath(u"d/x"_s)));
    QVERIFY(touch(dir.filePath(u"d2/y"_s)));
    {
        LocalWalk w(dir.path(), u"a.txt"_s);
        QCOMPARE(walk(w).paths, QStringList {u"a.txt"_s});
    }
    {
        LocalWalk w(dir.path(), u"d/"_s);
        QCOMPARE(walk(w).paths, QStringList {u"d/x"_s});
    }
    {
        LocalWalk w(dir.path(), u"nothing"_s);
        QCOMPARE(walk(w).paths, QStringList());
        LocalWalk v(dir.path(), u"nothing/"_s);
        QCOMPARE(walk(v).paths, QStringList());
        LocalWalk u(dir.filePath(u"missing"_s));
        QCOMPARE(walk(u).paths, QStringList());
    }
}

QTEST_GUILESS_MAIN(TstLocalWalk)
#include "tst_localwalk.moc"
