// QtQuickTest runner for tests/qml/tst_*.qml: the real AppController on the sandbox, a fresh
// bucket with a known tree, and files to upload, exposed to the tests as the TestSeed singleton.
#include "tst_app_support.h"

#include <appcontroller.h>
#include <objectlistmodel.h>
#include <objectsearchmodel.h>
#include <pluraltranslator.h>
#include <secretstore.h>

#include <QDirIterator>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(CosDemoPlugin)

using namespace Qt::StringLiterals;

class TestSeed : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool sandbox READ sandbox CONSTANT)
    Q_PROPERTY(QString bucket READ bucket CONSTANT)
    /** A bucket with an image (photo.png, 300x200) and a UTF-8 text (hello.txt). */
    Q_PROPERTY(QString previewBucket READ previewBucket CONSTANT)
    /** A bucket with AppTest::searchSeedKeys() (unicode keys, 11 start with "Grüße"). */
    Q_PROPERTY(QString searchBucket READ searchBucket CONSTANT)
    Q_PROPERTY(QString region READ region CONSTANT)
    Q_PROPERTY(QUrl smallFile READ smallFile CONSTANT)
    Q_PROPERTY(QUrl bigFile READ bigFile CONSTANT)
    Q_PROPERTY(QUrl downloadFolder READ downloadFolder CONSTANT)
    Q_PROPERTY(QString screenshotDir READ screenshotDir CONSTANT)

public:
    bool sandbox() const { return m_sandbox; }
    QString bucket() const { return m_bucket; }
    QString previewBucket() const { return m_previewBucket; }
    QString searchBucket() const { return m_searchBucket; }
    QString region() const { return m_region; }
    QUrl smallFile() const { return QUrl::fromLocalFile(m_dir.filePath(u"small.txt"_s)); }
    QUrl bigFile() const { return QUrl::fromLocalFile(m_dir.filePath(u"big.bin"_s)); }
    QUrl downloadFolder() const { return QUrl::fromLocalFile(m_dir.filePath(u"downloads"_s)); }
    /** Where the tests save images of pages, for a human to look at. */
    QString screenshotDir() const
    {
        QDir().mkpath(QStringLiteral(APP_SCREENSHOT_DIR));
        return QStringLiteral(APP_SCREENSHOT_DIR);
    }

    /** A new local tree @p name/ (a.txt, sub/b.txt, sub/deep/c.txt) in the test's folder. */
    Q_INVOKABLE QUrl makeTree(const QString &name)
    {
        const QString root = m_dir.filePath(u"trees/"_s + name);
        for (const QString &path : {u"a.txt"_s, u"sub/b.txt"_s, u"sub/deep/c.txt"_s}) {
            QDir().mkpath(QFileInfo(root + u'/' + path).absolutePath());
            if (!AppTest::writeFile(root + u'/' + path, 1000 + path.size()))
                return {};
        }
        return QUrl::fromLocalFile(root);
    }
    /**
     * Sets the size of the first and of later pages of @p model (an ObjectListModel or an
     * ObjectSearchModel), so that a small bucket has several pages.
     */
    Q_INVOKABLE void setPageSizes(QObject *model, int first, int more)
    {
        if (auto *list = qobject_cast<ObjectListModel *>(model))
            list->setPageSize(first, more);
        else if (auto *search = qobject_cast<ObjectSearchModel *>(model))
            search->setPageSize(first, more);
    }
    /** A new, empty local folder. */
    Q_INVOKABLE QUrl newFolder(const QString &name)
    {
        const QString path = m_dir.filePath(u"folders/"_s + name);
        QDir(path).removeRecursively();
        QDir().mkpath(path);
        return QUrl::fromLocalFile(path);
    }
    /** Files under local folder @p folder, relative, sorted. */
    Q_INVOKABLE QStringList localFiles(const QUrl &folder) const
    {
        const QString root = folder.toLocalFile();
        QStringList out;
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            out.append(it.next().mid(root.size() + 1));
        out.sort();
        return out;
    }

    bool prepare()
    {
        const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment();
        if (!env) {
            if (SandboxEnv::isRequired())
                qFatal("%s", SandboxEnv::missingMessage());
            return false;
        }
        m_region = env->region;
        Cos::Client *client = AppTest::sandboxClient(*env);
        m_bucket = AppTest::uniqueBucket(u"app-qml"_s);
        m_previewBucket = AppTest::uniqueBucket(u"app-preview"_s);
        m_searchBucket = AppTest::uniqueBucket(u"app-search"_s);
        const bool ok = AppTest::seedBucket(client, m_bucket)
                && AppTest::run(client->createBucket(m_previewBucket))
                && AppTest::putObject(client, m_previewBucket, u"photo.png"_s,
                                      AppTest::pngImage(300, 200))
                && AppTest::putObject(client, m_previewBucket, u"hello.txt"_s,
                                      "Grüße, 世界\nsecond line\n"_ba)
                && AppTest::seedSearchBucket(client, m_searchBucket);
        delete client;
        QDir(m_dir.path()).mkpath(u"downloads"_s);
        m_sandbox = ok && AppTest::writeFile(m_dir.filePath(u"small.txt"_s), 2048)
                && AppTest::writeFile(m_dir.filePath(u"big.bin"_s), 64 * 1024 * 1024);
        return m_sandbox;
    }

    void purge()
    {
        const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment();
        if (m_bucket.isEmpty() || !env)
            return;
        Cos::Client *client = AppTest::sandboxClient(*env);
        AppTest::purgeBucket(client, m_bucket);
        if (!m_previewBucket.isEmpty())
            AppTest::purgeBucket(client, m_previewBucket);
        if (!m_searchBucket.isEmpty())
            AppTest::purgeBucket(client, m_searchBucket);
        delete client;
    }

private:
    QTemporaryDir m_dir;
    QString m_bucket;
    QString m_previewBucket;
    QString m_searchBucket;
    QString m_region;
    bool m_sandbox = false;
};

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Transfers left by an earlier run would be restored (paused) into this one.
        for (const QString &name : {u"/transfers.json"_s, u"/batches.json"_s})
            QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + name);
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        QQuickStyle::setStyle(u"Material"_s);
        // English plurals as in the app ("3 files", not "3 file(s)").
        QCoreApplication::installTranslator(&m_plurals);
        m_seed.prepare();
        m_controller = new AppController(new MemorySecretStore, this);
        AppController::setInstance(m_controller);
        m_controller->start();
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        Q_UNUSED(engine)
        qmlRegisterSingletonInstance("CosDemoTest", 1, 0, "TestSeed", &m_seed);
    }

    void cleanupTestCase() { m_seed.purge(); }

private:
    TestSeed m_seed;
    PluralTranslator m_plurals;
    AppController *m_controller = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_app_qml, Setup)
#include "tst_app_qml.moc"
