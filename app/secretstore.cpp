#include "secretstore.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#ifdef COS_HAVE_QTKEYCHAIN
#    include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace {

template<typename F>
void later(QObject *context, F f)
{
    QTimer::singleShot(0, context, std::move(f));
}

#ifdef COS_HAVE_QTKEYCHAIN
// The service name groups our entries in the keychain ("cosdemo/secretKey").
QString serviceName()
{
    return QCoreApplication::applicationName().isEmpty() ? u"cosdemo"_s
                                                         : QCoreApplication::applicationName();
}

QString keychainError(const QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
        return SecretStore::tr("No system keychain is available (on Linux: start a Secret "
                               "Service such as GNOME Keyring or KWallet).");
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return SecretStore::tr("The keychain refused access to the stored keys.");
    default:
        return SecretStore::tr("Keychain error: %1").arg(job->errorString());
    }
}

class KeychainSecretStore : public SecretStore
{
public:
    using SecretStore::SecretStore;
    [[nodiscard]] QString backendName() const override { return tr("system keychain"); }

    void read(const QString &key, QObject *context, ReadCallback callback) override
    {
        auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
        job->setKey(key);
        QPointer<QObject> guard(context);
        connect(job, &QKeychain::Job::finished, this, [guard, callback](QKeychain::Job *j) {
            if (!guard)
                return;
            if (j->error() == QKeychain::EntryNotFound) {
                callback({}, {});
                return;
            }
            if (j->error() != QKeychain::NoError) {
                callback({}, keychainError(j));
                return;
            }
            callback(static_cast<QKeychain::ReadPasswordJob *>(j)->textData(), {});
        });
        job->start();
    }

    void write(const QString &key, const QString &value, QObject *context,
               WriteCallback callback) override
    {
        auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
        job->setKey(key);
        job->setTextData(value);
        finishWith(job, context, std::move(callback));
    }

    void remove(const QString &key, QObject *context, WriteCallback callback) override
    {
        auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
        job->setKey(key);
        finishWith(job, context, std::move(callback));
    }

private:
    void finishWith(QKeychain::Job *job, QObject *context, WriteCallback callback)
    {
        QPointer<QObject> guard(context);
        connect(job, &QKeychain::Job::finished, this, [guard, callback](QKeychain::Job *j) {
            if (!guard)
                return;
            const bool ok = j->error() == QKeychain::NoError
                    || j->error() == QKeychain::EntryNotFound;
            callback(ok ? QString() : keychainError(j));
        });
        job->start();
    }
};
#endif

} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{ }

SecretStore *SecretStore::createDefault(QObject *parent)
{
#ifdef COS_HAVE_QTKEYCHAIN
    return new KeychainSecretStore(parent);
#else
    return new MemorySecretStore(parent);
#endif
}

QString MemorySecretStore::backendName() const
{
    return tr("memory (this session only)");
}

void MemorySecretStore::read(const QString &key, QObject *context, ReadCallback callback)
{
    const QString value = m_values.value(key);
    later(context, [value, callback] { callback(value, {}); });
}

void MemorySecretStore::write(const QString &key, const QString &value, QObject *context,
                              WriteCallback callback)
{
    m_values.insert(key, value);
    later(context, [callback] { callback({}); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, WriteCallback callback)
{
    m_values.remove(key);
    later(context, [callback] { callback({}); });
}
