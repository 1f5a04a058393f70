// cos-signer: hands out short-lived, least-privilege credentials to apps.
#include "signercore.h"
#include "signerinfo.h"
#include "signerserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

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

QStringList splitList(const QString &value)
{
    QStringList out;
    const QStringList parts = value.split(QRegularExpression(u"[,\\n]"_s), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        if (!p.trimmed().isEmpty())
            out.append(p.trimmed());
    }
    return out;
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
    const QCommandLineOption configOpt(u"config"_s, u"JSON config file."_s, u"file"_s);
    const QCommandLineOption secretIdOpt({u"secret_id"_s, u"secret-id"_s},
                                         u"Permanent SecretId (prefer COS_SIGNER_SECRET_ID)."_s,
                                         u"id"_s);
    const QCommandLineOption secretKeyOpt({u"secret_key"_s, u"secret-key"_s},
                                          u"Permanent SecretKey (prefer COS_SIGNER_SECRET_KEY; "
                                          "a warning is printed when given here)."_s,
                                          u"key"_s);
    const QCommandLineOption portOpt(u"port"_s, u"TCP port (default 5000; 0 = any free)."_s,
                                     u"port"_s);
    const QCommandLineOption durationOpt(u"duration"_s,
                                         u"Credential lifetime in seconds (default 1800)."_s,
                                         u"seconds"_s);
    const QCommandLineOption maxDurationOpt(u"max-duration"_s,
                                            u"Longest lifetime a POST /sts may ask for."_s,
                                            u"seconds"_s);
    const QCommandLineOption backendOpt(u"backend"_s, u"tencent (default) or s3-sts."_s, u"name"_s);
    const QCommandLineOption stsEndpointOpt(u"sts-endpoint"_s,
                                            u"STS URL (default https://sts.tencentcloudapi.com/)."_s,
                                            u"url"_s);
    const QCommandLineOption stsRegionOpt(u"sts-region"_s,
                                          u"Region sent to STS (default: --region)."_s,
                                          u"region"_s);
    const QCommandLineOption roleArnOpt(u"role-arn"_s,
                                        u"Role to assume (tencent: AssumeRole instead of "
                                        "GetFederationToken; s3-sts: required)."_s,
                                        u"arn"_s);
    const QCommandLineOption appIdOpt(u"appid"_s, u"Tencent APPID (tencent back end)."_s,
                                      u"appid"_s);
    const QCommandLineOption regionOpt(u"region"_s, u"Bucket region."_s, u"region"_s);
    const QCommandLineOption bucketOpt(u"bucket"_s, u"Bucket to grant."_s, u"bucket"_s);
    const QCommandLineOption prefixOpt(
            u"allow-prefix"_s,
            u"Key prefix template to grant, repeatable (default users/${uid}/; '*' = whole "
            "bucket)."_s,
            u"prefix"_s);
    const QCommandLineOption actionsOpt(u"actions"_s,
                                        u"Action sets to grant: upload,download,list,delete "
                                        "(default upload,download,list)."_s,
                                        u"list"_s);
    const QCommandLineOption listenOpt(u"listen"_s, u"Address to bind (default 127.0.0.1)."_s,
                                       u"address"_s);
    const QCommandLineOption tlsCertOpt(u"tls-cert"_s, u"PEM certificate (chain) for HTTPS."_s,
                                        u"file"_s);
    const QCommandLineOption tlsKeyOpt(u"tls-key"_s, u"PEM private key for HTTPS."_s, u"file"_s);
    const QCommandLineOption corsOpt(u"cors-origin"_s, u"Allowed CORS origin, repeatable."_s,
                                     u"origin"_s);
    const QCommandLineOption tokensOpt(u"tokens-file"_s,
                                       u"Bearer tokens, one 'uid:token' per line."_s, u"file"_s);
    const QCommandLineOption hmacOpt(u"hmac-keys-file"_s,
                                     u"HMAC client keys, one 'uid:secret' per line."_s, u"file"_s);
    const QCommandLineOption maxBodyOpt(u"max-body"_s, u"Request body limit in bytes."_s,
                                        u"bytes"_s);
    const QCommandLineOption rateOpt(u"rate"_s, u"Requests per second per client (0 = off)."_s,
                                     u"n"_s);
    const QCommandLineOption burstOpt(u"burst"_s, u"Rate-limit burst per client."_s, u"n"_s);
    const QCommandLineOption
            anonRateOpt(u"anon-rate"_s,
                        u"Requests per second per address that fail to authenticate (default 1)."_s,
                        u"n"_s);
    const QCommandLineOption anonBurstOpt(u"anon-burst"_s, u"Burst for --anon-rate (default 10)."_s,
                                          u"n"_s);
    const QCommandLineOption
            headerTimeoutOpt(u"header-timeout"_s,
                             u"Milliseconds a client has to send a whole request (default 10000)."_s,
                             u"ms"_s);
    const QCommandLineOption idleTimeoutOpt(
            u"idle-timeout"_s,
            u"Milliseconds a keep-alive connection may wait for its next request (default "
            "30000)."_s,
            u"ms"_s);
    const QCommandLineOption maxConnectionsOpt(
            u"max-connections"_s,
            u"Open connections at most (default 1024; lowered to fit the file-descriptor "
            "limit)."_s,
            u"n"_s);
    const QCommandLineOption maxPerAddressOpt(
            u"max-connections-per-address"_s,
            u"Open connections per client address (default 32; trusted proxies exempt)."_s, u"n"_s);
    const QCommandLineOption trustedProxyOpt(
            u"trusted-proxy"_s,
            u"Address or CIDR of a reverse proxy whose X-Forwarded-For names the client, "
            "repeatable."_s,
            u"cidr"_s);
    const QCommandLineOption debugHttpOpt(
            u"debug-http"_s,
            u"Let Qt's qt.httpserver* debug logging through (Authorization redacted)."_s);
    const QCommandLineOption timeoutOpt(u"upstream-timeout"_s, u"STS timeout in milliseconds."_s,
                                        u"ms"_s);
    const QCommandLineOption marginOpt(u"cache-margin"_s,
                                       u"Reuse cached credentials while more than this many "
                                       "seconds remain (default 300)."_s,
                                       u"seconds"_s);
    const QCommandLineOption printPolicyOpt(
            u"print-policy"_s,
            u"Print the least-privilege policy sent to STS for a caller, then exit."_s);
    const QCommandLineOption uidOpt(u"uid"_s, u"Caller identity for --print-policy."_s, u"uid"_s,
                                    u"example-user"_s);
    for (const auto &o : {configOpt,         secretIdOpt,      secretKeyOpt,     portOpt,
                          durationOpt,       maxDurationOpt,   backendOpt,       stsEndpointOpt,
                          stsRegionOpt,      roleArnOpt,       appIdOpt,         regionOpt,
                          bucketOpt,         prefixOpt,        actionsOpt,       listenOpt,
                          tlsCertOpt,        tlsKeyOpt,        corsOpt,          tokensOpt,
                          hmacOpt,           maxBodyOpt,       rateOpt,          burstOpt,
                          timeoutOpt,        marginOpt,        printPolicyOpt,   uidOpt,
                          anonRateOpt,       anonBurstOpt,     headerTimeoutOpt, idleTimeoutOpt,
                          maxConnectionsOpt, maxPerAddressOpt, trustedProxyOpt,  debugHttpOpt})
        parser.addOption(o);
    parser.process(app);
    const int scrubbed = scrubSecretArguments(argc, argv);

    auto fail = [](const QString &message) {
        qCritical("%s", qPrintable(message));
        return 2;
    };
    // A numeric option's value, or an error naming the option. Whole-number options take ASCII
    // digits only (no fraction, exponent or sign games: "5000.7" is refused, not truncated) and
    // must fit their type; rates may be fractional but must be finite and not negative.
    QString numberError;
    auto numberValue = [&](const QCommandLineOption &o, auto *target, qint64 max = -1) {
        using T = std::remove_pointer_t<decltype(target)>;
        if (!parser.isSet(o))
            return true;
        const QString text = parser.value(o).trimmed();
        const QString name = u"--"_s + o.names().constFirst();
        if constexpr (std::is_floating_point_v<T>) {
            bool ok = false;
            const double v = text.toDouble(&ok);
            if (!ok || !std::isfinite(v) || v < 0) {
                numberError = u"%1: \"%2\" is not a number of 0 or more"_s.arg(name, text.left(32));
                return false;
            }
            *target = v;
        } else {
            const bool digits = !text.isEmpty() && text.size() <= 18
                    && std::all_of(text.cbegin(), text.cend(),
                                   [](QChar c) { return c >= u'0' && c <= u'9'; });
            const qint64 limit = max >= 0 ? max : qint64(std::numeric_limits<T>::max());
            const qint64 v = digits ? text.toLongLong() : -1;
            if (!digits || v > limit) {
                numberError = u"%1: \"%2\" is not a whole number from 0 to %3"_s
                                      .arg(name, text.left(32), QString::number(limit));
                return false;
            }
            *target = T(v);
        }
        return true;
    };

    Signer::SignerConfig config;
    QStringList warnings;
    QString error;
    const QString configFile = parser.isSet(configOpt) ? parser.value(configOpt)
                                                       : qEnvironmentVariable("COS_SIGNER_CONFIG");
    if (!configFile.isEmpty() && !config.loadFile(configFile, &error, &warnings))
        return fail(error);
    // So that the bare cossign command line works unchanged once these are exported.
    if (qEnvironmentVariableIsSet("COS_SIGNER_APPID"))
        config.appId = qEnvironmentVariable("COS_SIGNER_APPID");
    const QString envBucket = qEnvironmentVariable("COS_SIGNER_BUCKET");
    const QString envRegion = qEnvironmentVariable("COS_SIGNER_REGION");

    // Secrets: environment first (preferred), then argv with a warning.
    if (qEnvironmentVariableIsSet("COS_SIGNER_SECRET_ID"))
        config.secretId = qEnvironmentVariable("COS_SIGNER_SECRET_ID");
    if (qEnvironmentVariableIsSet("COS_SIGNER_SECRET_KEY"))
        config.secretKey = qEnvironmentVariable("COS_SIGNER_SECRET_KEY");
    if (parser.isSet(secretIdOpt))
        config.secretId = parser.value(secretIdOpt);
    if (parser.isSet(secretKeyOpt)) {
        config.secretKey = parser.value(secretKeyOpt);
        warnings.append(u"the secret key was given on the command line, where other users and "
                        "shell history can see it; use COS_SIGNER_SECRET_KEY instead%1"_s.arg(
                                scrubbed ? u" (argv has been overwritten)"_s : QString()));
    }
    if (qEnvironmentVariableIsSet("COS_SIGNER_TOKENS"))
        config.tokens = splitList(qEnvironmentVariable("COS_SIGNER_TOKENS"));
    if (qEnvironmentVariableIsSet("COS_SIGNER_HMAC_KEYS"))
        config.hmacKeys = splitList(qEnvironmentVariable("COS_SIGNER_HMAC_KEYS"));

    auto str = [&](const QCommandLineOption &o, QString *target) {
        if (parser.isSet(o))
            *target = parser.value(o);
    };
    str(backendOpt, &config.backend);
    str(stsEndpointOpt, &config.stsEndpoint);
    str(stsRegionOpt, &config.stsRegion);
    str(roleArnOpt, &config.roleArn);
    str(appIdOpt, &config.appId);
    str(listenOpt, &config.listen);
    str(tlsCertOpt, &config.tlsCert);
    str(tlsKeyOpt, &config.tlsKey);
    str(tokensOpt, &config.tokensFile);
    str(hmacOpt, &config.hmacKeysFile);
    if (parser.isSet(corsOpt))
        config.corsOrigins = parser.values(corsOpt);
    if (parser.isSet(trustedProxyOpt))
        config.trustedProxies = parser.values(trustedProxyOpt);
    if (parser.isSet(debugHttpOpt))
        config.debugHttp = true;
    installLogFilters(config.debugHttp);
    if (!numberValue(portOpt, &config.port, 65535)
        || !numberValue(durationOpt, &config.durationSeconds)
        || !numberValue(maxDurationOpt, &config.maxDurationSeconds)
        || !numberValue(maxBodyOpt, &config.maxBodyBytes)
        || !numberValue(rateOpt, &config.ratePerSecond) || !numberValue(burstOpt, &config.rateBurst)
        || !numberValue(timeoutOpt, &config.upstreamTimeoutMs)
        || !numberValue(marginOpt, &config.cacheMarginSeconds)
        || !numberValue(anonRateOpt, &config.anonRatePerSecond)
        || !numberValue(anonBurstOpt, &config.anonBurst)
        || !numberValue(headerTimeoutOpt, &config.headerTimeoutMs)
        || !numberValue(idleTimeoutOpt, &config.idleTimeoutMs)
        || !numberValue(maxConnectionsOpt, &config.maxConnections)
        || !numberValue(maxPerAddressOpt, &config.maxConnectionsPerAddress))
        return fail(numberError);

    const QString bucket = parser.isSet(bucketOpt) ? parser.value(bucketOpt) : envBucket;
    const QString region = parser.isSet(regionOpt) ? parser.value(regionOpt) : envRegion;
    if (!bucket.isEmpty() || !region.isEmpty()) {
        if (bucket.isEmpty() || region.isEmpty())
            return fail(u"--bucket and --region go together"_s);
        Signer::Operations ops;
        const QString actions = parser.isSet(actionsOpt) ? parser.value(actionsOpt)
                                                         : u"upload,download,list"_s;
        if (!Signer::parseActionList(actions, &ops, &error))
            return fail(u"--actions: "_s + error);
        QStringList prefixes = parser.values(prefixOpt);
        if (prefixes.isEmpty())
            prefixes = {u"users/${uid}/"_s};
        config.grants.clear();
        for (const QString &p : std::as_const(prefixes))
            config.grants.append({bucket, region, p, ops});
    } else if (parser.isSet(prefixOpt) || parser.isSet(actionsOpt)) {
        return fail(u"--allow-prefix and --actions need --bucket and --region"_s);
    }

    if (parser.isSet(printPolicyOpt)) {
        // No secrets needed to show what would be sent.
        if (config.secretId.isEmpty())
            config.secretId = u"(none)"_s;
        if (config.secretKey.isEmpty())
            config.secretKey = u"(none)"_s;
    }
    if (!config.validate(&error, &warnings))
        return fail(error);
    for (const QString &w : std::as_const(warnings))
        qWarning("%s", qPrintable(w));

    Signer::SignerCore core(config, Signer::SignerCore::createBackend(config));
    if (parser.isSet(printPolicyOpt)) {
        Signer::IssueRequest request;
        const Signer::SignerError e = core.defaultRequest(parser.value(uidOpt), &request);
        if (e)
            return fail(e.message);
        const QByteArray policy = core.policyFor(request, &error);
        if (policy.isEmpty())
            return fail(error);
        qInfo("%s policy for caller '%s' (%s), %d s:", qPrintable(config.backend),
              qPrintable(parser.value(uidOpt)), qPrintable(Signer::describeScopes(request.scopes)),
              request.durationSeconds);
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
