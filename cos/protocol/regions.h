#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Cos {

/** @brief The three kinds of COS regions, plus regions only known from the server. */
enum class RegionGroup {
    Mainland, ///< public Chinese-mainland regions
    Finance, ///< the financial-cloud regions (*-fsi)
    Outside, ///< regions outside the Chinese mainland
    Other, ///< not in the built-in list; learnt from GET Service
};

/** @brief One region: its id (the host part of cos.<id>.myqcloud.com) and an English name. */
struct RegionInfo
{
    QString id;
    QString name; ///< English display name; the id itself for regions not in the built-in list
    RegionGroup group = RegionGroup::Other;
    bool builtin = false; ///< in the built-in list
    bool seen = false; ///< reported as a bucket Location by GET Service
};

/**
 * @brief True if @p id can be used as a region: 1-63 characters of [a-z0-9-], starting with a
 * letter, not ending with '-', no "--".
 *
 * That is a valid DNS label, so cos.<id>.myqcloud.com is a well-formed host name; it accepts every
 * COS region (ap-guangzhou, ap-beijing-1, ap-shanghai-fsi) and S3-style ones (us-east-1, default).
 */
bool isValidRegionId(QStringView id);

/**
 * @brief The regions the client offers: COS's published list, merged with the bucket Locations
 * that GET Service returns.
 *
 * Order is stable: the built-in regions in their fixed order (mainland, finance, outside), then
 * regions learnt from the server sorted by id. Merging never removes or reorders built-in entries.
 */
class RegionCatalog
{
public:
    /** @brief A catalog holding the built-in regions. */
    RegionCatalog();

    /** @brief COS's regions (yehe docs "Regions and Access Endpoints", 2023-07). */
    static const QList<RegionInfo> &builtinRegions();

    /** @brief All regions in display order. */
    [[nodiscard]] const QList<RegionInfo> &regions() const { return m_regions; }
    /** @brief The ids in display order. */
    [[nodiscard]] QStringList ids() const;
    [[nodiscard]] bool contains(QStringView id) const;
    /** @brief The region with this id, or a RegionInfo with an empty id. */
    [[nodiscard]] RegionInfo region(QStringView id) const;
    /** @brief The display name; the id itself for an unknown id. */
    [[nodiscard]] QString displayName(QStringView id) const;

    /**
     * @brief Merges Locations from GET Service: known ids are marked seen, unknown valid ids are
     * added (name = id, group Other), invalid or empty ones are ignored, duplicates merged.
     * Returns the number of regions added.
     */
    int merge(const QStringList &locations);

private:
    QList<RegionInfo> m_regions;
};

} // namespace Cos
