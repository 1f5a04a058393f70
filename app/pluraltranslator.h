#pragma once

#include <QTranslator>

/**
 * @brief English plural forms for the untranslated source texts.
 *
 * Texts with a count use Qt's plural handling, `tr("%n item(s)", nullptr, n)` and
 * `qsTr("%n item(s)", "", n)`; without a translation Qt would show "1 item(s)". This
 * translator answers every such text with the English singular or plural ("1 item",
 * "2 items"). Install it first: Qt asks the most recently installed translator first, so real
 * translations (.qm files) installed later take precedence.
 */
class PluralTranslator : public QTranslator
{
    Q_OBJECT
public:
    using QTranslator::QTranslator;

    /** @brief @p sourceText with each "(s)" dropped (n == 1) or turned into "s". */
    [[nodiscard]] static QString pluralize(const QString &sourceText, int n);

    QString translate(const char *context, const char *sourceText,
                      const char *disambiguation = nullptr, int n = -1) const override;
    [[nodiscard]] bool isEmpty() const override { return false; }
};
