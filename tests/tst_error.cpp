#include "cos/core/error.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Cos::Error;

class TstError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsNoError()
    {
        const Error e;
        QVERIFY(!e.isError());
        QVERIFY(!e);
        QVERIFY(!e.isRetryable());
    }

    void retryability_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("500") << 500 << u"InternalError"_s << true;
        QTest::newRow("503 SlowDown") << 503 << u"SlowDown"_s << true;
        QTest::newRow("400 RequestTimeout") << 400 << u"RequestTimeout"_s << true;
        // The bytes that arrived differ from the Content-MD5 sent: damaged on the way, so a
        // resend may succeed (a file that changed meanwhile fails again and runs out of retries).
        QTest::newRow("400 BadDigest") << 400 << u"BadDigest"_s << true;
        QTest::newRow("400 InvalidDigest") << 400 << u"InvalidDigest"_s << false;
        QTest::newRow("403 AccessDenied") << 403 << u"AccessDenied"_s << false;
        QTest::newRow("404 NoSuchKey") << 404 << u"NoSuchKey"_s << false;
        QTest::newRow("409 BucketAlreadyExists") << 409 << u"BucketAlreadyExists"_s << false;
    }

    void retryability()
    {
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, retryable);
        const Error e = Error::service(status, code, u"m"_s);
        QCOMPARE(e.kind(), Error::Kind::Service);
        QCOMPARE(e.isRetryable(), retryable);
    }

    void transportErrorsAreRetryable()
    {
        QVERIFY(Error(Error::Kind::Network, u"reset"_s).isRetryable());
        QVERIFY(Error(Error::Kind::Timeout, u"slow"_s).isRetryable());
        QVERIFY(!Error(Error::Kind::Canceled, u"stop"_s).isRetryable());
        QVERIFY(!Error(Error::Kind::Integrity, u"crc"_s).isRetryable());
    }

    void reporterHasTheLastWordOnRetrying()
    {
        // The one retry rule of jobs, transfer steps and cosctl: a transport error its reporter
        // marked final (a credential fetch that already waited its limit) is not retried.
        QVERIFY(!Error(Error::Kind::Timeout, u"no credentials"_s).setRetryable(false).isRetryable());
        QVERIFY(Error(Error::Kind::Parse, u"cut"_s).setRetryable(true).isRetryable());
        QVERIFY(!Error::service(503, u"SlowDown"_s, {}).setRetryable(false).isRetryable());
    }

    void credentialAndSkewCodes()
    {
        QVERIFY(Error::service(403, u"ExpiredToken"_s, {}).isCredentialExpiry());
        QVERIFY(Error::service(403, u"InvalidAccessKeyId"_s, {}).isCredentialExpiry());
        QVERIFY(Error::service(403, u"AccessDenied"_s, u"Request has expired"_s)
                        .isCredentialExpiry());
        QVERIFY(!Error::service(403, u"AccessDenied"_s, u"policy"_s).isCredentialExpiry());
        QVERIFY(Error::service(403, u"RequestTimeTooSkewed"_s, {}).isClockSkew());
        QVERIFY(!Error::service(403, u"SignatureDoesNotMatch"_s, {}).isClockSkew());
    }

    void toStringNamesCodeStatusAndRequestId()
    {
        const Error e = Error::service(404, u"NoSuchKey"_s, u"missing"_s, u"req-1"_s);
        QCOMPARE(e.toString(), u"NoSuchKey (HTTP 404): missing [request id req-1]"_s);
        QCOMPARE(Error(Error::Kind::Io, u"disk full"_s).toString(), u"file error: disk full"_s);
    }
};

QTEST_GUILESS_MAIN(TstError)
#include "tst_error.moc"
