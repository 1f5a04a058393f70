#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

/**
 * @brief Turns files the user picked into local paths the upload engine can read and resume.
 *
 * Desktop file dialogs give local files, which are uploaded in place. Android's document
 * picker gives `content://` URLs, which only Qt's Android file engine can open (QFile takes
 * the URL as its file name) and only while the picker's grant lasts; iOS's picker gives files
 * outside the app's sandbox under a security-scoped grant. Those are copied, in a worker
 * thread, into a folder of the app's cache, so that the size is known before the upload starts
 * and a transfer restored after the OS killed the app can still read its file. Any URL that a
 * Qt file engine opens is staged the same way (tests use `qrc:` resources, served by Qt's
 * resource engine through the same QFile path as `content:` on Android).
 *
 * A staged copy is removed with release() once its upload has finished or was cancelled.
 */
class PickedFileStager : public QObject
{
    Q_OBJECT
public:
    /** @brief One picked file, ready for upload or with the reason it is not. */
    struct Staged
    {
        QUrl source;
        QString localPath; ///< what the engine reads; empty on error
        QString name; ///< the object name to use (the picked file's name)
        qint64 size = -1;
        bool copied = false; ///< localPath is a copy in cacheDir(), to release() later
        QString error; ///< why the file cannot be uploaded, for the user
    };
    using Done = std::function<void(const QList<Staged> &)>;

    /**
     * @brief Copies go below @p cacheDir (created when needed). With @p copyLocalFiles every
     * file is copied, local ones too (mobile: picked files may lie outside the sandbox).
     */
    explicit PickedFileStager(const QString &cacheDir, bool copyLocalFiles = false,
                              QObject *parent = nullptr);
    /** @brief Stops copies still running; their partial files are removed. */
    ~PickedFileStager() override;

    /** @brief The default for this platform: the app's cache; copies local files on mobile. */
    static PickedFileStager *createForPlatform(QObject *parent = nullptr);

    /**
     * @brief Stages @p urls; @p done gets them in the order given. When none needs a copy,
     * @p done runs before stage() returns; otherwise the copies run in a worker thread and
     * @p done runs on this object's thread afterwards, unless this object was destroyed first.
     */
    void stage(const QList<QUrl> &urls, Done done);

    /** @brief Removes a staged copy (and its folder); paths outside the cache folder are left alone. */
    bool release(const QString &localPath) const;

    /** @brief Whether @p localPath is one of this stager's copies. */
    [[nodiscard]] bool isStagedCopy(const QString &localPath) const;

    /** @brief Removes staged copies that no transfer refers to any more (left by a crash). */
    int prune(const QStringList &inUse) const;

private:
    // Stages one URL synchronously; what the worker runs for each URL.
    static Staged stageOne(const QUrl &url, const QString &cacheDir, bool copyLocalFiles,
                           const std::atomic_bool *cancelled = nullptr);
    // Whether stageOne() would copy @p url.
    [[nodiscard]] bool needsCopy(const QUrl &url) const;

    QString m_cacheDir;
    bool m_copyLocalFiles = false;
    std::shared_ptr<std::atomic_bool> m_cancelled = std::make_shared<std::atomic_bool>(false);
};
