// Runs every case of every reference vector file (tests/data/vectors, or $COS_VECTORS_DIR).
// Files are dispatched by their "format" field, so a folder with other files in the same
// formats is tested without rebuilding. A missing folder, a missing format, bad JSON or an
// unknown format fails the run: a vector suite that silently skips proves nothing.

#include "cos/signing/cossigner.h"
#include "cos/digest/crc64.h"
#include "cos/signing/sigv4.h"
#include "cos/signing/tc3.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kCosSignature = u"cos-signature/1"_s;
const QString kCosPresignedUrl = u"cos-presigned-url/1"_s;
const QString kSigV4 = u"sigv4/1"_s;
const QString kTc3 = u"tc3/1"_s;
const QString kCrc64 = u"crc64/1"_s;
const QStringList kFormats = {kCosSignature, kCosPresignedUrl, kSigV4, kTc3, kCrc64};

// Biggest generated CRC input; the vectors use 1 MiB, a typo must not exhaust memory.
constexpr qint64 kMaxPatternLength = qint64(256) << 20;

/** Reads typed fields from one case; the first problem is kept and reported with the id. */
class CaseReader
{
public:
    explicit CaseReader(const QJsonObject &object)
        : m_object(object)
    { }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }

    QJsonValue value(const QString &name)
    {
        if (!m_object.contains(name))
            fail(u"missing field \"%1\""_s.arg(name));
        return m_object.value(name);
    }

    QString string(const QString &name)
    {
        const QJsonValue v = value(name);
        if (!v.isString())
            fail(u"field \"%1\" is not a string"_s.arg(name));
        return v.toString();
    }

    // null (the vectors' "none") becomes an empty string.
    QString stringOrNull(const QString &name)
    {
        const QJsonValue v = value(name);
        if (v.isNull())
            return {};
        if (!v.isString())
            fail(u"field \"%1\" is neither a string nor null"_s.arg(name));
        return v.toString();
    }

    QByteArray bytes(const QString &name) { return string(name).toUtf8(); }

    qint64 integer(const QString &name) { return integerOf(value(name), name); }

    qint64 integerOf(const QJsonValue &v, const QString &what)
    {
        const double d = v.toDouble(0.5);
        if (!v.isDouble() || d != double(qint64(d)))
            fail(u"\"%1\" is not an integer"_s.arg(what));
        return v.toInteger();
    }

    bool boolean(const QString &name)
    {
        const QJsonValue v = value(name);
        if (!v.isBool())
            fail(u"field \"%1\" is not a boolean"_s.arg(name));
        return v.toBool();
    }

    QJsonObject object(const QString &name)
    {
        const QJsonValue v = value(name);
        if (!v.isObject())
            fail(u"field \"%1\" is not an object"_s.arg(name));
        return v.toObject();
    }

    Cos::StringPairs pairs(const QString &name)
    {
        const QJsonValue v = value(name);
        if (!v.isArray()) {
            fail(u"field \"%1\" is not an array"_s.arg(name));
            return {};
        }
        Cos::StringPairs out;
        const QJsonArray array = v.toArray();
        for (const QJsonValue &item : array) {
            const QJsonArray pair = item.toArray();
            if (!item.isArray() || pair.size() != 2 || !pair.at(0).isString()
                || !pair.at(1).isString()) {
                fail(u"field \"%1\" holds an entry that is not a [name, value] string pair"_s.arg(
                        name));
                return {};
            }
            out.append({pair.at(0).toString(), pair.at(1).toString()});
        }
        return out;
    }

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

private:
    QJsonObject m_object;
    QString m_error;
};

struct VectorFile
{
    QString path;
    QString fileName;
    QString format;
    QJsonArray cases;
};

QString vectorsDir()
{
    const QString fromEnv = qEnvironmentVariable("COS_VECTORS_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QString::fromUtf8(COS_TEST_DATA_DIR) + u"/vectors"_s;
}

QJsonValue toJson(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonValue toJson(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QString describe(const QJsonValue &v)
{
    // Newlines shown as \n keep a multi-line canonical string on one comparable line.
    if (v.isString())
        return v.toString().replace(u'\n', u"\\n"_s);
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return u"<non-string JSON value>"_s;
}

/**
 * Compares every field of "expected" with the computed one. A field the test does not compute
 * is a failure, so a renamed or new expectation cannot pass unchecked.
 */
bool compareExpected(const QJsonObject &expected, const QJsonObject &actual,
                     const QStringList &required, QString *message)
{
    for (const QString &name : required) {
        if (!expected.contains(name)) {
            *message = u"expected has no \"%1\""_s.arg(name);
            return false;
        }
    }
    // Report every differing field: the first one (often the authorization) rarely shows where
    // the computation went wrong, the format string or canonical request does.
    QStringList problems;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (!actual.contains(it.key())) {
            problems.append(u"expected field \"%1\" is not known for this format"_s.arg(it.key()));
            continue;
        }
        const QJsonValue got = actual.value(it.key());
        if (got != it.value()) {
            problems.append(u"field \"%1\" differs\n   actual: %2\n expected: %3"_s
                                    .arg(it.key(), describe(got), describe(it.value())));
        }
    }
    if (!problems.isEmpty()) {
        *message = problems.join(u'\n');
        return false;
    }
    return true;
}

#define COMPARE_EXPECTED(expected, actual, ...) \
    do { \
        QString message_; \
        if (!compareExpected(expected, actual, __VA_ARGS__, &message_)) \
            QFAIL(qPrintable(message_)); \
    } while (false)

#define REQUIRE_READER(reader) \
    do { \
        if (!(reader).ok()) \
            QFAIL(qPrintable(u"bad case: "_s + (reader).error())); \
    } while (false)

QByteArray crcInput(CaseReader &reader, const QJsonObject &input)
{
    if (input.contains(u"utf8"_s)) {
        if (!input.value(u"utf8"_s).isString())
            reader.fail(u"input.utf8 is not a string"_s);
        return input.value(u"utf8"_s).toString().toUtf8();
    }
    if (input.value(u"pattern"_s).toString() != u"byte i = (i*31+7) mod 251"_s) {
        reader.fail(u"input is neither {utf8} nor the known pattern"_s);
        return {};
    }
    const qint64 offset = input.contains(u"offset"_s)
            ? reader.integerOf(input.value(u"offset"_s), u"input.offset"_s)
            : 0;
    const qint64 length = reader.integerOf(input.value(u"length"_s), u"input.length"_s);
    if (offset < 0 || length < 0 || length > kMaxPatternLength) {
        reader.fail(u"input offset/length out of range"_s);
        return {};
    }
    QByteArray data(qsizetype(length), Qt::Uninitialized);
    for (qint64 j = 0; j < length; ++j)
        data[qsizetype(j)] = char(((offset + j) * 31 + 7) % 251);
    return data;
}

} // namespace

class TstVectors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void cosSignature_data() { addRows(kCosSignature); }
    void cosSignature();
    void cosPresignedUrl_data() { addRows(kCosPresignedUrl); }
    void cosPresignedUrl();
    void sigV4_data() { addRows(kSigV4); }
    void sigV4();
    void tc3_data() { addRows(kTc3); }
    void tc3();
    void crc64_data() { addRows(kCrc64); }
    void crc64();

private:
    void addRows(const QString &format);

    QList<VectorFile> m_files;
};

void TstVectors::initTestCase()
{
    const QString dirPath = vectorsDir();
    const QDir dir(dirPath);
    if (!dir.exists() || !dir.isReadable())
        QFAIL(qPrintable(u"vector folder is missing or unreadable: "_s + dirPath));
    const QStringList names = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    if (names.isEmpty())
        QFAIL(qPrintable(u"no *.json vector files in "_s + dirPath));

    QSet<QString> seenFormats;
    for (const QString &name : names) {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            QFAIL(qPrintable(u"cannot read "_s + path + u": "_s + file.errorString()));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError)
            QFAIL(qPrintable(
                    u"invalid JSON in %1 at offset %2: %3"_s.arg(path,
                                                                 QString::number(parseError.offset),
                                                                 parseError.errorString())));
        if (!doc.isObject())
            QFAIL(qPrintable(u"not a JSON object: "_s + path));

        VectorFile vf;
        vf.path = path;
        vf.fileName = name;
        vf.format = doc.object().value(u"format"_s).toString();
        if (!kFormats.contains(vf.format))
            QFAIL(qPrintable(u"unknown format \"%1\" in %2"_s.arg(vf.format, path)));
        vf.cases = doc.object().value(u"cases"_s).toArray();
        if (vf.cases.isEmpty())
            QFAIL(qPrintable(u"no cases in "_s + path));
        QSet<QString> ids;
        for (const QJsonValue &c : std::as_const(vf.cases)) {
            const QString id = c.toObject().value(u"id"_s).toString();
            if (!c.isObject() || id.isEmpty())
                QFAIL(qPrintable(u"a case without a string id in "_s + path));
            if (ids.contains(id))
                QFAIL(qPrintable(u"duplicate case id \"%1\" in %2"_s.arg(id, path)));
            ids.insert(id);
        }
        seenFormats.insert(vf.format);
        m_files.append(vf);
    }
    for (const QString &format : kFormats) {
        if (!seenFormats.contains(format))
            QFAIL(qPrintable(u"no file with format \"%1\" in %2"_s.arg(format, dirPath)));
    }
}

void TstVectors::addRows(const QString &format)
{
    QTest::addColumn<QJsonObject>("testCase");
    for (const VectorFile &vf : std::as_const(m_files)) {
        if (vf.format != format)
            continue;
        for (const QJsonValue &c : vf.cases) {
            const QJsonObject object = c.toObject();
            const QString tag = vf.fileName + u':' + object.value(u"id"_s).toString();
            QTest::newRow(tag.toUtf8().constData()) << object;
        }
    }
}

void TstVectors::cosSignature()
{
    QFETCH(QJsonObject, testCase);
    CaseReader r(testCase);
    Cos::CosSignInput in;
    in.method = r.bytes(u"method"_s);
    in.path = r.string(u"path"_s);
    in.query = r.pairs(u"query"_s);
    in.headers = r.pairs(u"headers"_s);
    in.secretId = r.string(u"secretId"_s);
    in.secretKey = r.string(u"secretKey"_s);
    in.keyTime = r.string(u"keyTime"_s);
    const QJsonObject expected = r.object(u"expected"_s);
    REQUIRE_READER(r);

    const Cos::CosSignResult out = Cos::cosSign(in);
    const QJsonObject actual {
            {u"headerList"_s, toJson(out.headerList)},
            {u"urlParamList"_s, toJson(out.urlParamList)},
            {u"formatString"_s, toJson(out.formatString)},
            {u"stringToSign"_s, toJson(out.stringToSign)},
            {u"signKey"_s, toJson(out.signKey)},
            {u"signature"_s, toJson(out.signature)},
            {u"authorization"_s, toJson(out.authorization)},
    };
    COMPARE_EXPECTED(expected, actual, {u"authorization"_s});
}

void TstVectors::cosPresignedUrl()
{
    QFETCH(QJsonObject, testCase);
    CaseReader r(testCase);
    Cos::CosPresignInput in;
    in.method = r.bytes(u"method"_s);
    in.scheme = r.string(u"scheme"_s);
    in.host = r.string(u"host"_s);
    in.key = r.string(u"key"_s);
    in.query = r.pairs(u"query"_s);
    in.secretId = r.string(u"secretId"_s);
    in.secretKey = r.string(u"secretKey"_s);
    in.keyTime = r.string(u"keyTime"_s);
    in.securityToken = r.stringOrNull(u"securityToken"_s);
    in.signHost = r.boolean(u"signHost"_s);
    const QJsonObject expected = r.object(u"expected"_s);
    REQUIRE_READER(r);

    // The authorization the URL carries, derived as the format's rules say.
    Cos::CosSignInput sign;
    sign.method = in.method;
    sign.path = u'/' + in.key;
    sign.query = in.query;
    if (in.signHost)
        sign.headers.append({u"host"_s, in.host});
    sign.secretId = in.secretId;
    sign.secretKey = in.secretKey;
    sign.keyTime = in.keyTime;

    const QJsonObject actual {
            {u"authorization"_s, toJson(Cos::cosSign(sign).authorization)},
            {u"url"_s, toJson(Cos::cosPresignedUrl(in))},
    };
    COMPARE_EXPECTED(expected, actual, {u"url"_s});
}

void TstVectors::sigV4()
{
    QFETCH(QJsonObject, testCase);
    CaseReader r(testCase);
    Cos::SigV4Input in;
    in.accessKeyId = r.string(u"accessKeyId"_s);
    in.secretAccessKey = r.string(u"secretAccessKey"_s);
    in.sessionToken = r.stringOrNull(u"sessionToken"_s);
    in.region = r.string(u"region"_s);
    in.service = r.string(u"service"_s);
    in.method = r.bytes(u"method"_s);
    in.host = r.string(u"host"_s);
    in.canonicalPath = r.bytes(u"path"_s);
    in.query = r.pairs(u"query"_s);
    in.headers = r.pairs(u"headers"_s);
    in.payloadHash = r.bytes(u"payloadHash"_s);
    in.amzDate = r.bytes(u"amzDate"_s);
    const QJsonValue presign = r.value(u"presign"_s);
    const QJsonObject expected = r.object(u"expected"_s);
    if (!presign.isNull() && !presign.isObject())
        r.fail(u"presign is neither null nor an object"_s);
    REQUIRE_READER(r);

    QJsonObject actual;
    if (presign.isNull()) {
        const Cos::SigV4Result out = Cos::sigV4SignHeaders(in);
        actual = {
                {u"canonicalRequest"_s, toJson(out.canonicalRequest)},
                {u"stringToSign"_s, toJson(out.stringToSign)},
                {u"signature"_s, toJson(out.signature)},
                {u"authorization"_s, toJson(out.authorization)},
        };
    } else {
        CaseReader p(presign.toObject());
        const qint64 expires = p.integer(u"expiresSeconds"_s);
        const QString scheme = p.string(u"scheme"_s);
        if (expires < 1 || expires > 604800)
            p.fail(u"presign.expiresSeconds out of range"_s);
        REQUIRE_READER(p);
        const Cos::SigV4Presigned out = Cos::sigV4Presign(in, int(expires), scheme);
        actual = {
                {u"canonicalRequest"_s, toJson(out.canonicalRequest)},
                {u"stringToSign"_s, toJson(out.stringToSign)},
                {u"signature"_s, toJson(out.signature)},
                {u"url"_s, toJson(out.url)},
        };
    }
    COMPARE_EXPECTED(expected, actual, {u"signature"_s});
}

void TstVectors::tc3()
{
    QFETCH(QJsonObject, testCase);
    CaseReader r(testCase);
    Cos::Tc3Input in;
    in.secretId = r.string(u"secretId"_s);
    in.secretKey = r.string(u"secretKey"_s);
    in.method = r.bytes(u"method"_s);
    in.host = r.string(u"host"_s);
    in.service = r.string(u"service"_s);
    in.timestamp = r.integer(u"timestamp"_s);
    in.contentType = r.bytes(u"contentType"_s);
    in.query = r.bytes(u"query"_s);
    in.payload = r.bytes(u"payload"_s);
    const QJsonObject expected = r.object(u"expected"_s);
    REQUIRE_READER(r);

    const Cos::Tc3Result out = Cos::tc3Sign(in);
    const QJsonObject actual {
            {u"canonicalRequest"_s, toJson(out.canonicalRequest)},
            {u"stringToSign"_s, toJson(out.stringToSign)},
            {u"signature"_s, toJson(out.signature)},
            {u"authorization"_s, toJson(out.authorization)},
    };
    COMPARE_EXPECTED(expected, actual, {u"signature"_s});
}

void TstVectors::crc64()
{
    QFETCH(QJsonObject, testCase);
    CaseReader r(testCase);
    const QByteArray data = crcInput(r, r.object(u"input"_s));
    const QString expected = r.string(u"expected"_s);
    REQUIRE_READER(r);

    QCOMPARE(QString::fromLatin1(Cos::Crc64::toDecimal(Cos::Crc64::compute(data))), expected);

    // Streaming in uneven pieces must give the same value as one call.
    Cos::Crc64 streamed;
    for (qsizetype pos = 0, step = 1; pos < data.size(); pos += step, step = step * 3 % 8191 + 1)
        streamed.update(QByteArrayView(data).sliced(pos, qMin(step, data.size() - pos)));
    QCOMPARE(QString::fromLatin1(Cos::Crc64::toDecimal(streamed.value())), expected);

    if (!testCase.contains(u"combine"_s))
        return;
    CaseReader c(r.object(u"combine"_s));
    const QJsonObject partA = c.object(u"a"_s);
    const QJsonObject partB = c.object(u"b"_s);
    CaseReader a(partA);
    CaseReader b(partB);
    const QByteArray dataA = crcInput(a, a.object(u"input"_s));
    const QByteArray dataB = crcInput(b, b.object(u"input"_s));
    const QString expectedA = a.string(u"expected"_s);
    const QString expectedB = b.string(u"expected"_s);
    const qint64 lengthB = c.integer(u"lengthB"_s);
    REQUIRE_READER(c);
    REQUIRE_READER(a);
    REQUIRE_READER(b);

    QCOMPARE(lengthB, qint64(dataB.size()));
    QCOMPARE(QByteArray(dataA + dataB), data);
    const quint64 crcA = Cos::Crc64::compute(dataA);
    const quint64 crcB = Cos::Crc64::compute(dataB);
    QCOMPARE(QString::fromLatin1(Cos::Crc64::toDecimal(crcA)), expectedA);
    QCOMPARE(QString::fromLatin1(Cos::Crc64::toDecimal(crcB)), expectedB);
    QCOMPARE(QString::fromLatin1(Cos::Crc64::toDecimal(Cos::Crc64::combine(crcA, crcB, lengthB))),
             expected);
}

QTEST_GUILESS_MAIN(TstVectors)
#include "tst_vectors.moc"
