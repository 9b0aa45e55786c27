#pragma once
// A terminal table of registry rows: the columns (TableColumn) of a row type's fields that
// a TableContext shows, in their order. Any row type with a field list gets its table this
// way (`hubmap coverage`, `hubmap gaps`).

#include <algorithm>
#include <string>
#include <vector>

#include "report/fields.hpp"
#include "report/text_table.hpp"

namespace hubmap {

/// A terminal table of rows of type Row: the registry's columns of its fields that `context`
/// shows, in their order.
template <class Row>
class RowTable {
public:
    RowTable(const FieldList<Row>& fields, const TableContext& context) : table_(headers(fields, context)) {}

    void add(const Row& row) {
        std::vector<std::string> cells;
        for (const TableColumn<Row>* c : columns_) cells.push_back(c->text(row));
        table_.addRow(std::move(cells));
    }
    size_t rows() const { return table_.rows(); }
    std::string render() const { return table_.render(); }

private:
    std::vector<TextTable::Column> headers(const FieldList<Row>& fields, const TableContext& context) {
        for (const auto& f : fields) {
            if (f.column && f.column->show(context)) columns_.push_back(&*f.column);
        }
        std::stable_sort(columns_.begin(), columns_.end(),
                         [](const auto* a, const auto* b) { return a->order < b->order; });
        std::vector<TextTable::Column> out;
        for (const TableColumn<Row>* c : columns_) {
            out.push_back({c->heading, c->right ? TextTable::Align::Right : TextTable::Align::Left, c->maxWidth});
        }
        return out;
    }

    std::vector<const TableColumn<Row>*> columns_;
    TextTable table_;
};

}  // namespace hubmap
