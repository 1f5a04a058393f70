#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

/**
 * @brief Where the app keeps secrets (SecretKey, bearer token): the system keychain through
 * qtkeychain, or memory when no keychain is available (tests, headless machines).
 *
 * Calls are asynchronous (the keychain may ask the user); callbacks run from the event loop
 * and are dropped when @p context is gone. Secrets never appear in errors or logs.
 */
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using ReadCallback = std::function<void(const QString &value, const QString &error)>;
    using WriteCallback = std::function<void(const QString &error)>;

    explicit SecretStore(QObject *parent = nullptr);

    /** @brief Human-readable backend, e.g. "system keychain" or "memory (this session only)". */
    [[nodiscard]] virtual QString backendName() const = 0;
    /** @brief Reads @p key; an absent key gives an empty value and no error. */
    virtual void read(const QString &key, QObject *context, ReadCallback callback) = 0;
    virtual void write(const QString &key, const QString &value, QObject *context,
                       WriteCallback callback) = 0;
    virtual void remove(const QString &key, QObject *context, WriteCallback callback) = 0;

    /** @brief The keychain when built with qtkeychain, else a MemorySecretStore. */
    static SecretStore *createDefault(QObject *parent = nullptr);
};

/** @brief Secrets in memory only (tests; platforms without a keychain). */
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;
    [[nodiscard]] QString backendName() const override;
    void read(const QString &key, QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QString &value, QObject *context,
               WriteCallback callback) override;
    void remove(const QString &key, QObject *context, WriteCallback callback) override;

private:
    QHash<QString, QString> m_values;
};
