// cosctl put / get: one UploadTask or DownloadTask run through a TransferQueue, with a progress
// bar on a terminal and plain lines otherwise. Ctrl-C pauses (the checkpoint stays), so
// rerunning the same command resumes.
#include "transfercommands.h"

#include "clicontext.h"

#include "cos/transfer/checkpoint.h"
#include "cos/net/client.h"
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
};

bool readInt(const QCommandLineParser &parser, const QCommandLineOption &option, int min, int max,
             int *out)
{
    if (!parser.isSet(option))
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
    if (!parser.isSet(option))
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

} // namespace

int runTransferCommand(const CliContext &context, const QStringList &args)
{
    const QString command = args.value(0);
    const bool isPut = command == "put"_L1;
    Flags f;
    QCommandLineParser parser;
    parser.setApplicationDescription(
            isPut ? u"Upload FILE to BUCKET/KEY: one PUT below the multipart threshold, a "
                    u"resumable "
                    "multipart upload above it. Interrupted uploads resume when the same "
                    "command runs again."_s
                  : u"Download BUCKET/KEY to FILE through FILE.part, renamed into place once "
                    "complete and verified. Interrupted downloads resume when the same command "
                    "runs again."_s);
    parser.addOptions({f.parallel, f.noResume, f.noVerify, f.checkpointDir, f.help});
    if (isPut)
        parser.addOptions({f.partSize, f.threshold, f.contentType, f.noMd5});
    else
        parser.addOption(f.rangeSize);
    if (isPut) {
        parser.addPositionalArgument(u"FILE"_s, u"The file to upload."_s);
        parser.addPositionalArgument(u"BUCKET/KEY"_s, u"Where to put it."_s);
    } else {
        parser.addPositionalArgument(u"BUCKET/KEY"_s, u"The object to download."_s);
        parser.addPositionalArgument(u"FILE"_s, u"Where to write it."_s);
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
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2) {
        printError(u"%1 takes exactly two arguments: %2"_s.arg(command,
                                                               isPut ? u"FILE BUCKET/KEY"_s
                                                                     : u"BUCKET/KEY FILE"_s));
        return ExitCode::Usage;
    }
    const QString local = isPut ? pos.at(0) : pos.at(1);
    QString bucket, key, why;
    if (!splitBucketKey(isPut ? pos.at(1) : pos.at(0), true, &bucket, &key, &why)) {
        printError(why);
        return ExitCode::Usage;
    }
    QString checkpointDir = parser.value(f.checkpointDir);
    if (checkpointDir.isEmpty())
        checkpointDir = qEnvironmentVariable("COS_CHECKPOINT_DIR");

    if (isPut) {
        const QFileInfo info(local);
        if (!info.exists()) {
            printError(u"%1: no such file"_s.arg(local));
            return ExitCode::NotFound;
        }
        if (!info.isFile()) {
            printError(u"%1 is not a regular file"_s.arg(local));
            return ExitCode::Usage;
        }
    }

    Cos::Client *client = context.requireClient();
    if (!client)
        return exitCodeFor(context.configError);

    if (isPut) {
        Cos::UploadOptions o;
        o.checkpointDirectory = checkpointDir;
        o.resume = !parser.isSet(f.noResume);
        o.verify = !parser.isSet(f.noVerify);
        o.contentMd5 = !parser.isSet(f.noMd5);
        o.contentType = parser.value(f.contentType);
        if (!readInt(parser, f.parallel, 1, 64, &o.partsInFlight)
            || !readSize(parser, f.partSize, Cos::PartPlan::MinPartSize, &o.partSize)
            || !readSize(parser, f.threshold, 0, &o.multipartThreshold))
            return ExitCode::Usage;
        if (o.partSize > Cos::PartPlan::MaxPartSize
            || o.multipartThreshold > Cos::PartPlan::MaxSinglePut) {
            printError(u"--part-size and --multipart-threshold are at most 5 GiB"_s);
            return ExitCode::Usage;
        }
        Cos::TransferQueue queue; // owns the task, outlives the summary below
        auto *task = new Cos::UploadTask(client, local, bucket, key, o);
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

    Cos::DownloadOptions o;
    o.checkpointDirectory = checkpointDir;
    o.resume = !parser.isSet(f.noResume);
    o.verify = !parser.isSet(f.noVerify);
    if (!readInt(parser, f.parallel, 1, 64, &o.rangesInFlight)
        || !readSize(parser, f.rangeSize, 64 * 1024, &o.rangeSize))
        return ExitCode::Usage;
    Cos::TransferQueue queue; // owns the task, outlives the summary below
    auto *task = new Cos::DownloadTask(client, bucket, key, local, o);
    const int code = runTask(context, queue, task, u"get"_s);
    if (code == ExitCode::Ok && !context.quiet)
        printLine(u"downloaded %1/%2 to %3: %4 bytes (received %5, resumed %6)"_s
                          .arg(bucket, key, local)
                          .arg(task->progress().bytesTotal)
                          .arg(task->bytesReceived())
                          .arg(task->bytesResumed()));
    return code;
}
