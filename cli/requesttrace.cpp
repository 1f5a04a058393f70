#include "requesttrace.h"

#include "clicontext.h"

#include "cos/net/requestjournal.h"
#include "cos/protocol/xmlparsers.h"

using namespace Qt::StringLiterals;

namespace {

// @p text with every line indented by @p indent, so that multi-line inputs read as one block.
QString indented(const QString &text, const QString &indent)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines)
        line.prepend(indent);
    return lines.join(u'\n');
}

QString block(const QString &title, const QString &text)
{
    return u"\n  "_s + title + u":\n"_s + indented(text, u"    "_s);
}

} // namespace

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
    text += block(u"headers sent"_s, headers.join(u'\n'));
    if (!entry.canonicalRequest.isEmpty())
        text += block(u"canonical request"_s, QString::fromUtf8(entry.canonicalRequest));
    if (!entry.stringToSign.isEmpty())
        text += block(u"string to sign"_s, QString::fromUtf8(entry.stringToSign));
    return text;
}

QString signatureMismatchReport(const Cos::RequestJournal &journal)
{
    const QList<Cos::JournalEntry> entries = journal.entries();
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        if (!it->isError() || !it->error.contains("SignatureDoesNotMatch"_L1))
            continue;
        const Cos::ServerSigningInputs server = Cos::parseServerSigningInputs(it->errorBody);
        QString text = u"the signature of request #%1 did not match:"_s.arg(it->id);
        text += block(u"our string to sign"_s, QString::fromUtf8(it->stringToSign));
        if (!server.stringToSign.isEmpty())
            text += block(u"the server's string to sign"_s, server.stringToSign);
        text += block(u"our canonical request"_s, QString::fromUtf8(it->canonicalRequest));
        if (!server.canonicalRequest.isEmpty())
            text += block(u"the server's canonical request"_s, server.canonicalRequest);
        if (server.stringToSign.isEmpty() && server.canonicalRequest.isEmpty())
            text += u"\n  the server sent no string to sign of its own to compare with"_s;
        else if (server.stringToSign.trimmed() == QString::fromUtf8(it->stringToSign).trimmed())
            text += u"\n  the strings to sign are equal: the secret key is probably wrong"_s;
        return text;
    }
    return {};
}
