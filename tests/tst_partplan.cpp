#include "cos/transfer/partplan.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Cos::PartPlan;

namespace {
constexpr qint64 MiB = PartPlan::MiB;
}

class TstPartPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table()
    {
        const auto &t = PartPlan::partSizeTable();
        QCOMPARE(t.first(), 1 * MiB);
        QCOMPARE(t.last(), 5120 * MiB);
        QCOMPARE(t.at(t.size() - 2), 4096 * MiB);
        for (int i = 1; i < t.size() - 1; ++i)
            QCOMPARE(t.at(i), 2 * t.at(i - 1));
    }

    void choosePartSize_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("preferred");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("tiny, 1 MiB preferred") << qint64(10) << 1 * MiB << 1 * MiB;
        QTest::newRow("preferred 8 MiB") << 100 * MiB << 8 * MiB << 8 * MiB;
        QTest::newRow("preferred 3 MiB rounds up to 4") << 100 * MiB << 3 * MiB << 4 * MiB;
        QTest::newRow("10000 x 1 MiB exactly") << 10000 * MiB << 1 * MiB << 1 * MiB;
        QTest::newRow("10000 x 1 MiB + 1 needs 2 MiB") << 10000 * MiB + 1 << 1 * MiB << 2 * MiB;
        QTest::newRow("100 GiB at 8 MiB needs 16") << 100 * 1024 * MiB << 8 * MiB << 16 * MiB;
        QTest::newRow("40 TiB needs 5120 MiB") << 40LL * 1024 * 1024 * MiB << 1 * MiB << 5120 * MiB;
        QTest::newRow("MaxObjectSize") << PartPlan::MaxObjectSize << 1 * MiB << 5120 * MiB;
        QTest::newRow("too large") << PartPlan::MaxObjectSize + 1 << 1 * MiB << qint64(0);
        QTest::newRow("negative") << qint64(-1) << 1 * MiB << qint64(0);
    }

    void choosePartSize()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, preferred);
        QFETCH(qint64, expected);
        QCOMPARE(PartPlan::choosePartSize(size, preferred), expected);
    }

    void forUpload_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("threshold");
        QTest::addColumn<qint64>("preferred");
        QTest::addColumn<bool>("multipart");
        QTest::addColumn<int>("parts");
        QTest::addColumn<qint64>("lastPart");
        QTest::newRow("0 B is one PUT even at threshold 0")
                << qint64(0) << qint64(0) << 1 * MiB << false << 0 << qint64(0);
        QTest::newRow("below threshold")
                << 16 * MiB - 1 << 16 * MiB << 8 * MiB << false << 0 << qint64(0);
        QTest::newRow("at threshold") << 16 * MiB << 16 * MiB << 8 * MiB << true << 2 << 8 * MiB;
        QTest::newRow("64 MiB + 3 B at 1 MiB")
                << 64 * MiB + 3 << 1 * MiB << 1 * MiB << true << 65 << qint64(3);
        QTest::newRow("1 MiB - 1 at threshold 1")
                << MiB - 1 << qint64(1) << 1 * MiB << true << 1 << MiB - 1;
        QTest::newRow("preferred below 1 MiB is raised")
                << 3 * MiB << qint64(1) << qint64(1000) << true << 3 << 1 * MiB;
    }

    void forUpload()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, threshold);
        QFETCH(qint64, preferred);
        QFETCH(bool, multipart);
        QFETCH(int, parts);
        QFETCH(qint64, lastPart);
        Cos::Error error(Cos::Error::Kind::Io, u"stale"_s);
        const PartPlan plan = PartPlan::forUpload(size, threshold, preferred, &error);
        QVERIFY2(!error, qPrintable(error.toString()));
        QVERIFY(plan.isValid());
        QCOMPARE(plan.isMultipart(), multipart);
        QCOMPARE(plan.partCount(), parts);
        QCOMPARE(plan.totalSize(), size);
        if (multipart) {
            QCOMPARE(plan.partLength(parts), lastPart);
            qint64 sum = 0;
            for (int n = 1; n <= parts; ++n) {
                QCOMPARE(plan.partOffset(n), sum);
                QVERIFY(plan.partLength(n) >= 1);
                if (n < parts)
                    QVERIFY(plan.partLength(n) >= PartPlan::MinPartSize);
                sum += plan.partLength(n);
            }
            QCOMPARE(sum, size);
            QCOMPARE(plan.partLength(0), qint64(0));
            QCOMPARE(plan.partLength(parts + 1), qint64(0));
        }
    }

    void forUploadRejects_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("threshold");
        QTest::newRow("negative size") << qint64(-5) << 16 * MiB;
        QTest::newRow("threshold above 5 GiB") << qint64(10) << PartPlan::MaxSinglePut + 1;
        QTest::newRow("negative threshold") << qint64(10) << qint64(-1);
        QTest::newRow("object too large") << PartPlan::MaxObjectSize + 1 << 16 * MiB;
    }

    void forUploadRejects()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, threshold);
        Cos::Error error;
        const PartPlan plan = PartPlan::forUpload(size, threshold, 8 * MiB, &error);
        QVERIFY(!plan.isValid());
        QCOMPARE(error.kind(), Cos::Error::Kind::InvalidInput);
        QVERIFY(!error.message().isEmpty());
    }

    void withPartSize()
    {
        const PartPlan p = PartPlan::withPartSize(10 * MiB + 1, 2 * MiB);
        QVERIFY(p.isMultipart());
        QCOMPARE(p.partCount(), 6);
        QCOMPARE(p.partLength(6), qint64(1));
        QVERIFY(!PartPlan::withPartSize(10 * MiB, MiB - 1).isValid());
        QVERIFY(!PartPlan::withPartSize(20000 * MiB, 1 * MiB).isValid());
        QVERIFY(!PartPlan::withPartSize(0, 1 * MiB).isValid());
    }

    void ranges()
    {
        QVERIFY(Cos::splitRanges(0, 10).isEmpty());
        const auto r = Cos::splitRanges(25, 10);
        QCOMPARE(r.size(), 3);
        QCOMPARE(r.at(0), std::make_pair(qint64(0), qint64(9)));
        QCOMPARE(r.at(2), std::make_pair(qint64(20), qint64(24)));
        QCOMPARE(Cos::splitRanges(10, 10).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstPartPlan)
#include "tst_partplan.moc"
