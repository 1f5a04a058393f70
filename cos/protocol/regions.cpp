#include "cos/protocol/regions.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

RegionInfo builtin(const char16_t *id, const char16_t *name, RegionGroup group)
{
    return RegionInfo {QString::fromUtf16(id), QString::fromUtf16(name), group, true, false};
}

bool isLowerAlpha(QChar c)
{
    return c >= u'a' && c <= u'z';
}

} // namespace

bool isValidRegionId(QStringView id)
{
    if (id.isEmpty() || id.size() > 63 || !isLowerAlpha(id.front()) || id.back() == u'-')
        return false;
    for (qsizetype i = 0; i < id.size(); ++i) {
        const QChar c = id.at(i);
        if (c == u'-') {
            if (id.at(i - 1) == u'-')
                return false;
        } else if (!isLowerAlpha(c) && !(c >= u'0' && c <= u'9')) {
            return false;
        }
    }
    return true;
}

const QList<RegionInfo> &RegionCatalog::builtinRegions()
{
    // Names follow Tencent Cloud's English console. eu-moscow is left out: it is gone from the
    // 2023 list, and merge() adds it back for anyone who still has a bucket there.
    static const QList<RegionInfo> regions = {
            builtin(u"ap-beijing-1", u"North China (Beijing Zone 1)", RegionGroup::Mainland),
            builtin(u"ap-beijing", u"North China (Beijing)", RegionGroup::Mainland),
            builtin(u"ap-nanjing", u"East China (Nanjing)", RegionGroup::Mainland),
            builtin(u"ap-shanghai", u"East China (Shanghai)", RegionGroup::Mainland),
            builtin(u"ap-guangzhou", u"South China (Guangzhou)", RegionGroup::Mainland),
            builtin(u"ap-chengdu", u"Southwest China (Chengdu)", RegionGroup::Mainland),
            builtin(u"ap-chongqing", u"Southwest China (Chongqing)", RegionGroup::Mainland),
            builtin(u"ap-beijing-fsi", u"North China (Beijing Finance)", RegionGroup::Finance),
            builtin(u"ap-shanghai-fsi", u"East China (Shanghai Finance)", RegionGroup::Finance),
            builtin(u"ap-shenzhen-fsi", u"South China (Shenzhen Finance)", RegionGroup::Finance),
            builtin(u"ap-hongkong", u"Hong Kong, China", RegionGroup::Outside),
            builtin(u"ap-singapore", u"Southeast Asia (Singapore)", RegionGroup::Outside),
            builtin(u"ap-mumbai", u"South Asia (Mumbai)", RegionGroup::Outside),
            builtin(u"ap-jakarta", u"Southeast Asia (Jakarta)", RegionGroup::Outside),
            builtin(u"ap-seoul", u"Northeast Asia (Seoul)", RegionGroup::Outside),
            builtin(u"ap-bangkok", u"Southeast Asia (Bangkok)", RegionGroup::Outside),
            builtin(u"ap-tokyo", u"Northeast Asia (Tokyo)", RegionGroup::Outside),
            builtin(u"na-siliconvalley", u"West US (Silicon Valley)", RegionGroup::Outside),
            builtin(u"na-ashburn", u"East US (Virginia)", RegionGroup::Outside),
            builtin(u"na-toronto", u"North America (Toronto)", RegionGroup::Outside),
            builtin(u"sa-saopaulo", u"South America (S\u00e3o Paulo)", RegionGroup::Outside),
            builtin(u"eu-frankfurt", u"Europe (Frankfurt)", RegionGroup::Outside),
    };
    return regions;
}

RegionCatalog::RegionCatalog()
    : m_regions(builtinRegions())
{ }

QStringList RegionCatalog::ids() const
{
    QStringList out;
    out.reserve(m_regions.size());
    for (const RegionInfo &r : m_regions)
        out.append(r.id);
    return out;
}

bool RegionCatalog::contains(QStringView id) const
{
    return !region(id).id.isEmpty();
}

RegionInfo RegionCatalog::region(QStringView id) const
{
    const auto it = std::find_if(m_regions.cbegin(), m_regions.cend(),
                                 [&](const RegionInfo &r) { return r.id == id; });
    return it == m_regions.cend() ? RegionInfo() : *it;
}

QString RegionCatalog::displayName(QStringView id) const
{
    const RegionInfo r = region(id);
    return r.id.isEmpty() ? id.toString() : r.name;
}

int RegionCatalog::merge(const QStringList &locations)
{
    int added = 0;
    for (const QString &location : locations) {
        const QString id = location.trimmed().toLower();
        if (!isValidRegionId(id))
            continue;
        const auto it = std::find_if(m_regions.begin(), m_regions.end(),
                                     [&](const RegionInfo &r) { return r.id == id; });
        if (it != m_regions.end()) {
            it->seen = true;
            continue;
        }
        // Learnt regions go after the built-in ones, sorted by id, so the order does not depend
        // on the order of the buckets or of the merge calls.
        const auto pos = std::find_if(m_regions.begin(), m_regions.end(),
                                      [&](const RegionInfo &r) { return !r.builtin && r.id > id; });
        m_regions.insert(pos, RegionInfo {id, id, RegionGroup::Other, false, true});
        ++added;
    }
    return added;
}

} // namespace Cos
