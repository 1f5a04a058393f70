// cos-signer: hands out short-lived, least-privilege credentials to apps.
#include "signerinfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cos-signer"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Temporary-key service for COS and S3-compatible stores (cossign-compatible)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"port"_s, u"TCP port to listen on (default 5000)."_s, u"port"_s, u"5000"_s});
    parser.addOption({u"duration"_s, u"Credential lifetime in seconds (default 1800)."_s,
                      u"seconds"_s, u"1800"_s});
    parser.process(app);

    qCritical("%s: the HTTP service is not built yet (see issue 'cos-signer').",
              qPrintable(Signer::productVersion()));
    return 2;
}
