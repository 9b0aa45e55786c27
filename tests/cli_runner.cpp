#include "cli_runner.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <ogr_spatialref.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>
#include <stdexcept>
#include <utility>

#include "cli/run.hpp"
#include "io/gdal.hpp"

extern char** environ;

namespace hubmap::test {

std::vector<std::string> shellWords(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (inWord) words.push_back(word);
            word.clear();
            inWord = false;
            continue;
        }
        if (c == '\'') {
            const size_t end = line.find('\'', i + 1);
            if (end == std::string::npos) throw std::invalid_argument("unclosed ' in: " + line);
            word += line.substr(i + 1, end - i - 1);
            i = end;
        } else if (c == '"') {
            for (++i;; ++i) {
                if (i >= line.size()) throw std::invalid_argument("unclosed \" in: " + line);
                if (line[i] == '"') break;
                if (line[i] == '$' || line[i] == '`') {
                    throw std::invalid_argument(fmt::format("{} inside \"…\" is the shell's: {}", line[i], line));
                }
                if (line[i] == '\\' && i + 1 < line.size() && std::strchr("\"\\$`", line[i + 1])) ++i;
                word += line[i];
            }
        } else if (c == '\\') {
            if (i + 1 == line.size()) throw std::invalid_argument("a \\ at the end of: " + line);
            word += line[++i];
        } else if (std::strchr("<>|;&$`()*?[", c) || (!inWord && (c == '~' || c == '#'))) {
            throw std::invalid_argument(
                fmt::format("'{}' needs a shell (quote it, or run the process with runHubmap): {}", c, line));
        } else {
            word += c;
        }
        inWord = true;
    }
    if (inWord) words.push_back(word);
    return words;
}

std::string withoutTimings(const std::string& text) {
    static const std::regex seconds(R"(\b\d+\.\d+ s\b)");
    static const std::regex json(R"re(("(seconds|generated)" *: *)("[^"]*"|[-+.0-9eE]+))re");
    return std::regex_replace(std::regex_replace(text, seconds, "#.# s"), json, "$1#");
}

namespace {

constexpr unsigned kSaRestorer = 0x04000000;  // <asm/signal.h>'s SA_RESTORER

std::vector<std::string> gdalConfigOptions() {
    std::vector<std::string> options;
    for (char** list : {CPLGetConfigOptions(), CPLGetThreadLocalConfigOptions()}) {
        for (char** o = list; o && *o; ++o) options.emplace_back(*o);
        options.emplace_back("--");  // between the global and the thread-local ones
        CSLDestroy(list);
    }
    return options;
}

std::string streamState(std::ios& s) {
    return fmt::format("flags {:x} precision {} width {} fill {} state {}", static_cast<unsigned>(s.flags()),
                       s.precision(), s.width(), static_cast<int>(s.fill()), static_cast<int>(s.rdstate()));
}

/// What the descriptor points to, for a message.
std::string fdTarget(int fd) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(fmt::format("/proc/self/fd/{}", fd), ec);
    return ec ? "?" : target.string();
}

/// Differences between two lists, as "what: - gone / + new" lines.
template <typename List, typename Show>
void listDifferences(const std::string& what, const List& before, const List& after, Show show, std::string& out) {
    for (const auto& x : before) {
        if (std::find(after.begin(), after.end(), x) == after.end()) out += what + ": - " + show(x) + "\n";
    }
    for (const auto& x : after) {
        if (std::find(before.begin(), before.end(), x) == before.end()) out += what + ": + " + show(x) + "\n";
    }
}

void flushAll() {
    std::cout.flush();
    std::cerr.flush();
    std::clog.flush();
    std::fflush(nullptr);
}

/// A duplicate of `fd` that a child process would not inherit.
int keep(int fd) { return ::fcntl(fd, F_DUPFD_CLOEXEC, 3); }

std::string readAll(std::FILE* file) {
    std::string text;
    std::rewind(file);
    char buf[8192];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) text.append(buf, n);
    return text;
}

}  // namespace

ProcessState ProcessState::capture() {
    ProcessState s;
    std::error_code ec;
    s.cwd = std::filesystem::current_path(ec).string();
    if (const char* l = std::setlocale(LC_ALL, nullptr)) s.locale = l;
    sigset_t mask;
    ::sigprocmask(SIG_BLOCK, nullptr, &mask);
    for (int sig = 1; sig < NSIG; ++sig) {
        struct sigaction a {};
        if (::sigaction(sig, nullptr, &a) != 0) continue;
        const void* handler =
            (a.sa_flags & SA_SIGINFO) ? reinterpret_cast<void*>(a.sa_sigaction) : reinterpret_cast<void*>(a.sa_handler);
        // glibc adds SA_RESTORER to every handler it installs, SIG_DFL too: not the caller's.
        s.signals.push_back(fmt::format("{} ({}): handler {} flags {:x}{}", sig, strsignal(sig), handler,
                                        static_cast<unsigned>(a.sa_flags) & ~kSaRestorer,
                                        sigismember(&mask, sig) ? " blocked" : ""));
    }
    for (char** e = environ; e && *e; ++e) s.environment.emplace_back(*e);
    std::sort(s.environment.begin(), s.environment.end());
    const mode_t m = ::umask(0);
    ::umask(m);
    s.umask = m;
    s.gdalConfig = gdalConfigOptions();
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        s.fds.insert(std::stoi(entry.path().filename().string()));
    }
    s.streams =
        "cin " + streamState(std::cin) + "; cout " + streamState(std::cout) + "; cerr " + streamState(std::cerr);
    return s;
}

std::string ProcessState::differencesFrom(const ProcessState& before) const {
    std::string out;
    if (cwd != before.cwd) out += "working directory: " + before.cwd + " -> " + cwd + "\n";
    if (locale != before.locale) out += "locale: " + before.locale + " -> " + locale + "\n";
    const auto same = [](const std::string& s) { return s; };
    listDifferences("signal", before.signals, signals, same, out);
    listDifferences("environment", before.environment, environment, same, out);
    if (umask != before.umask) out += fmt::format("umask: {:o} -> {:o}\n", before.umask, umask);
    listDifferences("GDAL config option", before.gdalConfig, gdalConfig, same, out);
    listDifferences(
        "open file descriptor", before.fds, fds, [](int fd) { return fmt::format("{} {}", fd, fdTarget(fd)); }, out);
    if (streams != before.streams) out += "streams: " + before.streams + " -> " + streams + "\n";
    return out;
}

CommandResult runHubmapInProcess(const std::vector<std::string>& args) {
    // What every process sets up once and keeps, the binary at its first use: GDAL's drivers and
    // config (gdalInit), and the thread's PROJ context with proj.db open (GDAL's coordinate
    // systems). Done before the snapshot, they are not taken for a run's leftovers.
    static const bool warm = [] {
        gdalInit();
        OGRSpatialReference srs;
        return srs.importFromEPSG(6668) == OGRERR_NONE;
    }();
    (void)warm;
    CPLErrorReset();  // a new process has no GDAL error pending
    const ProcessState before = ProcessState::capture();

    std::vector<std::string> words{"hubmap"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);

    CommandResult r;
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (!out || !err || devNull < 0) {
        ADD_FAILURE() << "cannot make the temporary files or open /dev/null: " << std::strerror(errno);
        return r;
    }
    flushAll();
    const int savedIn = keep(0), savedOut = keep(1), savedErr = keep(2);
    ::dup2(devNull, 0);
    ::dup2(::fileno(out), 1);
    ::dup2(::fileno(err), 2);
    r.status = cli::run(static_cast<int>(words.size()), argv.data());
    flushAll();
    // Each of 0, 1, 2 as it was: its old target, or closed if it was closed.
    for (const auto& [fd, saved] : {std::pair{0, savedIn}, std::pair{1, savedOut}, std::pair{2, savedErr}}) {
        if (saved >= 0) {
            ::dup2(saved, fd);
            ::close(saved);
        } else {
            ::close(fd);
        }
    }
    ::close(devNull);
    // The run may have met the end of /dev/null: the test's own std::cin and stdin start clean.
    std::cin.clear();
    std::clearerr(stdin);
    r.out = readAll(out);
    r.err = readAll(err);
    std::fclose(out);
    std::fclose(err);

    const std::string left = ProcessState::capture().differencesFrom(before);
    if (!left.empty()) {
        std::string line = "hubmap";
        for (const std::string& a : args) line += " " + a;
        ADD_FAILURE() << line << " left this behind in the test process:\n" << left;
    }
    return r;
}

CommandResult runHubmapInProcess(const std::string& args) {
    try {
        return runHubmapInProcess(shellWords(args));
    } catch (const std::invalid_argument& e) {
        ADD_FAILURE() << e.what();
        return {};
    }
}

CommandResult runHubmapBothWays(const std::string& args) {
    const CommandResult here = runHubmapInProcess(args);
    const CommandResult process = runHubmap(args + " </dev/null");
    EXPECT_EQ(process.status, here.status) << "hubmap " << args << ": the binary's status differs; it said:\n"
                                           << process.out << process.err;
    EXPECT_EQ(withoutTimings(process.out), withoutTimings(here.out)) << "hubmap " << args << ": the binary's stdout";
    EXPECT_EQ(withoutTimings(process.err), withoutTimings(here.err)) << "hubmap " << args << ": the binary's stderr";
    return here;
}

}  // namespace hubmap::test
