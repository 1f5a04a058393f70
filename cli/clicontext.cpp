#include "clicontext.h"

#include "cos/net/job.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

std::atomic<int> s_interrupted {0};

extern "C" void onInterrupt(int)
{
    s_interrupted.store(1);
}

} // namespace

Cos::Client *CliContext::requireClient() const
{
    if (!client)
        printError(configError.message());
    return client;
}

int exitCodeFor(const Cos::Error &error)
{
    using Kind = Cos::Error::Kind;
    switch (error.kind()) {
    case Kind::None:
        return ExitCode::Ok;
    case Kind::Canceled:
        return ExitCode::Interrupted;
    case Kind::InvalidInput:
        return ExitCode::Usage;
    case Kind::Network:
    case Kind::Timeout:
        return ExitCode::Network;
    case Kind::Integrity:
        return ExitCode::Integrity;
    case Kind::Credentials:
        return ExitCode::AccessDenied;
    case Kind::Parse:
    case Kind::Io:
        return ExitCode::Generic;
    case Kind::Service:
        break;
    }
    const QString &code = error.code();
    if (error.httpStatus() == 404 || code == "NoSuchBucket"_L1 || code == "NoSuchKey"_L1
        || code == "NotFound"_L1 || code == "NoSuchUpload"_L1)
        return ExitCode::NotFound;
    if (error.httpStatus() == 401 || error.httpStatus() == 403 || code == "AccessDenied"_L1
        || code == "SignatureDoesNotMatch"_L1 || code == "InvalidAccessKeyId"_L1
        || code == "ExpiredToken"_L1 || code == "InvalidToken"_L1)
        return ExitCode::AccessDenied;
    if (code == "InvalidBucketName"_L1 || code == "InvalidArgument"_L1)
        return ExitCode::Usage;
    if (error.httpStatus() >= 500)
        return ExitCode::Network;
    return ExitCode::Generic;
}

QString terminalSafe(const QString &text)
{
    // Server-provided text (error messages, keys) must not drive the terminal: C0 controls
    // other than newline and tab, DEL and the C1 controls (U+0080..U+009F, e.g. CSI) go.
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n' && u != u'\t') || (u >= 0x7f && u <= 0x9f))
            continue;
        out += c;
    }
    return out;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "cosctl: %s\n", qUtf8Printable(terminalSafe(message)));
    std::fflush(stderr);
}

namespace {
QString s_accessDeniedHint;
} // namespace

void setAccessDeniedHint(const QString &hint)
{
    s_accessDeniedHint = hint;
}

int reportError(const QString &context, const Cos::Error &error)
{
    QString hint;
    const int code = exitCodeFor(error);
    if (code == ExitCode::AccessDenied && error.kind() == Cos::Error::Kind::Service)
        hint = u"\n  hint: "_s
                + (s_accessDeniedHint.isEmpty()
                           ? u"check the keys (cosctl credentials), the bucket name and the policy"_s
                           : s_accessDeniedHint);
    printError(context + u": "_s + error.toString() + hint);
    return code;
}

void printLine(const QString &line)
{
    // Piped output stays byte-exact (keys may legitimately contain anything).
    static const bool terminal = isatty(STDOUT_FILENO);
    std::fputs(qUtf8Printable(terminal ? terminalSafe(line) : line), stdout);
    std::fputc('\n', stdout);
}

void runToCompletion(Cos::Job *job)
{
    s_interrupted.store(0);
    auto previousInt = std::signal(SIGINT, onInterrupt);
    auto previousTerm = std::signal(SIGTERM, onInterrupt);
    QEventLoop loop;
    QObject::connect(job, &Cos::Job::finished, &loop, &QEventLoop::quit);
    // Signal handlers may only set a flag; the event loop polls it.
    QTimer poll;
    poll.setInterval(100);
    QObject::connect(&poll, &QTimer::timeout, job, [job] {
        if (s_interrupted.load())
            job->abort();
    });
    poll.start();
    if (!job->isStarted())
        job->start();
    if (!job->isFinished())
        loop.exec();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    std::fflush(stdout);
}

bool splitBucketKey(const QString &arg, bool keyRequired, QString *bucket, QString *key,
                    QString *error)
{
    QString rest = arg;
    for (const QLatin1StringView scheme : {"cos://"_L1, "s3://"_L1}) {
        if (rest.startsWith(scheme, Qt::CaseInsensitive)) {
            rest = rest.mid(scheme.size());
            break;
        }
    }
    const qsizetype slash = rest.indexOf(u'/');
    *bucket = slash < 0 ? rest : rest.left(slash);
    *key = slash < 0 ? QString() : rest.mid(slash + 1);
    if (bucket->isEmpty()) {
        *error = u"'%1' has no bucket name (expected BUCKET%2)"_s.arg(arg,
                                                                      keyRequired ? u"/KEY"_s
                                                                                  : u"[/PREFIX]"_s);
        return false;
    }
    if (keyRequired && key->isEmpty()) {
        *error = u"'%1' has no object key (expected BUCKET/KEY)"_s.arg(arg);
        return false;
    }
    return true;
}
