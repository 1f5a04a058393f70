// The object list's server-side search (ObjectSearchModel) and the filter's counts against the
// sandbox, under QAbstractItemModelTester: unicode keys, several pages of results, scopes,
// case, stale answers, bad input.
#include "tst_app_support.h"

#include <objectlistmodel.h>
#include <objectsearchmodel.h>

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void folderOf();
    void searchPagesThroughTheBucket();
    void searchIsCaseSensitive();
    void searchInFolder();
    void searchWithoutMatch();
    void searchDropsStaleAnswers();
    void searchRefusesBadInput();
    void searchFollowsTheBucket();
    void filterCountsOnlyLoadedRows();

private:
    /** Loads every page of @p model; false on an error or when it does not end. */
    static bool loadAll(QueryModel &model);

    std::optional<SandboxEnv> m_env;
    Cos::Client *m_client = nullptr;
    QString m_bucket;
    ObjectListModel m_list;
};

void TstAppSearch::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    COS_REQUIRE_SANDBOX(env);
    m_env = env;
    m_client = AppTest::sandboxClient(env, this);
    m_bucket = AppTest::uniqueBucket(u"app-search"_s);
    QVERIFY(AppTest::seedSearchBucket(m_client, m_bucket));
    m_list.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(m_list.isLoaded(), 30000);
}

void TstAppSearch::cleanupTestCase()
{
    m_list.clear();
    if (m_client && !m_bucket.isEmpty())
        AppTest::purgeBucket(m_client, m_bucket);
    delete m_client;
    m_client = nullptr;
}

bool TstAppSearch::loadAll(QueryModel &model)
{
    for (int guard = 0; guard < 50; ++guard) {
        if (!QTest::qWaitFor([&] { return model.isLoaded() && !model.isLoading(); }, 30000))
            return false;
        if (!model.errorMessage().isEmpty())
            return false;
        if (!model.canFetchMore({}))
            return true;
        model.fetchMore({});
    }
    return false;
}

void TstAppSearch::folderOf()
{
    QCOMPARE(ObjectSearchModel::folderOf(u"Grüße/日本/写真-1.png"_s), u"Grüße/日本/"_s);
    QCOMPARE(ObjectSearchModel::folderOf(u"Grüße/empty/"_s), u"Grüße/"_s);
    QCOMPARE(ObjectSearchModel::folderOf(u"top/"_s), QString());
    QCOMPARE(ObjectSearchModel::folderOf(u"a+b c.txt"_s), QString());
}

void TstAppSearch::searchPagesThroughTheBucket()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(3);
    model.setSource(&m_list);
    QVERIFY(!model.isActive());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading()); // no query, no request

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setQuery(u"Grüße"_s);
    QVERIFY(model.isActive());
    QCOMPARE(model.keyPrefix(), u"Grüße"_s);
    QVERIFY(model.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QVERIFY2(model.errorMessage().isEmpty(), qPrintable(model.errorMessage()));
    // The first page: 3 of 11 matches, and the server says there are more. (The model tester
    // may already have asked for the next pages, and on a fast server they may be here.)
    QVERIFY(!inserted.isEmpty());
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 2);
    QVERIFY(model.rowCount() >= 3);
    QVERIFY(model.hasMore() || model.isLoading() || model.rowCount() == 11);

    QVERIFY(loadAll(model));
    QVERIFY(!model.hasMore());
    // Every key under every sub-folder that starts with "Grüße", in the server's (UTF-8 byte)
    // order, each once; the name is the full key.
    const QStringList expected {u"Grüße/brief-01.txt"_s,
                                u"Grüße/brief-02.txt"_s,
                                u"Grüße/brief-03.txt"_s,
                                u"Grüße/brief-04.txt"_s,
                                u"Grüße/brief-05.txt"_s,
                                u"Grüße/brief-06.txt"_s,
                                u"Grüße/brief-07.txt"_s,
                                u"Grüße/empty/"_s,
                                u"Grüße/日本/写真-1.png"_s,
                                u"Grüße/日本/写真-2.png"_s,
                                u"Grüßen.txt"_s};
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole), expected);
    QCOMPARE(AppTest::column(model, ObjectListModel::NameRole), expected);
    QCOMPARE(model.count(), 11);

    const QModelIndex placeholder = model.index(7);
    QVERIFY(placeholder.data(ObjectListModel::IsFolderRole).toBool());
    QCOMPARE(placeholder.data(ObjectListModel::IconRole).toString(), u"folder"_s);
    const QModelIndex photo = model.index(8);
    QVERIFY(!photo.data(ObjectListModel::IsFolderRole).toBool());
    QCOMPARE(photo.data(ObjectListModel::SizeRole).toLongLong(),
             qint64(u"Grüße/日本/写真-1.png"_s.toUtf8().size() + 1));
    QCOMPARE(photo.data(ObjectListModel::IconRole).toString(), u"image"_s);
    QVERIFY(photo.data(ObjectListModel::ThumbnailRole).toString().startsWith(u"image://"_s));

    // Retry runs the same search from the first page.
    model.reload();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole), expected);

    // An empty query ends the search: no rows, nothing requested.
    model.setQuery({});
    QVERIFY(!model.isActive());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading());
    QVERIFY(!model.hasMore());
}

void TstAppSearch::searchIsCaseSensitive()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&m_list);
    model.setQuery(u"grüße"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole), QStringList {u"grüße-lower.txt"_s});
    // Characters the URL and the XML must carry intact.
    model.setQuery(u"a+b c"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole), QStringList {u"a+b c.txt"_s});
}

void TstAppSearch::searchInFolder()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&m_list);
    model.setFolder(u"other"_s); // the slash is added
    QCOMPARE(model.folder(), u"other/"_s);
    QVERIFY(!model.isLoading()); // a folder without a query is no search yet
    model.setQuery(u"Grü"_s);
    QCOMPARE(model.keyPrefix(), u"other/Grü"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole), QStringList {u"other/Grüße.txt"_s});
    // A CJK folder and a query that is a whole folder name.
    model.setFolder({});
    model.setQuery(u"日本語/"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole),
             QStringList {u"日本語/ファイル.txt"_s});
}

void TstAppSearch::searchWithoutMatch()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&m_list);
    model.setQuery(u"nothing-starts-like-this"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.isLoaded());
    QVERIFY(!model.hasMore());
    QVERIFY(model.errorMessage().isEmpty());
}

void TstAppSearch::searchDropsStaleAnswers()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&m_list);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // Typing on: the first query's request is in flight when the second replaces it.
    model.setQuery(u"Grüße"_s);
    QVERIFY(model.isLoading());
    model.setQuery(u"日本"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(AppTest::column(model, ObjectListModel::KeyRole),
             QStringList {u"日本語/ファイル.txt"_s});
    QCOMPARE(inserted.count(), 1);
    // Nothing of the first query arrives later either.
    QTest::qWait(300);
    QCOMPARE(model.rowCount(), 1);
}

void TstAppSearch::searchRefusesBadInput()
{
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&m_list);
    // Longer than any key can be: refused with the numbers, without a request.
    model.setQuery(QString(300, u'日')); // 900 bytes in UTF-8
    QVERIFY(!model.isLoading());
    QVERIFY(model.isLoaded());
    QVERIFY2(model.errorMessage().contains(u"too long"_s), qPrintable(model.errorMessage()));
    QVERIFY(model.errorMessage().contains(u"850"_s));
    QVERIFY(model.errorMessage().contains(u"900"_s));
    QCOMPARE(model.queryProblem(), model.errorMessage());
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.rowCount(), 0);

    model.setQuery(u"tab\there"_s);
    QVERIFY(!model.isLoading());
    QVERIFY2(model.errorMessage().contains(u"U+0009"_s), qPrintable(model.errorMessage()));

    model.setQuery(QString(QChar(0xd800)) + u"x"_s); // a lone surrogate
    QVERIFY2(model.errorMessage().contains(u"Unicode"_s), qPrintable(model.errorMessage()));

    // A good query afterwards searches normally.
    model.setQuery(u"other/"_s);
    QVERIFY(model.errorMessage().isEmpty());
    QVERIFY(model.queryProblem().isEmpty());
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), 1);
}

void TstAppSearch::searchFollowsTheBucket()
{
    ObjectListModel list;
    list.setLocation(m_client, m_bucket, m_env->region);
    ObjectSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&list);
    model.setQuery(u"Grüßen"_s);
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), 1);

    // Another folder of the same bucket: the search stays.
    list.openFolder(u"other/"_s);
    QCOMPARE(model.query(), u"Grüßen"_s);
    QCOMPARE(model.rowCount(), 1);

    // Another bucket: the search ends there.
    QSignalSpy queryChanged(&model, &ObjectSearchModel::queryChanged);
    list.setLocation(m_client, u"no-such-bucket-app-search"_s, m_env->region);
    QCOMPARE(queryChanged.count(), 1);
    QVERIFY(!model.isActive());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading());
    // A search there reports the listing's error.
    model.setQuery(u"x"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QVERIFY2(model.errorMessage().contains(u"does not exist"_s), qPrintable(model.errorMessage()));
    QVERIFY(!model.canFetchMore({}));

    list.clear();
    QVERIFY(!model.isActive());
}

void TstAppSearch::filterCountsOnlyLoadedRows()
{
    // The filter matches the rows loaded so far: with pages of 2, after the first page it
    // knows 2 rows of the 6 at the top and says so (totalCount, canFetchMore).
    ObjectListModel list;
    list.setPageSize(2);
    list.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(list.isLoaded() && !list.isLoading(), 30000);
    QCOMPARE(list.totalCount(), 2);
    QVERIFY(list.canFetchMore({}));
    list.setFilter(u"ü"_s);
    // The first page holds the folder "Grüße/" and "Grüßen.txt" (the server's order).
    QCOMPARE(AppTest::column(list, ObjectListModel::NameRole),
             (QStringList {u"Grüße"_s, u"Grüßen.txt"_s}));
    QCOMPARE(list.count(), 2);
    QCOMPARE(list.totalCount(), 2);
    QVERIFY(list.canFetchMore({}));
    QVERIFY(!list.isLoading()); // filtering requested nothing

    QVERIFY(loadAll(list));
    QCOMPARE(list.totalCount(), 6);
    QVERIFY(!list.canFetchMore({}));
    // Folders first, then files; "grüße-lower.txt" matches "ü" too.
    QCOMPARE(AppTest::column(list, ObjectListModel::NameRole),
             (QStringList {u"Grüße"_s, u"Grüßen.txt"_s, u"grüße-lower.txt"_s}));
}

QTEST_MAIN(TstAppSearch)
#include "tst_app_search.moc"
