#include "cos/digest/partdigests.h"

#include "cos/digest/crc64.h"
#include "cos/digest/digestpool.h"
#include "cos/transfer/partplan.h"

#include <QCryptographicHash>
#include <algorithm>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Cos::PartDigestQueue;
using Cos::PartPlan;
using Cos::WindowDigest;

class TstPartDigests : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 kPartSize = 1024 * 1024;

    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_data;
    PartPlan m_plan;

    QByteArray md5Of(int part) const
    {
        return QCryptographicHash::hash(m_data.mid(m_plan.partOffset(part), m_plan.partLength(part)),
                                        QCryptographicHash::Md5);
    }

    quint64 crcOf(int part) const
    {
        return Cos::Crc64::compute(m_data.mid(m_plan.partOffset(part), m_plan.partLength(part)));
    }

    // want() every part of @p wanted in turn, answers collected by part number.
    QHash<int, WindowDigest> collect(PartDigestQueue *queue, const QList<int> &wanted)
    {
        QHash<int, WindowDigest> got;
        QObject context;
        for (int n : wanted)
            queue->want(n, &context, [&got, n](const WindowDigest &d) { got.insert(n, d); });
        // Answers come from the event loop, never from inside want().
        [&] { QCOMPARE(got.size(), 0); }();
        const bool all = QTest::qWaitFor([&] { return got.size() == wanted.size(); }, 10000);
        [&] { QVERIFY(all); }();
        return got;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"data.bin"_s);
        // 37 parts, the last one short: more than two batches of the widest kernel.
        m_data.resize(36 * kPartSize + 12345);
        QRandomGenerator gen(7);
        for (char &c : m_data)
            c = char(gen.generate() & 0xff);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_data), qint64(m_data.size()));
        m_plan = PartPlan::withPartSize(m_data.size(), kPartSize);
        QCOMPARE(m_plan.partCount(), 37);
    }

    void digestsEveryPartInOrder()
    {
        PartDigestQueue queue(m_path, m_plan.windows());
        QList<int> order;
        for (int n = 1; n <= m_plan.partCount(); ++n)
            order.append(n);
        queue.setOrder(order);
        const QHash<int, WindowDigest> got = collect(&queue, order);
        for (int n : order) {
            QVERIFY2(got.value(n).ok(), qPrintable(got.value(n).error.toString()));
            QCOMPARE(got.value(n).md5, md5Of(n));
            QCOMPARE(got.value(n).crc64, crcOf(n));
        }
    }

    void partsOutsideTheOrderAndRepeats()
    {
        // A resumed upload: only some parts are pending; a retry wants a part again.
        PartDigestQueue queue(m_path, m_plan.windows());
        queue.setOrder({3, 5, 37});
        const QHash<int, WindowDigest> first = collect(&queue, {37, 12, 3});
        QCOMPARE(first.value(37).md5, md5Of(37));
        QCOMPARE(first.value(12).md5, md5Of(12));
        QCOMPARE(first.value(3).md5, md5Of(3));
        const QHash<int, WindowDigest> again = collect(&queue, {3, 5});
        QCOMPARE(again.value(3).md5, md5Of(3));
        QCOMPARE(again.value(5).md5, md5Of(5));
    }

    void smallerFirstBatch()
    {
        // The first pass takes 3 parts, the next ones all lanes; every digest is right.
        PartDigestQueue queue(m_path, m_plan.windows());
        queue.setFirstBatch(3);
        QList<int> order;
        for (int n = 1; n <= m_plan.partCount(); ++n)
            order.append(n);
        queue.setOrder(order);
        const QHash<int, WindowDigest> got = collect(&queue, order);
        for (int n : order)
            QCOMPARE(got.value(n).md5, md5Of(n));
        const QList<int> sizes = queue.batchSizes();
        QVERIFY(sizes.size() >= 2);
        QCOMPARE(sizes.at(0), qMin(3, queue.lanes()));
        QCOMPARE(sizes.at(1), qMin(queue.lanes(), 37 - sizes.at(0)));
    }

    void hashesOnlyALookaheadUnasked()
    {
        PartDigestQueue queue(m_path, m_plan.windows());
        QList<int> order;
        for (int n = 1; n <= m_plan.partCount(); ++n)
            order.append(n);
        queue.setOrder(order);
        // Nobody asks: hashing stops once lookahead() digests wait, short of all 37 parts when
        // the kernel is narrow, so wanting the last part still works (it goes first).
        QTest::qWait(300);
        const QHash<int, WindowDigest> got = collect(&queue, {37});
        QCOMPARE(got.value(37).md5, md5Of(37));
    }

    void deletedContextGetsNothing()
    {
        PartDigestQueue queue(m_path, m_plan.windows());
        bool called = false;
        auto *context = new QObject;
        queue.want(1, context, [&called](const WindowDigest &) { called = true; });
        delete context;
        const QHash<int, WindowDigest> other = collect(&queue, {2});
        QCOMPARE(other.value(2).md5, md5Of(2));
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void deletingTheQueueWhileHashingIsSafe()
    {
        bool called = false;
        QObject context;
        {
            PartDigestQueue queue(m_path, m_plan.windows());
            queue.setOrder({1, 2, 3, 4});
            queue.want(4, &context, [&called](const WindowDigest &) { called = true; });
        }
        QTest::qWait(300);
        QVERIFY(!called);
    }

    void truncatedFileIsAnError()
    {
        const QString path = m_dir.filePath(u"short.bin"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_data.left(3 * kPartSize + 10)), 3 * kPartSize + 10);
        f.close();
        PartDigestQueue queue(path, m_plan.windows()); // planned for the longer file
        queue.setOrder({1, 4, 5});
        const QHash<int, WindowDigest> got = collect(&queue, {1, 4, 5});
        QVERIFY(got.value(1).ok());
        QCOMPARE(got.value(1).md5, md5Of(1));
        QVERIFY(!got.value(4).ok());
        QVERIFY(!got.value(5).ok());
        QVERIFY2(got.value(4).error.message().contains(path),
                 qPrintable(got.value(4).error.message()));
    }

    // Queues sharing a lane pool: a queue that asks while a pass runs joins the next pass with
    // the others that wait, so the parts of several files fill one pass; every digest is that
    // of its own file's part; a missing file fails only its own windows.
    void queuesShareLanePasses()
    {
        const QString second = m_dir.filePath(u"second.bin"_s);
        QByteArray reversed = m_data;
        std::reverse(reversed.begin(), reversed.end());
        QFile f(second);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(reversed), qint64(reversed.size()));
        f.close();
        const QString missing = m_dir.filePath(u"missing.bin"_s);

        Cos::DigestLanePool pool;
        PartDigestQueue a(m_path, m_plan.windows());
        PartDigestQueue b(second, m_plan.windows());
        PartDigestQueue c(missing, m_plan.windows());
        PartDigestQueue d(m_path, m_plan.windows());
        for (PartDigestQueue *q : {&a, &b, &c, &d}) {
            q->setLanePool(&pool);
            q->setFirstBatch(2);
            q->setOrder({1, 2});
        }
        QHash<QString, WindowDigest> got;
        QObject context;
        auto ask = [&](PartDigestQueue *q, const QString &name) {
            for (int n : {1, 2})
                q->want(n, &context, [&got, name, n](const WindowDigest &w) {
                    got.insert(name + QString::number(n), w);
                });
        };
        ask(&a, u"a"_s); // starts a pass of its own two parts
        ask(&b, u"b"_s); // b, c and d wait for it, then go together
        ask(&c, u"c"_s);
        {
            PartDigestQueue gone(m_path, m_plan.windows());
            gone.setLanePool(&pool);
            gone.setOrder({1});
            gone.want(1, &context, [&got](const WindowDigest &w) { got.insert(u"gone"_s, w); });
        } // deleted before its pass: its part is not hashed, its done() never runs
        ask(&d, u"d"_s);
        QVERIFY(QTest::qWaitFor([&] { return got.size() == 8; }, 10000));
        QCOMPARE(pool.passSizes(), QList<int>({2, 6}));
        QVERIFY(!got.contains(u"gone"_s));
        for (int n : {1, 2}) {
            const QString k = QString::number(n);
            QCOMPARE(got.value(u"a"_s + k).md5, md5Of(n));
            QCOMPARE(got.value(u"a"_s + k).crc64, crcOf(n));
            QCOMPARE(got.value(u"d"_s + k).md5, md5Of(n));
            const QByteArray theirs = reversed.mid(m_plan.partOffset(n), m_plan.partLength(n));
            QCOMPARE(got.value(u"b"_s + k).md5,
                     QCryptographicHash::hash(theirs, QCryptographicHash::Md5));
            QCOMPARE(got.value(u"b"_s + k).crc64, Cos::Crc64::compute(theirs));
            QVERIFY(!got.value(u"c"_s + k).ok());
            QVERIFY2(got.value(u"c"_s + k).error.message().contains(missing),
                     qPrintable(got.value(u"c"_s + k).error.message()));
        }
        QVERIFY(!QTest::qWaitFor([&] { return got.contains(u"gone"_s); }, 200));
    }
};

QTEST_GUILESS_MAIN(TstPartDigests)
#include "tst_partdigests.moc"
