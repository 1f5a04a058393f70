// cosctl: a headless command line over the cos engine, for scripts, benchmarks and CI.
#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cosctl"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Command-line client for COS and S3-compatible stores.\n\n"
            "Commands:\n"
            "  ls [BUCKET[/PREFIX]]      list buckets or objects\n"
            "  mb BUCKET                 create a bucket\n"
            "  rm BUCKET/KEY             delete an object\n"
            "  put FILE BUCKET/KEY       upload a file (resumable)\n"
            "  get BUCKET/KEY FILE       download an object (resumable)\n"
            "  presign BUCKET/KEY        print a presigned URL\n"
            "  credentials               show where credentials come from"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"command"_s, u"The command to run (see above)."_s);
    parser.process(app);

    if (parser.positionalArguments().isEmpty()) {
        parser.showHelp(1);
    }
    qCritical("cosctl: command '%s' is not implemented yet.",
              qPrintable(parser.positionalArguments().constFirst()));
    return 2;
}
