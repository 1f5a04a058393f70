// The embedded signer (in-process temporary credentials) and the permanent-key store.
#include <embeddedsigner.h>
#include <faketencentsts.h>
#include <keystore.h>

#include "cos/net/clock.h"
#include "cos/net/requestjournal.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Signer;

class TestSignerEmbedded : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scopedCredentialsInProcess();
    void refusesWiderScope();
    void providerFeedsTheEngineCache();
    void providerErrorsAndCancel();
    void stsCallsAreJournaled();
    void fileFallbackNeedsOptIn();
    void fileFallbackRoundTrip();
    void keychainEitherWorksOrSaysWhy();
};

namespace {
SignerConfig config(const QUrl &sts)
{
    SignerConfig c;
    c.secretId = u"AKIDembedded"_s;
    c.secretKey = u"embedded-secret"_s;
    c.appId = u"1250000000"_s;
    c.stsEndpoint = sts.toString();
    Operations ops;
    QString error;
    parseActionList(u"download,list"_s, &ops, &error);
    c.grants = {{u"examplebucket"_s, u"ap-guangzhou"_s, u"users/${uid}/"_s, ops}};
    return c;
}
} // namespace

void TestSignerEmbedded::scopedCredentialsInProcess()
{
    FakeTencentSts fake(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(fake.start());
    EmbeddedSigner signer(config(fake.url()));
    SignerError error;
    const QByteArray policy = signer.policy(u"carol"_s, {}, &error);
    QVERIFY(!error);
    QVERIFY(policy.contains("users/carol/*"));
    QVERIFY(!policy.contains("PutObject"));

    Cos::Credentials creds;
    bool done = false;
    signer.credentials(u"carol"_s, {}, [&](const SignerError &e, const Cos::Credentials &c) {
        QVERIFY(!e);
        creds = c;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(creds.secretId, u"AKIDfakeTmp1"_s);
    QVERIFY(creds.isTemporary());
    QVERIFY(creds.secondsLeft(QDateTime::currentSecsSinceEpoch()) > 1700);
    QVERIFY(qAbs(creds.startTime - QDateTime::currentSecsSinceEpoch()) <= 2);
    QCOMPARE(fake.lastParams().value("Policy"_L1).toString().toUtf8(), policy);
    // Cached: the second call answers synchronously without STS.
    bool sync = false;
    signer.credentials(u"carol"_s, {}, [&](const SignerError &, const Cos::Credentials &c) {
        sync = c.secretId == creds.secretId;
    });
    QVERIFY(sync);
    QCOMPARE(fake.calls(), 1);
}

void TestSignerEmbedded::refusesWiderScope()
{
    FakeTencentSts fake(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(fake.start());
    EmbeddedSigner signer(config(fake.url()));
    SignerError error;
    bool done = false;
    signer.credentials(u"carol"_s, R"({"scope":{"action":"upload"}})",
                       [&](const SignerError &e, const Cos::Credentials &c) {
                           error = e;
                           QVERIFY(c.isEmpty());
                           done = true;
                       });
    QVERIFY(done);
    QCOMPARE(error.status, 403);
    QCOMPARE(fake.calls(), 0);
}

void TestSignerEmbedded::providerFeedsTheEngineCache()
{
    FakeTencentSts fake(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(fake.start());
    EmbeddedCredentialProvider provider(config(fake.url()), u"carol"_s);
    QVERIFY(provider.description().startsWith(u"embedded signer"_s));
    QVERIFY(!provider.description().contains(u"AKIDembedded"_s));
    QCOMPARE(provider.grantDescription(),
             u"examplebucket-1250000000/users/carol/* [download,list]"_s);

    Cos::Clock clock;
    Cos::CredentialCache cache(&provider, &clock);
    QSignalSpy fetched(&provider, &Cos::CredentialProvider::fetched);
    Cos::Credentials got;
    bool done = false;
    cache.request(this, [&](const Cos::Credentials &c, const Cos::Error &e) {
        QVERIFY(!e);
        got = c;
        done = true;
    });
    QVERIFY(!done);
    QTRY_VERIFY(done);
    QCOMPARE(got.secretId, u"AKIDfakeTmp1"_s);
    QVERIFY(got.isTemporary());
    QVERIFY(got.secondsLeft(QDateTime::currentSecsSinceEpoch()) > 1700);
    // The keys come with their scope, as cos-signer's answers carry it.
    QCOMPARE(got.scope.describe(), provider.grantDescription());
    QCOMPARE(got.scope.grants.constFirst().region, u"ap-guangzhou"_s);

    // A forced refresh while the signer core still caches the keys: its answer is synchronous,
    // the provider's fetched() must still come later (the provider contract).
    cache.invalidate();
    done = false;
    cache.request(this, [&](const Cos::Credentials &c, const Cos::Error &) {
        got = c;
        done = true;
    });
    QVERIFY(!done);
    QCOMPARE(fetched.size(), 1);
    QTRY_VERIFY(done);
    QCOMPARE(fetched.size(), 2);
    QCOMPARE(got.secretId, u"AKIDfakeTmp1"_s);
    QCOMPARE(fake.calls(), 1);
    QCOMPARE(cache.fetchCount(), 2);
}

void TestSignerEmbedded::providerErrorsAndCancel()
{
    FakeTencentSts fake(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(fake.start());
    fake.failWith(u"AuthFailure.SignatureFailure"_s,
                  u"The provided credentials could not be "
                  "validated."_s);
    EmbeddedCredentialProvider provider(config(fake.url()), u"carol"_s);
    QSignalSpy fetched(&provider, &Cos::CredentialProvider::fetched);
    provider.fetch();
    QTRY_COMPARE(fetched.size(), 1);
    const auto error = fetched.at(0).at(1).value<Cos::Error>();
    QCOMPARE(error.kind(), Cos::Error::Kind::Credentials);
    QVERIFY2(error.message().startsWith(u"embedded signer: "_s), qPrintable(error.message()));
    QVERIFY(!error.toString().contains(u"embedded-secret"_s));
    QVERIFY(!error.toString().contains(u"AKIDembedded"_s));
    QVERIFY(fetched.at(0).at(0).value<Cos::Credentials>().isEmpty());

    // A canceled fetch never answers; the next one does.
    FakeTencentSts slow(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(slow.start());
    slow.setDelay(200);
    EmbeddedCredentialProvider second(config(slow.url()), u"carol"_s);
    QSignalSpy secondFetched(&second, &Cos::CredentialProvider::fetched);
    second.fetch();
    second.cancel();
    QTest::qWait(500);
    QCOMPARE(secondFetched.size(), 0);
    second.fetch();
    QTRY_COMPARE(secondFetched.size(), 1);
    QVERIFY(!secondFetched.at(0).at(1).value<Cos::Error>());
}

// With a journal set (Client::setJournal() passes it to its provider), every STS call is
// recorded: the action, the TC3 Authorization reduced to algorithm, masked key id and signed
// names; the body of a failure, never the body that carries the temporary keys; no secret.
void TestSignerEmbedded::stsCallsAreJournaled()
{
    FakeTencentSts fake(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(fake.start());
    Cos::RequestJournal journal;
    EmbeddedCredentialProvider provider(config(fake.url()), u"carol"_s);
    provider.setJournal(&journal);
    QSignalSpy fetched(&provider, &Cos::CredentialProvider::fetched);
    provider.fetch();
    QTRY_COMPARE(fetched.size(), 1);
    const auto issued = fetched.at(0).at(0).value<Cos::Credentials>();
    QVERIFY(issued.isTemporary());
    QCOMPARE(journal.size(), 1);
    const Cos::JournalEntry ok = journal.entries().constFirst();
    QCOMPARE(ok.kind, Cos::JournalEntry::Kind::Sts);
    QVERIFY(ok.isKeyFetch());
    QCOMPARE(ok.operation, u"GetFederationToken"_s);
    QCOMPARE(ok.method, "POST"_ba);
    QVERIFY(ok.finished);
    QCOMPARE(ok.status, 200);
    QVERIFY(ok.error.isEmpty());
    QVERIFY(ok.errorBody.isEmpty());
    QVERIFY(ok.bytesSent > 0);
    QVERIFY(ok.bytesReceived > 0);
    QVERIFY(!ok.requestId.isEmpty());
    QByteArray authorization;
    for (const auto &[name, value] : ok.requestHeaders) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            authorization = value;
    }
    QVERIFY2(authorization.startsWith("TC3-HMAC-SHA256 Credential=AKID****dded/"),
             authorization.constData());
    QVERIFY2(authorization.endsWith("Signature=<redacted>"), authorization.constData());

    // A refusal (a provider of its own: the first one's signer core caches the keys).
    FakeTencentSts refusing(u"AKIDembedded"_s, u"embedded-secret"_s);
    QVERIFY(refusing.start());
    refusing.failWith(u"AuthFailure.SignatureFailure"_s, u"The signature could not be validated."_s);
    EmbeddedCredentialProvider refused(config(refusing.url()), u"carol"_s);
    refused.setJournal(&journal);
    QSignalSpy refusedFetched(&refused, &Cos::CredentialProvider::fetched);
    refused.fetch();
    QTRY_COMPARE(refusedFetched.size(), 1);
    QCOMPARE(journal.size(), 2);
    const Cos::JournalEntry failed = journal.entries().constLast();
    QVERIFY(failed.isError());
    QVERIFY2(failed.errorBody.contains("AuthFailure.SignatureFailure"),
             failed.errorBody.constData());

    // Nothing secret: the permanent key, its whole id, the temporary keys and their token.
    QByteArray all;
    for (const Cos::JournalEntry &e : journal.entries()) {
        all += Cos::journalLine(e).toUtf8() + e.url.toUtf8() + e.errorBody + e.error.toUtf8();
        for (const auto &[name, value] : e.requestHeaders)
            all += name + ": " + value + '\n';
    }
    for (const QString &secret :
         {u"embedded-secret"_s, u"AKIDembedded"_s, issued.secretKey, issued.sessionToken})
        QVERIFY2(!all.contains(secret.toUtf8()), all.constData());

    // Without a journal nothing is recorded.
    EmbeddedCredentialProvider unobserved(config(fake.url()), u"dave"_s);
    QSignalSpy unobservedFetched(&unobserved, &Cos::CredentialProvider::fetched);
    unobserved.fetch();
    QTRY_COMPARE(unobservedFetched.size(), 1);
    QCOMPARE(fake.calls(), 2);
    QCOMPARE(journal.size(), 2);
}

void TestSignerEmbedded::fileFallbackNeedsOptIn()
{
    QTemporaryDir dir;
    PermanentKeyStore store({u"cos-signer-test"_s, false, false, dir.filePath(u"keys.json"_s)});
    Cos::Error error;
    bool done = false;
    store.store(u"default"_s, u"AKID"_s, u"KEY"_s, [&](const Cos::Error &e, auto) {
        error = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(error);
    QVERIFY2(error.message().contains(u"opt in"_s), qPrintable(error.message()));
    QVERIFY(!QFile::exists(dir.filePath(u"keys.json"_s)));
}

void TestSignerEmbedded::fileFallbackRoundTrip()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"keys.json"_s);
    PermanentKeyStore store({u"cos-signer-test"_s, false, true, file});
    QSignalSpy warnings(&store, &PermanentKeyStore::warning);
    bool done = false;
    PermanentKeyStore::Where where = PermanentKeyStore::Where::Keychain;
    store.store(u"default"_s, u"AKIDstored"_s, u"stored-key"_s,
                [&](const Cos::Error &e, PermanentKeyStore::Where w) {
                    QVERIFY(!e);
                    where = w;
                    done = true;
                });
    QTRY_VERIFY(done);
    QCOMPARE(where, PermanentKeyStore::Where::File);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.at(0).at(0).toString().contains(u"PLAIN TEXT"_s));
    QCOMPARE(QFile::permissions(file) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    QString id, key;
    done = false;
    store.load(u"default"_s, [&](const Cos::Error &e, const QString &i, const QString &k, auto) {
        QVERIFY(!e);
        id = i;
        key = k;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(id, u"AKIDstored"_s);
    QCOMPARE(key, u"stored-key"_s);
    done = false;
    store.remove(u"default"_s, [&](const Cos::Error &) { done = true; });
    QTRY_VERIFY(done);
    done = false;
    Cos::Error missing;
    store.load(u"default"_s, [&](const Cos::Error &e, auto &, auto &, auto) {
        missing = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(missing);
}

void TestSignerEmbedded::keychainEitherWorksOrSaysWhy()
{
    if (!PermanentKeyStore::keychainAvailable())
        QSKIP("built without qtkeychain");
    PermanentKeyStore store({u"cos-signer-test"_s, true, false, {}});
    Cos::Error error;
    bool done = false;
    store.store(u"probe"_s, u"AKIDprobe"_s, u"probe-key"_s, [&](const Cos::Error &e, auto) {
        error = e;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    if (error) {
        // Headless machine: a clear message, never a silent plain-text write.
        QVERIFY2(error.message().contains(u"keychain"_s), qPrintable(error.message()));
        return;
    }
    done = false;
    QString id;
    store.load(u"probe"_s, [&](const Cos::Error &e, const QString &i, auto &, auto) {
        QVERIFY(!e);
        id = i;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    QCOMPARE(id, u"AKIDprobe"_s);
    done = false;
    store.remove(u"probe"_s, [&](const Cos::Error &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
}

QTEST_GUILESS_MAIN(TestSignerEmbedded)
#include "tst_signer_embedded.moc"
