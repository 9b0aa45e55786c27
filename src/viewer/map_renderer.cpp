#include "viewer/map_renderer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include "core/error.hpp"

namespace hubmap::viewer {

namespace {

constexpr int kMaxKinds = 16;  // matches kMaxKinds in shaders/catchment_mask.vertex.glsl

/// Texels on a side of the catchments' distance field: 16 MB (a float a texel), about 1.3 km a
/// texel over Japan. The boundary interpolates to a small part of that (a disk's distance is
/// linear across a texel but where disks meet); rendering it is one pass over the disks.
constexpr int kCatchmentFieldSize = 2048;
/// The field's values run from 0 to 1 over this many texels either side of an edge (0.5 on
/// it; 0 outside stands for anything farther out, inside they go on past 1): enough for the
/// outline and the tint's edge while that is more than 1.45 px (zoom 6 and in on the embedded
/// data); further out the shaders see the range as a pixel (setCatchmentUniforms).
constexpr double kCatchmentFieldRangeTexels = 4;
constexpr double kCatchmentLineWidth = 1.4;  // pixels, at pixel scale 1
/// Disks drawn into the field between waits for llvmpipe to finish.
constexpr std::size_t kCatchmentBatch = 8192;

// Catchments: the outline of their union. No tint inside: the fill's colours are the
// choropleth's and must read true against the legend (the catchments' own pass can tint with
// alpha > 0; the fill's variant draws the outline only, saving the tint's maths per pixel).
constexpr Rgba kCatchmentFill{0, 128, 120, 0};
constexpr Rgba kCatchmentLine{0, 96, 90, 230};
static_assert(kCatchmentFill.a == 0, "the fill's catchments (withCatchmentOutline) draw no tint");

/// Repeats each element of `in` (groups of `width` values) four times: one per quad corner.
template <typename T>
std::vector<T> quadVertices(const std::vector<T>& in, std::size_t width) {
    std::vector<T> out;
    out.reserve(in.size() * 4);
    for (std::size_t i = 0; i + width <= in.size(); i += width) {
        for (int corner = 0; corner < 4; ++corner) out.insert(out.end(), in.begin() + i, in.begin() + i + width);
    }
    return out;
}

void setColourUniform(GLint location, Rgba c) {
    glUniform4f(location, c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f);
}

/// CPU time of the whole process (llvmpipe's threads included), ms.
double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// A run of elements (vertices, segments or symbols) drawn in one go.
struct Run {
    std::size_t first = 0, count = 0;
};

/// The ranges [begin, end) that meet `visible`, neighbouring ones merged into one run (fewer
/// draws); adds their element count to `drawn`.
std::vector<Run> visibleRuns(const DrawRange* begin, const DrawRange* end, const WorldBounds& visible,
                             std::size_t& drawn) {
    std::vector<Run> runs;
    for (const DrawRange* it = begin; it != end; ++it) {
        const DrawRange& r = *it;
        if (r.count == 0 || !r.bounds.intersects(visible)) continue;
        if (!runs.empty() && runs.back().first + runs.back().count == r.first) {
            runs.back().count += r.count;
        } else {
            runs.push_back({r.first, r.count});
        }
        drawn += r.count;
    }
    return runs;
}

std::vector<Run> visibleRuns(const std::vector<DrawRange>& ranges, const WorldBounds& visible, std::size_t& drawn) {
    return visibleRuns(ranges.data(), ranges.data() + ranges.size(), visible, drawn);
}

/// The symbol program's variants, by SymbolShape (see shaders/symbol.fragment.glsl).
std::array<gl::Program, kSymbolShapes> buildSymbolPrograms() {
    static const char* const kDefines[kSymbolShapes] = {nullptr,           "SYMBOL_SQUARE", "SYMBOL_DIAMOND",
                                                        "SYMBOL_TRIANGLE", "SYMBOL_STAR",   "SYMBOL_CROSS"};
    std::array<gl::Program, kSymbolShapes> programs;
    for (std::size_t s = 0; s < programs.size(); ++s) {
        programs[s] = kDefines[s] ? gl::buildProgram("symbol", {kDefines[s]}) : gl::buildProgram("symbol");
    }
    return programs;
}

/// The fill's variants by MapRenderer::fillProgram's index: plain, hatched, catchments, each
/// without borders then with.
std::array<gl::Program, 6> buildFillPrograms() {
    std::array<gl::Program, 6> programs;
    const char* const variants[] = {nullptr, "FILL_HATCHED", "FILL_CATCHMENTS"};
    for (std::size_t v = 0; v < 3; ++v) {
        std::vector<std::string> defines;
        if (variants[v]) defines.emplace_back(variants[v]);
        programs[2 * v + 1] = gl::buildProgram("fill", defines);
        defines.emplace_back("FILL_NO_BORDERS");
        programs[2 * v] = gl::buildProgram("fill", defines);
    }
    return programs;
}

/// Draws runs of quads through the bound vertex array's quad index buffer (6 per quad).
void drawQuadRuns(const std::vector<Run>& runs) {
    std::vector<GLsizei> counts;
    std::vector<const void*> offsets;
    for (const Run& r : runs) {
        counts.push_back(static_cast<GLsizei>(6 * r.count));
        offsets.push_back(reinterpret_cast<const void*>(6 * r.first * sizeof(std::uint32_t)));
    }
    glMultiDrawElements(GL_TRIANGLES, counts.data(), GL_UNSIGNED_INT, offsets.data(),
                        static_cast<GLsizei>(counts.size()));
}

/// Border widths grow a little as one zooms in, so the national view stays light.
float lerpByZoom(double zoom, double z0, float w0, double z1, float w1) {
    const double t = std::clamp((zoom - z0) / (z1 - z0), 0.0, 1.0);
    return static_cast<float>(w0 + (w1 - w0) * t);
}

}  // namespace

MapRenderer::MapRenderer(std::size_t municipalities, const HubPoints& hubs, const std::vector<HubLevel>& hubLevels)
    : fillPrograms_(buildFillPrograms()),
      hatchProgram_(gl::buildProgram("fill", {"FILL_HATCH"})),
      lineProgram_(gl::buildProgram("line")),
      catchmentMaskProgram_(gl::buildProgram("catchment_mask")),
      catchmentProgram_(gl::buildProgram("catchment")),
      symbolPrograms_(buildSymbolPrograms()),
      quadIndices_(gl::makeBuffer()),
      colourTable_(gl::makeTexture()),
      featureCount_(municipalities),
      hatchedFeatures_(gl::makeTexture()) {
    setHubs(hubs, hubLevels);

    // Colour table: one RGBA texel per municipality, 256 per row; the hatched features' table
    // alike, one byte a municipality.
    glBindTexture(GL_TEXTURE_2D, colourTable_.id());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, colourTableWidth_, featureTableRows(), 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 nullptr);
    glBindTexture(GL_TEXTURE_2D, hatchedFeatures_.id());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, colourTableWidth_, featureTableRows(), 0, GL_RED, GL_UNSIGNED_BYTE, nullptr);
    setOverlay(nullptr);  // none hatched
}

void MapRenderer::setHubs(const HubPoints& hubs, const std::vector<HubLevel>& hubLevels) {
    hubLevels_.clear();
    hubStyles_.clear();
    hubKindNames_ = hubs.kinds;
    ++content_;
    // Hubs: a quad per symbol, thinned at low zooms. (Instancing or point sprites would
    // save memory, but both cost llvmpipe more per hub than plain indexed quads.)
    for (const HubLevel& level : hubLevels) {
        HubBuffer b;
        b.minZoom = level.minZoom;
        b.count = level.size();
        b.chunks = level.chunks;
        b.groups = level.groups;
        b.vao = gl::makeVertexArray();
        b.positions = gl::makeBuffer();
        ensureQuadIndices(b.count);
        glBindVertexArray(b.vao.id());
        const std::vector<float> positions = quadVertices(level.positions, 2);
        glBindBuffer(GL_ARRAY_BUFFER, b.positions.id());
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(positions.size() * sizeof(float)), positions.data(),
                     GL_STATIC_DRAW);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, quadIndices_.id());
        glBindVertexArray(0);
        hubLevels_.push_back(std::move(b));
    }
    for (std::size_t k = 0; k < hubs.kinds.size(); ++k) hubStyles_.push_back(hubStyle(hubs.kinds[k], k));

    // Catchment disks: instances uploaded with each distance field (only those it needs).
    if (!disks_) {
        disks_ = gl::makeVertexArray();
        diskCentres_ = gl::makeBuffer();
        diskFrames_ = gl::makeBuffer();
        diskKinds_ = gl::makeBuffer();
    }
    diskHubs_.positions = hubs.positions;
    diskHubs_.frames = hubs.frames;
    diskHubs_.kind = hubs.kind;
    fieldValid_ = false;
}

void MapRenderer::setCatchments(double radiusKm, const std::vector<bool>& kinds) {
    int mask = 0;
    for (std::size_t k = 0; k < kinds.size() && k < static_cast<std::size_t>(kMaxKinds); ++k) {
        if (kinds[k]) mask |= 1 << k;
    }
    if (!(radiusKm > 0)) radiusKm = 0;
    if (radiusKm == catchmentRadiusKm_ && mask == catchmentKinds_) return;
    catchmentRadiusKm_ = radiusKm;
    catchmentKinds_ = mask;
    ++content_;
}

void MapRenderer::updateCatchmentField(int kindMask) {
    if (fieldValid_ && fieldRadiusKm_ == catchmentRadiusKm_ && fieldKinds_ == kindMask) return;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = processCpuMs();
    renderCatchmentField(kindMask);
    // After the plan is gone: its vectors for 100,000 disks and these would add up.
    if (catchmentsReady()) summariseCatchmentField();
    glFinish();  // once per radius or kind change: its cost shows in the stats, not in a later frame
    stats_.catchmentFieldMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    stats_.catchmentFieldCpuMs = processCpuMs() - c0;
}

void MapRenderer::summariseCatchmentField() {
    // Read back a strip at a time (1 MB, not the field's 16), then every level's fill ordered.
    GLint target = 0;  // the caller's, restored at the end
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &target);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fieldFramebuffer_.id());
    fieldSides_ = std::make_unique<FieldSides>(fieldBounds_, kCatchmentFieldSize);
    constexpr int kStripRows = 128;
    std::vector<float> strip(static_cast<std::size_t>(kCatchmentFieldSize) * kStripRows);
    for (int row = 0; row < kCatchmentFieldSize; row += kStripRows) {
        glReadPixels(0, row, kCatchmentFieldSize, kStripRows, GL_RED, GL_FLOAT, strip.data());
        fieldSides_->addRows(row, kStripRows, strip.data());
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(target));
    for (auto& level : levels_) orderLevel(*level);
    releaseFieldSidesOnceAllLevelsAreIn();
}

void MapRenderer::releaseFieldSidesOnceAllLevelsAreIn() {
    // 4 MB kept only for levels still to come (levels arrive in the first seconds).
    if (levels_.size() >= std::size(kLevelTolerancesDeg)) fieldSides_.reset();
}

void MapRenderer::renderCatchmentField(int kindMask) {
    fieldValid_ = true;
    fieldRadiusKm_ = catchmentRadiusKm_;
    fieldKinds_ = kindMask;
    ++content_;
    fieldBounds_ = WorldBounds{};
    ++fieldSerial_;
    fieldSides_.reset();
    if (catchmentRadiusKm_ <= 0 || kindMask == 0 || diskHubs_.size() == 0) return;
    const CatchmentFieldPlan plan = planCatchmentField(diskHubs_, catchmentRadiusKm_, kindMask, kCatchmentFieldSize);
    if (plan.bounds.empty) return;
    fieldBounds_ = plan.bounds;
    const double texel = plan.texel;
    stats_.catchmentDisks = plan.disks.size();
    stats_.catchmentCandidates = plan.candidates;
    GLint target = 0, viewport[4] = {};  // the caller's, restored at the end
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &target);
    glGetIntegerv(GL_VIEWPORT, viewport);
    if (!field_) {
        field_ = gl::makeTexture();
        fieldFramebuffer_ = gl::makeFramebuffer();
        glBindTexture(GL_TEXTURE_2D, field_.id());
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        // 32-bit float, not 8-bit UNORM: llvmpipe filters it for less (the fill reads it at
        // every land pixel: 15-18 % less fill CPU at zoom 7.5-8 with 100,000 hubs).
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, kCatchmentFieldSize, kCatchmentFieldSize, 0, GL_RED, GL_FLOAT, nullptr);
        glBindFramebuffer(GL_FRAMEBUFFER, fieldFramebuffer_.id());
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, field_.id(), 0);
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            throw Error("the catchments' distance field framebuffer is incomplete");
        }
    }
    glBindFramebuffer(GL_FRAMEBUFFER, fieldFramebuffer_.id());
    glViewport(0, 0, kCatchmentFieldSize, kCatchmentFieldSize);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.f, 0.f, 0.f, 0.f);  // the range's far end outside every disk
    glClear(GL_COLOR_BUFFER_BIT);
    // Instances: the disks the cells do not stand for, then the cells (rectangles in world
    // metres), one draw each.
    std::vector<float> centres, frames;
    std::vector<std::uint32_t> kinds;
    centres.reserve(2 * plan.disks.size());
    frames.reserve(4 * (plan.disks.size() + plan.coveredTexels.size() / 4));
    kinds.reserve(plan.disks.size());
    for (std::uint32_t i : plan.disks) {
        centres.insert(centres.end(), {diskHubs_.positions[2 * i], diskHubs_.positions[2 * i + 1]});
        frames.insert(frames.end(), diskHubs_.frames.begin() + 4 * i, diskHubs_.frames.begin() + 4 * i + 4);
        kinds.push_back(diskHubs_.kind[i]);
    }
    for (std::size_t q = 0; q + 3 < plan.coveredTexels.size(); q += 4) {
        const int* t = &plan.coveredTexels[q];
        for (int e = 0; e < 4; ++e) {
            const double origin = e % 2 == 0 ? fieldBounds_.minx : fieldBounds_.miny;
            frames.push_back(static_cast<float>(origin + t[e] * texel));
        }
    }
    const std::size_t cells = plan.coveredTexels.size() / 4;
    centres.resize(centres.size() + 2 * cells, 0.f);
    kinds.resize(kinds.size() + cells, 0u);
    glBindVertexArray(disks_.id());
    auto instanced = [](GLuint location, GLuint buffer, const auto& values, GLint width, bool integer) {
        glBindBuffer(GL_ARRAY_BUFFER, buffer);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(values.size() * sizeof(values[0])), values.data(),
                     GL_STREAM_DRAW);
        glEnableVertexAttribArray(location);
        if (integer) {
            glVertexAttribIPointer(location, width, GL_UNSIGNED_INT, 0, nullptr);
        } else {
            glVertexAttribPointer(location, width, GL_FLOAT, GL_FALSE, 0, nullptr);
        }
        glVertexAttribDivisor(location, 1);
    };
    instanced(0, diskCentres_.id(), centres, 2, false);
    instanced(1, diskFrames_.id(), frames, 4, false);
    instanced(2, diskKinds_.id(), kinds, 1, true);
    glBindVertexArray(0);
    glEnable(GL_BLEND);
    glBlendEquation(GL_MAX);
    glUseProgram(catchmentMaskProgram_.id());
    const float sx = static_cast<float>(2.0 / (fieldBounds_.maxx - fieldBounds_.minx));
    const float sy = static_cast<float>(2.0 / (fieldBounds_.maxy - fieldBounds_.miny));
    glUniform2f(gl::uniform(catchmentMaskProgram_, "u_scale"), sx, sy);
    glUniform2f(gl::uniform(catchmentMaskProgram_, "u_offset"), static_cast<float>(-1 - fieldBounds_.minx * sx),
                static_cast<float>(-1 - fieldBounds_.miny * sy));
    glUniform2f(gl::uniform(catchmentMaskProgram_, "u_viewport"), static_cast<float>(kCatchmentFieldSize),
                static_cast<float>(kCatchmentFieldSize));
    glUniform1f(gl::uniform(catchmentMaskProgram_, "u_radius"), static_cast<float>(catchmentRadiusKm_ * 1000.0));
    fieldRangeKm_ = kCatchmentFieldRangeTexels * texel / 1000.0;
    glUniform1f(gl::uniform(catchmentMaskProgram_, "u_margin"), static_cast<float>(1.5 * texel));
    glUniform1f(gl::uniform(catchmentMaskProgram_, "u_rangeKm"), static_cast<float>(fieldRangeKm_));
    glUniform1i(gl::uniform(catchmentMaskProgram_, "u_visibleKinds"), kindMask);
    glBindVertexArray(disks_.id());
    // In batches, each finished before the next is drawn: llvmpipe keeps every queued
    // triangle's setup until its scene is drawn, and a flush only queues the scene while setup
    // starts another, so flushed batches still held some 40 MB at 100,000 disks (heaptrack);
    // waiting bounds it to one batch. The last is only flushed (glFinish below waits for all):
    // a pass of one batch, as on the embedded data, runs as before.
    const auto at = [](std::size_t floats) { return reinterpret_cast<const void*>(floats * sizeof(float)); };
    auto drawBatches = [&](std::size_t first, std::size_t count) {
        for (std::size_t b = first; b < first + count; b += kCatchmentBatch) {
            const std::size_t n = std::min(kCatchmentBatch, first + count - b);
            glBindBuffer(GL_ARRAY_BUFFER, diskCentres_.id());
            glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, at(2 * b));
            glBindBuffer(GL_ARRAY_BUFFER, diskFrames_.id());
            glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 0, at(4 * b));
            glBindBuffer(GL_ARRAY_BUFFER, diskKinds_.id());
            glVertexAttribIPointer(2, 1, GL_UNSIGNED_INT, 0, at(b));
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(n));
            if (b + n < first + count) {
                glFinish();
            } else {
                glFlush();
            }
        }
    };
    glUniform1i(gl::uniform(catchmentMaskProgram_, "u_cells"), 0);
    drawBatches(0, plan.disks.size());
    glUniform1i(gl::uniform(catchmentMaskProgram_, "u_cells"), 1);  // the cells' instances follow
    drawBatches(plan.disks.size(), cells);
    glBindVertexArray(0);
    glBlendEquation(GL_FUNC_ADD);
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(target));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
}

void MapRenderer::orderLevel(LevelBuffers& level) {
    if (level.fill.vertexCount == 0 || !fieldSides_) return;
    // The vertices from their buffers, mapped (llvmpipe: its own memory), not kept twice.
    auto map = [&](const gl::Buffer& buffer, std::size_t bytes) {
        glBindBuffer(GL_COPY_READ_BUFFER, buffer.id());
        const void* data = glMapBufferRange(GL_COPY_READ_BUFFER, 0, static_cast<GLsizeiptr>(bytes), GL_MAP_READ_BIT);
        if (!data) throw Error("cannot map the fill's vertices to order them");
        return data;
    };
    struct Unmap {  // whatever happens
        const gl::Buffer& buffer;
        ~Unmap() {
            glBindBuffer(GL_COPY_READ_BUFFER, buffer.id());
            glUnmapBuffer(GL_COPY_READ_BUFFER);
        }
    };
    const auto* positions =
        static_cast<const float*>(map(level.fill.positions, 2 * level.fill.vertexCount * sizeof(float)));
    const Unmap unmapPositions{level.fill.positions};
    const auto* attributes =
        static_cast<const std::uint32_t*>(map(level.fill.attributes, level.fill.vertexCount * sizeof(std::uint32_t)));
    const Unmap unmapAttributes{level.fill.attributes};
    // Sides for the largest scale this level is drawn at once every level is in (levelFor:
    // the next coarser level's fit), with the outline's reach there; the coarsest level is
    // drawn at any scale, so only where the field saturates.
    double largestMetresPerPixel = std::numeric_limits<double>::infinity();
    for (double tolerance : kLevelTolerancesDeg) {
        if (tolerance * kMetresPerDegree > level.toleranceMetres * 1.001) {
            largestMetresPerPixel = tolerance * kMetresPerDegree / kLevelFitPixels;
        }
    }
    const double sideMetres = std::max(outlineReachPx(), 0.5) * largestMetresPerPixel;
    const double margin = sideMetres / (2 * fieldRangeKm_ * 1000.0);
    fieldSides_->setMargin(std::min(margin, 0.5));
    level.fieldSideMetres = margin < 0.5 ? sideMetres : std::numeric_limits<double>::infinity();
    level.fieldOrderOf = fieldSerial_;
    FillOrder order = orderFill(*fieldSides_, positions, attributes, level.fillChunks);
    if (!level.fieldIndices) level.fieldIndices = gl::makeBuffer();
    glBindBuffer(GL_COPY_WRITE_BUFFER, level.fieldIndices.id());  // not the vertex array's binding
    glBufferData(GL_COPY_WRITE_BUFFER, static_cast<GLsizeiptr>(order.indices.size() * sizeof(std::uint32_t)),
                 order.indices.data(), GL_STATIC_DRAW);
    level.fieldChunks = std::move(order.chunks);
}

bool MapRenderer::catchmentsReady() const { return fieldValid_ && !fieldBounds_.empty; }

void MapRenderer::setCatchmentUniforms(const gl::Program& program, const Pass& pass, const char* lineReach,
                                       const char* fill, const char* line) {
    // (0, 0)-(1, 1) without a field: the fill's vertex shader divides by the rectangle.
    const bool ready = catchmentsReady();
    glUniform2f(gl::uniform(program, "u_fieldMin"), ready ? static_cast<float>(fieldBounds_.minx) : 0.f,
                ready ? static_cast<float>(fieldBounds_.miny) : 0.f);
    glUniform2f(gl::uniform(program, "u_fieldMax"), ready ? static_cast<float>(fieldBounds_.maxx) : 1.f,
                ready ? static_cast<float>(fieldBounds_.maxy) : 1.f);
    if (!ready) return;
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, field_.id());
    glActiveTexture(GL_TEXTURE0);
    glUniform1i(gl::uniform(program, "u_field"), 1);
    glUniform1f(gl::uniform(program, "u_rangeKm"), static_cast<float>(fieldRangeKm_));
    const CatchmentScale scale = catchmentScale(pass);
    glUniform1f(gl::uniform(program, "u_metresPerPixel"), static_cast<float>(scale.metresPerPixel));
    glUniform1f(gl::uniform(program, lineReach), static_cast<float>(scale.lineReachPx));
    if (fill) setColourUniform(gl::uniform(program, fill), kCatchmentFill);
    setColourUniform(gl::uniform(program, line), kCatchmentLine);
}

double MapRenderer::outlineReachPx() const { return kCatchmentLineWidth * pixelScale_ * 0.5 + 0.5; }

MapRenderer::CatchmentScale MapRenderer::catchmentScale(const Pass& pass) const {
    // Ground metres per framebuffer pixel (the map's scale, within a few % of the ground's),
    // but no more than the field's range: where the field saturates (further than the range
    // from every edge) the shaders then see at least a pixel, and the outline ends short of
    // it. Zoomed out that far the field cannot place an edge within a pixel anyway; without
    // this the outline's anti-aliasing tinted all the land (FieldSides relies on it too).
    const double pixelsPerMetre = pass.view->pixelsPerMetre() * pass.width / pass.view->windowWidth();
    CatchmentScale scale;
    scale.metresPerPixel = std::min(1.0 / pixelsPerMetre, fieldRangeKm_ * 1000.0);
    const double rangePx = fieldRangeKm_ * 1000.0 / scale.metresPerPixel;
    scale.lineReachPx = std::min(outlineReachPx(), rangePx - 0.25);
    return scale;
}

void MapRenderer::drawCatchments(const Pass& pass) {
    if (!catchmentsReady()) return;
    setCommonUniforms(catchmentProgram_, pass);
    setCatchmentUniforms(catchmentProgram_, pass, "u_lineReach", "u_fill", "u_line");
    glBindVertexArray(disks_.id());  // any vertex array: the quad comes from gl_VertexID
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

void MapRenderer::uploadFill(FillBuffer& target, const FillMesh& mesh) {
    if (!target.vao) {
        target.vao = gl::makeVertexArray();
        target.positions = gl::makeBuffer();
        target.attributes = gl::makeBuffer();
    }
    glBindVertexArray(target.vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, target.positions.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(mesh.positions.size() * sizeof(float)), mesh.positions.data(),
                 GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glBindBuffer(GL_ARRAY_BUFFER, target.attributes.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(mesh.attributes.size() * sizeof(std::uint32_t)),
                 mesh.attributes.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(1);
    glVertexAttribIPointer(1, 1, GL_UNSIGNED_INT, 0, nullptr);
    glBindVertexArray(0);
    target.vertexCount = mesh.vertexCount();
}

void MapRenderer::addLevel(const MapLevel& level) {
    auto buffers = std::make_unique<LevelBuffers>();
    buffers->toleranceMetres = level.toleranceMetres();
    uploadFill(buffers->fill, level.municipalityFill);
    uploadLines(buffers->prefectureBorders, level.prefectureBorders);
    buffers->fillChunks = level.fillChunks;
    buffers->prefectureBorderChunks = level.prefectureBorderChunks;
    for (std::size_t c = 0; c < level.fillChunks.size(); ++c) {
        const DrawRange& chunk = level.fillChunks[c];
        const std::size_t interior = level.fillChunkInterior.at(c);
        buffers->interiorChunks.push_back({chunk.first, interior, chunk.bounds});
        buffers->borderedChunks.push_back({chunk.first + interior, chunk.count - interior, chunk.bounds});
    }
    orderLevel(*buffers);
    levels_.push_back(std::move(buffers));
    if (!level.uncutParts.empty()) {
        const std::size_t before = uncutParts_.size();
        uncutParts_.insert(uncutParts_.end(), level.uncutParts.begin(), level.uncutParts.end());
        std::sort(uncutParts_.begin(), uncutParts_.end());
        uncutParts_.erase(std::unique(uncutParts_.begin(), uncutParts_.end()), uncutParts_.end());
        if (uncutParts_.size() != before) updateHatchedFeatures();
    }
    releaseFieldSidesOnceAllLevelsAreIn();
    ++content_;
    std::sort(levels_.begin(), levels_.end(),
              [](const auto& a, const auto& b) { return a->toleranceMetres > b->toleranceMetres; });
}

const MapRenderer::LevelBuffers* MapRenderer::levelFor(const ViewTransform& view) const {
    if (levels_.empty()) return nullptr;
    // The coarsest that fits (levelIndexFor): every coarser level saves llvmpipe triangles.
    for (const auto& level : levels_) {
        if (levelFits(level->toleranceMetres, view.pixelsPerMetre())) return level.get();
    }
    return levels_.back().get();  // the finest we have, while finer ones are still being built
}

void MapRenderer::ensureQuadIndices(std::size_t quads) {
    if (quads <= quadIndexCapacity_) return;
    std::vector<std::uint32_t> indices;
    indices.reserve(6 * quads);
    for (std::uint32_t q = 0; q < quads; ++q) {
        const std::uint32_t b = 4 * q;
        indices.insert(indices.end(), {b, b + 1, b + 2, b + 2, b + 1, b + 3});
    }
    // Bound through a throwaway VAO: binding an element buffer changes the bound VAO's state.
    gl::VertexArray scratch = gl::makeVertexArray();
    glBindVertexArray(scratch.id());
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, quadIndices_.id());
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices.size() * sizeof(std::uint32_t)),
                 indices.data(), GL_STATIC_DRAW);
    glBindVertexArray(0);
    quadIndexCapacity_ = quads;
}

void MapRenderer::uploadLines(LineBuffer& target, const LineMesh& lines) {
    if (!target.vao) {
        target.vao = gl::makeVertexArray();
        target.vertices = gl::makeBuffer();
    }
    ensureQuadIndices(lines.segmentCount());
    const std::vector<float> vertices = quadVertices(lines.segments, 4);
    glBindVertexArray(target.vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, target.vertices.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(float)), vertices.data(),
                 GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                          reinterpret_cast<const void*>(2 * sizeof(float)));
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, quadIndices_.id());
    glBindVertexArray(0);
    target.count = lines.segmentCount();
}

void MapRenderer::setColours(const std::vector<Rgba>& colours) {
    std::vector<Rgba> table(static_cast<std::size_t>(colourTableWidth_) * featureTableRows());
    std::copy_n(colours.begin(), std::min(colours.size(), table.size()), table.begin());
    ++content_;
    glBindTexture(GL_TEXTURE_2D, colourTable_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, colourTableWidth_, featureTableRows(), GL_RGBA, GL_UNSIGNED_BYTE,
                    table.data());
}

void MapRenderer::setColour(std::size_t index, Rgba colour) {
    if (index >= featureCount_) return;
    ++content_;
    glBindTexture(GL_TEXTURE_2D, colourTable_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, static_cast<GLint>(index % colourTableWidth_),
                    static_cast<GLint>(index / colourTableWidth_), 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, &colour);
}

void MapRenderer::setOverlay(const QueryOverlay* overlay) {
    uncovered_.clear();
    ++content_;
    overlayRadiusKm_ = 0;
    overlayWholeFeatures_.clear();
    overlayPartFeatures_.clear();
    if (overlay) {
        overlayWholeFeatures_ = overlay->wholeFeatures;
        overlayPartFeatures_ = overlay->partFeatures;
        overlayRadiusKm_ = overlay->radiusKm;
        for (const OverlayLevel& level : overlay->uncovered) {
            auto buffers = std::make_unique<OverlayBuffers>();
            buffers->toleranceMetres = level.toleranceMetres();
            uploadFill(buffers->fill, level.fill);
            buffers->chunks = level.chunks;
            buffers->partChunks = level.partChunks;
            buffers->partMunicipalities = level.partMunicipalities;
            uncovered_.push_back(std::move(buffers));
        }
    }
    updateHatchedFeatures();
}

void MapRenderer::updateHatchedFeatures() {
    const auto uncut = [&](std::uint32_t m) { return std::binary_search(uncutParts_.begin(), uncutParts_.end(), m); };
    std::vector<std::uint8_t> hatched(static_cast<std::size_t>(colourTableWidth_) * featureTableRows(), 0);
    for (const auto* features : {&overlayWholeFeatures_, &overlayPartFeatures_}) {
        for (std::uint32_t f : *features) {
            if (f < hatched.size() && (features == &overlayWholeFeatures_ || !uncut(f))) hatched[f] = 255;
        }
    }
    for (auto& level : uncovered_) {
        level->uncutPartChunks.clear();
        for (std::size_t p = 0; p < level->partChunks.size(); ++p) {
            if (uncut(level->partMunicipalities[p])) level->uncutPartChunks.push_back(level->partChunks[p]);
        }
    }
    ++content_;
    glBindTexture(GL_TEXTURE_2D, hatchedFeatures_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, colourTableWidth_, featureTableRows(), GL_RED, GL_UNSIGNED_BYTE,
                    hatched.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
}

bool MapRenderer::fieldHatches(const LayerVisibility& layers) const {
    return layers.uncovered && layers.municipalities && !uncovered_.empty() && catchmentsReady() &&
           overlayRadiusKm_ > 0 && fieldRadiusKm_ == overlayRadiusKm_ && fieldKinds_ == catchmentKinds_;
}

void MapRenderer::setCommonUniforms(const gl::Program& program, const Pass& pass) {
    ClipTransform t = pass.view->clipTransform();
    t.offset[0] += 2.f * static_cast<float>(pass.shiftX) / static_cast<float>(pass.width);
    t.offset[1] += 2.f * static_cast<float>(pass.shiftY) / static_cast<float>(pass.height);
    glUseProgram(program.id());
    glUniform2f(gl::uniform(program, "u_scale"), t.scale[0], t.scale[1]);
    glUniform2f(gl::uniform(program, "u_offset"), t.offset[0], t.offset[1]);
    glUniform2f(gl::uniform(program, "u_viewport"), static_cast<float>(pass.width), static_cast<float>(pass.height));
}

void MapRenderer::drawFillRanges(const FillBuffer& fill, const std::vector<DrawRange>& ranges,
                                 const WorldBounds& visible, const gl::Buffer* indices) {
    std::size_t vertices = 0;
    std::vector<GLint> firsts;
    std::vector<GLsizei> counts;
    for (const Run& r : visibleRuns(ranges, visible, vertices)) {
        firsts.push_back(static_cast<GLint>(r.first));
        counts.push_back(static_cast<GLsizei>(r.count));
    }
    if (counts.empty()) return;
    stats_.triangles += vertices / 3;
    glBindVertexArray(fill.vao.id());
    if (indices) {
        std::vector<const void*> offsets;
        for (GLint first : firsts) offsets.push_back(reinterpret_cast<const void*>(first * sizeof(std::uint32_t)));
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indices->id());
        glMultiDrawElements(GL_TRIANGLES, counts.data(), GL_UNSIGNED_INT, offsets.data(),
                            static_cast<GLsizei>(counts.size()));
    } else {
        glMultiDrawArrays(GL_TRIANGLES, firsts.data(), counts.data(), static_cast<GLsizei>(counts.size()));
    }
    glBindVertexArray(0);
}

void MapRenderer::drawFill(const LevelBuffers& level, const Pass& pass, bool field, bool fieldHatch,
                           const std::function<void(const gl::Program&)>& use) {
    auto draw = [&](FillVariant variant, bool bordered, const std::vector<DrawRange>& chunks,
                    const gl::Buffer* indices) {
        if (std::none_of(chunks.begin(), chunks.end(), [](const DrawRange& r) { return r.count > 0; })) return;
        use(fillProgram(variant, bordered || oneFillProgram_));
        const std::size_t before = stats_.triangles;
        drawFillRanges(level.fill, chunks, pass.visible, indices);
        if (variant == FillVariant::kCatchments) stats_.fieldTriangles += stats_.triangles - before;
    };
    if (!field || level.fieldOrderOf != fieldSerial_) {
        // Each chunk's triangles as they are stored: the same order whatever the field.
        const FillVariant variant = field ? FillVariant::kCatchments : FillVariant::kPlain;
        draw(variant, false, level.interiorChunks, nullptr);
        draw(variant, true, level.borderedChunks, nullptr);
        return;
    }
    // Which program draws each side of the field. The sides hold while the outline reaches no
    // further than they were judged with (FieldSides); else every triangle reads the field.
    const CatchmentScale scale = catchmentScale(pass);
    const bool sidesHold = std::max(scale.lineReachPx, 0.5) * scale.metresPerPixel <= level.fieldSideMetres;
    std::array<FillVariant, 3> bySide{FillVariant::kCatchments, FillVariant::kCatchments, FillVariant::kCatchments};
    if (sidesHold && !oneFillProgram_) {
        bySide[FieldSides::kOutside] = fieldHatch ? FillVariant::kHatched : FillVariant::kPlain;
        bySide[FieldSides::kInside] = FillVariant::kPlain;
    }
    for (FieldSides::Side side : {FieldSides::kOutside, FieldSides::kInside, FieldSides::kEdge}) {
        for (bool bordered : {false, true}) {
            draw(bySide[side], bordered, level.fieldChunks[FillOrder::group(side, bordered)], &level.fieldIndices);
        }
    }
}

void MapRenderer::drawLines(const LineBuffer& lines, const std::vector<DrawRange>* ranges, float width, Rgba colour,
                            const Pass& pass) {
    if (lines.count == 0) return;
    setCommonUniforms(lineProgram_, pass);
    glUniform1f(gl::uniform(lineProgram_, "u_width"), width);
    setColourUniform(gl::uniform(lineProgram_, "u_colour"), colour);
    std::vector<Run> runs;
    if (!ranges) {
        runs.push_back({0, lines.count});
        stats_.segments += lines.count;
    } else {
        runs = visibleRuns(*ranges, pass.visible, stats_.segments);
    }
    glBindVertexArray(lines.vao.id());
    drawQuadRuns(runs);
    glBindVertexArray(0);
}

void MapRenderer::ensurePicture(int width, int height) {
    if (picture_ && picture_->width() == width && picture_->height() == height) return;
    pictureTexture_ = gl::makeTexture();
    pictureFramebuffer_ = gl::makeFramebuffer();
    glBindTexture(GL_TEXTURE_2D, pictureTexture_.id());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, pictureFramebuffer_.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, pictureTexture_.id(), 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        throw Error(fmt::format("the map's {}x{} picture framebuffer is incomplete", width, height));
    }
    picture_ = std::make_unique<ScrollingCanvas>(width, height);
    pictureValid_ = false;
}

void MapRenderer::draw(const ViewTransform& view, const LayerVisibility& layers, int selected, int width, int height,
                       bool targetIsSea) {
    stats_ = {};
    // The field also hatches the uncovered areas (fieldHatches), with or without the outline.
    if (layers.catchments || (layers.uncovered && overlayRadiusKm_ > 0)) {
        int shown = 0;  // the query's kinds that the layers show
        for (std::size_t k = 0; k < static_cast<std::size_t>(kMaxKinds); ++k) {
            if (k >= layers.hubKinds.size() || layers.hubKinds[k]) shown |= 1 << k;
        }
        updateCatchmentField(catchmentKinds_ & shown);
    }
    // The map area in framebuffer pixels; panels cover the rest of the window.
    const ScreenRect& area = view.mapArea();
    const double sx = width / view.windowWidth(), sy = height / view.windowHeight();
    PixelRect mapArea{static_cast<int>(area.x * sx),
                      static_cast<int>((view.windowHeight() - area.y - area.height) * sy),
                      static_cast<int>(std::ceil(area.width * sx)), static_cast<int>(std::ceil(area.height * sy))};
    mapArea.width = std::min(mapArea.width, width - mapArea.x);
    mapArea.height = std::min(mapArea.height, height - mapArea.y);

    // The picture pays off from the second frame with the same zoom, layers and colours
    // (a drag); a frame that changes any of them (zooming) is drawn straight to the target.
    const PictureKey key{view.pixelsPerMetre(), width, height, mapArea, layers, selected, content_, pixelScale_};
    const bool keyHeld = key == lastKey_ && !profiling_;
    lastKey_ = key;
    if (!keyHeld) {
        pictureValid_ = false;
        drawPieces(view, {CanvasPiece{mapArea, 0, 0}}, width, height, layers, selected, targetIsSea);
        return;
    }

    GLint target = 0;  // the caller's framebuffer (the window's, or a screenshot's)
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &target);
    ensurePicture(width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, pictureFramebuffer_.id());
    if (pictureValid_) {
        // The move since the picture, in whole framebuffer pixels (GL's y points up, as the world's).
        const double ppm = view.pixelsPerMetre();
        const WorldPoint from = pictureView_.centre(), to = view.centre();
        const double dx = std::round(-(to.x - from.x) * ppm * sx), dy = std::round(-(to.y - from.y) * ppm * sy);
        // The picture's view moves by exactly those pixels, so what is drawn now lines up
        // with what is kept; the map shows at most half a pixel from the exact view.
        pictureView_.setCentre({from.x - dx / (ppm * sx), from.y - dy / (ppm * sy)});
        for (const PixelRect& strip : picture_->scroll(mapArea, static_cast<int>(dx), static_cast<int>(dy))) {
            drawPieces(pictureView_, picture_->pieces(strip), width, height, layers, selected);
        }
    } else {
        pictureView_ = view;
        pictureValid_ = true;
        drawPieces(pictureView_, picture_->pieces(mapArea), width, height, layers, selected);
    }

    // Copy the picture to the caller's framebuffer, unwrapping it.
    glBindFramebuffer(GL_READ_FRAMEBUFFER, pictureFramebuffer_.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(target));
    for (const CanvasPiece& p : picture_->pieces(mapArea)) {
        const PixelRect& r = p.screen;
        glBlitFramebuffer(r.x + p.dx, r.y + p.dy, r.x + p.dx + r.width, r.y + p.dy + r.height, r.x, r.y, r.x + r.width,
                          r.y + r.height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(target));
}

void MapRenderer::clearToSea() {
    const Rgba sea = palette::kSea;
    glClearColor(sea.r / 255.f, sea.g / 255.f, sea.b / 255.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void MapRenderer::drawPieces(const ViewTransform& view, const std::vector<CanvasPiece>& pieces, int width, int height,
                             const LayerVisibility& layers, int selected, bool cleared) {
    const double sx = width / view.windowWidth(), sy = height / view.windowHeight();
    // Symbols and lines reach past the points that place them: draw what lies this near
    // (16 px: over half the largest symbol, 12 px with its halo, and the widest line).
    const double margin = 16.0 * pixelScale_ / view.pixelsPerMetre();
    for (const CanvasPiece& p : pieces) {
        const PixelRect& r = p.screen;
        Pass pass;
        pass.view = &view;
        pass.width = width;
        pass.height = height;
        pass.shiftX = p.dx;
        pass.shiftY = p.dy;
        const WorldPoint a = view.toWorld({r.x / sx, view.windowHeight() - r.y / sy});
        const WorldPoint b = view.toWorld({(r.x + r.width) / sx, view.windowHeight() - (r.y + r.height) / sy});
        pass.visible.expand(a.x - margin, a.y - margin);
        pass.visible.expand(b.x + margin, b.y + margin);
        glViewport(0, 0, width, height);
        glEnable(GL_SCISSOR_TEST);
        glScissor(r.x + p.dx, r.y + p.dy, r.width, r.height);
        if (!cleared) clearToSea();
        drawLayers(pass, layers, selected);
        glDisable(GL_SCISSOR_TEST);
        stats_.pixelsDrawn += static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height);
    }
}

void MapRenderer::drawLayers(const Pass& pass, const LayerVisibility& layers, int selected) {
    const ViewTransform& view = *pass.view;
    // With profiling, charges the process CPU time (all threads: llvmpipe rasterises on
    // its own) since the last lap to `slot`; robust to other load on the machine.
    auto cpuMs = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    };
    if (profiling_) glFinish();
    double lap = profiling_ ? cpuMs() : 0;
    auto charge = [&](double& slot) {
        if (!profiling_) return;
        glFinish();
        const double now = cpuMs();
        slot += now - lap;
        lap = now;
    };
    const WorldBounds& visible = pass.visible;
    // Widths and thinning as the screen would have them at this ground scale.
    const float px = static_cast<float>(pixelScale_);
    const double zoom = view.zoomLevel() - std::log2(pixelScale_);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    const LevelBuffers* level = levelFor(view);
    auto setFillUniforms = [&](const gl::Program& program, bool uniformColour, Rgba colour, float borderWidth,
                               int selectedFeature) {
        setCommonUniforms(program, pass);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, colourTable_.id());
        glUniform1i(gl::uniform(program, "u_colours"), 0);
        glUniform1i(gl::uniform(program, "u_uniformColour"), uniformColour ? 1 : 0);
        setColourUniform(gl::uniform(program, "u_colour"), colour);
        glUniform1f(gl::uniform(program, "u_hatch"), 8.f * px);
        // The fragment shader's border terms (a border thinner than a pixel: a fainter one-pixel line).
        const float width = borderWidth * px;
        glUniform1f(gl::uniform(program, "u_borderHalfWidth"), std::max(width, 1.f) * 0.5f);
        glUniform1f(gl::uniform(program, "u_borderScale"), std::min(width, 1.f));
        setColourUniform(gl::uniform(program, "u_borderColour"), palette::kMunicipalBorder);
        glUniform1i(gl::uniform(program, "u_selected"), selectedFeature);
        glUniform1f(gl::uniform(program, "u_selectedWidth"), 3.f * px);
        setColourUniform(gl::uniform(program, "u_selectedColour"), palette::kSelection);
        setCatchmentUniforms(program, pass, "u_catchmentLineReach", nullptr, "u_catchmentLine");
    };
    // Catchments are mixed into the municipalities' fill (land: what coverage measures), a
    // texture read per pixel drawn anyway; a pass of their own only without the fill.
    const bool catchmentsInFill = layers.catchments && layers.municipalities && catchmentsReady();
    // The query's uncovered areas are hatched by the fill from the field it reads anyway (a few
    // operations a pixel, not a blended pass over them); only 一部過疎 parts a level could not
    // cut out keep their geometry below.
    const bool fieldHatch = fieldHatches(layers);
    const Rgba uncoveredColour{palette::kUncovered.r, palette::kUncovered.g, palette::kUncovered.b, 140};
    if (level && layers.municipalities && level->fill.vertexCount > 0) {
        // Opaque: no blending needed, which saves llvmpipe a read per pixel.
        glDisable(GL_BLEND);
        auto useFill = [&](const gl::Program& program) {
            setFillUniforms(program, false, Rgba{}, layers.municipalBorders ? lerpByZoom(zoom, 5, 0.6f, 9, 1.2f) : 0.f,
                            selected);
            if (!layers.catchments) setColourUniform(gl::uniform(program, "u_catchmentLine"), Rgba{0, 0, 0, 0});
            glActiveTexture(GL_TEXTURE2);
            glBindTexture(GL_TEXTURE_2D, hatchedFeatures_.id());
            glActiveTexture(GL_TEXTURE0);
            glUniform1i(gl::uniform(program, "u_hatchedFeatures"), 2);
            glUniform1f(gl::uniform(program, "u_fieldHatch"), fieldHatch ? 1.f : 0.f);
            setColourUniform(gl::uniform(program, "u_uncoveredColour"), uncoveredColour);
        };
        drawFill(*level, pass, catchmentsInFill || fieldHatch, fieldHatch, useFill);
        glEnable(GL_BLEND);
    }
    charge(stats_.fillMs);
    if (layers.uncovered && !uncovered_.empty()) {
        // The coarsest level under a pixel, as for the base map.
        const double metresPerPixel = 1.0 / view.pixelsPerMetre();
        const OverlayBuffers* overlay = uncovered_.back().get();
        for (const auto& o : uncovered_) {
            if (o->toleranceMetres <= metresPerPixel) {
                overlay = o.get();
                break;
            }
        }
        // With the field hatching, only what the fill cannot: parts it could not cut out.
        const std::vector<DrawRange>& ranges = fieldHatch ? overlay->uncutPartChunks : overlay->chunks;
        if (!ranges.empty()) {
            setFillUniforms(hatchProgram_, true, uncoveredColour, 0.f, -1);
            drawFillRanges(overlay->fill, ranges, visible);
        }
    }
    charge(stats_.overlayMs);
    if (level && layers.prefectureBorders) {
        drawLines(level->prefectureBorders, &level->prefectureBorderChunks, lerpByZoom(zoom, 5, 1.1f, 9, 2.2f) * px,
                  palette::kPrefectureBorder, pass);
    }
    charge(stats_.prefectureBordersMs);
    if (layers.catchments && !catchmentsInFill) drawCatchments(pass);
    charge(stats_.catchmentsMs);
    const HubBuffer* hubLevel = nullptr;
    for (const HubBuffer& b : hubLevels_) {
        if (b.minZoom <= zoom || !hubLevel) hubLevel = &b;
    }
    if (layers.hubs && hubLevel && hubLevel->count > 0) {
        const float size = lerpByZoom(zoom, 5, 4.0f, 10, 12.0f);
        glBindVertexArray(hubLevel->vao.id());
        // A kind at a time, with its shape's program. The chunks whose points are in the
        // pass's bounds (which reach a symbol beyond what it shows); neighbouring visible
        // chunks of a row are one run, drawn together.
        for (const HubKindGroup& g : hubLevel->groups) {
            if (g.kind >= hubStyles_.size() || (g.kind < layers.hubKinds.size() && !layers.hubKinds[g.kind])) continue;
            const DrawRange* first = hubLevel->chunks.data() + g.firstChunk;
            const std::vector<Run> runs = visibleRuns(first, first + g.chunkCount, visible, stats_.symbols);
            if (runs.empty()) continue;
            const HubStyle& style = hubStyles_[g.kind];
            const gl::Program& program = symbolPrograms_[static_cast<std::size_t>(style.shape) % kSymbolShapes];
            setCommonUniforms(program, pass);
            glUniform1f(gl::uniform(program, "u_size"), size * px);
            glUniform1f(gl::uniform(program, "u_halo"), size >= 7.f ? 1.2f * px : 0.f);
            setColourUniform(gl::uniform(program, "u_colour"), style.colour);
            drawQuadRuns(runs);
        }
        glBindVertexArray(0);
    }
    charge(stats_.hubsMs);
    glUseProgram(0);
}

}  // namespace hubmap::viewer
