#include "storedsecrets.h"

#include "secretstore.h"

#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString SecretKeyName = u"secretKey"_s;
const QString BearerTokenName = u"bearerToken"_s;
const QString SecretIdName = u"secretId"_s;
} // namespace

StoredSecrets::StoredSecrets(SecretStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store ? store : SecretStore::createDefault(this))
{
    m_store->setParent(this);
}

QString StoredSecrets::backendName() const
{
    return m_store->backendName();
}

void StoredSecrets::load(bool withSecretId, QObject *context, Done done)
{
    QPointer<QObject> guard(context);
    m_store->read(BearerTokenName, this,
                  [this, withSecretId, guard, done](const QString &token, const QString &) {
                      m_bearerToken = token;
                      m_store->read(SecretKeyName, this,
                                    [this, withSecretId, guard, done](const QString &key,
                                                                      const QString &error) {
                                        m_secretKey = key;
                                        Q_EMIT changed();
                                        if (!withSecretId || !error.isEmpty()) {
                                            if (guard)
                                                done(error);
                                            return;
                                        }
                                        m_store->read(SecretIdName, this,
                                                      [this, guard, done](const QString &id,
                                                                          const QString &) {
                                                          m_secretId = id;
                                                          if (guard)
                                                              done({});
                                                      });
                                    });
                  });
}

void StoredSecrets::store(const Update &update, QObject *context, Done done)
{
    QPointer<QObject> guard(context);
    auto pending = std::make_shared<int>(1); // held until every write is queued
    auto failed = std::make_shared<QString>();
    const auto one = [this, pending, failed, guard, done](const QString &error) {
        if (!error.isEmpty())
            *failed = error;
        if (--*pending > 0)
            return;
        Q_EMIT changed();
        if (guard)
            done(*failed);
    };
    if (!update.secretKey.isEmpty()) {
        ++*pending;
        m_secretKey = update.secretKey;
        m_store->write(SecretKeyName, update.secretKey, this, one);
    }
    if (!update.secretId.isEmpty()) {
        ++*pending;
        m_secretId = update.secretId;
        m_store->write(SecretIdName, update.secretId, this, one);
    }
    if (!update.bearerToken.isEmpty()) {
        ++*pending;
        m_bearerToken = update.bearerToken;
        m_store->write(BearerTokenName, update.bearerToken, this, one);
    } else if (update.removeBearerToken) {
        ++*pending;
        m_bearerToken.clear();
        m_store->remove(BearerTokenName, this, one);
    }
    one({});
}

void StoredSecrets::forget(QObject *context, Done done)
{
    QPointer<QObject> guard(context);
    m_store->remove(SecretIdName, this, [](const QString &) {});
    m_store->remove(SecretKeyName, this, [this, guard, done](const QString &) {
        m_store->remove(BearerTokenName, this, [this, guard, done](const QString &error) {
            m_secretId.clear();
            m_secretKey.clear();
            m_bearerToken.clear();
            Q_EMIT changed();
            if (guard)
                done(error);
        });
    });
}

void StoredSecrets::forgetBearerToken(QObject *context, Done done)
{
    store({{}, {}, {}, true}, context, std::move(done));
}
