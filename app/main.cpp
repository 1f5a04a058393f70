// cosdemo: browse, create and transfer on COS or an S3-compatible store.
#include "appcontroller.h"
#include "pluraltranslator.h"
#include "screenshot.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QUrl>

#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(CosDemoPlugin)

using namespace Qt::StringLiterals;

namespace {
struct Options
{
    QCommandLineParser parser;
    QCommandLineOption screenshot {u"screenshot"_s,
                                   u"Render offscreen once the first page has loaded, save it to "
                                   "FILE and exit (non-zero when the page shows an error)."_s,
                                   u"file"_s};
    QCommandLineOption tour {u"tour"_s,
                             u"Render every page, dialog and menu offscreen into DIR, light and "
                             "dark; exit non-zero when text is clipped, overlaps or has too "
                             "little contrast."_s,
                             u"dir"_s};
    QCommandLineOption windowSize {u"window-size"_s, u"Window size, e.g. 360x720."_s, u"WxH"_s,
                                   u"1280x800"_s};

    Options()
    {
        parser.setApplicationDescription(u"Browse, create and transfer on COS or an "
                                         "S3-compatible object store."_s);
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(screenshot);
        parser.addOption(tour);
        parser.addOption(windowSize);
    }
};

void setApplicationNames()
{
    QCoreApplication::setApplicationName(u"cosdemo"_s);
    QCoreApplication::setOrganizationName(u"cosdemo"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));
}

// --help, --version and bad options are answered before the GUI exists: QGuiApplication needs a
// display (or aborts in the platform plugin), which printing usage should not.
bool answersWithoutGui(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}
} // namespace

int main(int argc, char *argv[])
{
    if (answersWithoutGui(argc, argv)) {
        QCoreApplication core(argc, argv);
        setApplicationNames();
        Options options;
        options.parser.process(core); // prints and exits
        return 0;
    }

    QGuiApplication app(argc, argv);
    setApplicationNames();
    PluralTranslator plurals;
    QCoreApplication::installTranslator(&plurals);
    Options options;
    QCommandLineParser &parser = options.parser;
    parser.process(app);
    const QCommandLineOption &screenshotOption = options.screenshot;
    const QCommandLineOption &sizeOption = options.windowSize;

    const auto sizeMatch = QRegularExpression(u"^(\\d{2,5})x(\\d{2,5})$"_s)
                                   .match(parser.value(sizeOption));
    if (!sizeMatch.hasMatch()) {
        std::fprintf(stderr, "cosdemo: --window-size wants WIDTHxHEIGHT, e.g. 360x720\n");
        return 64;
    }
    const QSize windowSize(sizeMatch.captured(1).toInt(), sizeMatch.captured(2).toInt());

    // Without a GPU (offscreen, CI) the software scene graph renders reliably.
    if (QGuiApplication::platformName() == "offscreen"_L1
        && qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    QQuickStyle::setStyle(u"Material"_s);

    AppController controller(nullptr);
    AppController::setInstance(&controller);
    controller.start();

    QQmlApplicationEngine engine;
    QObject::connect(
            &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
            [] { QCoreApplication::exit(EXIT_FAILURE); }, Qt::QueuedConnection);
    engine.load(QUrl(u"qrc:/CosDemo/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return EXIT_FAILURE;

    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window)
        return EXIT_FAILURE;
    window->resize(windowSize);

    if (parser.isSet(screenshotOption))
        new Screenshot(window, parser.value(screenshotOption), 30000, &app);
    else if (parser.isSet(options.tour))
        new Tour(window, parser.value(options.tour), 30000, &app);

    return app.exec();
}
