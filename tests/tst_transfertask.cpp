#include "cos/net/client.h"
#include "cos/transfer/transfertask.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

// A task that never runs: it exposes the retry policy that UploadTask and DownloadTask share.
class RetryProbe : public TransferTask
{
public:
    RetryProbe()
        : TransferTask(nullptr, u"bkt"_s, u"key"_s, {}, nullptr)
    { }
    [[nodiscard]] Direction direction() const override { return Direction::Upload; }
    using TransferTask::nextRetryDelay;
    using TransferTask::setRetryPolicy;

protected:
    void run() override { }
    void halt() override { }
    void discard() override { canceled(); }
    void saveCheckpoint(bool) override { }
};

} // namespace

class TstTransferTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void delaysDoubleWithJitterUpToTheClientCap()
    {
        RetryProbe task;
        task.setRetryPolicy(12, 100);
        QSignalSpy messages(&task, &TransferTask::message);
        int retries = 0;
        for (int n = 1; n <= 12; ++n) {
            const int full = std::min(100 << (n - 1), Client::MaxRetryDelayMs);
            const int delay = task.nextRetryDelay(Error(Error::Kind::Network, u"reset"_s), &retries,
                                                  u"part 3: "_s);
            QVERIFY2(delay >= full / 2 && delay <= full,
                     qPrintable(u"retry %1: %2 ms, full %3 ms"_s.arg(n).arg(delay).arg(full)));
            QCOMPARE(retries, n);
        }
        QCOMPARE(messages.size(), 12);
        QVERIFY2(messages.last().at(0).toString().startsWith("part 3: network error: reset"_L1),
                 qPrintable(messages.last().at(0).toString()));
        QVERIFY(messages.last().at(0).toString().endsWith("(12/12)"_L1));
        // No retries left: the caller fails, and nothing more is counted or said.
        QCOMPARE(task.nextRetryDelay(Error(Error::Kind::Network, u"reset"_s), &retries), -1);
        QCOMPARE(retries, 12);
        QCOMPARE(messages.size(), 12);
    }

    void zeroBaseRetriesAtOnce()
    {
        RetryProbe task;
        task.setRetryPolicy(3, 0);
        int retries = 0;
        for (int n = 1; n <= 3; ++n)
            QCOMPARE(task.nextRetryDelay(Error(Error::Kind::Timeout, u"slow"_s), &retries), 0);
        QCOMPARE(task.nextRetryDelay(Error(Error::Kind::Timeout, u"slow"_s), &retries), -1);
    }

    void theErrorDecidesWhetherToRetry_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<bool>("retried");
        QTest::newRow("network") << Error(Error::Kind::Network, u"reset"_s) << true;
        QTest::newRow("timeout") << Error(Error::Kind::Timeout, u"slow"_s) << true;
        QTest::newRow("503") << Error::service(503, u"ServiceUnavailable"_s, {}) << true;
        QTest::newRow("SlowDown") << Error::service(503, u"SlowDown"_s, {}) << true;
        QTest::newRow("404") << Error::service(404, u"NoSuchKey"_s, {}) << false;
        QTest::newRow("canceled") << Error(Error::Kind::Canceled, u"stop"_s) << false;
        QTest::newRow("integrity") << Error(Error::Kind::Integrity, u"crc"_s) << false;
        // A timeout its reporter marked final (the credential fetch already waited its limit).
        QTest::newRow("timeout marked final")
                << Error(Error::Kind::Timeout, u"no credentials"_s).setRetryable(false) << false;
    }

    void theErrorDecidesWhetherToRetry()
    {
        QFETCH(Error, error);
        QFETCH(bool, retried);
        RetryProbe task;
        task.setRetryPolicy(3, 10);
        int retries = 0;
        QCOMPARE(task.nextRetryDelay(error, &retries) >= 0, retried);
        QCOMPARE(retries, retried ? 1 : 0);
    }
};

QTEST_GUILESS_MAIN(TstTransferTask)
#include "tst_transfertask.moc"
