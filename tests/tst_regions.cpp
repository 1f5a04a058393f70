#include "cos/protocol/regions.h"
#include "cos/protocol/xmlparsers.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Cos;

class TstRegions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtinList()
    {
        const RegionCatalog catalog;
        const QStringList ids = catalog.ids();
        QCOMPARE(ids.size(), 22);
        // Mainland, then finance, then outside, as the notes list them.
        QCOMPARE(ids.first(), u"ap-beijing-1"_s);
        QCOMPARE(ids.indexOf(u"ap-chongqing"_s), 6);
        QCOMPARE(ids.indexOf(u"ap-beijing-fsi"_s), 7);
        QCOMPARE(ids.indexOf(u"ap-hongkong"_s), 10);
        QCOMPARE(ids.last(), u"eu-frankfurt"_s);
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
        QVERIFY(!catalog.contains(u"eu-moscow"));

        for (const RegionInfo &r : catalog.regions()) {
            QVERIFY2(isValidRegionId(r.id), qPrintable(r.id));
            QVERIFY(r.builtin);
            QVERIFY(!r.seen);
            QVERIFY(!r.name.isEmpty());
            QVERIFY2(r.name != r.id, qPrintable(r.id));
            const RegionGroup expected = r.id.endsWith("-fsi"_L1) ? RegionGroup::Finance
                    : r.id.startsWith("ap-"_L1)
                            && QStringList({u"ap-beijing-1"_s, u"ap-beijing"_s, u"ap-nanjing"_s,
                                            u"ap-shanghai"_s, u"ap-guangzhou"_s, u"ap-chengdu"_s,
                                            u"ap-chongqing"_s})
                                       .contains(r.id)
                    ? RegionGroup::Mainland
                    : RegionGroup::Outside;
            QCOMPARE(r.group, expected);
        }
        QCOMPARE(catalog.displayName(u"ap-guangzhou"), u"South China (Guangzhou)"_s);
        QCOMPARE(catalog.displayName(u"sa-saopaulo"), u"South America (S\u00e3o Paulo)"_s);
        QCOMPARE(catalog.displayName(u"xx-nowhere"), u"xx-nowhere"_s);
        QCOMPARE(catalog.region(u"ap-shanghai-fsi").group, RegionGroup::Finance);
        QVERIFY(catalog.region(u"nope").id.isEmpty());
    }

    void validIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("cos") << u"ap-guangzhou"_s << true;
        QTest::newRow("digit part") << u"ap-beijing-1"_s << true;
        QTest::newRow("fsi") << u"ap-shanghai-fsi"_s << true;
        QTest::newRow("aws") << u"us-east-1"_s << true;
        QTest::newRow("rgw zonegroup") << u"default"_s << true;
        QTest::newRow("63 chars") << (u"a"_s + QString(62, u'b')) << true;
        QTest::newRow("64 chars") << (u"a"_s + QString(63, u'b')) << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper") << u"AP-Guangzhou"_s << false;
        QTest::newRow("leading digit") << u"1ap"_s << false;
        QTest::newRow("leading dash") << u"-ap"_s << false;
        QTest::newRow("trailing dash") << u"ap-"_s << false;
        QTest::newRow("double dash") << u"ap--guangzhou"_s << false;
        QTest::newRow("dot") << u"ap.guangzhou"_s << false;
        QTest::newRow("host injection") << u"evil.com/x"_s << false;
        QTest::newRow("space") << u"ap guangzhou"_s << false;
        QTest::newRow("underscore") << u"ap_guangzhou"_s << false;
        QTest::newRow("non-ascii") << u"ap-gu\u00e4ngzhou"_s << false;
    }

    void validIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(isValidRegionId(id), valid);
    }

    void mergeMarksKnownAndAddsUnknown()
    {
        RegionCatalog catalog;
        const QStringList before = catalog.ids();
        const int added = catalog.merge({u"ap-guangzhou"_s, u"zz-last"_s, u"eu-moscow"_s,
                                         u"ap-guangzhou"_s, u" eu-moscow "_s, u"EU-MOSCOW"_s,
                                         QString(), u"bad/region"_s, u"aa-first"_s});
        QCOMPARE(added, 3);
        const QStringList after = catalog.ids();
        QCOMPARE(after.size(), before.size() + 3);
        // Built-in order untouched, learnt ones after, sorted by id.
        QCOMPARE(after.mid(0, before.size()), before);
        QCOMPARE(after.mid(before.size()),
                 QStringList({u"aa-first"_s, u"eu-moscow"_s, u"zz-last"_s}));

        const RegionInfo moscow = catalog.region(u"eu-moscow");
        QCOMPARE(moscow.name, u"eu-moscow"_s);
        QCOMPARE(moscow.group, RegionGroup::Other);
        QVERIFY(!moscow.builtin);
        QVERIFY(moscow.seen);
        QVERIFY(catalog.region(u"ap-guangzhou").seen);
        QVERIFY(catalog.region(u"ap-guangzhou").builtin);
        QVERIFY(!catalog.region(u"ap-beijing").seen);
        QVERIFY(!catalog.contains(u"bad/region"));
    }

    void mergeOrderDoesNotMatter()
    {
        RegionCatalog a;
        a.merge({u"zz-b"_s, u"zz-a"_s});
        a.merge({u"ap-tokyo"_s, u"zz-c"_s});
        RegionCatalog b;
        b.merge({u"zz-c"_s, u"zz-a"_s, u"ap-tokyo"_s, u"zz-b"_s});
        QCOMPARE(a.ids(), b.ids());
        // Merging again changes nothing.
        QCOMPARE(a.merge({u"zz-a"_s, u"zz-b"_s, u"zz-c"_s}), 0);
        QCOMPARE(a.ids(), b.ids());
    }

    void mergeFromGetService()
    {
        QFile f(QStringLiteral(COS_TEST_DATA_DIR "/cos-docs/list-buckets.xml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        ListBucketsResult result;
        QVERIFY(!parseListBuckets(f.readAll(), &result));
        QStringList locations;
        for (const BucketInfo &b : result.buckets)
            locations.append(b.location);
        RegionCatalog catalog;
        QCOMPARE(catalog.merge(locations), 1); // eu-moscow; beijing and guangzhou are built in
        QVERIFY(catalog.region(u"ap-beijing").seen);
        QVERIFY(catalog.region(u"ap-guangzhou").seen);
        QCOMPARE(catalog.ids().last(), u"eu-moscow"_s);
    }
};

QTEST_GUILESS_MAIN(TstRegions)
#include "tst_regions.moc"
