#include "test_util.hpp"

#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace hubmap::test {

ScratchDir::ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "scratch";
    for (char& c : name) {
        if (c == '/') c = '_';
    }
    path_ = std::filesystem::path(kTmpDir) / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

CommandResult runHubmap(const std::string& args) { return runCommand(std::string(kHubmapCli) + " " + args); }

CommandResult runCommand(const std::string& commandLine) {
    static std::atomic<int> counter{0};  // commands may run side by side, from threads
    const std::string errFile =
        std::string(kTmpDir) + "/stderr-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".txt";
    std::filesystem::create_directories(kTmpDir);
    const std::string cmd = "{ " + commandLine + "; } 2>" + errFile;
    CommandResult r;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = readFile(errFile);
    std::filesystem::remove(errFile);
    return r;
}

}  // namespace hubmap::test
