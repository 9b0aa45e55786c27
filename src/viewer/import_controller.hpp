#pragma once
// A file dropped on the viewer, without a window: first a preview (the library's
// readHubSource: the columns found, where the points come from, how many rows place and
// which do not; nothing written), then the import itself (importHubs, as `hubmap import`
// does, into the viewer's database), each on a background thread. After an import the
// window reloads the hubs (LevelLoader::reloadHubs) to show them on the map.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "io/import.hpp"
#include "viewer/background_task.hpp"

namespace hubmap::viewer {

/// What reading a dropped file found.
struct DropPreview {
    std::vector<std::string> columns;  ///< the source's columns, in order
    ImportReport report;               ///< driver, layer, encoding, CRS, where points come from, notes
    std::size_t placed = 0;            ///< rows that would be imported
    std::size_t rejectedCount = 0;
    std::vector<ImportProblem> firstRejected;  ///< up to ten, for the dialog
};

/// The formats a drop is offered for (the list; GDAL reads more, `hubmap import` takes them).
bool isImportableFile(const std::string& path);

/// A kind for the rows of `path`: its stem lower-cased, other characters as '_', starting
/// with a letter ("Hubs 2024.csv" → "hubs_2024"), as ImportOptions::kind requires.
std::string kindFromFileName(const std::string& path);

class ImportController {
public:
    enum class Stage { Idle, Reading, Preview, Importing, Done, Failed };

    explicit ImportController(std::string dbPath) : dbPath_(std::move(dbPath)) {}

    /// Starts reading `file` for the preview (cancelling nothing: ignored while busy).
    void open(const std::string& file);
    /// The import's options, edited by the dialog (kind, layer, CRS, skip invalid rows).
    ImportOptions& options() { return options_; }
    /// Imports the previewed file with options(). Only in the Preview stage.
    void startImport();
    /// Takes a finished job; call once a frame.
    void poll();
    /// Blocks until the running job ends, then polls (tests).
    void wait();
    /// Back to Idle (the dialog closed). Ignored while a job runs.
    void close();

    Stage stage() const { return stage_; }
    bool busy() const { return stage_ == Stage::Reading || stage_ == Stage::Importing; }
    const std::optional<DropPreview>& preview() const { return preview_; }
    const std::optional<ImportReport>& report() const { return report_; }
    const std::string& message() const { return message_; }
    /// True once after an import wrote rows: the caller reloads the hubs.
    bool takeImported();

private:
    void finishImport(ImportReport report);

    std::string dbPath_;
    ImportOptions options_;
    Stage stage_ = Stage::Idle;
    std::optional<DropPreview> preview_;
    std::optional<ImportReport> report_;
    std::string message_;
    bool imported_ = false;
    BackgroundTask<DropPreview> reading_;
    BackgroundTask<ImportReport> importing_;  // last: joined before the rest goes
};

}  // namespace hubmap::viewer
