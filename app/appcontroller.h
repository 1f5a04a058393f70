#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

/**
 * @brief The C++-owned singleton that QML talks to.
 *
 * main() creates it and hands it over with setInstance() before the engine loads, so tests can
 * swap in their own instance the same way.
 */
class AppController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    explicit AppController(QObject *parent = nullptr);

    [[nodiscard]] QString version() const;

    static void setInstance(AppController *instance);
    static AppController *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

private:
    static AppController *s_instance;
};
