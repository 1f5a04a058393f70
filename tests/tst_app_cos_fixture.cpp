// The app's models through the controller in the COS dialect: AppController configured from the
// environment (as cosdemo is) against tests/cos-fixture/server.js, which checks every q-sign
// signature with the official cos-nodejs-sdk-v5. Buckets, create bucket, browse, upload and
// download through the models. Skips without node or the npm package (tst_cos_fixture installs
// it into the build tree).
#include <appcontroller.h>
#include <bucketlistmodel.h>
#include <objectlistmodel.h>
#include <secretstore.h>
#include <transferlistmodel.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppCosFixture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void browseUploadDownload();

private:
    QProcess m_fixture;
    QTemporaryDir m_dir;
};

void TstAppCosFixture::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                  + u"/transfers.json"_s);
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    const QString modules = QStringLiteral(COS_NODE_DIR) + u"/node_modules"_s;
    if (node.isEmpty() || !QFileInfo::exists(modules + u"/cos-nodejs-sdk-v5/package.json"_s))
        QSKIP("needs node and cos-nodejs-sdk-v5 in the build tree (tst_cos_fixture installs it)");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"NODE_PATH"_s, modules);
    env.insert(u"FIXTURE_SECRET_ID"_s, u"AKIDappfixture0001"_s);
    env.insert(u"FIXTURE_SECRET_KEY"_s, u"app-fixture-secret"_s);
    m_fixture.setProcessEnvironment(env);
    m_fixture.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_fixture.start(node, {QStringLiteral(COS_FIXTURE_JS)});
    QVERIFY(m_fixture.waitForStarted());
    QByteArray line;
    QTRY_VERIFY_WITH_TIMEOUT((line += m_fixture.readAllStandardOutput()).contains('\n'), 20000);
    QVERIFY2(line.startsWith("PORT "), line.constData());
    const QByteArray port = line.mid(5).trimmed();

    // The app reads these like cosdemo does (the same names as cosctl).
    qputenv("COS_DIALECT", "cos");
    qputenv("COS_PROTOCOL", "http");
    qputenv("COS_REGION", "ap-guangzhou");
    qputenv("COS_APPID", "1250000000");
    qputenv("COS_CONNECT_TO", "127.0.0.1:" + port);
    qputenv("COS_SECRET_ID", "AKIDappfixture0001");
    qputenv("COS_SECRET_KEY", "app-fixture-secret");
    for (const char *name : {"COS_ENDPOINT", "COS_CREDENTIALS_URL", "COS_PATH_STYLE",
                             "COS_SESSION_TOKEN", "COS_DEFAULT_BUCKET", "COS_DOMAIN",
                             "COS_SERVICE_DOMAIN", "COS_ACCELERATE", "COS_INTERNAL"})
        qunsetenv(name);
}

void TstAppCosFixture::cleanupTestCase()
{
    if (m_fixture.state() != QProcess::NotRunning) {
        m_fixture.terminate();
        if (!m_fixture.waitForFinished(5000))
            m_fixture.kill();
    }
}

void TstAppCosFixture::browseUploadDownload()
{
    AppController controller(new MemorySecretStore);
    AppController::setInstance(&controller);
    QAbstractItemModelTester bucketsTester(controller.buckets());
    QAbstractItemModelTester objectsTester(controller.objects());
    QAbstractItemModelTester transfersTester(controller.transfers());
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 20000);
    QVERIFY2(controller.connectionSummary().startsWith(u"COS"_s),
             qPrintable(controller.connectionSummary()));

    // Buckets: none yet, then the one the app creates (with its -APPID suffix).
    BucketListModel *buckets = controller.buckets();
    QTRY_VERIFY_WITH_TIMEOUT(buckets->isLoaded() && !buckets->isLoading(), 20000);
    QCOMPARE(buckets->errorMessage(), QString());
    const QString name = u"appflow%1"_s.arg(QRandomGenerator::global()->bounded(100000));
    QSignalSpy created(&controller, &AppController::bucketCreated);
    QSignalSpy failed(&controller, &AppController::operationFailed);
    controller.createBucket(name, u"ap-guangzhou"_s, u"private"_s);
    QTRY_VERIFY_WITH_TIMEOUT(created.size() + failed.size() > 0, 20000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    const QString bucket = name + u"-1250000000"_s;
    buckets->reload();
    QTRY_VERIFY_WITH_TIMEOUT(buckets->isLoaded() && !buckets->isLoading(), 20000);
    QStringList names;
    for (int r = 0; r < buckets->rowCount(); ++r)
        names << buckets->index(r).data(BucketListModel::NameRole).toString();
    QVERIFY2(names.contains(bucket), qPrintable(names.join(u", "_s)));

    // Browse the empty bucket, upload into it, see the row, download it back.
    ObjectListModel *objects = controller.objects();
    controller.openBucket(bucket, u"ap-guangzhou"_s);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded() && !objects->isLoading(), 20000);
    QCOMPARE(objects->errorMessage(), QString());
    QCOMPARE(objects->rowCount(), 0);

    const QString local = m_dir.filePath(u"报告 1+%.bin"_s);
    QByteArray data(3 * 1024 * 1024 + 7, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 131) % 251);
    {
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
    TransferListModel *transfers = controller.transfers();
    QSignalSpy finished(transfers, &TransferListModel::transferFinished);
    controller.upload({QUrl::fromLocalFile(local)});
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 60000);
    QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(objects->rowCount() == 1, 20000);
    const QModelIndex row = objects->index(0);
    QCOMPARE(row.data(ObjectListModel::NameRole).toString(), u"报告 1+%.bin"_s);
    QCOMPARE(row.data(ObjectListModel::SizeRole).toLongLong(), data.size());

    const QString downloads = m_dir.filePath(u"downloads"_s);
    QVERIFY(QDir().mkpath(downloads));
    controller.download(u"报告 1+%.bin"_s, QUrl::fromLocalFile(downloads));
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 2, 60000);
    QVERIFY2(finished.at(1).at(1).toBool(), qPrintable(finished.at(1).at(2).toString()));
    QFile got(downloads + u"/报告 1+%.bin"_s);
    QVERIFY(got.open(QIODevice::ReadOnly));
    QVERIFY(got.readAll() == data);
}

QTEST_MAIN(TstAppCosFixture)
#include "tst_app_cos_fixture.moc"
