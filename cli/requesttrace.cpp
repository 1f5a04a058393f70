#include "requesttrace.h"

#include "clicontext.h"

#include "cos/net/requestjournal.h"

using namespace Qt::StringLiterals;

RequestTrace::RequestTrace(Cos::RequestJournal *journal, Detail detail, QObject *parent)
    : QObject(parent)
    , m_detail(detail)
{
    connect(journal, &Cos::RequestJournal::entryChanged, this,
            [this](const Cos::JournalEntry &entry) {
                if (entry.finished)
                    printError(u"trace "_s + format(entry, m_detail));
            });
}

QString RequestTrace::format(const Cos::JournalEntry &entry, Detail detail)
{
    QString text = Cos::journalLine(entry);
    if (detail != Detail::Signing)
        return text;
    QStringList headers;
    for (const auto &[name, value] : entry.requestHeaders)
        headers << QString::fromLatin1(name) + u": "_s + QString::fromUtf8(value);
    text += Cos::journalBlock(u"headers sent"_s, headers.join(u'\n'));
    if (!entry.canonicalRequest.isEmpty())
        text += Cos::journalBlock(u"canonical request"_s, QString::fromUtf8(entry.canonicalRequest));
    if (!entry.stringToSign.isEmpty())
        text += Cos::journalBlock(u"string to sign"_s, QString::fromUtf8(entry.stringToSign));
    return text;
}

QString signatureMismatchReport(const Cos::RequestJournal &journal)
{
    const QList<Cos::JournalEntry> entries = journal.entries();
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        const QString report = Cos::signatureMismatchReport(*it);
        if (!report.isEmpty())
            return report;
    }
    return {};
}
