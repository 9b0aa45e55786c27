// hubmap fields (hidden): prints docs/fields.md, the table of every output field, generated
// from the field registry. CTest fields_doc compares it with the committed file.

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "report/fields.hpp"

namespace hubmap::cli {

namespace {

class FieldsCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        CLI::App* sub = app.add_subcommand("fields", "print the output field table (docs/fields.md) as Markdown");
        sub->group("");  // hidden: a maintainer's tool
        sub->add_flag("--markdown", markdown_, "Markdown (the only form; accepted for clarity)");
        return sub;
    }

    int run() override {
        fmt::print("{}", fieldsMarkdown());
        return 0;
    }

private:
    bool markdown_ = true;
};

}  // namespace

std::unique_ptr<Command> makeFieldsCommand() { return std::make_unique<FieldsCommand>(); }

}  // namespace hubmap::cli
