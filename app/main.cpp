// cosdemo: browse, create and transfer on COS or an S3-compatible store.
#include "appcontroller.h"
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

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(u"cosdemo"_s);
    QGuiApplication::setOrganizationName(u"cosdemo"_s);
    QGuiApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Browse, create and transfer on COS or an S3-compatible "
                                     "object store."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(
            u"screenshot"_s,
            u"Render offscreen once the first page has loaded, save it to FILE and exit "
            "(non-zero when the page shows an error)."_s,
            u"file"_s);
    const QCommandLineOption sizeOption(u"window-size"_s, u"Window size, e.g. 360x720."_s, u"WxH"_s,
                                        u"1280x800"_s);
    parser.addOption(screenshotOption);
    parser.addOption(sizeOption);
    parser.process(app);

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

    return app.exec();
}
