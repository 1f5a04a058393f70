#include "keystore.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>

#ifdef COS_HAVE_QTKEYCHAIN
#    include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace Signer {

namespace {
QByteArray encode(const QString &id, const QString &key)
{
    return QJsonDocument(QJsonObject {{u"secretId"_s, id}, {u"secretKey"_s, key}})
            .toJson(QJsonDocument::Compact);
}
} // namespace

PermanentKeyStore::PermanentKeyStore(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

bool PermanentKeyStore::keychainAvailable()
{
#ifdef COS_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

Cos::Error PermanentKeyStore::noKeychain(const QString &why) const
{
    return Cos::Error(Cos::Error::Kind::Credentials,
                      u"cannot use the system keychain (%1); the key was not stored. Start a "
                      "keychain service (e.g. gnome-keyring / KWallet), or opt in explicitly to "
                      "the plain-text file fallback"_s.arg(why));
}

Cos::Error PermanentKeyStore::fileStore(const QString &profile, const QString &id,
                                        const QString &key)
{
    if (m_options.fallbackFile.isEmpty())
        return Cos::Error(Cos::Error::Kind::InvalidInput, u"no fallback file configured"_s);
    QJsonObject all;
    QFile existing(m_options.fallbackFile);
    if (existing.open(QIODevice::ReadOnly))
        all = QJsonDocument::fromJson(existing.readAll()).object();
    existing.close();
    all.insert(profile, QJsonDocument::fromJson(encode(id, key)).object());
    QSaveFile f(m_options.fallbackFile);
    if (!f.open(QIODevice::WriteOnly))
        return Cos::Error(Cos::Error::Kind::Io,
                          u"cannot write %1: %2"_s.arg(m_options.fallbackFile, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(all).toJson());
    if (!f.commit())
        return Cos::Error(Cos::Error::Kind::Io,
                          u"cannot write %1: %2"_s.arg(m_options.fallbackFile, f.errorString()));
    QFile::setPermissions(m_options.fallbackFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    Q_EMIT warning(u"the permanent key for '%1' is stored in PLAIN TEXT in %2 (mode 600), "
                   "because no keychain is available and the file fallback was enabled"_s
                           .arg(profile, m_options.fallbackFile));
    return {};
}

Cos::Error PermanentKeyStore::fileLoad(const QString &profile, QString *id, QString *key) const
{
    QFile f(m_options.fallbackFile);
    if (m_options.fallbackFile.isEmpty() || !f.open(QIODevice::ReadOnly))
        return Cos::Error(Cos::Error::Kind::Credentials, u"no stored key for '%1'"_s.arg(profile));
    const QJsonObject o = QJsonDocument::fromJson(f.read(1 << 20)).object().value(profile).toObject();
    *id = o.value("secretId"_L1).toString();
    *key = o.value("secretKey"_L1).toString();
    if (id->isEmpty() || key->isEmpty())
        return Cos::Error(Cos::Error::Kind::Credentials, u"no stored key for '%1'"_s.arg(profile));
    return {};
}

Cos::Error PermanentKeyStore::fileRemove(const QString &profile)
{
    QFile f(m_options.fallbackFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QJsonObject all = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    all.remove(profile);
    QSaveFile out(m_options.fallbackFile);
    if (!out.open(QIODevice::WriteOnly))
        return Cos::Error(Cos::Error::Kind::Io, out.errorString());
    out.write(QJsonDocument(all).toJson());
    out.commit();
    return {};
}

void PermanentKeyStore::store(const QString &profile, const QString &secretId,
                              const QString &secretKey,
                              std::function<void(const Cos::Error &, Where)> done)
{
    auto fallback = [this, profile, secretId, secretKey, done](const QString &why) {
        if (!m_options.allowFileFallback) {
            done(noKeychain(why), Where::Keychain);
            return;
        }
        done(fileStore(profile, secretId, secretKey), Where::File);
    };
#ifdef COS_HAVE_QTKEYCHAIN
    if (m_options.useKeychain) {
        auto *job = new QKeychain::WritePasswordJob(m_options.service, this);
        job->setKey(profile);
        job->setBinaryData(encode(secretId, secretKey));
        connect(job, &QKeychain::Job::finished, this, [job, done, fallback] {
            if (job->error() == QKeychain::NoError)
                done({}, Where::Keychain);
            else
                fallback(job->errorString());
        });
        job->start();
        return;
    }
#endif
    QTimer::singleShot(0, this, [fallback] { fallback(u"keychain disabled or not built in"_s); });
}

void PermanentKeyStore::load(
        const QString &profile,
        std::function<void(const Cos::Error &, const QString &, const QString &, Where)> done)
{
    auto fallback = [this, profile, done](const QString &why) {
        if (!m_options.allowFileFallback) {
            done(noKeychain(why), {}, {}, Where::Keychain);
            return;
        }
        QString id, key;
        const Cos::Error e = fileLoad(profile, &id, &key);
        if (!e)
            Q_EMIT warning(u"the permanent key for '%1' was read from the PLAIN-TEXT file %2"_s
                                   .arg(profile, m_options.fallbackFile));
        done(e, id, key, Where::File);
    };
#ifdef COS_HAVE_QTKEYCHAIN
    if (m_options.useKeychain) {
        auto *job = new QKeychain::ReadPasswordJob(m_options.service, this);
        job->setKey(profile);
        connect(job, &QKeychain::Job::finished, this, [job, done, fallback] {
            if (job->error() == QKeychain::NoError) {
                const QJsonObject o = QJsonDocument::fromJson(job->binaryData()).object();
                done({}, o.value("secretId"_L1).toString(), o.value("secretKey"_L1).toString(),
                     Where::Keychain);
            } else {
                fallback(job->errorString());
            }
        });
        job->start();
        return;
    }
#endif
    QTimer::singleShot(0, this, [fallback] { fallback(u"keychain disabled or not built in"_s); });
}

void PermanentKeyStore::remove(const QString &profile, std::function<void(const Cos::Error &)> done)
{
    const Cos::Error fileError = m_options.allowFileFallback ? fileRemove(profile) : Cos::Error();
#ifdef COS_HAVE_QTKEYCHAIN
    if (m_options.useKeychain) {
        auto *job = new QKeychain::DeletePasswordJob(m_options.service, this);
        job->setKey(profile);
        connect(job, &QKeychain::Job::finished, this, [done, fileError] { done(fileError); });
        job->start();
        return;
    }
#endif
    QTimer::singleShot(0, this, [done, fileError] { done(fileError); });
}

} // namespace Signer
