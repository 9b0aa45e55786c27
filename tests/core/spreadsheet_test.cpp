#include "core/spreadsheet.hpp"

#include <gtest/gtest.h>

using namespace hubmap;

TEST(SpreadsheetSafe, PrefixesEveryFormulaStartInText) {
    EXPECT_EQ(spreadsheetSafe("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(spreadsheetSafe("@SUM(1)"), "'@SUM(1)");
    EXPECT_EQ(spreadsheetSafe("+1"), "'+1");
    EXPECT_EQ(spreadsheetSafe("-3.5"), "'-3.5");  // a name that looks like a number stays text
    EXPECT_EQ(spreadsheetSafe("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
    EXPECT_EQ(spreadsheetSafe("\t=1"), "'\t=1");
    EXPECT_EQ(spreadsheetSafe("\r=1"), "'\r=1");
    EXPECT_EQ(spreadsheetSafe("-"), "'-");
}

TEST(SpreadsheetSafe, KeepsOtherText) {
    for (const char* kept : {"", "大川村役場", "a=b", " =1", "'=1", "1-2", "3.5"}) {
        EXPECT_EQ(spreadsheetSafe(kept), kept);
        EXPECT_EQ(spreadsheetSafe(kept, true), kept);
    }
}

TEST(SpreadsheetSafe, NumericFieldsKeepPlainNumbersOnly) {
    for (const char* number : {"-3.5", "+1", "-0", "-.5", "-1.", "-1e-3", "+2E+10", "-133.4728000"}) {
        EXPECT_EQ(spreadsheetSafe(number, true), number);
    }
    for (const char* notNumber : {"-", "-.", "-1e", "+81-88-123", "-1 ", "-0x10", "-inf", "=1", "@1"}) {
        EXPECT_EQ(spreadsheetSafe(notNumber, true), std::string("'") + notNumber);
    }
}

TEST(SpreadsheetSafe, UndoRestoresWhatWasNeutralised) {
    for (const char* s :
         {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+1", "-3.5", "\t=1", "大川村", "'plain", "'", ""}) {
        EXPECT_EQ(undoSpreadsheetSafe(spreadsheetSafe(s)), s);
    }
}
