#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

class SecretStore;

/**
 * @brief The app's secrets (SecretId, SecretKey, bearer token) in its SecretStore, with what
 * is stored kept in memory for the session.
 *
 * Reads and writes are asynchronous (the keychain may ask the user); the callbacks run from the
 * event loop and are dropped when their context is gone. Nothing here logs a secret, and errors
 * never contain one.
 */
class StoredSecrets : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("StoredSecrets is owned by AppController")
    Q_PROPERTY(bool hasSecretKey READ hasSecretKey NOTIFY changed)
    Q_PROPERTY(bool hasBearerToken READ hasBearerToken NOTIFY changed)
    /** Where secrets are kept, e.g. "system keychain". */
    Q_PROPERTY(QString backendName READ backendName CONSTANT)

public:
    using Done = std::function<void(const QString &error)>;

    /** @brief What a save writes; empty values leave the stored ones alone. */
    struct Update
    {
        QString secretId;
        QString secretKey;
        QString bearerToken;
        bool removeBearerToken = false; ///< when bearerToken is empty
    };

    /** @brief @p store (owned) defaults to the system keychain when null. */
    explicit StoredSecrets(SecretStore *store, QObject *parent = nullptr);

    [[nodiscard]] bool hasSecretKey() const { return !m_secretKey.isEmpty(); }
    [[nodiscard]] bool hasBearerToken() const { return !m_bearerToken.isEmpty(); }
    [[nodiscard]] QString backendName() const;
    [[nodiscard]] const QString &secretId() const { return m_secretId; }
    [[nodiscard]] const QString &secretKey() const { return m_secretKey; }
    [[nodiscard]] const QString &bearerToken() const { return m_bearerToken; }

    /**
     * @brief Reads the bearer token and SecretKey, and the SecretId when @p withSecretId; then
     * @p done with the SecretKey's read error ("" when fine).
     */
    void load(bool withSecretId, QObject *context, Done done);
    /** @brief Writes @p update; @p done once every write finished, with the last error. */
    void store(const Update &update, QObject *context, Done done);
    /** @brief Removes everything stored; then @p done. */
    void forget(QObject *context, Done done);
    /** @brief Removes the bearer token only; then @p done. */
    void forgetBearerToken(QObject *context, Done done);

Q_SIGNALS:
    void changed();

private:
    SecretStore *m_store;
    QString m_secretId;
    QString m_secretKey;
    QString m_bearerToken;
};
