// cosctl: a headless command line over the cos engine, for scripts, benchmarks and CI.
#include "clicontext.h"
#include "commands.h"
#include "requesttrace.h"
#include "transfercommands.h"

#include "cos/net/client.h"
#include "cos/net/clientconfig.h"
#include "cos/net/credentialprovider.h"
#include "cos/protocol/endpoint.h"

#include "embeddedsigner.h"
#include "policy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QUrl>

#include <algorithm>
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

Configuration (a flag wins over its variable; switches take 1/true/yes/on or 0/false/no/off):
  COS_ENDPOINT        --endpoint URL       S3 endpoint, e.g. http://127.0.0.1:7480 (the COS
                                           dialect takes none: its hosts follow from region
                                           and APPID; see --protocol, --domain, --connect-to)
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

// The COS_* variables with the flags on top: a flag wins over its variable, and messages name
// what was used (a value given nowhere is named both ways).
Cos::ClientConfig clientConfig(const QCommandLineParser &parser, const Options &o)
{
    using Field = Cos::ClientConfig::Field;
    Cos::ClientConfig c = Cos::ClientConfig::fromEnvironment();
    const auto name = [](const QCommandLineOption &option) {
        return u"--"_s + option.names().constFirst();
    };
    const auto label = [&](const QCommandLineOption &option, Field field) {
        const QString variable = Cos::ClientConfig::variableName(field);
        // Secrets are named by their variables only: flags show in `ps`.
        const bool secret = field == Field::SecretId || field == Field::SecretKey
                || field == Field::SessionToken || field == Field::BearerToken;
        if (parser.isSet(option))
            c.setLabel(field, name(option));
        else if (!secret && (variable.isEmpty() || !c.environmentNames.contains(variable)))
            c.setLabel(field,
                       variable.isEmpty() ? name(option)
                                          : u"%1 (or %2)"_s.arg(name(option), variable));
    };
    const auto text = [&](const QCommandLineOption &option, Field field, QString *target) {
        label(option, field);
        if (parser.isSet(option))
            *target = parser.value(option);
    };
    const auto on = [&](const QCommandLineOption &option, Field field, bool *target, bool value) {
        label(option, field);
        if (!parser.isSet(option))
            return;
        *target = value;
        // The flag replaces a variable that was neither on nor off.
        c.parseProblems.removeIf(
                [field](const Cos::ClientConfig::Problem &p) { return p.field == field; });
    };
    text(o.dialect, Field::Dialect, &c.dialect);
    text(o.endpoint, Field::EndpointUrl, &c.endpointUrl);
    text(o.region, Field::Region, &c.region);
    text(o.appId, Field::AppId, &c.appId);
    on(o.pathStyle, Field::PathStyle, &c.pathStyle, true);
    text(o.protocol, Field::Protocol, &c.endpointOptions.protocol);
    text(o.domain, Field::Domain, &c.endpointOptions.domain);
    text(o.serviceDomain, Field::ServiceDomain, &c.endpointOptions.serviceDomain);
    on(o.accelerate, Field::Accelerate, &c.endpointOptions.accelerate, true);
    on(o.internal, Field::Internal, &c.endpointOptions.internal, true);
    text(o.connectTo, Field::ConnectTo, &c.endpointOptions.connectTo);
    on(o.noBackupDomain, Field::BackupDomain, &c.endpointOptions.backupDomain, false);
    text(o.caFile, Field::CaFile, &c.caFile);
    text(o.secretId, Field::SecretId, &c.keys.secretId);
    text(o.secretKey, Field::SecretKey, &c.keys.secretKey);
    text(o.sessionToken, Field::SessionToken, &c.keys.sessionToken);
    if (parser.isSet(o.secretId) || parser.isSet(o.secretKey))
        c.keysOrigin = u"command line"_s;
    text(o.credentialsUrl, Field::SigningUrl, &c.signingUrl);
    text(o.credentialsToken, Field::BearerToken, &c.bearerToken);
    on(o.embeddedSigner, Field::EmbeddedSigner, &c.embeddedSigner, true);
    text(o.backend, Field::Backend, &c.signer.backend);
    text(o.stsEndpoint, Field::StsEndpoint, &c.signer.stsEndpoint);
    text(o.roleArn, Field::RoleArn, &c.signer.roleArn);
    text(o.bucket, Field::SignerBucket, &c.signer.bucket);
    label(o.allowPrefix, Field::AllowPrefix);
    c.signer.prefixes = parser.values(o.allowPrefix);
    text(o.actions, Field::Actions, &c.signer.actions);
    label(o.duration, Field::Duration);
    if (parser.isSet(o.duration))
        c.signer.durationSeconds = parser.value(o.duration).toInt(); // checked before
    return c;
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
        const QString text = parser.value(o.duration).trimmed();
        const bool digits = !text.isEmpty() && text.size() <= 6
                && std::all_of(text.cbegin(), text.cend(),
                               [](QChar ch) { return ch >= u'0' && ch <= u'9'; });
        const int seconds = digits ? text.toInt() : -1;
        if (seconds < 1 || seconds > 129600) {
            printError(u"--duration must be a whole number of seconds, 1..129600, not '%1'"_s.arg(
                    parser.value(o.duration)));
            return false;
        }
    }
    return true;
}

// Builds the client from flags and environment. A usage error returns false; a configuration
// that cannot work (no keys, bad endpoint) leaves context->client null with configError set, so
// `COMMAND --help` still works.
bool configure(const QCommandLineParser &parser, const Options &o, CliContext *context,
               std::unique_ptr<Cos::Client> *owner)
{
    using Field = Cos::ClientConfig::Field;
    const Cos::ClientConfig config = clientConfig(parser, o);
    for (const Cos::ClientConfig::Problem &p : config.validateEndpoint()) {
        if (p.field == Field::Dialect) {
            printError(p.message);
            return false;
        }
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
    const bool embedded = config.embeddedSigner;
    if (!checkSignerOptions(parser, o, embedded))
        return false;

    if (config.effectiveDialect() == Cos::Dialect::S3) {
        for (const QCommandLineOption *cosOnly : {&o.protocol, &o.domain, &o.serviceDomain,
                                                  &o.accelerate, &o.internal, &o.noBackupDomain}) {
            if (parser.isSet(*cosOnly)) {
                printError(u"--%1 is a COS dialect option (the s3 dialect takes the endpoint URL)"_s
                                   .arg(cosOnly->names().constFirst()));
                return false;
            }
        }
    }

    // Before any request: endpoints and the signing URL may use a private CA. The Client must
    // not apply the variable's file again (a flag wins over it).
    if (const Cos::Error caError = config.installCaFile()) {
        printError(caError.message());
        return false;
    }
    qunsetenv("COS_CA_FILE");

    Cos::Error error;
    const Cos::Endpoint endpoint = config.makeEndpoint(&error);
    if (error) {
        context->configError = error;
        return true;
    }

    auto client = std::make_unique<Cos::Client>(endpoint, nullptr);
    client->setTransferTimeout(timeoutSeconds * 1000);
    client->setMaxAttempts(attempts);
    QStringList warnings;
    const auto embeddedSigner = [&warnings](const Cos::ClientConfig &c, Cos::Error *e) {
        // ${uid} is the login name when it is a valid caller identity.
        QString uid = qEnvironmentVariable("USER");
        if (!Signer::validateUid(uid).isEmpty())
            uid = u"cosctl"_s;
        return Signer::makeEmbeddedProvider(c, uid, {}, e, &warnings);
    };
    Cos::CredentialProvider *provider = config.makeProvider(client->networkAccessManager(), &error,
                                                            embeddedSigner);
    for (const QString &warning : std::as_const(warnings))
        printError(u"warning: "_s + warning);
    if (!provider) {
        if (embedded) {
            context->configError = Cos::Error(Cos::Error::Kind::Credentials,
                                              u"embedded signer: "_s + error.message());
            context->credentialSource = u"embedded signer"_s;
        } else {
            context->configError = error;
            if (config.credentialSource() == Cos::ClientConfig::CredentialSource::None)
                context->credentialSource = u"(none)"_s;
        }
        return true;
    }
    if (auto *signer = qobject_cast<Signer::EmbeddedCredentialProvider *>(provider)) {
        context->grantedScope = signer->grantDescription();
        setAccessDeniedHint(u"the embedded signer's keys allow only %1 (see --allow-prefix and "
                            "--actions)"_s.arg(context->grantedScope));
    }
    client->setCredentialProvider(provider);
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
