#include "commands.h"

#include "clicontext.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/transfer/pathfilter.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Parses a sub-command's arguments; on a usage error prints it and sets *exitCode.
bool parseSub(QCommandLineParser &parser, const QStringList &args, const QString &synopsis,
              int minPositional, int maxPositional, int *exitCode)
{
    parser.setApplicationDescription(synopsis);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(help);
    if (!parser.parse(args)) {
        printError(parser.errorText() + u" (usage: cosctl "_s + synopsis.section(u'\n', 0, 0)
                   + u')');
        *exitCode = ExitCode::Usage;
        return false;
    }
    if (parser.isSet(help)) {
        std::fputs(qUtf8Printable(parser.helpText().replace(u"Usage: "_s + args.value(0),
                                                            u"Usage: cosctl "_s + args.value(0))),
                   stdout);
        *exitCode = ExitCode::Ok;
        return false;
    }
    const qsizetype n = parser.positionalArguments().size();
    if (n < minPositional || (maxPositional >= 0 && n > maxPositional)) {
        printError(u"wrong number of arguments (usage: cosctl "_s + synopsis.section(u'\n', 0, 0)
                   + u')');
        *exitCode = ExitCode::Usage;
        return false;
    }
    return true;
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : u"                    "_s;
}

} // namespace

int runList(const CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption recursive({u"r"_s, u"recursive"_s},
                                       u"List every key under the prefix (no \"/\" grouping)."_s);
    const QCommandLineOption region(u"region"_s,
                                    u"COS: list only the buckets of this region (GET Service on "
                                    "cos.<region>.myqcloud.com)."_s,
                                    u"REGION"_s);
    parser.addOption(recursive);
    parser.addOption(region);
    parser.addPositionalArgument(u"BUCKET[/PREFIX]"_s, u"Bucket and optional key prefix."_s);
    int code = ExitCode::Ok;
    if (!parseSub(parser, args,
                  u"ls [BUCKET[/PREFIX]] [-r] [--region R]\nList buckets (all, or those of one "
                  "region), or the objects of a bucket."_s,
                  0, 1, &code))
        return code;
    if (parser.isSet(region) && !parser.positionalArguments().isEmpty()) {
        printError(u"ls --region lists buckets; it takes no BUCKET argument"_s);
        return ExitCode::Usage;
    }
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);

    if (parser.positionalArguments().isEmpty()) {
        if (parser.isSet(region) && client->endpoint().dialect != Cos::Dialect::Cos) {
            printError(u"ls --region is a COS dialect option: an S3 endpoint lists all its "
                       "buckets"_s);
            return ExitCode::Usage;
        }
        std::unique_ptr<Cos::ListBucketsJob> job(client->listBuckets(parser.value(region)));
        runToCompletion(job.get());
        if (job->error())
            return reportError(u"cannot list buckets"_s, job->error());
        for (const Cos::BucketInfo &b : job->buckets()) {
            QString line = isoTime(b.creationDate) + u"  "_s + b.name;
            if (!b.location.isEmpty())
                line += u"  "_s + b.location;
            printLine(line);
        }
        return ExitCode::Ok;
    }

    QString bucket, prefix, error;
    if (!splitBucketKey(parser.positionalArguments().constFirst(), false, &bucket, &prefix,
                        &error)) {
        printError(error);
        return ExitCode::Usage;
    }
    Cos::ListObjectsParams params;
    params.prefix = prefix;
    if (!parser.isSet(recursive))
        params.delimiter = u"/"_s;
    std::unique_ptr<Cos::ListObjectsJob> job(client->listObjects(bucket, params, 0));
    job->setKeepResults(false);
    QObject::connect(job.get(), &Cos::ListObjectsJob::pageReceived, job.get(),
                     [](const Cos::ListObjectsResult &page) {
                         for (const QString &p : page.commonPrefixes)
                             printLine(u"%1  %2  %3"_s.arg(QString(20, u' '),
                                                           u"PRE"_s.rightJustified(12), p));
                         for (const Cos::ObjectInfo &o : page.objects)
                             printLine(u"%1  %2  %3"_s.arg(isoTime(o.lastModified))
                                               .arg(o.size, 12)
                                               .arg(o.key));
                     });
    runToCompletion(job.get());
    if (job->error())
        return reportError(u"cannot list %1"_s.arg(parser.positionalArguments().constFirst()),
                           job->error());
    return ExitCode::Ok;
}

int runMakeBucket(const CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption acl(u"acl"_s,
                                 u"Canned ACL: private, public-read, public-read-write, ..."_s,
                                 u"ACL"_s);
    parser.addOption(acl);
    parser.addPositionalArgument(u"BUCKET"_s, u"The bucket to create."_s);
    int code = ExitCode::Ok;
    if (!parseSub(parser, args, u"mb BUCKET [--acl ACL]\nCreate a bucket."_s, 1, 1, &code))
        return code;
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);
    const QString bucket = parser.positionalArguments().constFirst();
    if (Cos::Error e = client->endpoint().validateBucket(bucket))
        return reportError(u"cannot create bucket '%1'"_s.arg(bucket), e);
    std::unique_ptr<Cos::RequestJob> job(client->createBucket(bucket, parser.value(acl)));
    runToCompletion(job.get());
    if (job->error())
        return reportError(u"cannot create bucket '%1'"_s.arg(bucket), job->error());
    printLine(u"make_bucket: %1"_s.arg(bucket));
    return ExitCode::Ok;
}

namespace {

// rm -r: every key under each BUCKET[/PREFIX], 1000 keys a request.
int removeRecursive(Cos::Client *client, const CliContext &context, const QStringList &targets,
                    const Cos::PathFilter &filter, bool dryRun)
{
    int result = ExitCode::Ok;
    for (const QString &arg : targets) {
        QString bucket, prefix, error;
        if (!splitBucketKey(arg, false, &bucket, &prefix, &error)) {
            printError(error);
            return ExitCode::Usage;
        }
        // A prefix names a folder: "photos" deletes "photos/..." but not "photos2/...".
        if (!prefix.isEmpty() && !prefix.endsWith(u'/'))
            prefix += u'/';
        Cos::DeletePrefixJob job(client, bucket, prefix);
        job.setDryRun(dryRun);
        if (!filter.isEmpty())
            job.setFilter([&filter, n = prefix.size()](const QString &key) {
                return filter.selects(key.mid(n));
            });
        const QString verb = dryRun ? u"(dry run) delete: "_s : u"delete: "_s;
        QObject::connect(&job, &Cos::DeletePrefixJob::deleted, &job,
                         [&context, &bucket, &verb](const QStringList &keys) {
                             if (context.quiet)
                                 return;
                             for (const QString &key : keys)
                                 printLine(verb + bucket + u'/' + key);
                         });
        QObject::connect(&job, &Cos::DeletePrefixJob::failed, &job,
                         [&bucket](const QList<Cos::DeleteFailure> &failures) {
                             for (const Cos::DeleteFailure &f : failures)
                                 printError(u"cannot delete %1/%2: %3: %4"_s.arg(bucket, f.key,
                                                                                 f.code, f.message));
                         });
        runToCompletion(&job);
        if (job.error()) {
            const int code = reportError(u"cannot delete under '%1' (%2 deleted)"_s.arg(arg).arg(
                                                 job.deletedCount()),
                                         job.error());
            if (code == ExitCode::Interrupted || code == ExitCode::Usage)
                return code;
            result = code;
            continue;
        }
        if (!context.quiet)
            printLine(u"%1 %2 object(s) under %3/%4%5"_s
                              .arg(dryRun ? u"would delete"_s : u"deleted"_s)
                              .arg(job.deletedCount())
                              .arg(bucket, prefix,
                                   job.failureCount() > 0 ? u"; %1 refused"_s.arg(job.failureCount())
                                                          : QString()));
        if (job.failureCount() > 0 && result == ExitCode::Ok)
            result = ExitCode::Partial;
    }
    return result;
}

} // namespace

int runRemove(const CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption recursive(
            {u"r"_s, u"recursive"_s},
            u"Delete every key under each BUCKET[/PREFIX] (PREFIX is a folder: \"a\" means "
            "\"a/\"), 1000 keys a request."_s);
    const QCommandLineOption dryRun(u"dry-run"_s,
                                    u"With -r: list what would be deleted, delete nothing."_s);
    const QCommandLineOption include(u"include"_s,
                                     u"With -r: only keys whose path under PREFIX matches this "
                                     "glob (repeatable)."_s,
                                     u"GLOB"_s);
    const QCommandLineOption exclude(u"exclude"_s,
                                     u"With -r: skip keys whose path under PREFIX matches this "
                                     "glob (repeatable)."_s,
                                     u"GLOB"_s);
    parser.addOptions({recursive, dryRun, include, exclude});
    parser.addPositionalArgument(u"BUCKET/KEY"_s, u"The object(s) to delete."_s, u"BUCKET/KEY..."_s);
    int code = ExitCode::Ok;
    if (!parseSub(parser, args,
                  u"rm BUCKET/KEY... | rm -r BUCKET[/PREFIX]...\nDelete objects (deleting a "
                  "missing key succeeds, as on the server), or with -r every object under a "
                  "prefix."_s,
                  1, -1, &code))
        return code;
    const bool isRecursive = parser.isSet(recursive);
    if (!isRecursive && (parser.isSet(dryRun) || parser.isSet(include) || parser.isSet(exclude))) {
        printError(u"--dry-run, --include and --exclude need -r"_s);
        return ExitCode::Usage;
    }
    Cos::Error filterError;
    const Cos::PathFilter filter(parser.values(include), parser.values(exclude), &filterError);
    if (filterError) {
        printError(filterError.message());
        return ExitCode::Usage;
    }
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);
    if (isRecursive)
        return removeRecursive(client, context, parser.positionalArguments(), filter,
                               parser.isSet(dryRun));
    int result = ExitCode::Ok;
    for (const QString &arg : parser.positionalArguments()) {
        QString bucket, key, error;
        if (!splitBucketKey(arg, true, &bucket, &key, &error)) {
            printError(error);
            return ExitCode::Usage;
        }
        std::unique_ptr<Cos::RequestJob> job(client->deleteObject(bucket, key));
        runToCompletion(job.get());
        if (job->error()) {
            result = reportError(u"cannot delete '%1'"_s.arg(arg), job->error());
            if (result == ExitCode::Interrupted || result == ExitCode::Usage)
                return result;
            continue;
        }
        printLine(u"delete: %1/%2"_s.arg(bucket, key));
    }
    return result;
}

int runCopy(const CliContext &context, const QStringList &args, bool move)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(u"SRC"_s, u"BUCKET/KEY to copy."_s);
    parser.addPositionalArgument(u"DST"_s, u"BUCKET/KEY of the copy (same endpoint)."_s);
    int code = ExitCode::Ok;
    const QString synopsis = move
            ? u"mv SRC_BUCKET/KEY DST_BUCKET/KEY\nMove an object on the server: a server-side "
              "copy (metadata kept), then the source is deleted."_s
            : u"cp SRC_BUCKET/KEY DST_BUCKET/KEY\nCopy an object on the server (metadata kept; "
              "nothing goes through this machine; at most 5 GiB)."_s;
    if (!parseSub(parser, args, synopsis, 2, 2, &code))
        return code;
    QString srcBucket, srcKey, dstBucket, dstKey, error;
    const QStringList paths = parser.positionalArguments();
    if (!splitBucketKey(paths.at(0), true, &srcBucket, &srcKey, &error)
        || !splitBucketKey(paths.at(1), true, &dstBucket, &dstKey, &error)) {
        printError(error);
        return ExitCode::Usage;
    }
    if (srcBucket == dstBucket && srcKey == dstKey) {
        printError(u"source and destination are the same object"_s);
        return ExitCode::Usage;
    }
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);
    std::unique_ptr<Cos::CopyObjectJob> copy(
            client->copyObject(dstBucket, dstKey, srcBucket, srcKey));
    runToCompletion(copy.get());
    if (copy->error())
        return reportError(u"cannot copy '%1' to '%2'"_s.arg(paths.at(0), paths.at(1)),
                           copy->error());
    printLine(u"copy: %1/%2 -> %3/%4"_s.arg(srcBucket, srcKey, dstBucket, dstKey));
    if (!move)
        return ExitCode::Ok;
    std::unique_ptr<Cos::RequestJob> del(client->deleteObject(srcBucket, srcKey));
    runToCompletion(del.get());
    if (del->error())
        return reportError(u"copied, but cannot delete the source '%1'"_s.arg(paths.at(0)),
                           del->error());
    printLine(u"delete: %1/%2"_s.arg(srcBucket, srcKey));
    return ExitCode::Ok;
}

int runPresign(const CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption expires(u"expires"_s,
                                     u"Validity in seconds (1..604800, default 3600)."_s, u"S"_s,
                                     u"3600"_s);
    const QCommandLineOption method(u"method"_s, u"GET (default), PUT, HEAD or DELETE."_s,
                                    u"METHOD"_s, u"GET"_s);
    const QCommandLineOption offline(u"offline"_s,
                                     u"Do not ask the server for its time first; the URL uses "
                                     "the local clock."_s);
    parser.addOption(expires);
    parser.addOption(method);
    parser.addOption(offline);
    parser.addPositionalArgument(u"BUCKET/KEY"_s, u"The object."_s);
    int code = ExitCode::Ok;
    if (!parseSub(parser, args,
                  u"presign BUCKET/KEY [--expires S] [--method GET|PUT] [--offline]\nPrint a "
                  "presigned URL, valid for S seconds on the server's clock (one request asks "
                  "the server for its time first unless --offline)."_s,
                  1, 1, &code))
        return code;
    bool ok = false;
    const int seconds = parser.value(expires).toInt(&ok);
    if (!ok || seconds < 1 || seconds > 604800) {
        printError(u"--expires must be a number of seconds from 1 to 604800, not '%1'"_s.arg(
                parser.value(expires)));
        return ExitCode::Usage;
    }
    QString bucket, key, error;
    if (!splitBucketKey(parser.positionalArguments().constFirst(), true, &bucket, &key, &error)) {
        printError(error);
        return ExitCode::Usage;
    }
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);
    std::unique_ptr<Cos::PresignJob> job(
            client->presign(parser.value(method).toUpper().toLatin1(), bucket, key, seconds));
    job->setOffline(parser.isSet(offline));
    runToCompletion(job.get());
    if (job->error())
        return reportError(u"cannot presign '%1'"_s.arg(parser.positionalArguments().constFirst()),
                           job->error());
    if (!job->localClockReason().isEmpty() && !context.quiet)
        printError(u"note: the URL uses the local clock (%1)"_s.arg(job->localClockReason()));
    printLine(QString::fromLatin1(job->url().toEncoded()));
    return ExitCode::Ok;
}

int runCredentials(const CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    int code = ExitCode::Ok;
    if (!parseSub(parser, args,
                  u"credentials\nFetch the credentials and show where they come from, the key id "
                  "(masked) and the expiry. Never prints a secret."_s,
                  0, 0, &code))
        return code;
    printLine(u"source:        %1"_s.arg(
            context.credentialSource.isEmpty() ? u"(none)"_s : context.credentialSource));
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);

    // A tiny job wrapper so that Ctrl-C and the event loop work as for every other command.
    class FetchJob : public Cos::Job
    {
    public:
        explicit FetchJob(Cos::Client *client)
            : m_client(client)
        { }
        Cos::Credentials credentials;

    protected:
        void doStart() override
        {
            m_client->credentials()->request(this,
                                             [this](const Cos::Credentials &c, const Cos::Error &e) {
                                                 credentials = c;
                                                 finish(e);
                                             });
        }

    private:
        Cos::Client *m_client;
    } job(client);
    runToCompletion(&job);
    if (job.error())
        return reportError(u"cannot get credentials"_s, job.error());
    const Cos::Credentials &c = job.credentials;
    const qint64 now = client->clock().nowSeconds();
    printLine(u"secret id:     %1"_s.arg(Cos::maskKeyId(c.secretId)));
    printLine(u"temporary:     %1"_s.arg(c.isTemporary() ? u"yes (session token present)"_s
                                                         : u"no"_s));
    if (c.startTime > 0)
        printLine(u"valid from:    %1"_s.arg(
                QDateTime::fromSecsSinceEpoch(c.startTime, Qt::UTC).toString(Qt::ISODate)));
    if (c.expiredTime > 0)
        printLine(u"expires:       %1 (in %2 s)"_s
                          .arg(QDateTime::fromSecsSinceEpoch(c.expiredTime, Qt::UTC)
                                       .toString(Qt::ISODate))
                          .arg(c.expiredTime - now));
    else
        printLine(u"expires:       never"_s);
    if (!context.grantedScope.isEmpty())
        printLine(u"granted:       %1"_s.arg(context.grantedScope));
    printLine(u"clock offset:  %1 s"_s.arg(client->clock().offsetMSecs() / 1000));
    return ExitCode::Ok;
}
