#pragma once

#include <QObject>
#include <QString>

namespace Cos {
class RequestJournal;
struct JournalEntry;
} // namespace Cos

/**
 * @brief cosctl --trace: prints each request of the journal to stderr when its answer came (or
 * it failed), one line each; with --trace-signing also the headers sent and what was signed.
 * Everything printed comes from the journal, which holds no secret.
 */
class RequestTrace : public QObject
{
public:
    enum class Detail { Requests, Signing };

    RequestTrace(Cos::RequestJournal *journal, Detail detail, QObject *parent = nullptr);

    /** @brief The text printed for @p entry: its line, and with Signing its signing inputs. */
    [[nodiscard]] static QString format(const Cos::JournalEntry &entry, Detail detail);

private:
    Detail m_detail;
};

/**
 * @brief For the last request that failed with SignatureDoesNotMatch: our string to sign and
 * canonical request, each next to the server's when its error body carried them. Empty when no
 * such request is in @p journal.
 */
QString signatureMismatchReport(const Cos::RequestJournal &journal);
