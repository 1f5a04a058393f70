// cosctl put / get: one UploadTask or DownloadTask run through a TransferQueue, with a progress
// bar on a terminal and plain lines otherwise. Ctrl-C pauses (the checkpoint stays), so
// rerunning the same command resumes.
#include "transfercommands.h"

#include "clicontext.h"

#include "cos/net/client.h"
#include "cos/transfer/batchtransfer.h"
#include "cos/transfer/checkpoint.h"
#include "cos/transfer/downloadtask.h"
#include "cos/transfer/transferqueue.h"
#include "cos/transfer/uploadtask.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

std::atomic<int> s_interrupted {0};

extern "C" void onTransferInterrupt(int)
{
    s_interrupted.store(1);
}

// "8M", "8MiB", "512k", "1G", "1048576" -> bytes; -1 when malformed.
qint64 parseSize(const QString &text)
{
    static const QRegularExpression re(u"^(\\d+)\\s*([kKmMgG]?)(i?[bB])?$"_s);
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    bool ok = false;
    qint64 n = m.captured(1).toLongLong(&ok);
    if (!ok)
        return -1;
    const QChar unit = m.captured(2).isEmpty() ? QChar() : m.captured(2).at(0).toLower();
    const int shift = unit == u'k' ? 10 : unit == u'm' ? 20 : unit == u'g' ? 30 : 0;
    if (n > (std::numeric_limits<qint64>::max() >> shift))
        return -1;
    return n << shift;
}

QString humanBytes(double bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return u == 0 ? u"%1 B"_s.arg(qint64(bytes))
                  : u"%1 %2"_s.arg(bytes, 0, 'f', 1).arg(QLatin1StringView(units[u]));
}

QString humanEta(qint64 seconds)
{
    if (seconds < 0)
        return u"--:--"_s;
    if (seconds >= 3600)
        return u"%1:%2:%3"_s.arg(seconds / 3600)
                .arg((seconds / 60) % 60, 2, 10, QChar(u'0'))
                .arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(seconds / 60, 2, 10, QChar(u'0')).arg(seconds % 60, 2, 10, QChar(u'0'));
}

class ProgressPrinter
{
public:
    ProgressPrinter(bool terminal, bool quiet, QString verb)
        : m_terminal(terminal)
        , m_quiet(quiet)
        , m_verb(std::move(verb))
    { }

    void update(const Cos::TransferProgress &p)
    {
        if (m_quiet || p.bytesTotal < 0)
            return;
        const int percent = p.bytesTotal > 0 ? int(p.bytesDone * 100 / p.bytesTotal) : 100;
        const QString numbers = u"%1% %2 / %3  %4/s  ETA %5"_s.arg(percent, 3)
                                        .arg(humanBytes(double(p.bytesDone)),
                                             humanBytes(double(p.bytesTotal)),
                                             humanBytes(p.bytesPerSecond), humanEta(p.etaSeconds));
        if (m_terminal) {
            constexpr int width = 30;
            const int filled = percent * width / 100;
            const QString bar = QString(filled, u'#') + QString(width - filled, u'.');
            std::fprintf(stderr, "\r%s [%s] %s\033[K", qUtf8Printable(m_verb), qUtf8Printable(bar),
                         qUtf8Printable(numbers));
            std::fflush(stderr);
            m_dirty = true;
            return;
        }
        // Plain lines for logs and pipes: one a second at most.
        if (m_printedDone || (m_lastLine.isValid() && m_lastLine.elapsed() < 1000 && percent != 100))
            return;
        m_printedDone = percent == 100;
        m_lastLine.start();
        std::fprintf(stderr, "%s: %s\n", qUtf8Printable(m_verb), qUtf8Printable(numbers));
        std::fflush(stderr);
    }

    void endLine()
    {
        if (m_dirty) {
            std::fputc('\n', stderr);
            m_dirty = false;
        }
    }

    void note(const QString &text)
    {
        if (m_quiet)
            return;
        endLine();
        printError(text);
    }

private:
    bool m_terminal;
    bool m_quiet;
    QString m_verb;
    bool m_dirty = false;
    bool m_printedDone = false;
    QElapsedTimer m_lastLine;
};

struct Flags
{
    QCommandLineOption partSize {u"part-size"_s,
                                 u"put: preferred part size (default %1M; the table may raise "
                                 "it to stay within 10 000 parts)."_s.arg(
                                         Cos::PartPlan::DefaultPartSize / Cos::PartPlan::MiB),
                                 u"SIZE"_s};
    QCommandLineOption threshold {u"multipart-threshold"_s,
                                  u"put: files of at least this size go multipart (default %1M)."_s
                                          .arg(Cos::PartPlan::DefaultMultipartThreshold
                                               / Cos::PartPlan::MiB),
                                  u"SIZE"_s};
    QCommandLineOption parallel {u"parallel"_s,
                                 u"Parts (put) or ranges (get) in flight (default 4)."_s, u"N"_s};
    QCommandLineOption rangeSize {u"range-size"_s, u"get: bytes per ranged GET (default 8M)."_s,
                                  u"SIZE"_s};
    QCommandLineOption contentType {u"content-type"_s, u"put: Content-Type of the object."_s,
                                    u"TYPE"_s};
    QCommandLineOption noResume {u"no-resume"_s,
                                 u"Neither use nor write a checkpoint (start from zero)."_s};
    QCommandLineOption noVerify {u"no-verify"_s,
                                 u"Skip the whole-object check (HEAD / CRC64 / MD5) at the end."_s};
    QCommandLineOption noMd5 {u"no-content-md5"_s, u"put: do not send Content-MD5."_s};
    QCommandLineOption checkpointDir {u"checkpoint-dir"_s,
                                      u"Folder of resume checkpoints (default: "
                                      "$COS_CHECKPOINT_DIR, else the app data folder)."_s,
                                      u"DIR"_s};
    QCommandLineOption help {{u"h"_s, u"help"_s}, u"Show this help."_s};
    // Folders (put -r, get -r, sync).
    QCommandLineOption recursive {{u"r"_s, u"recursive"_s},
                                  u"A folder: put -r DIR BUCKET[/PREFIX], get -r "
                                  "BUCKET[/PREFIX] DIR."_s};
    QCommandLineOption files {u"files"_s,
                              u"Folders: files transferring at once (default %1)."_s.arg(
                                      Cos::BatchOptions::DefaultFilesInFlight),
                              u"N"_s};
    QCommandLineOption force {u"force"_s,
                              u"Folders: transfer files the destination already has with the "
                              "same size and checksum too."_s};
    QCommandLineOption dryRun {u"dry-run"_s,
                               u"Folders: print what would be transferred or deleted, change "
                               "nothing."_s};
    QCommandLineOption include {u"include"_s,
                                u"Folders: only paths matching this glob (repeatable)."_s,
                                u"GLOB"_s};
    QCommandLineOption exclude {u"exclude"_s,
                                u"Folders: skip paths matching this glob (repeatable)."_s,
                                u"GLOB"_s};
    QCommandLineOption followSymlinks {u"follow-symlinks"_s,
                                       u"put -r: follow symbolic links (default: skip them)."_s};
    QCommandLineOption deleteExtra {u"delete"_s,
                                    u"sync: delete destination files the source does not have."_s};
};

// Whether @p option was given; unlike QCommandLineParser::isSet() silent for an option this
// command does not define.
bool given(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const QStringList found = parser.optionNames();
    const QStringList names = option.names();
    return std::any_of(names.cbegin(), names.cend(),
                       [&found](const QString &n) { return found.contains(n); });
}

bool readInt(const QCommandLineParser &parser, const QCommandLineOption &option, int min, int max,
             int *out)
{
    if (!given(parser, option))
        return true;
    bool ok = false;
    const int v = parser.value(option).toInt(&ok);
    if (!ok || v < min || v > max) {
        printError(u"--%1 must be a number from %2 to %3"_s.arg(option.names().constLast())
                           .arg(min)
                           .arg(max));
        return false;
    }
    *out = v;
    return true;
}

bool readSize(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min,
              qint64 *out)
{
    if (!given(parser, option))
        return true;
    const qint64 v = parseSize(parser.value(option));
    if (v < min) {
        printError(u"--%1: '%2' is not a size of at least %3 bytes (e.g. 8M, 512K)"_s
                           .arg(option.names().constLast(), parser.value(option))
                           .arg(min));
        return false;
    }
    *out = v;
    return true;
}

// Runs the task to its end; Ctrl-C pauses it (keeping the checkpoint). Returns the exit code.
// Runs @p task through @p queue, which takes ownership of it: the caller keeps the queue alive
// for as long as it reads the task (the summary lines after this returns).
int runTask(const CliContext &context, Cos::TransferQueue &queue, Cos::TransferTask *task,
            const QString &verb)
{
    queue.setMaxConcurrent(1);
    ProgressPrinter printer(context.stderrIsTerminal, context.quiet, verb);
    QEventLoop loop;
    QObject::connect(task, &Cos::TransferTask::progressChanged, &loop,
                     [&printer, task] { printer.update(task->progress()); });
    QObject::connect(task, &Cos::TransferTask::message, &loop,
                     [&printer](const QString &text) { printer.note(text); });
    bool interrupted = false;
    QObject::connect(task, &Cos::TransferTask::stateChanged, &loop,
                     [&loop](Cos::TransferTask::State s) {
                         if (s != Cos::TransferTask::State::Running
                             && s != Cos::TransferTask::State::Canceling)
                             loop.quit();
                     });
    s_interrupted.store(0);
    auto previousInt = std::signal(SIGINT, onTransferInterrupt);
    auto previousTerm = std::signal(SIGTERM, onTransferInterrupt);
    QTimer poll;
    poll.setInterval(100);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (s_interrupted.load() && !interrupted) {
            interrupted = true;
            task->pause();
        }
    });
    poll.start();
    queue.add(task);
    loop.exec();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    printer.endLine();
    if (interrupted && task->state() == Cos::TransferTask::State::Paused) {
        printError(u"interrupted; run the same command again to resume"_s);
        return ExitCode::Interrupted;
    }
    if (task->state() == Cos::TransferTask::State::Failed) {
        const int code = reportError(verb, task->error());
        if (task->error().isRetryable())
            printError(u"the transfer can be resumed: run the same command again"_s);
        return code;
    }
    return task->state() == Cos::TransferTask::State::Succeeded ? ExitCode::Ok : ExitCode::Generic;
}

// A progress line for a batch: rewritten in place on a terminal, a plain line every few
// seconds otherwise. File lines go to stdout; the progress line is cleared before each.
class BatchPrinter
{
public:
    BatchPrinter(const CliContext &context, QString verb)
        : m_terminal(context.stderrIsTerminal)
        , m_sharedTerminal(context.stderrIsTerminal && context.stdoutIsTerminal)
        , m_quiet(context.quiet)
        , m_verb(std::move(verb))
    { }

    void progress(const Cos::BatchProgress &p)
    {
        if (m_quiet)
            return;
        if (!m_terminal && m_last.isValid() && m_last.elapsed() < PlainIntervalMs)
            return;
        m_last.start();
        const QString total = p.walkDone ? QString::number(p.filesSeen)
                                         : QString::number(p.filesSeen) + u'+';
        QString line = u"%1: %2/%3 files  %4 / %5  %6/s  ETA %7"_s.arg(m_verb)
                               .arg(p.filesDone)
                               .arg(total, humanBytes(double(p.bytesDone)),
                                    humanBytes(double(p.bytesTotal)), humanBytes(p.bytesPerSecond),
                                    humanEta(p.etaSeconds));
        if (p.filesSkipped > 0)
            line += u"  skipped %1"_s.arg(p.filesSkipped);
        if (p.filesFailed > 0)
            line += u"  failed %1"_s.arg(p.filesFailed);
        if (m_terminal) {
            std::fprintf(stderr, "\r%s\033[K", qUtf8Printable(line));
            m_dirty = true;
        } else {
            std::fprintf(stderr, "%s\n", qUtf8Printable(line));
        }
        std::fflush(stderr);
    }

    void clear()
    {
        if (m_dirty) {
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
            m_dirty = false;
        }
    }

    void file(const QString &line)
    {
        // The progress line makes way only when both go to the same terminal.
        if (m_sharedTerminal)
            clear();
        printLine(line);
        std::fflush(stdout);
    }

    void failure(const QString &line)
    {
        clear();
        printError(line);
    }

private:
    static constexpr int PlainIntervalMs = 2000;
    bool m_terminal;
    bool m_sharedTerminal;
    bool m_quiet;
    QString m_verb;
    bool m_dirty = false;
    QElapsedTimer m_last;
};

// put -r, get -r and sync: one BatchTransfer. Exit: 0; 7 when some files failed and others
// were transferred or skipped; the first error's code when nothing could be done; 130 on Ctrl-C.
int runBatch(const CliContext &context, Cos::BatchTransfer::Direction direction,
             const QString &local, const QString &bucket, const QString &prefix,
             const Cos::BatchOptions &options, const QString &verb)
{
    using Action = Cos::BatchTransfer::Action;
    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);
    const bool upload = direction == Cos::BatchTransfer::Direction::Upload;
    Cos::BatchTransfer batch(client, direction, local, bucket, prefix, options);
    BatchPrinter printer(context, verb);
    const QString remoteBase = bucket + u'/' + batch.prefix();
    const QString localBase = local.endsWith(u'/') ? local : local + u'/';
    QObject::connect(&batch, &Cos::BatchTransfer::fileFinished, &batch,
                     [&](const Cos::BatchTransfer::FileResult &r) {
                         const QString dry = r.dryRun ? u"(dry run) "_s : QString();
                         const QString from = (upload ? localBase : remoteBase) + r.path;
                         const QString to = (upload ? remoteBase : localBase) + r.path;
                         switch (r.action) {
                         case Action::Transferred:
                             if (!context.quiet)
                                 printer.file(u"%1%2: %3 -> %4"_s.arg(dry, verb, from, to));
                             break;
                         case Action::Deleted:
                             if (!context.quiet)
                                 printer.file(u"%1delete: %2"_s.arg(dry, to));
                             break;
                         case Action::Skipped:
                             // Files already there are only counted; other skips say why.
                             if (r.reason != u"same size and checksum"_s && !context.quiet)
                                 printer.failure(u"skipped %1: %2"_s.arg(from, r.reason));
                             break;
                         case Action::Failed: {
                             const QString why = r.error ? r.error.toString() : r.reason;
                             // An empty path is the listing's failure; its error names it.
                             printer.failure(r.path.isEmpty() ? u"failed: "_s + why
                                                              : u"failed: %1: %2"_s.arg(from, why));
                             break;
                         }
                         }
                     });
    QObject::connect(&batch, &Cos::BatchTransfer::progressChanged, &batch,
                     [&] { printer.progress(batch.progress()); });
    QElapsedTimer clock;
    clock.start();
    runToCompletion(&batch);
    printer.clear();
    const Cos::BatchProgress p = batch.progress();
    const QString summary = u"%1 %2 files (%3), skipped %4, deleted %5, failed %6 in %7 s"_s
                                    .arg(options.dryRun ? QString(u"would "_s + verb)
                                                        : QString(verb + u"ed"_s))
                                    .arg(p.filesTransferred)
                                    .arg(humanBytes(double(p.bytesTotal)))
                                    .arg(p.filesSkipped)
                                    .arg(p.filesDeleted)
                                    .arg(p.filesFailed)
                                    .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
    const Cos::Error &error = batch.error();
    // A batch that ended before its first file (no such bucket, bad name) has only its error.
    const bool began = p.filesDone > 0 || !error || error.kind() == Cos::Error::Kind::Canceled;
    if (!context.quiet && began)
        printLine(summary);
    if (!error)
        return ExitCode::Ok;
    if (error.kind() == Cos::Error::Kind::Canceled) {
        printError(u"interrupted; run the same command again to finish"_s);
        return ExitCode::Interrupted;
    }
    if (p.filesFailed > 0 && p.filesTransferred + p.filesSkipped + p.filesDeleted > 0) {
        printError(u"%1 of %2 files failed (listed above); run the same command again to "
                   "retry them"_s.arg(p.filesFailed)
                           .arg(p.filesDone));
        return ExitCode::Partial;
    }
    return reportError(verb, error);
}

// Splits a sync argument: "s3://b/p" or "cos://b/p" is remote, anything else a local folder.
bool isRemoteArgument(const QString &arg)
{
    return arg.startsWith("s3://"_L1, Qt::CaseInsensitive)
            || arg.startsWith("cos://"_L1, Qt::CaseInsensitive);
}

} // namespace

int runTransferCommand(const CliContext &context, const QStringList &args)
{
    const QString command = args.value(0);
    const bool isSync = command == "sync"_L1;
    const bool isPut = command == "put"_L1;
    Flags f;
    QCommandLineParser parser;
    parser.setApplicationDescription(
            isSync ? u"Make a prefix like a local folder (sync DIR s3://BUCKET[/PREFIX]) or a "
                     "local folder like a prefix (sync s3://BUCKET[/PREFIX] DIR): transfer "
                     "only the files that are missing or differ (size, then MD5 / ETag); with "
                     "--delete also delete destination files the source does not have. The "
                     "bucket side is written s3://... or cos://..."_s
                    : isPut
                    ? u"Upload FILE to BUCKET/KEY: one PUT below the multipart threshold, a "
                      "resumable multipart upload above it. Interrupted uploads resume when the "
                      "same "
                      "command runs again. With -r, upload the folder DIR under BUCKET[/PREFIX]/."_s
                    : u"Download BUCKET/KEY to FILE through FILE.part, renamed into place once "
                      "complete and verified. Interrupted downloads resume when the same command "
                      "runs again. With -r, download every key under BUCKET[/PREFIX]/ into DIR."_s);
    parser.addOptions({f.parallel, f.noResume, f.noVerify, f.checkpointDir, f.help});
    if (isPut || isSync)
        parser.addOptions({f.partSize, f.threshold, f.contentType, f.noMd5});
    if (!isPut)
        parser.addOption(f.rangeSize);
    parser.addOptions({isSync ? f.deleteExtra : f.recursive, f.files, f.force, f.dryRun, f.include,
                       f.exclude});
    if (!isSync && isPut)
        parser.addOption(f.followSymlinks);
    if (isSync) {
        parser.addPositionalArgument(u"SOURCE"_s, u"DIR or s3://BUCKET[/PREFIX]."_s);
        parser.addPositionalArgument(u"DESTINATION"_s, u"s3://BUCKET[/PREFIX] or DIR."_s);
    } else if (isPut) {
        parser.addPositionalArgument(u"FILE"_s, u"The file (with -r: the folder) to upload."_s);
        parser.addPositionalArgument(u"BUCKET/KEY"_s,
                                     u"Where to put it (with -r: BUCKET[/PREFIX])."_s);
    } else {
        parser.addPositionalArgument(u"BUCKET/KEY"_s,
                                     u"The object (with -r: BUCKET[/PREFIX]) to download."_s);
        parser.addPositionalArgument(u"FILE"_s, u"Where to write it (with -r: a folder)."_s);
    }
    if (!parser.parse(args)) {
        printError(parser.errorText() + u" (see cosctl %1 --help)"_s.arg(command));
        return ExitCode::Usage;
    }
    if (parser.isSet(f.help)) {
        // The usage line names argv[0]; show the command the user typed instead.
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst() + u' ',
                     u"cosctl "_s + command + u' ');
        std::fputs(qUtf8Printable(help), stdout);
        return ExitCode::Ok;
    }
    const bool batch = isSync || given(parser, f.recursive);
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2) {
        printError(u"%1 takes exactly two arguments: %2"_s.arg(
                command,
                isSync ? u"SOURCE DESTINATION"_s
                       : (isPut ? (batch ? u"DIR BUCKET[/PREFIX]"_s : u"FILE BUCKET/KEY"_s)
                                : (batch ? u"BUCKET[/PREFIX] DIR"_s : u"BUCKET/KEY FILE"_s))));
        return ExitCode::Usage;
    }
    if (!batch) {
        for (const QCommandLineOption *o :
             {&f.files, &f.force, &f.dryRun, &f.include, &f.exclude, &f.followSymlinks}) {
            if (given(parser, *o)) {
                printError(u"--%1 is for folders: add -r"_s.arg(o->names().constLast()));
                return ExitCode::Usage;
            }
        }
    }
    QString checkpointDir = parser.value(f.checkpointDir);
    if (checkpointDir.isEmpty())
        checkpointDir = qEnvironmentVariable("COS_CHECKPOINT_DIR");

    Cos::UploadOptions up;
    up.checkpointDirectory = checkpointDir;
    up.resume = !parser.isSet(f.noResume);
    up.verify = !parser.isSet(f.noVerify);
    up.contentMd5 = !given(parser, f.noMd5);
    up.contentType = given(parser, f.contentType) ? parser.value(f.contentType) : QString();
    Cos::DownloadOptions down;
    down.checkpointDirectory = checkpointDir;
    down.resume = up.resume;
    down.verify = up.verify;
    if (!readInt(parser, f.parallel, 1, 64, &up.partsInFlight)
        || !readInt(parser, f.parallel, 1, 64, &down.rangesInFlight)
        || !readSize(parser, f.partSize, Cos::PartPlan::MinPartSize, &up.partSize)
        || !readSize(parser, f.threshold, 0, &up.multipartThreshold)
        || !readSize(parser, f.rangeSize, 64 * 1024, &down.rangeSize))
        return ExitCode::Usage;
    if (up.partSize > Cos::PartPlan::MaxPartSize
        || up.multipartThreshold > Cos::PartPlan::MaxSinglePut) {
        printError(u"--part-size and --multipart-threshold are at most 5 GiB"_s);
        return ExitCode::Usage;
    }

    if (batch) {
        bool upload = isPut;
        if (isSync) {
            const bool firstRemote = isRemoteArgument(pos.at(0));
            if (firstRemote == isRemoteArgument(pos.at(1))) {
                printError(u"sync needs one local folder and one s3://BUCKET[/PREFIX] (or "
                           "cos://...), in either order"_s);
                return ExitCode::Usage;
            }
            upload = !firstRemote;
        }
        const QString local = upload ? pos.at(0) : pos.at(1);
        QString bucket, prefix, why;
        if (!splitBucketKey(upload ? pos.at(1) : pos.at(0), false, &bucket, &prefix, &why)) {
            printError(why);
            return ExitCode::Usage;
        }
        Cos::BatchOptions options;
        if (!readInt(parser, f.files, 1, 256, &options.filesInFlight))
            return ExitCode::Usage;
        options.force = parser.isSet(f.force);
        options.dryRun = parser.isSet(f.dryRun);
        options.deleteExtra = given(parser, f.deleteExtra);
        options.followSymlinks = given(parser, f.followSymlinks);
        options.include = parser.values(f.include);
        options.exclude = parser.values(f.exclude);
        options.upload = up;
        options.download = down;
        Cos::Error filterError;
        Cos::PathFilter(options.include, options.exclude, &filterError);
        if (filterError) {
            printError(filterError.message());
            return ExitCode::Usage;
        }
        return runBatch(context,
                        upload ? Cos::BatchTransfer::Direction::Upload
                               : Cos::BatchTransfer::Direction::Download,
                        local, bucket, prefix, options, upload ? u"upload"_s : u"download"_s);
    }

    const QString local = isPut ? pos.at(0) : pos.at(1);
    QString bucket, key, why;
    if (!splitBucketKey(isPut ? pos.at(1) : pos.at(0), true, &bucket, &key, &why)) {
        printError(why);
        return ExitCode::Usage;
    }
    if (isPut) {
        const QFileInfo info(local);
        if (!info.exists()) {
            printError(u"%1: no such file"_s.arg(local));
            return ExitCode::NotFound;
        }
        if (!info.isFile()) {
            printError(u"%1 is not a regular file%2"_s.arg(local,
                                                           info.isDir()
                                                                   ? u" (a folder: use put -r)"_s
                                                                   : QString()));
            return ExitCode::Usage;
        }
    }

    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);

    if (isPut) {
        Cos::TransferQueue queue; // owns the task, outlives the summary below
        auto *task = new Cos::UploadTask(client, local, bucket, key, up);
        const int code = runTask(context, queue, task, u"put"_s);
        if (code == ExitCode::Ok && !context.quiet) {
            if (task->plan().isMultipart())
                printLine(u"uploaded %1 to %2/%3: %4 bytes, %5 parts (sent %6, reused %7), "
                          "upload id %8%9"_s.arg(local, bucket, key)
                                  .arg(task->plan().totalSize())
                                  .arg(task->plan().partCount())
                                  .arg(task->partsSent())
                                  .arg(task->partsReused())
                                  .arg(task->uploadId(),
                                       task->resumedUpload() ? u" (resumed)"_s : QString()));
            else
                printLine(u"uploaded %1 to %2/%3: %4 bytes, single PUT"_s.arg(local, bucket, key)
                                  .arg(task->plan().totalSize()));
        }
        return code;
    }

    Cos::TransferQueue queue; // owns the task, outlives the summary below
    auto *task = new Cos::DownloadTask(client, bucket, key, local, down);
    const int code = runTask(context, queue, task, u"get"_s);
    if (code == ExitCode::Ok && !context.quiet)
        printLine(u"downloaded %1/%2 to %3: %4 bytes (received %5, resumed %6)"_s
                          .arg(bucket, key, local)
                          .arg(task->progress().bytesTotal)
                          .arg(task->bytesReceived())
                          .arg(task->bytesResumed()));
    return code;
}
