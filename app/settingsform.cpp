#include "settingsform.h"

#include "appcontroller.h"
#include "clientpool.h"
#include "presentation.h"
#include "storedsecrets.h"

#include "cos/net/client.h"
#include "cos/net/connectiontestjob.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

using Step = Cos::ConnectionTestJob::Step;

SettingsForm::SettingsForm(QObject *parent)
    : QObject(parent)
{ }

SettingsForm::~SettingsForm()
{
    delete m_testClient; // and its job: nothing is reported any more
}

void SettingsForm::setController(AppController *controller)
{
    if (m_controller == controller)
        return;
    if (m_controller)
        disconnect(m_controller->secrets(), nullptr, this, nullptr);
    m_controller = controller;
    if (m_controller)
        connect(m_controller->secrets(), &StoredSecrets::changed, this, [this] {
            Q_EMIT secretsChanged();
            Q_EMIT fieldsChanged(); // the key checks depend on what is stored
        });
    Q_EMIT controllerChanged();
    load();
}

template<typename T>
void SettingsForm::edit(T &member, const T &value, const char *field)
{
    if (member == value)
        return;
    member = value;
    m_edited.insert(QByteArray(field));
    m_dirty = true;
    Q_EMIT fieldsChanged();
}

void SettingsForm::setSource(AppSettings::CredentialSource source)
{
    edit(m_source, source, "source");
}
void SettingsForm::setSigningUrl(const QString &value)
{
    edit(m_signingUrl, value, "signingUrl");
}
void SettingsForm::setBearerToken(const QString &value)
{
    edit(m_bearerToken, value, "bearerToken");
}
void SettingsForm::setSecretId(const QString &value)
{
    edit(m_secretId, value, "secretId");
}
void SettingsForm::setSecretKey(const QString &value)
{
    edit(m_secretKey, value, "secretKey");
}
void SettingsForm::setDialect(const QString &value)
{
    edit(m_dialect, value == "s3"_L1 ? u"s3"_s : u"cos"_s, "dialect");
}
void SettingsForm::setEndpointUrl(const QString &value)
{
    edit(m_endpointUrl, value, "endpointUrl");
}
void SettingsForm::setPathStyle(bool value)
{
    edit(m_pathStyle, value, "pathStyle");
}
void SettingsForm::setRegion(const QString &value)
{
    edit(m_region, value, "region");
}
void SettingsForm::setAppId(const QString &value)
{
    edit(m_appId, value, "appId");
}
void SettingsForm::setDefaultBucket(const QString &value)
{
    edit(m_defaultBucket, value, "defaultBucket");
}
// The endpoint options are checked together: an edit of any of them shows their message.
void SettingsForm::setPlainHttp(bool value)
{
    edit(m_plainHttp, value, "options");
}
void SettingsForm::setDomain(const QString &value)
{
    edit(m_options.domain, value, "options");
}
void SettingsForm::setServiceDomain(const QString &value)
{
    edit(m_options.serviceDomain, value, "options");
}
void SettingsForm::setAccelerate(bool value)
{
    edit(m_options.accelerate, value, "options");
}
void SettingsForm::setInternal(bool value)
{
    edit(m_options.internal, value, "options");
}
void SettingsForm::setConnectTo(const QString &value)
{
    edit(m_options.connectTo, value, "options");
}
void SettingsForm::setBackupDomain(bool value)
{
    edit(m_options.backupDomain, value, "options");
}
void SettingsForm::setSignerBackend(const QString &value)
{
    edit(m_signer.backend, value, "signerBackend");
}
void SettingsForm::setStsEndpoint(const QString &value)
{
    edit(m_signer.stsEndpoint, value, "stsEndpoint");
}
void SettingsForm::setRoleArn(const QString &value)
{
    edit(m_signer.roleArn, value, "roleArn");
}
void SettingsForm::setGrantBucket(const QString &value)
{
    edit(m_signer.bucket, value, "grantBucket");
}
void SettingsForm::setGrantPrefix(const QString &value)
{
    edit(m_signer.prefix, value, "grantPrefix");
}
void SettingsForm::setGrantActions(const QString &value)
{
    edit(m_signer.actions, value, "grantActions");
}
void SettingsForm::setKeyLifetime(const QString &value)
{
    edit(m_keyLifetime, value, "keyLifetime");
}

bool SettingsForm::hasGrantAction(const QString &name) const
{
    return m_signer.actions.split(u',', Qt::SkipEmptyParts).contains(name);
}

void SettingsForm::setGrantAction(const QString &name, bool granted)
{
    QStringList actions = m_signer.actions.split(u',', Qt::SkipEmptyParts);
    if (actions.contains(name) == granted)
        return;
    if (granted)
        actions.append(name);
    else
        actions.removeAll(name);
    // In the order the page shows them, so that the saved text does not depend on clicks.
    static const QStringList order = {u"upload"_s, u"download"_s, u"list"_s, u"delete"_s};
    std::sort(actions.begin(), actions.end(), [](const QString &a, const QString &b) {
        const qsizetype ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    setGrantActions(actions.join(u','));
}

bool SettingsForm::hasEndpointOptions() const
{
    return m_plainHttp || !m_options.domain.isEmpty() || !m_options.serviceDomain.isEmpty()
            || m_options.accelerate || m_options.internal || !m_options.connectTo.isEmpty()
            || !m_options.backupDomain;
}

bool SettingsForm::keysFromEnvironment() const
{
    return m_controller && m_controller->settings()->keysFromEnvironment();
}

Cos::EndpointOptions SettingsForm::endpointOptions() const
{
    Cos::EndpointOptions o = m_options;
    o.protocol = m_plainHttp ? u"http"_s : QString();
    o.domain = o.domain.trimmed();
    o.serviceDomain = o.serviceDomain.trimmed();
    o.connectTo = o.connectTo.trimmed();
    return o;
}

QVariantMap SettingsForm::endpointOptionsMap() const
{
    const Cos::EndpointOptions o = endpointOptions();
    return {{u"protocol"_s, o.protocol},           {u"domain"_s, o.domain},
            {u"serviceDomain"_s, o.serviceDomain}, {u"accelerate"_s, o.accelerate},
            {u"internal"_s, o.internal},           {u"connectTo"_s, o.connectTo},
            {u"backupDomain"_s, o.backupDomain}};
}

EmbeddedSignerOptions SettingsForm::signerOptions() const
{
    EmbeddedSignerOptions o = m_signer;
    o.backend = o.backend.trimmed();
    o.stsEndpoint = o.stsEndpoint.trimmed();
    o.roleArn = o.roleArn.trimmed();
    o.bucket = o.bucket.trimmed();
    o.prefix = o.prefix.trimmed();
    o.actions = o.actions.trimmed();
    bool ok = false;
    const int seconds = m_keyLifetime.trimmed().toInt(&ok);
    o.durationSeconds = ok ? seconds : -1; // validateField() explains
    return o;
}

QString SettingsForm::shown(const char *field, const QString &error) const
{
    return m_showAll || m_edited.contains(QByteArray(field)) ? error : QString();
}

QString SettingsForm::checkSecretId() const
{
    if (!usesKeys() || keysFromEnvironment() || (m_secretId.isEmpty() && hasStoredSecretKey()))
        return {};
    return AppSettings::validateSecretId(m_secretId);
}

QString SettingsForm::checkSecretKey() const
{
    if (!usesKeys() || keysFromEnvironment())
        return {};
    return AppSettings::validateSecretKey(m_secretKey, hasStoredSecretKey());
}

QString SettingsForm::checkSigner(EmbeddedSignerOptions::Field field) const
{
    return embedded() ? signerOptions().validateField(field, m_dialect) : QString();
}

QString SettingsForm::checkGrantBucket() const
{
    if (!embedded() || !m_signer.bucket.trimmed().isEmpty() || !m_defaultBucket.trimmed().isEmpty())
        return {};
    return tr("Choose the bucket the embedded signer grants (or a default bucket).");
}

QString SettingsForm::signingUrlError() const
{
    return shown("signingUrl",
                 usesKeys() ? QString() : AppSettings::validateSigningUrl(m_signingUrl));
}
QString SettingsForm::bearerTokenError() const
{
    return shown("bearerToken",
                 usesKeys() ? QString() : AppSettings::validateBearerToken(m_bearerToken));
}
QString SettingsForm::secretIdError() const
{
    return shown("secretId", checkSecretId());
}
QString SettingsForm::secretKeyError() const
{
    return shown("secretKey", checkSecretKey());
}
QString SettingsForm::checkEndpointUrl() const
{
    const QString problem = AppSettings::validateEndpointUrl(m_dialect, m_endpointUrl);
    if (!problem.isEmpty() || m_dialect != "s3"_L1
        || !AppSettings::validateRegion(m_region).isEmpty())
        return problem;
    // A well-formed URL may still not work as an endpoint (virtual-host style on an IP address).
    Cos::Error error;
    (void)AppSettings::makeEndpoint(m_dialect, m_endpointUrl, m_pathStyle, m_region, m_appId, {},
                                    &error);
    return error.message();
}

QString SettingsForm::endpointUrlError() const
{
    return m_edited.contains("pathStyle") ? checkEndpointUrl()
                                          : shown("endpointUrl", checkEndpointUrl());
}
QString SettingsForm::regionError() const
{
    return shown("region", AppSettings::validateRegion(m_region));
}
QString SettingsForm::appIdError() const
{
    return shown("appId", AppSettings::validateAppId(m_dialect, m_appId));
}
QString SettingsForm::endpointOptionsError() const
{
    return shown("options",
                 AppSettings::validateEndpointOptions(m_dialect, m_region, m_appId,
                                                      endpointOptionsMap()));
}
QString SettingsForm::signerBackendError() const
{
    return shown("signerBackend", checkSigner(EmbeddedSignerOptions::Backend));
}
QString SettingsForm::stsEndpointError() const
{
    return shown("stsEndpoint", checkSigner(EmbeddedSignerOptions::StsEndpoint));
}
QString SettingsForm::roleArnError() const
{
    return shown("roleArn", checkSigner(EmbeddedSignerOptions::RoleArn));
}
QString SettingsForm::grantBucketError() const
{
    return m_edited.contains("defaultBucket") ? checkGrantBucket()
                                              : shown("grantBucket", checkGrantBucket());
}
QString SettingsForm::grantPrefixError() const
{
    return shown("grantPrefix", checkSigner(EmbeddedSignerOptions::Prefix));
}
QString SettingsForm::grantActionsError() const
{
    return shown("grantActions", checkSigner(EmbeddedSignerOptions::Actions));
}
QString SettingsForm::keyLifetimeError() const
{
    return shown("keyLifetime", checkSigner(EmbeddedSignerOptions::Duration));
}

bool SettingsForm::isValid() const
{
    const EmbeddedSignerOptions signer = signerOptions();
    const bool signerOk = !embedded() || signer.validate(m_dialect).isEmpty();
    return signerOk && checkGrantBucket().isEmpty() && checkSecretId().isEmpty()
            && checkSecretKey().isEmpty()
            && (usesKeys()
                || (AppSettings::validateSigningUrl(m_signingUrl).isEmpty()
                    && AppSettings::validateBearerToken(m_bearerToken).isEmpty()))
            && checkEndpointUrl().isEmpty() && AppSettings::validateRegion(m_region).isEmpty()
            && AppSettings::validateAppId(m_dialect, m_appId).isEmpty()
            && AppSettings::validateEndpointOptions(m_dialect, m_region, m_appId,
                                                    endpointOptionsMap())
                       .isEmpty();
}

bool SettingsForm::isTesting() const
{
    return !m_testJob.isNull();
}

bool SettingsForm::hasStoredSecretKey() const
{
    return m_controller && m_controller->secrets()->hasSecretKey();
}

bool SettingsForm::hasStoredBearerToken() const
{
    return m_controller && m_controller->secrets()->hasBearerToken();
}

QString SettingsForm::secretKeyStatus() const
{
    if (!m_controller)
        return {};
    const AppSettings *s = m_controller->settings();
    if (s->keysFromEnvironment())
        return tr("Keys from the environment for this run (SecretId %1)").arg(s->maskedSecretId());
    if (hasStoredSecretKey())
        return s->maskedSecretId().isEmpty()
                ? tr("Key stored in the %1").arg(m_controller->secrets()->backendName())
                : tr("Key stored in the %1 (SecretId %2)")
                          .arg(m_controller->secrets()->backendName(), s->maskedSecretId());
    return tr("No key stored");
}

QString SettingsForm::bearerTokenStatus() const
{
    if (!hasStoredBearerToken())
        return tr("No token stored");
    if (m_removeBearerToken)
        return tr("The stored token is removed on Save");
    return tr("Token stored in the %1").arg(m_controller->secrets()->backendName());
}

void SettingsForm::setRemoveBearerToken(bool remove)
{
    if (m_removeBearerToken == remove)
        return;
    m_removeBearerToken = remove;
    m_dirty = true;
    Q_EMIT secretsChanged();
    Q_EMIT fieldsChanged();
}

void SettingsForm::forgetStoredKeys()
{
    if (m_controller)
        m_controller->forgetSecrets();
}

void SettingsForm::load()
{
    if (m_controller) {
        const AppSettings *s = m_controller->settings();
        m_source = s->credentialSource();
        m_signingUrl = s->signingUrl();
        m_dialect = s->dialect();
        m_endpointUrl = s->endpointUrl();
        m_pathStyle = s->pathStyle();
        m_region = s->defaultRegion();
        m_appId = s->appId();
        m_defaultBucket = s->defaultBucket();
        m_options = s->endpointOptions();
        m_plainHttp = m_options.protocol.compare("http"_L1, Qt::CaseInsensitive) == 0;
        m_signer = s->embeddedSignerOptions();
        m_keyLifetime = QString::number(m_signer.durationSeconds);
    }
    m_bearerToken.clear();
    m_removeBearerToken = false;
    m_secretId.clear();
    m_secretKey.clear();
    m_edited.clear();
    m_showAll = false;
    m_dirty = false;
    m_testResult.clear();
    m_testSteps.clear();
    Q_EMIT fieldsChanged();
    Q_EMIT secretsChanged();
    Q_EMIT testChanged();
}

bool SettingsForm::save()
{
    if (!m_controller)
        return false;
    if (!isValid()) {
        m_showAll = true;
        Q_EMIT fieldsChanged();
        return false;
    }
    AppSettings *s = m_controller->settings();
    s->setEmbeddedSignerOptions(signerOptions());
    const Cos::EndpointOptions options = endpointOptions();
    s->setProtocol(options.protocol);
    s->setDomain(options.domain);
    s->setServiceDomain(options.serviceDomain);
    s->setAccelerate(options.accelerate);
    s->setInternal(options.internal);
    s->setConnectTo(options.connectTo);
    s->setBackupDomain(options.backupDomain);
    s->setCredentialSource(m_source);
    s->setSigningUrl(m_signingUrl.trimmed());
    s->setDialect(m_dialect);
    s->setEndpointUrl(m_endpointUrl.trimmed());
    s->setPathStyle(m_pathStyle);
    s->setDefaultRegion(m_region.trimmed());
    s->setAppId(m_appId.trimmed());
    s->setDefaultBucket(m_defaultBucket.trimmed());
    const QString id = m_secretId.trimmed();
    if (!id.isEmpty())
        s->setSecretId(id);
    s->save();
    // Secrets go to the store and leave the form.
    m_controller->applySettings({id, m_secretKey, m_bearerToken, m_removeBearerToken});
    load();
    Q_EMIT saved();
    return true;
}

void SettingsForm::test()
{
    // A test still running is replaced without a result of its own.
    if (Cos::ConnectionTestJob *previous = m_testJob.data()) {
        m_testJob = nullptr;
        previous->abort();
    }
    if (m_testClient)
        m_testClient->deleteLater();
    m_testClient = nullptr;
    m_testResult.clear();
    m_testSteps.clear();
    const auto fail = [this](const QString &message) {
        QMetaObject::invokeMethod(
                this, [this, message] { finishTest(false, message); }, Qt::QueuedConnection);
    };
    if (!m_controller) {
        fail(tr("The form is not attached to the app."));
        return;
    }
    if (!isValid()) {
        m_showAll = true;
        Q_EMIT fieldsChanged();
        fail(tr("Fix the marked fields first."));
        return;
    }
    Cos::Error endpointError;
    const Cos::Endpoint endpoint = AppSettings::makeEndpoint(m_dialect, m_endpointUrl, m_pathStyle,
                                                             m_region, m_appId, endpointOptions(),
                                                             &endpointError);
    if (endpointError) {
        fail(endpointError.message());
        return;
    }
    // The saved configuration with the form's values on top; empty secrets: the stored ones.
    ClientPool::ProviderConfig config = m_controller->providerConfig();
    config.source = m_source;
    config.signingUrl = QUrl(m_signingUrl.trimmed());
    if (!m_bearerToken.isEmpty())
        config.bearerToken = m_bearerToken.toUtf8();
    if (!m_secretId.trimmed().isEmpty())
        config.secretId = m_secretId.trimmed();
    if (!m_secretKey.isEmpty()) {
        config.secretKey = m_secretKey;
        config.sessionToken.clear();
    }
    config.signer = signerOptions();
    config.dialect = m_dialect;
    config.region = m_region.trimmed();
    config.appId = m_appId.trimmed();
    config.defaultBucket = m_defaultBucket.trimmed();
    if (usesKeys() && (config.secretId.isEmpty() || config.secretKey.isEmpty())) {
        fail(tr("Enter a SecretId and SecretKey to test."));
        return;
    }
    QString problem;
    Cos::Client *client = m_controller->clients()->makeClient(endpoint, config, this, &problem);
    if (!client) {
        fail(problem);
        return;
    }
    client->setMaxAttempts(1);
    client->setTransferTimeout(15000);
    m_testClient = client;
    auto *job = new Cos::ConnectionTestJob(client, client);
    job->setFallbackBucket(config.defaultBucket);
    m_testJob = job;
    const bool viaUrl = m_source == AppSettings::SigningUrl;
    const bool viaSigner = viaUrl || embedded();

    const auto keysNote = [job, viaUrl, viaSigner] {
        if (!viaSigner || job->steps().isEmpty() || job->steps().constFirst().error)
            return QString();
        const QString validity = job->secondsLeft() >= 0
                ? Presentation::formatDuration(job->secondsLeft())
                : tr("no expiry");
        return viaUrl ? tr("The signing URL gave temporary keys (valid for %1). ").arg(validity)
                      : tr("The embedded signer issued temporary keys %1 (valid for %2). ")
                                .arg(job->maskedKeyId(), validity);
    };
    connect(job, &Cos::ConnectionTestJob::stepFinished, this, [this, job, viaUrl](const Cos::ConnectionTestJob::StepResult &r) {
        QString name;
        QString text;
        switch (r.step) {
        case Step::Credentials:
            name = tr("Keys");
            if (r.error)
                text = viaUrl
                        ? tr("The signing URL did not give keys: %1")
                                  .arg(Presentation::errorText(r.error,
                                                               Presentation::Operation::Credentials))
                        : Presentation::errorText(r.error, Presentation::Operation::Credentials);
            else if (job->temporaryKeys() && job->secondsLeft() >= 0)
                text = tr("%1, temporary, valid for %2")
                               .arg(job->maskedKeyId(),
                                    Presentation::formatDuration(job->secondsLeft()));
            else
                text = tr("%1, permanent").arg(job->maskedKeyId());
            break;
        case Step::ListBuckets:
            name = tr("List buckets");
            text = r.error ? Presentation::errorText(r.error, Presentation::Operation::ListBuckets)
                           : tr("%n bucket(s) visible", nullptr, r.count);
            break;
        case Step::ListBucket:
            name = tr("List %1").arg(r.bucket + u'/' + r.prefix);
            text = r.error ? Presentation::errorText(r.error, Presentation::Operation::ListObjects,
                                                     r.bucket)
                           : tr("readable");
            break;
        }
        m_testSteps.append(QVariantMap {{u"name"_s, name}, {u"ok"_s, !r.error}, {u"text"_s, text}});
        Q_EMIT testChanged();
    });
    connect(job, &Cos::Job::finished, this, [this, job, keysNote] {
        if (job != m_testJob)
            return;
        if (job->error().kind() == Cos::Error::Kind::Canceled && job->steps().isEmpty()) {
            finishTest(false, tr("Test canceled."));
            return;
        }
        const Cos::ConnectionTestJob::StepResult last = job->steps().isEmpty()
                ? Cos::ConnectionTestJob::StepResult()
                : job->steps().constLast();
        if (job->error()) {
            // The failed step's own text, with what was learnt before it.
            const QString text = m_testSteps.isEmpty()
                    ? job->error().message()
                    : m_testSteps.constLast().toMap().value(u"text"_s).toString();
            finishTest(false, last.step == Step::Credentials ? text : keysNote() + text);
            return;
        }
        if (last.step == Step::ListBuckets) {
            finishTest(true,
                       tr("%1Connected in %2 ms: %n bucket(s) visible.", nullptr, job->bucketCount())
                               .arg(keysNote())
                               .arg(job->elapsedMs()));
        } else if (job->serviceDenied()) {
            finishTest(true,
                       tr("%1Connected in %2 ms. The keys may not list buckets (no %3), but can "
                          "read the bucket %4.")
                               .arg(keysNote())
                               .arg(job->elapsedMs())
                               .arg(Presentation::permissionFor(
                                            Presentation::Operation::ListBuckets),
                                    last.bucket));
        } else {
            finishTest(true,
                       tr("%1Connected in %2 ms: the keys can list %3.")
                               .arg(keysNote())
                               .arg(job->elapsedMs())
                               .arg(last.bucket + u'/' + last.prefix));
        }
    });
    Q_EMIT testChanged(); // testing
    job->start();
}

void SettingsForm::finishTest(bool ok, const QString &message)
{
    if (m_testClient)
        m_testClient->deleteLater();
    m_testClient = nullptr;
    m_testJob = nullptr;
    m_testPassed = ok;
    m_testResult = message;
    Q_EMIT testChanged();
    Q_EMIT testFinished(ok, message);
}
