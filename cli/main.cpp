// cosctl: a headless command line over the cos engine, for scripts, benchmarks and CI.
#include "clicontext.h"
#include "commands.h"
#include "requesttrace.h"
#include "transfercommands.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/protocol/endpoint.h"

#include "embeddedsigner.h"

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
  cp SRC_BUCKET/KEY DST_BUCKET/KEY  copy an object on the server (server-side copy)
  mv SRC_BUCKET/KEY DST_BUCKET/KEY  move an object on the server (copy, then delete)
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
  COS_EMBEDDED_SIGNER --embedded-signer    1: run the signer in process (development only: the
                                           permanent key sits where cosctl runs); requests are
                                           signed with the temporary keys it issues
  COS_SIGNER_SECRET_ID / COS_SIGNER_SECRET_KEY  its permanent key (never a flag)
                      --backend s3-sts|tencent   default: s3-sts (s3 dialect), tencent (cos)
  COS_STS_ENDPOINT    --sts-endpoint URL   STS URL (s3-sts: required; tencent: has a default)
  COS_ROLE_ARN        --role-arn ARN       role to assume (s3-sts: required)
  COS_SIGNER_BUCKET   --bucket B           bucket to grant
                      --allow-prefix P     key prefix to grant, repeatable (default
                                           users/${uid}/, ${uid} = the login name; '*' = all)
                      --actions LIST       upload,download,list,delete (default
                                           upload,download,list)
                      --duration S         key lifetime in seconds (default 1800)
  COS_CA_FILE         --ca-file F          PEM CA certificates trusted on top of the system
                                           roots (endpoints and the signing URL)
  COS_CHECKPOINT_DIR  --checkpoint-dir D   where put/get keep resume checkpoints
  COS_DIRECT_UPLOADS                       0: send requests through Qt's network stack
                                           instead of cosctl's own connections

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
    QCommandLineOption embeddedSigner {u"embedded-signer"_s,
                                       u"Run the signer in process; sign with its temporary keys "
                                       "(COS_EMBEDDED_SIGNER=1)."_s};
    QCommandLineOption backend {u"backend"_s, u"Embedded signer: s3-sts or tencent."_s, u"NAME"_s};
    QCommandLineOption stsEndpoint {u"sts-endpoint"_s,
                                    u"Embedded signer: STS URL (COS_STS_ENDPOINT)."_s, u"URL"_s};
    QCommandLineOption roleArn {u"role-arn"_s, u"Embedded signer: role to assume (COS_ROLE_ARN)."_s,
                                u"ARN"_s};
    QCommandLineOption bucket {u"bucket"_s,
                               u"Embedded signer: bucket to grant (COS_SIGNER_BUCKET)."_s,
                               u"BUCKET"_s};
    QCommandLineOption allowPrefix {u"allow-prefix"_s,
                                    u"Embedded signer: key prefix to grant, repeatable."_s,
                                    u"PREFIX"_s};
    QCommandLineOption actions {u"actions"_s,
                                u"Embedded signer: upload,download,list,delete (default "
                                "upload,download,list)."_s,
                                u"LIST"_s};
    QCommandLineOption duration {u"duration"_s,
                                 u"Embedded signer: key lifetime in seconds (1800)."_s, u"S"_s};
    QCommandLineOption caFile {u"ca-file"_s,
                               u"PEM bundle of extra CA certificates to trust (COS_CA_FILE)."_s,
                               u"FILE"_s};
    QCommandLineOption timeout {u"timeout"_s, u"Inactivity timeout per request in seconds (60)."_s,
                                u"S"_s, u"60"_s};
    QCommandLineOption retries {u"retries"_s, u"Attempts per request for transient errors (3)."_s,
                                u"N"_s, u"3"_s};
    QCommandLineOption quiet {{u"q"_s, u"quiet"_s}, u"No progress output."_s};
    QCommandLineOption verbose {{u"v"_s, u"verbose"_s},
                                u"Log requests and retries (never secrets)."_s};
    QCommandLineOption trace {u"trace"_s,
                              u"Print every request to stderr as it completes: operation, URL, "
                              "status, time, bytes, request id, retries (never secrets)."_s};
    QCommandLineOption traceSigning {u"trace-signing"_s,
                                     u"Like --trace, plus the headers sent, the canonical request "
                                     "and the string to sign."_s};
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

// The embedded signer's own options need its mode, and its permanent key never comes from argv
// (the key options of the other sources would be taken for it).
bool checkSignerOptions(const QCommandLineParser &parser, const Options &o, bool embedded)
{
    if (!embedded) {
        for (const QCommandLineOption *signerOnly :
             {&o.backend, &o.stsEndpoint, &o.roleArn, &o.bucket, &o.allowPrefix, &o.actions,
              &o.duration}) {
            if (parser.isSet(*signerOnly)) {
                printError(u"--%1 is an option of the embedded signer: add --embedded-signer "
                           "(or COS_EMBEDDED_SIGNER=1)"_s.arg(signerOnly->names().constFirst()));
                return false;
            }
        }
        return true;
    }
    for (const QCommandLineOption *other :
         {&o.secretId, &o.secretKey, &o.sessionToken, &o.credentialsUrl, &o.credentialsToken}) {
        if (parser.isSet(*other)) {
            printError(u"--%1 does not go with --embedded-signer: its permanent key comes from "
                       "COS_SIGNER_SECRET_ID and COS_SIGNER_SECRET_KEY, and requests are signed "
                       "with the temporary keys it issues"_s.arg(other->names().constFirst()));
            return false;
        }
    }
    if (parser.isSet(o.duration)) {
        bool ok = false;
        const int seconds = parser.value(o.duration).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 129600) {
            printError(u"--duration must be a whole number of seconds, 1..129600, not '%1'"_s.arg(
                    parser.value(o.duration)));
            return false;
        }
    }
    return true;
}

// The embedded signer's configuration, as cos-signer would have it from the same options, and
// the provider that issues temporary keys from it; null with @p problem set when it cannot work.
std::unique_ptr<Signer::EmbeddedCredentialProvider> makeEmbeddedSigner(
        const QCommandLineParser &parser, const Options &o, const QString &dialect,
        const QString &region, QString *problem)
{
    Signer::SignerConfig config;
    config.secretId = qEnvironmentVariable("COS_SIGNER_SECRET_ID");
    config.secretKey = qEnvironmentVariable("COS_SIGNER_SECRET_KEY");
    if (config.secretId.isEmpty() || config.secretKey.isEmpty()) {
        *problem = u"no permanent key: set COS_SIGNER_SECRET_ID and COS_SIGNER_SECRET_KEY"_s;
        return {};
    }
    config.backend = parser.isSet(o.backend) ? parser.value(o.backend)
            : dialect == "s3"_L1             ? u"s3-sts"_s
                                             : u"tencent"_s;
    config.stsEndpoint = setting(parser, o.stsEndpoint, "COS_STS_ENDPOINT");
    config.roleArn = setting(parser, o.roleArn, "COS_ROLE_ARN");
    config.appId = setting(parser, o.appId, "COS_APPID");
    if (parser.isSet(o.duration))
        config.durationSeconds = parser.value(o.duration).toInt(); // checked before
    const QString bucket = setting(parser, o.bucket, "COS_SIGNER_BUCKET");
    if (bucket.isEmpty()) {
        *problem = u"no bucket to grant: give --bucket (or COS_SIGNER_BUCKET)"_s;
        return {};
    }
    if (region.isEmpty()) {
        *problem = u"the grant needs a region: give --region (or COS_REGION)"_s;
        return {};
    }
    Signer::Operations operations;
    const QString actions = parser.isSet(o.actions) ? parser.value(o.actions)
                                                    : u"upload,download,list"_s;
    if (!Signer::parseActionList(actions, &operations, problem)) {
        *problem = u"--actions: "_s + *problem;
        return {};
    }
    QStringList prefixes = parser.values(o.allowPrefix);
    if (prefixes.isEmpty())
        prefixes = {u"users/${uid}/"_s};
    for (const QString &prefix : std::as_const(prefixes))
        config.grants.append({bucket, region, prefix, operations});
    QStringList warnings;
    if (!config.validate(problem, &warnings))
        return {};
    for (const QString &warning : std::as_const(warnings))
        printError(u"warning: "_s + warning);

    // ${uid} is the login name when it is a valid caller identity.
    QString uid = qEnvironmentVariable("USER");
    if (!Signer::validateUid(uid).isEmpty())
        uid = u"cosctl"_s;
    auto provider = std::make_unique<Signer::EmbeddedCredentialProvider>(config, uid);
    if (provider->grantDescription(problem).isEmpty())
        return {};
    return provider;
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
    const bool embedded = parser.isSet(o.embeddedSigner)
            || isTrue(qEnvironmentVariable("COS_EMBEDDED_SIGNER"));
    if (!checkSignerOptions(parser, o, embedded))
        return false;

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

    // Before any request: endpoints and the signing URL may use a private CA.
    QString caError;
    const bool caOk = parser.isSet(o.caFile)
            ? Cos::Client::addTrustedCaFile(parser.value(o.caFile), &caError)
            : Cos::Client::addTrustedCaFileFromEnvironment(&caError);
    if (!caOk) {
        printError((parser.isSet(o.caFile) ? u"--ca-file: "_s : QString()) + caError);
        return false;
    }
    // The flag wins: the Client must not apply the variable's file on top of it.
    if (parser.isSet(o.caFile))
        qunsetenv("COS_CA_FILE");

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

    if (embedded) {
        QString problem;
        auto provider = makeEmbeddedSigner(parser, o, dialect, endpoint.region, &problem);
        if (!provider) {
            context->configError = Cos::Error(Cos::Error::Kind::Credentials,
                                              u"embedded signer: "_s + problem);
            context->credentialSource = u"embedded signer"_s;
            return true;
        }
        context->grantedScope = provider->grantDescription();
        setAccessDeniedHint(u"the embedded signer's keys allow only %1 (see --allow-prefix and "
                            "--actions)"_s.arg(context->grantedScope));
        auto client = std::make_unique<Cos::Client>(endpoint, nullptr);
        client->setTransferTimeout(timeoutSeconds * 1000);
        client->setMaxAttempts(attempts);
        client->setCredentialProvider(provider.release());
        context->credentialSource = client->credentialProvider()->description();
        *owner = std::move(client);
        context->client = owner->get();
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

int runCommand(const CliContext &context, const QStringList &rest)
{
    const QString command = rest.constFirst();
    if (command == "ls"_L1)
        return runList(context, rest);
    if (command == "mb"_L1)
        return runMakeBucket(context, rest);
    if (command == "rm"_L1)
        return runRemove(context, rest);
    if (command == "cp"_L1 || command == "mv"_L1)
        return runCopy(context, rest, command == "mv"_L1);
    if (command == "presign"_L1)
        return runPresign(context, rest);
    if (command == "credentials"_L1)
        return runCredentials(context, rest);
    if (command == "put"_L1 || command == "get"_L1 || command == "sync"_L1)
        return runTransferCommand(context, rest);
    printError(u"unknown command '%1' (see cosctl --help)"_s.arg(command));
    return ExitCode::Usage;
}

} // namespace

namespace {
QtMessageHandler g_defaultHandler = nullptr;

// Log lines quote server text too (e.g. a signing URL's error): no terminal control in them.
void terminalSafeHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_defaultHandler(type, context, terminalSafe(message));
}
} // namespace

int main(int argc, char *argv[])
{
    g_defaultHandler = qInstallMessageHandler(terminalSafeHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cosctl"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(COS_PROJECT_VERSION));
    qSetMessagePattern(u"cosctl: %{message}"_s);

    Options o;
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(Description));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addOptions(
            {o.endpoint,       o.dialect,          o.region,         o.appId,      o.pathStyle,
             o.protocol,       o.domain,           o.serviceDomain,  o.accelerate, o.internal,
             o.connectTo,      o.noBackupDomain,   o.secretId,       o.secretKey,  o.sessionToken,
             o.credentialsUrl, o.credentialsToken, o.embeddedSigner, o.backend,    o.stsEndpoint,
             o.roleArn,        o.bucket,           o.allowPrefix,    o.actions,    o.duration,
             o.caFile,         o.timeout,          o.retries,        o.quiet,      o.verbose,
             o.trace,          o.traceSigning,     o.help,           o.version});
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

    // The last requests are kept so that a signature mismatch can be explained afterwards;
    // --trace prints them as they complete.
    Cos::RequestJournal journal;
    journal.setCapacity(64);
    std::unique_ptr<RequestTrace> trace;
    if (context.client) {
        context.client->setJournal(&journal);
        if (parser.isSet(o.trace) || parser.isSet(o.traceSigning))
            trace = std::make_unique<RequestTrace>(&journal,
                                                   parser.isSet(o.traceSigning)
                                                           ? RequestTrace::Detail::Signing
                                                           : RequestTrace::Detail::Requests);
    }
    const int code = runCommand(context, rest);
    const QString mismatch = signatureMismatchReport(journal);
    if (!mismatch.isEmpty())
        printError(mismatch);
    return code;
}
