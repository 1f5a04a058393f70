#pragma once

#include "cos/core/error.h"

#include <QObject>
#include <QString>

#include <functional>

namespace Signer {

/**
 * @brief Stores the permanent SecretId/SecretKey for the embedded signer.
 *
 * The key goes to the platform keychain through qtkeychain (Secret Service / KWallet, macOS
 * Keychain, Windows Credential Store, Android Keystore). Where no keychain service runs
 * (headless Linux, containers) it fails with a clear error, unless the caller explicitly opted
 * into the plain-text file fallback; that file is written with mode 0600 and every use of it
 * emits warning().
 */
class PermanentKeyStore : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString service = QStringLiteral("cos-signer");
        bool useKeychain = true; ///< false: skip the keychain (tests, or a deliberate choice)
        bool allowFileFallback = false; ///< explicit opt-in to plain text
        QString fallbackFile; ///< JSON file; required when allowFileFallback
    };
    enum class Where { Keychain, File };

    explicit PermanentKeyStore(Options options, QObject *parent = nullptr);

    /** @brief True when this build links qtkeychain. */
    static bool keychainAvailable();

    void store(const QString &profile, const QString &secretId, const QString &secretKey,
               std::function<void(const Cos::Error &, Where)> done);
    void load(const QString &profile,
              std::function<void(const Cos::Error &, const QString &secretId,
                                 const QString &secretKey, Where)>
                      done);
    void remove(const QString &profile, std::function<void(const Cos::Error &)> done);

Q_SIGNALS:
    /** @brief Plain-text fallback in use, or another security-relevant notice. */
    void warning(const QString &message);

private:
    Cos::Error fileStore(const QString &profile, const QString &id, const QString &key);
    Cos::Error fileLoad(const QString &profile, QString *id, QString *key) const;
    Cos::Error fileRemove(const QString &profile);
    Cos::Error noKeychain(const QString &why) const;

    Options m_options;
};

} // namespace Signer
