// cos-signer: hands out short-lived, least-privilege credentials to apps.
#include "signercore.h"
#include "signerinfo.h"
#include "signerserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// Overwrites secret values in the process's argv so that `ps` and /proc/PID/cmdline stop
// showing them (the kernel reads the live argv memory).
int scrubSecretArguments(int argc, char **argv)
{
    static const char *const secretFlags[] = {"--secret_key", "--secret-key", "--secret_id",
                                              "--secret-id"};
    int scrubbed = 0;
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : secretFlags) {
            const size_t n = std::strlen(flag);
            if (std::strcmp(argv[i], flag) == 0 && i + 1 < argc) {
                std::memset(argv[i + 1], 'x', std::strlen(argv[i + 1]));
                ++scrubbed;
            } else if (std::strncmp(argv[i], flag, n) == 0 && argv[i][n] == '=') {
                std::memset(argv[i] + n + 1, 'x', std::strlen(argv[i] + n + 1));
                ++scrubbed;
            }
        }
    }
    return scrubbed;
}

bool g_debugHttp = false;
QtMessageHandler g_defaultHandler = nullptr;
QLoggingCategory::CategoryFilter g_defaultFilter = nullptr;

// Qt's QHttpServer categories print requests with their headers: off, whatever
// QT_LOGGING_RULES says, unless --debug-http asks for them.
void categoryFilter(QLoggingCategory *category)
{
    if (g_defaultFilter)
        g_defaultFilter(category);
    if (!g_debugHttp && QByteArrayView(category->categoryName()).startsWith("qt.httpserver")) {
        for (QtMsgType t : {QtDebugMsg, QtInfoMsg, QtWarningMsg, QtCriticalMsg})
            category->setEnabled(t, false);
    }
}

// Whether @p message has one of the words redactingHandler() looks for ("Authorization" in any
// case, "Bearer ", "CosSigner-HMAC"). One pass over the text: every access-log line goes
// through here, and four substring searches per line were a visible share of a cache hit.
bool mayCarryCredential(QStringView message)
{
    for (qsizetype i = 0; i < message.size(); ++i) {
        const QStringView rest = message.sliced(i);
        switch (message.at(i).unicode()) {
        case u'A':
        case u'a':
            if (rest.startsWith(u"authorization", Qt::CaseInsensitive))
                return true;
            break;
        case u'B':
            if (rest.startsWith(u"Bearer "))
                return true;
            break;
        case u'C':
            if (rest.startsWith(u"CosSigner-HMAC"))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

// Whatever reaches the log: credentials in Authorization values are replaced.
void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const QRegularExpression authorization(
            u"((?:Authorization|authorization|AUTHORIZATION)\\W{0,4}|Bearer |"
            "CosSigner-HMAC-SHA256 )[^\"'\\r\\n)]*"_s);
    if (!mayCarryCredential(message)) {
        g_defaultHandler(type, context, message);
        return;
    }
    QString safe = message;
    safe.replace(authorization, u"\\1<redacted>"_s);
    g_defaultHandler(type, context, safe);
}

void installLogFilters(bool debugHttp)
{
    g_debugHttp = debugHttp;
    g_defaultFilter = QLoggingCategory::installFilter(categoryFilter);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning: "
                           "%{endif}%{if-critical}error: %{endif}%{message}"_s);
    g_defaultHandler = qInstallMessageHandler(redactingHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cos-signer"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Temporary-key service for COS and S3-compatible stores (cossign-compatible).\n"
            "Secrets are read from COS_SIGNER_SECRET_ID / COS_SIGNER_SECRET_KEY; see "
            "docs/signer.md."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(Signer::SignerConfig::commandLineOptions());
    parser.process(app);
    const int scrubbed = scrubSecretArguments(argc, argv);

    auto fail = [](const QString &message) {
        qCritical("%s", qPrintable(message));
        return 2;
    };
    Signer::SignerConfig config;
    QStringList warnings;
    QString error;
    const bool configured = config.applyArguments(parser, QProcessEnvironment::systemEnvironment(),
                                                  &error, &warnings);
    installLogFilters(config.debugHttp);
    if (!configured)
        return fail(error);
    for (const QString &w : std::as_const(warnings))
        qWarning("%s%s", qPrintable(w),
                 scrubbed && w.contains("command line"_L1) ? " (argv has been overwritten)" : "");

    Signer::SignerCore core(config, Signer::SignerCore::createBackend(config));
    if (parser.isSet(u"print-policy"_s)) {
        Signer::IssueRequest request;
        const Signer::SignerError e = core.defaultRequest(parser.value(u"uid"_s), &request);
        if (e)
            return fail(e.message);
        const QByteArray policy = core.policyFor(request, &error);
        if (policy.isEmpty())
            return fail(error);
        qInfo("%s policy for caller '%s' (%s), %d s:", qPrintable(config.backend),
              qPrintable(parser.value(u"uid"_s)),
              qPrintable(Signer::describeScopes(request.scopes)), request.durationSeconds);
        fputs(QJsonDocument::fromJson(policy).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }

    const QHostAddress address(config.listen == "localhost"_L1 ? u"127.0.0.1"_s : config.listen);
    if (address.isNull())
        return fail(u"--listen: '%1' is not an IP address"_s.arg(config.listen));
    Signer::SignerServer server(&core);
    if (!server.start(address, quint16(config.port), &error))
        return fail(error);
    const Signer::RequestAuth &auth = server.auth();
    qInfo("%s listening on %s://%s:%u (back end %s, auth: %s, CORS origins: %d)",
          qPrintable(Signer::productVersion()), config.tlsCert.isEmpty() ? "http" : "https",
          qPrintable(address.toString()), unsigned(server.port()), qPrintable(config.backend),
          auth.isOpen() ? "none (loopback only)"
                        : qPrintable(u"%1 bearer token(s), %2 HMAC key(s)"_s.arg(auth.tokenCount())
                                             .arg(auth.hmacKeyCount())),
          int(config.corsOrigins.size()));
    return app.exec();
}
