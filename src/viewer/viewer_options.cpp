#include "viewer/viewer_options.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/error.hpp"

namespace hubmap::viewer {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

std::optional<double> toNumber(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

void parseSize(const std::string& text, int& width, int& height) {
    const auto parts = split(text, 'x');
    const auto w = parts.size() == 2 ? toNumber(parts[0]) : std::nullopt;
    const auto h = parts.size() == 2 ? toNumber(parts[1]) : std::nullopt;
    if (!w || !h || *w != std::floor(*w) || *h != std::floor(*h) || *w < 64 || *h < 64 || *w > 16384 || *h > 16384) {
        throw UsageError(
            fmt::format("--size '{}': expected WIDTHxHEIGHT in pixels, 64 to 16384 each (e.g. 1600x1000)", text));
    }
    width = static_cast<int>(*w);
    height = static_cast<int>(*h);
}

ViewSpec parseViewSpec(const std::string& text) {
    const auto parts = split(text, ',');
    std::optional<double> v[3];
    if (parts.size() == 3) {
        for (int i = 0; i < 3; ++i) v[i] = toNumber(parts[static_cast<std::size_t>(i)]);
    }
    if (!v[0] || !v[1] || !v[2] || *v[0] < -180 || *v[0] > 180 || *v[1] < -90 || *v[1] > 90 || *v[2] < 3 ||
        *v[2] > 15) {
        throw UsageError(fmt::format(
            "--view '{}': expected LON,LAT,ZOOM (degrees; zoom 3 to 15 as in web maps, e.g. 133.5,33.8,9)", text));
    }
    return ViewSpec{*v[0], *v[1], *v[2]};
}

DragSpec parseHoverSpec(const std::string& text) {
    try {
        const DragSpec at = parseDragSpec(text);
        if (at.dx >= 0 && at.dy >= 0) return at;
    } catch (const UsageError&) {
    }
    throw UsageError(fmt::format("--hover '{}': expected X,Y in whole pixels from the top left (e.g. 640,400)", text));
}

std::vector<std::pair<double, double>> parsePlanSpec(const std::string& text) {
    const auto parts = split(text, ',');
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i + 1 < parts.size() && parts.size() % 2 == 0; i += 2) {
        const std::optional<double> lon = toNumber(parts[i]), lat = toNumber(parts[i + 1]);
        if (!lon || !lat || *lon < -180 || *lon > 180 || *lat < -90 || *lat > 90) break;
        out.emplace_back(*lon, *lat);
    }
    if (out.empty() || out.size() * 2 != parts.size()) {
        throw UsageError(
            fmt::format("--plan '{}': expected LON,LAT pairs in degrees (e.g. 133.70,33.62,133.45,33.56)", text));
    }
    return out;
}

DragSpec parseDragSpec(const std::string& text) {
    const auto parts = split(text, ',');
    std::optional<double> v[2];
    if (parts.size() == 2) {
        for (int i = 0; i < 2; ++i) v[i] = toNumber(parts[static_cast<std::size_t>(i)]);
    }
    for (const auto& d : v) {
        if (!d || *d != std::floor(*d) || std::abs(*d) > 16384) {
            throw UsageError(
                fmt::format("--drag '{}': expected DX,DY in whole pixels, right and down positive "
                            "(e.g. 300,-120)",
                            text));
        }
    }
    return DragSpec{static_cast<int>(*v[0]), static_cast<int>(*v[1])};
}

void checkPrintDpi(int dpi) {
    if (dpi < kMinPrintDpi || dpi > kMaxPrintDpi) {
        throw UsageError(
            fmt::format("--print-dpi {}: expected {} to {} dots per inch (e.g. 300)", dpi, kMinPrintDpi, kMaxPrintDpi));
    }
}

}  // namespace hubmap::viewer
