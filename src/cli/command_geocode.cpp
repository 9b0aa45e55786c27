// hubmap geocode: how each hub layer was placed, and the rows that fell back.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "io/geocode.hpp"
#include "io/store.hpp"
#include "report/text_table.hpp"

namespace hubmap::cli {

namespace {

class GeocodeCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand(
            "geocode",
            "per hub layer: rows per precision (exact, settlement, municipality, prefecture) and the rows "
            "that fell back, with the reason");
        sub->add_option("--source", source_, "only this import source (builtin:<file> or an import's name)");
        sub->add_option("--format", format_, "text or json")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        StderrProgress progress(dbOption_.quiet);
        const std::string path = resolveDatabase(dbOption_.db, progress);
        GeocodeSummary summary = summariseGeocoding(path, progress);
        if (!source_.empty()) {
            std::vector<GeocodeLayerSummary> kept;
            for (auto& l : summary.layers) {
                if (l.importSource == source_) kept.push_back(std::move(l));
            }
            if (kept.empty())
                throw UsageError(fmt::format("no import source named '{}' (see hubmap hubs --sources)", source_));
            summary.layers = std::move(kept);
        }
        if (format_ == "json") {
            fmt::print("{}\n", geocodeSummaryToJson(summary).dump(2));
        } else {
            printText(summary);
        }
        return 0;
    }

private:
    static constexpr const char* kPrecisions[] = {"exact", "settlement", "municipality", "prefecture"};

    static void printText(const GeocodeSummary& summary) {
        using Align = TextTable::Align;
        TextTable counts({{"LAYER"},
                          {"ROWS", Align::Right},
                          {"EXACT", Align::Right},
                          {"SETTLEMENT", Align::Right},
                          {"MUNICIPALITY", Align::Right},
                          {"PREFECTURE", Align::Right},
                          {"FELL BACK", Align::Right}});
        for (const auto& l : summary.layers) {
            std::vector<std::string> row = {l.importSource, std::to_string(l.rows)};
            for (const char* p : kPrecisions) {
                auto it = l.byPrecision.find(p);
                row.push_back(std::to_string(it == l.byPrecision.end() ? 0 : it->second));
            }
            row.push_back(std::to_string(l.fallbacks.size()));
            counts.addRow(std::move(row));
        }
        counts.print();
        for (const auto& l : summary.layers) {
            for (const auto* list : {&l.fallbacks, &l.mismatches}) {
                if (list->empty()) continue;
                fmt::print("\n{}: {} rows {}\n", l.importSource, list->size(),
                           list == &l.fallbacks ? "fell back"
                                                : "differ from what the geocoder gives now (rebuild or re-import)");
                TextTable rows({{"ID", Align::Left, 22},
                                {"NAME", Align::Left, 24},
                                {"MUNICIPALITY", Align::Left, 14},
                                {"DISTRICT", Align::Left, 14},
                                {"PRECISION"},
                                {"REASON"}});
                for (const auto& f : *list) {
                    rows.addRow({f.id, f.name, f.municipality, f.district, f.precision, f.reason});
                }
                rows.print();
            }
        }
    }

    std::string source_;
    std::string format_ = "text";
    DatabaseOption dbOption_;
};

}  // namespace

std::unique_ptr<Command> makeGeocodeCommand() { return std::make_unique<GeocodeCommand>(); }

}  // namespace hubmap::cli
