// cos-signer's command line through SignerConfig::applyArguments(): the resulting config, and
// one clear error naming the option for each bad value.
#include "signerconfig.h"

#include <QCommandLineParser>
#include <QFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {

QProcessEnvironment keysOnly()
{
    QProcessEnvironment env;
    env.insert(u"COS_SIGNER_SECRET_ID"_s, u"AKIDexample0123456789"_s);
    env.insert(u"COS_SIGNER_SECRET_KEY"_s, u"permanent-secret-value"_s);
    env.insert(u"COS_SIGNER_APPID"_s, u"1250000000"_s);
    return env;
}

// Parses @p arguments (without the program name) as cos-signer does and applies them.
bool apply(const QStringList &arguments, SignerConfig *config, QString *error,
           QStringList *warnings = nullptr, const QProcessEnvironment &env = keysOnly())
{
    QCommandLineParser parser;
    parser.addOptions(SignerConfig::commandLineOptions());
    if (!parser.parse(QStringList {u"cos-signer"_s} + arguments)) {
        *error = parser.errorText();
        return false;
    }
    return config->applyArguments(parser, env, error, warnings);
}

// A grant, without which a signer has nothing to hand out.
const QStringList grant {u"--bucket"_s, u"b-1250000000"_s, u"--region"_s, u"ap-guangzhou"_s};

} // namespace

class TstSignerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void flagsAndEnvironment();
    void badValues_data();
    void badValues();
    void missingValues_data();
    void missingValues();
    void secretKeyFlagWarns();
    void configFileThenFlags();
    void printPolicyNeedsNoKeys();
};

void TstSignerConfig::defaults()
{
    SignerConfig config;
    QString error;
    QVERIFY2(apply(grant, &config, &error), qPrintable(error));
    QCOMPARE(config.port, 5000);
    QCOMPARE(config.listen, u"127.0.0.1"_s);
    QCOMPARE(config.backend, u"tencent"_s);
    QCOMPARE(config.durationSeconds, 1800);
    QCOMPARE(config.secretId, u"AKIDexample0123456789"_s);
    QCOMPARE(config.appId, u"1250000000"_s);
    QCOMPARE(config.grants.size(), 1);
    QCOMPARE(config.grants.constFirst().prefixTemplate, u"users/${uid}/"_s);
    // Nothing to grant: said, with what to give.
    SignerConfig empty;
    QVERIFY(!apply({}, &empty, &error));
    QVERIFY2(error.contains(u"--bucket and --region"_s), qPrintable(error));
}

void TstSignerConfig::flagsAndEnvironment()
{
    QProcessEnvironment env = keysOnly();
    env.insert(u"COS_SIGNER_TOKENS"_s, u"alice:token-a, bob:token-b\ncarol:token-c"_s);
    env.insert(u"COS_SIGNER_BUCKET"_s, u"envbucket-1250000000"_s);
    env.insert(u"COS_SIGNER_REGION"_s, u"ap-beijing"_s);
    SignerConfig config;
    QString error;
    QVERIFY2(apply({u"--port"_s,
                    u"0"_s,
                    u"--duration"_s,
                    u"900"_s,
                    u"--max-duration"_s,
                    u"3600"_s,
                    u"--rate"_s,
                    u"2.5"_s,
                    u"--burst"_s,
                    u"5"_s,
                    u"--max-body"_s,
                    u"32768"_s,
                    u"--listen"_s,
                    u"::1"_s,
                    u"--cors-origin"_s,
                    u"https://a.example"_s,
                    u"--cors-origin"_s,
                    u"https://b.example"_s,
                    u"--bucket"_s,
                    u"photos-1250000000"_s,
                    u"--allow-prefix"_s,
                    u"a/${uid}/"_s,
                    u"--allow-prefix"_s,
                    u"shared/"_s,
                    u"--actions"_s,
                    u"upload,list"_s,
                    u"--max-connections"_s,
                    u"100"_s},
                   &config, &error, nullptr, env),
             qPrintable(error));
    QCOMPARE(config.port, 0);
    QCOMPARE(config.durationSeconds, 900);
    QCOMPARE(config.maxDurationSeconds, 3600);
    QCOMPARE(config.ratePerSecond, 2.5);
    QCOMPARE(config.rateBurst, 5);
    QCOMPARE(config.maxBodyBytes, qint64(32768));
    QCOMPARE(config.listen, u"::1"_s);
    QCOMPARE(config.corsOrigins, QStringList({u"https://a.example"_s, u"https://b.example"_s}));
    QCOMPARE(config.tokens, QStringList({u"alice:token-a"_s, u"bob:token-b"_s, u"carol:token-c"_s}));
    QCOMPARE(config.maxConnections, 100);
    // The flag's bucket wins over the variable's; the variable's region is used.
    QCOMPARE(config.grants.size(), 2);
    QCOMPARE(config.grants.at(0).bucket, u"photos-1250000000"_s);
    QCOMPARE(config.grants.at(0).region, u"ap-beijing"_s);
    QCOMPARE(config.grants.at(0).prefixTemplate, u"a/${uid}/"_s);
    QCOMPARE(config.grants.at(1).prefixTemplate, u"shared/"_s);
    QVERIFY(config.grants.at(0).operations == config.grants.at(1).operations);
    const Operations &ops = config.grants.at(0).operations; // upload and list, no download
    QVERIFY(ops.contains(Operation::UploadPart) && ops.contains(Operation::GetBucket));
    QVERIFY(!ops.contains(Operation::GetObject));
}

void TstSignerConfig::badValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::newRow("fraction") << QStringList {u"--port"_s, u"5000.7"_s}
                              << u"--port: \"5000.7\" is not a whole number from 0 to 65535"_s;
    QTest::newRow("negative") << QStringList {u"--port"_s, u"-1"_s}
                              << u"--port: \"-1\" is not a whole number from 0 to 65535"_s;
    QTest::newRow("port range") << QStringList {u"--port"_s, u"70000"_s}
                                << u"--port: \"70000\" is not a whole number from 0 to 65535"_s;
    QTest::newRow("exponent") << QStringList {u"--port"_s, u"1e3"_s}
                              << u"--port: \"1e3\" is not a whole number"_s;
    QTest::newRow("int overflow") << QStringList {u"--duration"_s, u"4294967296"_s}
                                  << u"--duration: \"4294967296\" is not a whole number from 0 "
                                     "to 2147483647"_s;
    QTest::newRow("long overflow")
            << QStringList {u"--max-body"_s, u"99999999999999999999999"_s}
            << u"--max-body: \"99999999999999999999999\" is not a whole number"_s;
    QTest::newRow("huge double") << QStringList {u"--max-body"_s, u"1e300"_s}
                                 << u"--max-body: \"1e300\" is not a whole number"_s;
    QTest::newRow("full-width digit") << QStringList {u"--header-timeout"_s, u"５"_s}
                                      << u"--header-timeout: \"５\" is not a whole number"_s;
    QTest::newRow("empty") << QStringList {u"--burst"_s, QString()}
                           << u"--burst: \"\" is not a whole number"_s;
    QTest::newRow("rate nan") << QStringList {u"--rate"_s, u"nan"_s}
                              << u"--rate: \"nan\" is not a number of 0 or more"_s;
    QTest::newRow("rate negative") << QStringList {u"--anon-rate"_s, u"-0.5"_s}
                                   << u"--anon-rate: \"-0.5\" is not a number of 0 or more"_s;
    QTest::newRow("rate infinite") << QStringList {u"--rate"_s, u"inf"_s}
                                   << u"--rate: \"inf\" is not a number of 0 or more"_s;
    QTest::newRow("unknown backend") << QStringList {u"--backend"_s, u"aws"_s} << u"aws"_s;
    QTest::newRow("unknown action")
            << QStringList {u"--bucket"_s,     u"b-1250000000"_s, u"--region"_s,
                            u"ap-guangzhou"_s, u"--actions"_s,    u"upload,fly"_s}
            << u"--actions: "_s;
}

void TstSignerConfig::badValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    SignerConfig config;
    QString error;
    QVERIFY(!apply(arguments, &config, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains(u"permanent-secret-value"_s));
    // A refused number leaves the default in place.
    QCOMPARE(config.port, 5000);
}

void TstSignerConfig::missingValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("keys");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bucket without region") << QStringList {u"--bucket"_s, u"b-1250000000"_s} << true
                                           << u"--bucket and --region go together"_s;
    QTest::newRow("prefix without bucket")
            << QStringList {u"--allow-prefix"_s, u"x/"_s} << true
            << u"--allow-prefix and --actions need --bucket and --region"_s;
    QTest::newRow("s3-sts without endpoint")
            << QStringList {u"--backend"_s, u"s3-sts"_s, u"--role-arn"_s, u"arn:aws:iam:::role/r"_s}
            << true << u"sts-endpoint"_s;
    QTest::newRow("no permanent key") << QStringList {} << false << u"COS_SIGNER_SECRET"_s;
    QTest::newRow("option without value")
            << QStringList {u"--port"_s} << true << u"Missing value after '--port'."_s;
}

void TstSignerConfig::missingValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, keys);
    QFETCH(QString, expected);
    SignerConfig config;
    QString error;
    QVERIFY(!apply(arguments, &config, &error, nullptr, keys ? keysOnly() : QProcessEnvironment()));
    QVERIFY2(error.contains(expected, Qt::CaseInsensitive), qPrintable(error));
}

void TstSignerConfig::secretKeyFlagWarns()
{
    SignerConfig config;
    QString error;
    QStringList warnings;
    QVERIFY2(apply(QStringList {u"--secret-key"_s, u"flag-secret-value"_s} + grant, &config, &error,
                   &warnings),
             qPrintable(error));
    // The flag wins over the variable, and the operator is told to use the variable.
    QCOMPARE(config.secretKey, u"flag-secret-value"_s);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.constFirst().contains(u"COS_SIGNER_SECRET_KEY"_s));
    QVERIFY(!warnings.constFirst().contains(u"flag-secret-value"_s));
}

void TstSignerConfig::configFileThenFlags()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"signer.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"port": 6000, "durationSeconds": 600})");
    file.close();
    SignerConfig config;
    QString error;
    QVERIFY2(apply(QStringList {u"--config"_s, path, u"--duration"_s, u"1200"_s} + grant, &config,
                   &error),
             qPrintable(error));
    QCOMPARE(config.port, 6000); // from the file
    QCOMPARE(config.durationSeconds, 1200); // the flag wins

    QProcessEnvironment env = keysOnly();
    env.insert(u"COS_SIGNER_CONFIG"_s, dir.filePath(u"missing.json"_s));
    SignerConfig missing;
    QVERIFY(!apply({}, &missing, &error, nullptr, env));
    QVERIFY2(error.contains(u"missing.json"_s), qPrintable(error));
}

void TstSignerConfig::printPolicyNeedsNoKeys()
{
    SignerConfig config;
    QString error;
    QVERIFY2(apply({u"--print-policy"_s, u"--bucket"_s, u"b-1250000000"_s, u"--region"_s,
                    u"ap-guangzhou"_s, u"--appid"_s, u"1250000000"_s},
                   &config, &error, nullptr, QProcessEnvironment()),
             qPrintable(error));
    QCOMPARE(config.secretId, u"(none)"_s);
    QCOMPARE(config.grants.size(), 1);
}

QTEST_GUILESS_MAIN(TstSignerConfig)
#include "tst_signer_config.moc"
