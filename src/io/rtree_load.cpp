#include "io/rtree_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "io/spatialite.hpp"

namespace hubmap {

namespace {

// SQLite's R*Tree (ext/rtree/rtree.c) stores a 2-D box as four float32s, its minimum rounded
// down and its maximum up (rtreeValueDown / rtreeValueUp): the same here, so that the rows
// read back are those SQLite's own inserts would store.
constexpr double kRoundTowardsZero = 1.0 - 1.0 / 8388608.0;
constexpr double kRoundAwayFromZero = 1.0 + 1.0 / 8388608.0;

float roundDown(double d) {
    float f = static_cast<float>(d);
    if (f > d) f = static_cast<float>(d * (d < 0 ? kRoundAwayFromZero : kRoundTowardsZero));
    return f;
}

float roundUp(double d) {
    float f = static_cast<float>(d);
    if (f < d) f = static_cast<float>(d * (d < 0 ? kRoundTowardsZero : kRoundAwayFromZero));
    return f;
}

/// A cell of a node: an entry's rowid and box (leaves), or a child node and its box.
struct Cell {
    long long id = 0;
    float minX = 0, maxX = 0, minY = 0, maxY = 0;
    float centreX() const { return (minX + maxX) / 2; }
    float centreY() const { return (minY + maxY) / 2; }
};

/// A node being built: its cells, and for a child its index in the level below.
using Level = std::vector<std::vector<Cell>>;

Cell boxOf(const std::vector<Cell>& cells, long long id) {
    Cell box{id, cells[0].minX, cells[0].maxX, cells[0].minY, cells[0].maxY};
    for (const Cell& c : cells) {
        box.minX = std::min(box.minX, c.minX);
        box.maxX = std::max(box.maxX, c.maxX);
        box.minY = std::min(box.minY, c.minY);
        box.maxY = std::max(box.maxY, c.maxY);
    }
    return box;
}

/// Sort-Tile-Recursive: the cells in vertical slabs by x, each slab in nodes by y. Every node
/// holds ⌊n/k⌋ or ⌈n/k⌉ cells (k nodes, at least half full), never fewer than SQLite's minimum
/// of a third (which its deletes would otherwise merge at once).
Level pack(std::vector<Cell> cells, size_t capacity) {
    const size_t n = cells.size();
    const size_t nodes = (n + capacity - 1) / capacity;
    const auto slabs = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    auto nodeSize = [&](size_t node) { return n / nodes + (node < n % nodes ? 1 : 0); };
    std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
        return a.centreX() < b.centreX() || (a.centreX() == b.centreX() && a.id < b.id);
    });
    Level level;
    level.reserve(nodes);
    size_t node = 0, first = 0;
    for (size_t s = 0; s < slabs && node < nodes; ++s) {
        const size_t slabNodes = nodes / slabs + (s < nodes % slabs ? 1 : 0);
        size_t slabCells = 0;
        for (size_t i = 0; i < slabNodes; ++i) slabCells += nodeSize(node + i);
        const auto begin = cells.begin() + static_cast<std::ptrdiff_t>(first);
        std::sort(begin, begin + static_cast<std::ptrdiff_t>(slabCells), [](const Cell& a, const Cell& b) {
            return a.centreY() < b.centreY() || (a.centreY() == b.centreY() && a.id < b.id);
        });
        for (size_t i = 0; i < slabNodes; ++i, ++node) {
            const size_t size = nodeSize(node);
            level.emplace_back(cells.begin() + static_cast<std::ptrdiff_t>(first),
                               cells.begin() + static_cast<std::ptrdiff_t>(first + size));
            first += size;
        }
    }
    return level;
}

void putBigEndian(unsigned char* p, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v & 0xFF);
}

void putFloat(unsigned char* p, float f) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    putBigEndian(p, bits, 4);
}

std::string quotedName(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

void loadSpatialIndex(Database& db, const std::string& table, const std::string& column) {
    const std::string rtree = "idx_" + table + "_" + column;
    const ErrorContext where{db.path(), rtree, -1, -1};
    const std::string nodeTable = quotedName(rtree + "_node"), rowidTable = quotedName(rtree + "_rowid"),
                      parentTable = quotedName(rtree + "_parent");
    if (!db.tableExists(rtree + "_node") || !db.tableExists(rtree + "_rowid") || !db.tableExists(rtree + "_parent")) {
        throw Error(where, "no spatial index to fill (CreateSpatialIndex first)");
    }
    // SQLite fixes a tree's node size when it creates it (rtree.c getNodeSize); its empty root says what it is.
    const long long nodeBytes = db.scalarInt("SELECT length(data) FROM " + nodeTable + " WHERE nodeno = 1");
    constexpr long long kCellBytes = 8 + 4 * 4;  // rowid, then minX maxX minY maxY
    if (db.scalarInt("SELECT count(*) FROM " + nodeTable) != 1 || db.scalarInt("SELECT count(*) FROM " + rowidTable) ||
        db.scalarInt("SELECT count(*) FROM " + parentTable) || nodeBytes < 4 + 3 * kCellBytes) {
        throw Error(where, "the spatial index to fill is not empty");
    }
    const auto capacity = static_cast<size_t>((nodeBytes - 4) / kCellBytes);

    // What CreateSpatialIndex puts in (SpatiaLite's buildSpatialIndexEx): each non-NULL geometry's MBR.
    std::vector<Cell> entries;
    {
        const std::string c = quotedName(column);
        Statement st =
            db.prepare(fmt::format("SELECT ROWID, MbrMinX({0}), MbrMaxX({0}), MbrMinY({0}), MbrMaxY({0}) FROM {1} "
                                   "WHERE MbrMinX({0}) IS NOT NULL",
                                   c, quotedName(table)));
        while (st.step()) {
            const double minX = st.real(1), maxX = st.real(2), minY = st.real(3), maxY = st.real(4);
            if (!std::isfinite(minX) || !std::isfinite(maxX) || !std::isfinite(minY) || !std::isfinite(maxY) ||
                minX > maxX || minY > maxY) {
                throw Error(where, fmt::format("row {} has no finite bounding box", st.int64(0)));
            }
            entries.push_back(Cell{st.int64(0), roundDown(minX), roundUp(maxX), roundDown(minY), roundUp(maxY)});
        }
    }
    if (entries.empty()) return;

    // Levels from the leaves up; a parent's cell id is its child's index in the level below.
    std::vector<Level> levels{pack(std::move(entries), capacity)};
    while (levels.back().size() > 1) {
        const Level& below = levels.back();
        std::vector<Cell> boxes;
        boxes.reserve(below.size());
        for (size_t i = 0; i < below.size(); ++i) boxes.push_back(boxOf(below[i], static_cast<long long>(i)));
        levels.push_back(pack(std::move(boxes), capacity));
    }
    // Node numbers: the root is 1 (SQLite looks for it there), then level by level downwards.
    std::vector<std::vector<long long>> numbers(levels.size());
    long long next = 1;
    for (size_t l = levels.size(); l-- > 0;) {
        for (size_t i = 0; i < levels[l].size(); ++i) numbers[l].push_back(next++);
    }

    Statement node = db.prepare("INSERT OR REPLACE INTO " + nodeTable + "(nodeno, data) VALUES (?, ?)");
    Statement parent = db.prepare("INSERT INTO " + parentTable + "(nodeno, parentnode) VALUES (?, ?)");
    std::vector<std::pair<long long, long long>> leafOf;  // (rowid, leaf node)
    std::vector<unsigned char> blob(static_cast<size_t>(nodeBytes));
    const auto depth = static_cast<std::uint64_t>(levels.size() - 1);
    for (size_t l = levels.size(); l-- > 0;) {
        for (size_t i = 0; i < levels[l].size(); ++i) {
            const std::vector<Cell>& cells = levels[l][i];
            const long long number = numbers[l][i];
            std::fill(blob.begin(), blob.end(), 0);
            putBigEndian(blob.data(), number == 1 ? depth : 0, 2);  // the tree's depth, kept in the root
            putBigEndian(blob.data() + 2, cells.size(), 2);
            unsigned char* p = blob.data() + 4;
            for (const Cell& c : cells) {
                const long long id = l == 0 ? c.id : numbers[l - 1][static_cast<size_t>(c.id)];
                putBigEndian(p, static_cast<std::uint64_t>(id), 8);
                putFloat(p + 8, c.minX);
                putFloat(p + 12, c.maxX);
                putFloat(p + 16, c.minY);
                putFloat(p + 20, c.maxY);
                p += kCellBytes;
                if (l == 0) {
                    leafOf.emplace_back(c.id, number);
                } else {
                    parent.bind(1, id).bind(2, number);
                    parent.run();
                }
            }
            node.bind(1, number).bind(2, blob);
            node.run();
        }
    }
    std::sort(leafOf.begin(), leafOf.end());  // rowid order: appends to the table's B-tree
    Statement rowid = db.prepare("INSERT INTO " + rowidTable + "(rowid, nodeno) VALUES (?, ?)");
    for (const auto& [id, leaf] : leafOf) {
        rowid.bind(1, id).bind(2, leaf);
        rowid.run();
    }
}

}  // namespace hubmap
