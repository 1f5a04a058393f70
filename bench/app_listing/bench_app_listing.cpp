// The app's object list over a big folder, measured in the real ObjectsPage (offscreen,
// software renderer): the first page on screen after its response arrived, scrolling to the
// end (time, pages, peak RSS), and filtering by name. See bench/app_listing/run.sh.
//
//   bench_app_listing --bucket NAME [--seed COUNT] [--size WxH] [--search PREFIX]
//
// The sandbox's COS_* variables configure the app (as they do cosdemo). --seed creates the
// bucket with COUNT empty objects first (64 PUTs in flight) unless it holds them already.
#include <appcontroller.h>
#include <objectlistmodel.h>
#include <objectsearchmodel.h>
#include <secretstore.h>

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <malloc.h>
#include <functional>

Q_IMPORT_QML_PLUGIN(CosDemoPlugin)

using namespace Qt::StringLiterals;

namespace {

qint64 statusKib(const char *field) // VmRSS / VmHWM of this process in KiB
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double mib(qint64 kib)
{
    return double(kib) / 1024.0;
}

/**
 * One turn of the event loop as exec() would run it: processEvents() alone, outside exec(),
 * never deletes what deleteLater() queued (delegates the list drops, finished jobs).
 */
void spin()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

/** Runs the event loop until @p done or @p timeoutMs; false on timeout. */
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        spin();
    }
    return true;
}

Cos::Client *sandboxClient(QObject *parent)
{
    const QString endpoint = qEnvironmentVariable("COS_ENDPOINT");
    const QString region = qEnvironmentVariable("COS_REGION", u"us-east-1"_s);
    Cos::Credentials c;
    c.secretId = qEnvironmentVariable("COS_SECRET_ID");
    c.secretKey = qEnvironmentVariable("COS_SECRET_KEY");
    return new Cos::Client(Cos::Endpoint::s3(QUrl(endpoint), region,
                                             qEnvironmentVariable("COS_PATH_STYLE") == "1"_L1),
                           new Cos::StaticCredentialProvider(c, u"bench"_s), parent);
}

QString keyName(int i)
{
    return u"file-%1.txt"_s.arg(i, 6, 10, QChar(u'0'));
}

/** Creates @p bucket with @p count empty objects unless its last key exists already. */
bool seed(const QString &bucket, int count)
{
    Cos::Client *client = sandboxClient(nullptr);
    std::unique_ptr<Cos::Client> owner(client);
    auto run = [](Cos::Job *job) {
        bool finished = false;
        QObject::connect(job, &Cos::Job::finished, job, [&finished] { finished = true; });
        job->start();
        waitFor([&] { return finished; }, 60000);
        return !job->error();
    };
    {
        Cos::HeadObjectJob *head = client->headObject(bucket, keyName(count - 1));
        if (run(head)) {
            std::fprintf(stderr, "seed: %s already holds %d objects\n", qPrintable(bucket), count);
            return true;
        }
    }
    run(client->createBucket(bucket)); // may exist already
    QElapsedTimer t;
    t.start();
    int next = 0;
    int inFlight = 0;
    int failed = 0;
    int done = 0;
    std::function<void()> pump = [&] {
        while (inFlight < 64 && next < count) {
            Cos::PutObjectParams p;
            p.contentLength = 0;
            Cos::RequestJob *job = client->newRequestJob(
                    client->builder().putObject(bucket, keyName(next++), p));
            job->setBody(QByteArray());
            job->setAutoDelete(true);
            ++inFlight;
            QObject::connect(job, &Cos::Job::finished, client, [&, job] {
                --inFlight;
                ++done;
                failed += job->error() ? 1 : 0;
                if (done % 10000 == 0)
                    std::fprintf(stderr, "seed: %d of %d\n", done, count);
                pump();
            });
            job->start();
        }
    };
    pump();
    waitFor([&] { return done == count; }, 3600 * 1000);
    std::fprintf(stderr, "seed: %d objects in %.1f s, %d failed\n", count,
                 double(t.elapsed()) / 1000.0, failed);
    return failed == 0;
}

const char *PageQml = R"(
import QtQuick
import QtQuick.Controls
import CosDemo

ApplicationWindow {
    visible: true
    property alias page: page
    ObjectsPage {
        id: page
        anchors.fill: parent
        objects: AppController.objects
        wide: true
    }
}
)";

} // namespace

int main(int argc, char **argv)
{
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    QGuiApplication app(argc, argv);
    app.setOrganizationName(u"cosdemo-bench"_s);
    QStandardPaths::setTestModeEnabled(true);
    QQuickStyle::setStyle(u"Material"_s);

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"bucket"_s, u"The bucket to open."_s, u"name"_s});
    parser.addOption({u"seed"_s, u"Create this many objects first."_s, u"count"_s});
    parser.addOption({u"size"_s, u"Window size."_s, u"WxH"_s, u"1280x800"_s});
    parser.addOption(
            {u"max-pages"_s, u"Stop scrolling after this many pages."_s, u"n"_s, u"1000000"_s});
    parser.addOption({u"search"_s,
                      u"At the end, search the bucket for keys starting with this text and "
                      "scroll through the results."_s,
                      u"prefix"_s});
    parser.process(app);
    const QString bucket = parser.value(u"bucket"_s);
    if (bucket.isEmpty() || qEnvironmentVariableIsEmpty("COS_ENDPOINT")) {
        std::fprintf(stderr, "need --bucket and the sandbox's COS_* variables\n");
        return 2;
    }
    if (parser.isSet(u"seed"_s) && !seed(bucket, parser.value(u"seed"_s).toInt()))
        return 1;

    auto *controller = new AppController(new MemorySecretStore, &app);
    AppController::setInstance(controller);
    controller->start();
    if (!waitFor([&] { return controller->isConnected(); }, 20000)) {
        std::fprintf(stderr, "not connected: %s\n", qPrintable(controller->connectionError()));
        return 1;
    }
    QQmlEngine engine;
    engine.addImportPath(u"qrc:/"_s); // the static CosDemo module's qmldir is at qrc:/CosDemo
    QQmlComponent component(&engine);
    component.setData(PageQml, QUrl::fromLocalFile(u"/bench/Window.qml"_s));
    std::unique_ptr<QObject> root(component.create());
    auto *window = qobject_cast<QQuickWindow *>(root.get());
    if (!window) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    const QStringList size = parser.value(u"size"_s).split(u'x');
    window->resize(size.value(0).toInt(), size.value(1).toInt());
    waitFor([] { return false; }, 500); // first frames of the empty page

    ObjectListModel *objects = controller->objects();
    auto *page = root->property("page").value<QObject *>();
    auto *list = page->findChild<QObject *>(u"objectList"_s);
    const qint64 rssBefore = statusKib("VmRSS:");

    // 1. First page: from its response (the model's loading flag drops in the response
    // handler, before the rows go in) to the first frame that shows rows.
    QElapsedTimer clock;
    qint64 openedAt = -1;
    qint64 arrivedAt = -1;
    qint64 shownAt = -1;
    QObject::connect(objects, &QueryModel::loadingChanged, &app, [&] {
        if (!objects->isLoading() && arrivedAt < 0 && openedAt >= 0)
            arrivedAt = clock.nsecsElapsed();
    });
    QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
        if (arrivedAt >= 0 && shownAt < 0 && list->property("count").toInt() > 0)
            shownAt = clock.nsecsElapsed();
    });
    clock.start();
    openedAt = 0;
    controller->openBucket(bucket, qEnvironmentVariable("COS_REGION", u"us-east-1"_s));
    if (!waitFor([&] { return shownAt >= 0; }, 30000)) {
        std::fprintf(stderr, "first page not shown: %s\n", qPrintable(objects->errorMessage()));
        return 1;
    }
    std::printf("first page: %d rows; response after %.1f ms; on screen %.1f ms after the "
                "response; RSS %.1f MiB\n",
                objects->rowCount(), double(arrivedAt) / 1e6, double(shownAt - arrivedAt) / 1e6,
                mib(statusKib("VmRSS:")));

    if (qEnvironmentVariableIsSet("BENCH_MALLOC_STATS"))
        malloc_stats();
    if (qEnvironmentVariableIsSet("BENCH_SMAPS")) {
        QFile in(u"/proc/self/smaps"_s);
        QFile out(qEnvironmentVariable("BENCH_SMAPS"));
        if (in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly))
            out.write(in.readAll());
    }

    // 2. Scroll to the end as a user dragging the scroll bar down would: the view asks for
    // the next page each time it reaches the end.
    int pages = 1;
    QObject::connect(objects, &QueryModel::loadingChanged, &app, [&] {
        if (objects->isLoading())
            ++pages;
    });
    qint64 longestStallNs = 0;
    QElapsedTimer stall;
    QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
        if (stall.isValid())
            longestStallNs = std::max(longestStallNs, stall.nsecsElapsed());
        stall.start();
    });
    clock.restart();
    const int maxPages = parser.value(u"max-pages"_s).toInt();
    const bool modelOnly = qEnvironmentVariableIsSet("BENCH_MODEL_ONLY");
    if (modelOnly && qEnvironmentVariable("BENCH_MODEL_ONLY") == "detach"_L1)
        list->setProperty("model", QVariant());
    while ((objects->hasMore() || objects->isLoading()) && pages < maxPages) {
        if (modelOnly)
            objects->loadMore();
        else
            QMetaObject::invokeMethod(list, "positionViewAtEnd");
        spin();
        if (clock.elapsed() > 30 * 60 * 1000) {
            std::fprintf(stderr, "scrolling did not reach the end in 30 min\n");
            return 1;
        }
    }
    QMetaObject::invokeMethod(list, "positionViewAtEnd");
    waitFor([] { return false; }, 300);
    const double scrollS = double(clock.elapsed()) / 1000.0;
    const qint64 rssBeforeTrim = statusKib("VmRSS:");
    malloc_trim(0);
    std::printf("RSS %.1f MiB, after malloc_trim %.1f MiB; %d delegates exist\n",
                mib(rssBeforeTrim), mib(statusKib("VmRSS:")),
                int(list->property("contentItem").value<QQuickItem *>()->childItems().size()));
    std::printf("scrolled to the end: %d rows, %d pages in %.1f s; RSS %.1f MiB (%.1f MiB "
                "before opening), peak %.1f MiB; longest gap between frames %.0f ms\n",
                objects->rowCount(), pages, scrollS, mib(statusKib("VmRSS:")), mib(rssBefore),
                mib(statusKib("VmHWM:")), double(longestStallNs) / 1e6);

    // 3. Filter by name over the loaded rows: the time the UI thread is busy, and that it
    // requests nothing.
    const int pagesBefore = pages;
    for (const QString &filter : {u"0424"_s, u"file-09"_s, QString()}) {
        clock.restart();
        objects->setFilter(filter);
        const double setMs = double(clock.nsecsElapsed()) / 1e6;
        waitFor([] { return false; }, 200);
        std::printf("filter \"%s\": %d rows in %.1f ms on the UI thread, %d pages requested\n",
                    qPrintable(filter), objects->rowCount(), setMs, pages - pagesBefore);
    }

    // 4. The server-side search (the page's "Search bucket" mode): the first results on
    // screen after their response, then scrolling through all of them.
    if (parser.isSet(u"search"_s)) {
        auto *search = page->property("search").value<ObjectSearchModel *>();
        qint64 searchArrived = -1;
        qint64 searchShown = -1;
        int searchPages = 0;
        QObject::connect(search, &QueryModel::loadingChanged, &app, [&] {
            if (search->isLoading())
                ++searchPages;
            else if (searchArrived < 0)
                searchArrived = clock.nsecsElapsed();
        });
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
            if (searchArrived >= 0 && searchShown < 0 && list->property("count").toInt() > 0
                && list->property("model").value<QObject *>() == search)
                searchShown = clock.nsecsElapsed();
        });
        clock.restart();
        page->setProperty("searchMode", u"bucket"_s);
        search->setQuery(parser.value(u"search"_s));
        if (!waitFor([&] { return searchShown >= 0 || !search->errorMessage().isEmpty(); }, 30000)
            || !search->errorMessage().isEmpty()) {
            std::fprintf(stderr, "search results not shown: %s\n",
                         qPrintable(search->errorMessage()));
            return 1;
        }
        std::printf("search \"%s\": first %d results on screen %.1f ms after the response "
                    "(%.1f ms after the query)\n",
                    qPrintable(search->query()), search->rowCount(),
                    double(searchShown - searchArrived) / 1e6, double(searchShown) / 1e6);
        clock.restart();
        while (search->hasMore() || search->isLoading()) {
            QMetaObject::invokeMethod(list, "positionViewAtEnd");
            spin();
            if (clock.elapsed() > 10 * 60 * 1000) {
                std::fprintf(stderr, "search did not reach the end in 10 min\n");
                return 1;
            }
        }
        std::printf("search scrolled to the end: %d results, %d pages in %.1f s; RSS %.1f MiB\n",
                    search->rowCount(), searchPages, double(clock.elapsed()) / 1000.0,
                    mib(statusKib("VmRSS:")));
    }
    std::printf("peak RSS %.1f MiB\n", mib(statusKib("VmHWM:")));
    return 0;
}
