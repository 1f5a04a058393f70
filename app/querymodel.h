#pragma once

#include "presentation.h"

#include <QAbstractListModel>
#include <QString>
#include <QtQml/qqmlregistration.h>

/**
 * @brief Base of the list models the views bind to: `loading`, `errorMessage`, `loaded` and
 * paging through canFetchMore()/fetchMore() (exposed to QML as `canFetchMore` and fetchMore()).
 *
 * `loaded` turns true once the first answer (rows or an error) arrived after a reload(); the
 * screenshot mode waits for it.
 */
class QueryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(bool accessDenied READ isAccessDenied NOTIFY errorMessageChanged)
    /** Presentation::causeName() of the error: "signer-unreachable", "access-denied", ... */
    Q_PROPERTY(QString errorCause READ errorCause NOTIFY errorMessageChanged)
    /** A short title for the error: "Signing service unreachable", ... */
    Q_PROPERTY(QString errorTitle READ errorTitle NOTIFY errorMessageChanged)
    Q_PROPERTY(bool canFetchMore READ hasMore NOTIFY hasMoreChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit QueryModel(QObject *parent = nullptr)
        : QAbstractListModel(parent)
    {
        connect(this, &QAbstractItemModel::rowsInserted, this, &QueryModel::countChanged);
        connect(this, &QAbstractItemModel::rowsRemoved, this, &QueryModel::countChanged);
        connect(this, &QAbstractItemModel::modelReset, this, &QueryModel::countChanged);
    }

    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] bool isLoaded() const { return m_loaded; }
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    [[nodiscard]] bool hasMore() const { return m_hasMore; }
    /** @brief True when the error is an HTTP 403 (the view shows a lock). */
    [[nodiscard]] bool isAccessDenied() const { return m_accessDenied; }
    [[nodiscard]] int count() const { return rowCount(); }
    [[nodiscard]] QString errorCause() const { return Presentation::causeName(m_cause); }
    [[nodiscard]] QString errorTitle() const { return m_errorTitle; }
    [[nodiscard]] Presentation::Cause cause() const { return m_cause; }

    /** @brief Drops the rows and loads the first page again. */
    Q_INVOKABLE virtual void reload() = 0;
    /** @brief Loads the next page (QML name; canFetchMore()/fetchMore() are the view's). */
    Q_INVOKABLE void loadMore() { fetchMore({}); }

    bool canFetchMore(const QModelIndex &parent) const override
    {
        return !parent.isValid() && m_hasMore && !m_loading && m_errorMessage.isEmpty();
    }

Q_SIGNALS:
    void loadingChanged();
    void loadedChanged();
    void errorMessageChanged();
    void hasMoreChanged();
    void countChanged();

protected:
    void setLoading(bool loading)
    {
        if (m_loading == loading)
            return;
        m_loading = loading;
        Q_EMIT loadingChanged();
    }
    void setLoaded(bool loaded)
    {
        if (m_loaded == loaded)
            return;
        m_loaded = loaded;
        Q_EMIT loadedChanged();
    }
    void clearError() { setError({}, {}, {}); }
    /** @brief Shows @p error of @p operation (on @p subject) as the model's error. */
    void setError(const Cos::Error &error, Presentation::Operation operation, const QString &subject)
    {
        const Presentation::Cause cause = Presentation::causeOf(error);
        const QString message = error ? Presentation::errorText(error, operation, subject)
                                      : QString();
        if (m_errorMessage == message && m_cause == cause)
            return;
        m_errorMessage = message;
        m_cause = cause;
        m_errorTitle = Presentation::causeTitle(cause, error);
        m_accessDenied = error.httpStatus() == 403;
        Q_EMIT errorMessageChanged();
    }
    void setHasMore(bool more)
    {
        if (m_hasMore == more)
            return;
        m_hasMore = more;
        Q_EMIT hasMoreChanged();
    }

private:
    bool m_loading = false;
    bool m_loaded = false;
    bool m_hasMore = false;
    bool m_accessDenied = false;
    QString m_errorMessage;
    QString m_errorTitle;
    Presentation::Cause m_cause = Presentation::Cause::None;
};
