// cosctl: a headless command line over the cos engine, for scripts, benchmarks and CI.
#include "clicontext.h"
#include "commands.h"
#include "transfercommands.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/protocol/endpoint.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const char *const Description = R"(Command-line client for Tencent COS and S3-compatible stores.

Usage: cosctl [GLOBAL OPTIONS] COMMAND [ARGS] [COMMAND OPTIONS]

Commands:
  ls [BUCKET[/PREFIX]] [-r]      list buckets, or objects and prefixes
  ls --region R                  COS: list the buckets of one region
  mb BUCKET [--acl ACL]          create a bucket
  rm BUCKET/KEY...               delete objects
  rm -r BUCKET[/PREFIX]          delete every object under a prefix
  put FILE BUCKET/KEY            upload a file (resumable: rerun to resume)
  get BUCKET/KEY FILE            download an object (resumable: rerun to resume)
  put -r DIR BUCKET[/PREFIX]     upload a folder (rerun: only what is missing or differs)
  get -r BUCKET[/PREFIX] DIR     download a prefix into a folder (same)
  sync DIR s3://BUCKET[/PREFIX] [--delete] [--dry-run]
  sync s3://BUCKET[/PREFIX] DIR  make the destination like the source
  presign BUCKET/KEY [--expires S] [--method GET|PUT] [--offline]
                                 print a presigned URL (on the server's clock)
  credentials                    show the credential source, masked key id and expiry
`cosctl COMMAND --help` shows a command's options.

Configuration (a flag wins over its variable):
  COS_ENDPOINT        --endpoint URL       S3 endpoint, e.g. http://127.0.0.1:7480
                                           (COS dialect: only its scheme is used; see
                                           --protocol, --domain and --connect-to)
  COS_DIALECT         --dialect cos|s3     default: s3 when an endpoint is set, else cos
  COS_REGION          --region R           COS region (ap-guangzhou) or S3 signing region
  COS_APPID           --appid ID           COS APPID appended to bucket names
  COS_PATH_STYLE      --path-style         S3: bucket in the path (1) or host name (0)
  COS_PROTOCOL        --protocol http|https COS: the scheme (default https)
  COS_DOMAIN          --domain TEMPLATE    COS: bucket host, e.g. {Bucket}.file.myqcloud.com
                                           or a custom domain ({Bucket} {BucketName} {AppId}
                                           {Region}); may start with http:// or https://
  COS_SERVICE_DOMAIN  --service-domain H   COS: host of `ls` (list buckets); {Region} allowed
  COS_ACCELERATE      --accelerate         COS: global acceleration domain (1)
  COS_INTERNAL        --internal           COS: private-network domain of the region (1)
  COS_CONNECT_TO      --connect-to H[:P]   connect to H:P instead ([IPv6] in brackets); Host,
                                           signature and TLS name stay the real host's
                                           (like curl --connect-to, the SDKs' Ip)
  COS_BACKUP_DOMAIN   --no-backup-domain   COS: 0 turns off the retry on *.tencentcos.cn
                                           after the default domain gave no answer
  COS_SECRET_ID       --secret-id ID       static or temporary key id
  COS_SECRET_KEY      --secret-key KEY     (prefer the variable: flags show in `ps`)
  COS_SESSION_TOKEN   --session-token T    token of temporary keys
  COS_CREDENTIALS_URL --credentials-url U  signing URL returning temporary keys (JSON);
                                           used instead of COS_SECRET_ID/KEY when set
  COS_CREDENTIALS_TOKEN --credentials-token T  sent as "Authorization: Bearer T"
  COS_CHECKPOINT_DIR  --checkpoint-dir D   where put/get keep resume checkpoints
  COS_DIRECT_UPLOADS                       0: send upload bodies through Qt's network
                                           stack instead of cosctl's own connections

Exit codes:
  0  success
  1  other error (service error, malformed response, local file error)
  2  usage error or invalid input (bad option, bucket name or key)
  3  not found (no such bucket, key or file)
  4  access denied, or missing, rejected or unobtainable credentials
  5  network error, timeout or server unavailable (5xx) after retries
  6  integrity check failed (size, ETag or CRC64 mismatch)
  7  a batch (rm -r, put -r, get -r, sync) finished but some files failed
  130 interrupted (Ctrl-C)
)";

struct Options
{
    QCommandLineOption endpoint {u"endpoint"_s, u"S3 endpoint URL (COS_ENDPOINT)."_s, u"URL"_s};
    QCommandLineOption dialect {u"dialect"_s, u"cos or s3 (COS_DIALECT)."_s, u"DIALECT"_s};
    QCommandLineOption region {u"region"_s, u"Region (COS_REGION)."_s, u"REGION"_s};
    QCommandLineOption appId {u"appid"_s, u"COS APPID (COS_APPID)."_s, u"APPID"_s};
    QCommandLineOption pathStyle {u"path-style"_s,
                                  u"S3 path-style addressing (COS_PATH_STYLE=1)."_s};
    QCommandLineOption protocol {u"protocol"_s, u"COS: http or https (COS_PROTOCOL)."_s,
                                 u"SCHEME"_s};
    QCommandLineOption domain {u"domain"_s, u"COS: bucket host template (COS_DOMAIN)."_s,
                               u"TEMPLATE"_s};
    QCommandLineOption serviceDomain {u"service-domain"_s,
                                      u"COS: list-buckets host (COS_SERVICE_DOMAIN)."_s, u"HOST"_s};
    QCommandLineOption accelerate {u"accelerate"_s,
                                   u"COS: global acceleration domain (COS_ACCELERATE=1)."_s};
    QCommandLineOption internal {u"internal"_s, u"COS: private-network domain (COS_INTERNAL=1)."_s};
    QCommandLineOption connectTo {u"connect-to"_s,
                                  u"Connect to HOST[:PORT], keep Host and signature "
                                  "(COS_CONNECT_TO)."_s,
                                  u"HOST[:PORT]"_s};
    QCommandLineOption noBackupDomain {u"no-backup-domain"_s,
                                       u"COS: no retry on *.tencentcos.cn "
                                       "(COS_BACKUP_DOMAIN=0)."_s};
    QCommandLineOption secretId {u"secret-id"_s, u"Key id (COS_SECRET_ID)."_s, u"ID"_s};
    QCommandLineOption secretKey {u"secret-key"_s, u"Secret key (COS_SECRET_KEY)."_s, u"KEY"_s};
    QCommandLineOption sessionToken {u"session-token"_s, u"Session token (COS_SESSION_TOKEN)."_s,
                                     u"TOKEN"_s};
    QCommandLineOption credentialsUrl {u"credentials-url"_s,
                                       u"Signing URL (COS_CREDENTIALS_URL)."_s, u"URL"_s};
    QCommandLineOption
            credentialsToken {u"credentials-token"_s,
                              u"Bearer token for the signing URL (COS_CREDENTIALS_TOKEN)."_s,
                              u"TOKEN"_s};
    QCommandLineOption timeout {u"timeout"_s, u"Inactivity timeout per request in seconds (60)."_s,
                                u"S"_s, u"60"_s};
    QCommandLineOption retries {u"retries"_s, u"Attempts per request for transient errors (3)."_s,
                                u"N"_s, u"3"_s};
    QCommandLineOption quiet {{u"q"_s, u"quiet"_s}, u"No progress output."_s};
    QCommandLineOption verbose {{u"v"_s, u"verbose"_s},
                                u"Log requests and retries (never secrets)."_s};
    QCommandLineOption help {{u"h"_s, u"help"_s}, u"Show this help."_s};
    QCommandLineOption version {u"version"_s, u"Show the version."_s};
};

QString setting(const QCommandLineParser &parser, const QCommandLineOption &option,
                const char *variable)
{
    if (parser.isSet(option))
        return parser.value(option);
    return qEnvironmentVariable(variable);
}

bool isTrue(const QString &value)
{
    return value == "1"_L1 || value.compare("true"_L1, Qt::CaseInsensitive) == 0
            || value.compare("yes"_L1, Qt::CaseInsensitive) == 0;
}

bool isFalse(const QString &value)
{
    return value == "0"_L1 || value.compare("false"_L1, Qt::CaseInsensitive) == 0
            || value.compare("no"_L1, Qt::CaseInsensitive) == 0
            || value.compare("off"_L1, Qt::CaseInsensitive) == 0;
}

// A switch given as a flag or as a variable (1/true/yes).
bool flag(const QCommandLineParser &parser, const QCommandLineOption &option, const char *variable)
{
    return parser.isSet(option) || isTrue(qEnvironmentVariable(variable));
}

// Builds the client from flags and environment. A usage error returns false; a configuration
// that cannot work (no keys, bad endpoint) leaves context->client null with configError set, so
// `COMMAND --help` still works.
bool configure(const QCommandLineParser &parser, const Options &o, CliContext *context,
               std::unique_ptr<Cos::Client> *owner)
{
    const QString endpointUrl = setting(parser, o.endpoint, "COS_ENDPOINT");
    QString dialect = setting(parser, o.dialect, "COS_DIALECT").toLower();
    if (dialect.isEmpty())
        dialect = endpointUrl.isEmpty() ? u"cos"_s : u"s3"_s;
    if (dialect != "cos"_L1 && dialect != "s3"_L1) {
        printError(u"unknown dialect '%1' (use cos or s3)"_s.arg(dialect));
        return false;
    }
    bool timeoutOk = false, retriesOk = false;
    const int timeoutSeconds = parser.value(o.timeout).toInt(&timeoutOk);
    const int attempts = parser.value(o.retries).toInt(&retriesOk);
    if (!timeoutOk || timeoutSeconds < 0 || timeoutSeconds > 86400) {
        printError(u"--timeout must be 0..86400 seconds, not '%1'"_s.arg(parser.value(o.timeout)));
        return false;
    }
    if (!retriesOk || attempts < 1 || attempts > 20) {
        printError(u"--retries must be 1..20, not '%1'"_s.arg(parser.value(o.retries)));
        return false;
    }

    if (dialect == "s3"_L1) {
        for (const QCommandLineOption *cosOnly : {&o.protocol, &o.domain, &o.serviceDomain,
                                                  &o.accelerate, &o.internal, &o.noBackupDomain}) {
            if (parser.isSet(*cosOnly)) {
                printError(u"--%1 is a COS dialect option (the s3 dialect takes the endpoint URL)"_s
                                   .arg(cosOnly->names().constFirst()));
                return false;
            }
        }
    }
    const QString region = setting(parser, o.region, "COS_REGION");
    Cos::Endpoint endpoint;
    Cos::Error error;
    if (dialect == "s3"_L1) {
        if (endpointUrl.isEmpty()) {
            context->configError = Cos::Error(Cos::Error::Kind::InvalidInput,
                                              u"the s3 dialect needs an endpoint: set COS_ENDPOINT "
                                              "or --endpoint (e.g. http://127.0.0.1:7480)"_s);
            return true;
        }
        const QString pathStyleValue = parser.isSet(o.pathStyle)
                ? u"1"_s
                : qEnvironmentVariable("COS_PATH_STYLE");
        endpoint = Cos::Endpoint::s3(QUrl(endpointUrl), region.isEmpty() ? u"us-east-1"_s : region,
                                     isTrue(pathStyleValue), &error);
    } else {
        endpoint = Cos::Endpoint::cos(region, setting(parser, o.appId, "COS_APPID"));
        if (!endpointUrl.isEmpty()) {
            const QUrl url(endpointUrl);
            if (url.scheme() == "http"_L1 || url.scheme() == "https"_L1)
                endpoint.scheme = url.scheme();
        }
    }
    Cos::EndpointOptions options;
    options.connectTo = setting(parser, o.connectTo, "COS_CONNECT_TO");
    if (dialect == "cos"_L1) {
        options.protocol = setting(parser, o.protocol, "COS_PROTOCOL");
        options.domain = setting(parser, o.domain, "COS_DOMAIN");
        options.serviceDomain = setting(parser, o.serviceDomain, "COS_SERVICE_DOMAIN");
        options.accelerate = flag(parser, o.accelerate, "COS_ACCELERATE");
        options.internal = flag(parser, o.internal, "COS_INTERNAL");
        options.backupDomain = !parser.isSet(o.noBackupDomain)
                && !isFalse(qEnvironmentVariable("COS_BACKUP_DOMAIN"));
    }
    if (!error)
        error = options.applyTo(&endpoint);
    if (!error)
        error = endpoint.validate();
    // Listing all buckets needs no region; everything else reports it when used.
    if (error && dialect == "cos"_L1 && region.isEmpty() && error.message().contains("region"_L1))
        error = {};
    if (error) {
        context->configError = error;
        return true;
    }

    const QString url = setting(parser, o.credentialsUrl, "COS_CREDENTIALS_URL");
    Cos::Credentials keys;
    keys.secretId = setting(parser, o.secretId, "COS_SECRET_ID");
    keys.secretKey = setting(parser, o.secretKey, "COS_SECRET_KEY");
    keys.sessionToken = setting(parser, o.sessionToken, "COS_SESSION_TOKEN");
    if (url.isEmpty() && keys.isEmpty()) {
        context->configError = Cos::Error(Cos::Error::Kind::Credentials,
                                          u"no credentials: set COS_SECRET_ID and COS_SECRET_KEY, "
                                          "or COS_CREDENTIALS_URL (see cosctl --help)"_s);
        context->credentialSource = u"(none)"_s;
        return true;
    }
    auto client = std::make_unique<Cos::Client>(endpoint, nullptr);
    client->setTransferTimeout(timeoutSeconds * 1000);
    client->setMaxAttempts(attempts);
    if (!url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != "http"_L1 && parsed.scheme() != "https"_L1)) {
            context->configError = Cos::Error(Cos::Error::Kind::InvalidInput,
                                              u"COS_CREDENTIALS_URL is not an http(s) URL"_s);
            return true;
        }
        client->setCredentialProvider(new Cos::UrlCredentialProvider(
                client->networkAccessManager(), parsed,
                setting(parser, o.credentialsToken, "COS_CREDENTIALS_TOKEN").toUtf8()));
    } else {
        const bool fromFlags = parser.isSet(o.secretId) || parser.isSet(o.secretKey);
        client->setCredentialProvider(
                new Cos::StaticCredentialProvider(keys,
                                                  fromFlags ? u"command line"_s : u"environment"_s));
    }
    context->credentialSource = client->credentialProvider()->description();
    *owner = std::move(client);
    context->client = owner->get();
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cosctl"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));
    qSetMessagePattern(u"cosctl: %{message}"_s);

    Options o;
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(Description));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addOptions({o.endpoint,         o.dialect,   o.region,       o.appId,
                       o.pathStyle,        o.protocol,  o.domain,       o.serviceDomain,
                       o.accelerate,       o.internal,  o.connectTo,    o.noBackupDomain,
                       o.secretId,         o.secretKey, o.sessionToken, o.credentialsUrl,
                       o.credentialsToken, o.timeout,   o.retries,      o.quiet,
                       o.verbose,          o.help,      o.version});
    parser.addPositionalArgument(u"command"_s, u"The command to run (see above)."_s,
                                 u"COMMAND [ARGS]"_s);
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText() + u" (see cosctl --help)"_s);
        return ExitCode::Usage;
    }
    if (parser.isSet(o.version)) {
        std::printf("cosctl %s\n", COS_PROJECT_VERSION);
        return ExitCode::Ok;
    }
    const QStringList rest = parser.positionalArguments();
    if (parser.isSet(o.help) || (rest.isEmpty())) {
        const QString help = parser.helpText();
        std::fputs(qUtf8Printable(help), parser.isSet(o.help) ? stdout : stderr);
        return parser.isSet(o.help) ? ExitCode::Ok : ExitCode::Usage;
    }

    if (parser.isSet(o.verbose))
        QLoggingCategory::setFilterRules(u"cos.*.debug=true"_s);
    else if (parser.isSet(o.quiet))
        QLoggingCategory::setFilterRules(u"cos.*.info=false"_s);

    CliContext context;
    context.quiet = parser.isSet(o.quiet);
    context.stdoutIsTerminal = isatty(STDOUT_FILENO);
    context.stderrIsTerminal = isatty(STDERR_FILENO);
    std::unique_ptr<Cos::Client> client;
    if (!configure(parser, o, &context, &client))
        return ExitCode::Usage;

    const QString command = rest.constFirst();
    if (command == "ls"_L1)
        return runList(context, rest);
    if (command == "mb"_L1)
        return runMakeBucket(context, rest);
    if (command == "rm"_L1)
        return runRemove(context, rest);
    if (command == "presign"_L1)
        return runPresign(context, rest);
    if (command == "credentials"_L1)
        return runCredentials(context, rest);
    if (command == "put"_L1 || command == "get"_L1 || command == "sync"_L1)
        return runTransferCommand(context, rest);
    printError(u"unknown command '%1' (see cosctl --help)"_s.arg(command));
    return ExitCode::Usage;
}
