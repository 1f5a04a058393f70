#include "pluraltranslator.h"

using namespace Qt::StringLiterals;

QString PluralTranslator::pluralize(const QString &sourceText, int n)
{
    QString text = sourceText;
    text.replace(u"(s)"_s, n == 1 ? QString() : u"s"_s);
    return text;
}

QString PluralTranslator::translate(const char *context, const char *sourceText,
                                    const char *disambiguation, int n) const
{
    Q_UNUSED(context)
    Q_UNUSED(disambiguation)
    if (n < 0 || !sourceText)
        return {};
    const QString source = QString::fromUtf8(sourceText);
    if (!source.contains(u"(s)"_s))
        return {};
    return pluralize(source, n);
}
