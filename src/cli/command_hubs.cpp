// hubmap hubs: list the hubs in the database (a table, CSV that imports again, JSON or a workbook),
// or remove one import.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/output_options.hpp"
#include "core/error.hpp"
#include "core/names.hpp"
#include "io/hubs.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "report/hub_sheet.hpp"
#include "report/table_output.hpp"
#include "report/text_table.hpp"

namespace hubmap::cli {

namespace {

class HubsCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand("hubs", "list the hubs in the database, or remove one import");
        sub->add_option("--kind", filter_.kind, "only this kind (small_hub, rmo, activity_centre, model_project, …)");
        sub->add_option("--prefecture", filter_.prefecture, "only this prefecture (高知県, 高知 or 39)");
        sub->add_option("--source", filter_.importSource,
                        "only this import source (builtin:<file> for geodata/hubs, else the import's name)");
        output_.add(sub, {"table", "csv", "json", "xlsx"});
        auto* sources = sub->add_flag("--sources", listSources_, "list the import sources with their row counts");
        removeOption_ = sub->add_option("--remove-source", removeSource_, "delete every hub of this import source");
        removeOption_->excludes(sources);
        dbOption_.add(sub);
        return sub;
    }

    int run() override {
        const TableOutput out = output_.resolve(dbOption_);
        if (out.japaneseHeaders && out.format == TableFormat::Csv) {
            // Its columns are the ones `hubmap import` reads back, so they keep their names.
            throw UsageError("--headers ja: the hubs CSV has the column names hubmap import reads (--headers en)");
        }
        StderrProgress progress(dbOption_.quiet);
        const std::string path = resolveDatabase(dbOption_.db, progress);
        if (removeOption_->count() > 0 && trimSpaces(removeSource_).empty()) {
            // An empty name once listed every hub and exited 0: the user meant to remove something.
            throw UsageError("--remove-source needs the name of an import source (hubmap hubs --sources lists them)");
        }
        if (removeOption_->count() > 0) {
            const long long n = removeImportSource(path, removeSource_);
            fmt::print("removed {} hubs of import source '{}' from {}\n", n, removeSource_, path);
            return 0;
        }
        Database db(path, Database::Mode::ReadOnly);
        if (listSources_) {
            TextTable table({{"IMPORT SOURCE"}, {"ROWS", TextTable::Align::Right}});
            for (const auto& [name, rows] : importSources(db)) table.addRow({name, std::to_string(rows)});
            table.print();
            return 0;
        }
        const std::vector<Hub> hubs = selectHubs(db, filter_);
        if (out.format == TableFormat::Json) {
            writeTextOutput(out, hubsToJson(hubs).dump(2) + "\n");
        } else if (out.format == TableFormat::Xlsx) {
            TableFile file(out);
            writeHubsSheet(file, db, hubs);
        } else if (out.format == TableFormat::Csv) {
            const std::string csv = temporaryCsvPath();
            writeHubsCsv(hubs, csv);
            writeCsvOutput(out, takeTemporaryFile(csv));
        } else {
            writeTextOutput(out, tableText(hubs, readKindLabels(db)));
        }
        if (!out.path.empty()) progress.info("wrote " + out.path);
        return 0;
    }

private:
    /// `labels`: a kind with a display name (import --kind-label) shows it in the KIND column.
    static std::string tableText(const std::vector<Hub>& hubs, const std::map<std::string, std::string>& labels) {
        using Align = TextTable::Align;
        TextTable table({{"ID", Align::Left, 22},
                         {"KIND", Align::Left},
                         {"NAME", Align::Left, 30},
                         {"PREFECTURE", Align::Left},
                         {"MUNICIPALITY", Align::Left, 16},
                         {"DISTRICT", Align::Left, 16},
                         {"PRECISION", Align::Left},
                         {"FY", Align::Right},
                         {"LON", Align::Right},
                         {"LAT", Align::Right}});
        for (const Hub& h : hubs) {
            const auto label = labels.find(h.kind);
            table.addRow({h.id, label != labels.end() ? label->second : h.kind, h.name, h.prefecture, h.municipality,
                          h.details().district, h.precision,
                          h.details().fiscalYear ? std::to_string(*h.details().fiscalYear) : "",
                          h.lon ? fmt::format("{:.5f}", *h.lon) : "", h.lat ? fmt::format("{:.5f}", *h.lat) : ""});
        }
        return table.render() + fmt::format("{} hubs\n", hubs.size());
    }

    HubFilter filter_;
    OutputOptionGroup output_;
    bool listSources_ = false;
    std::string removeSource_;
    CLI::Option* removeOption_ = nullptr;
    DatabaseOption dbOption_;
};

}  // namespace

std::unique_ptr<Command> makeHubsCommand() { return std::make_unique<HubsCommand>(); }

}  // namespace hubmap::cli
