#pragma once
// Draws the map from GPU buffers filled once (municipality fill, borders, hubs) and per
// query (catchments, uncovered areas). Recolouring only rewrites the colour table texture.

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "viewer/colour_scheme.hpp"
#include "viewer/gl_resources.hpp"
#include "viewer/map_canvas.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {

/// Values of SymbolShape: the symbol program has a variant for each.
inline constexpr std::size_t kSymbolShapes = 6;

/// Which layers are drawn (the Layers panel).
struct LayerVisibility {
    bool municipalities = true;
    bool municipalBorders = true;
    bool prefectureBorders = true;
    bool hubs = true;
    bool catchments = true;
    bool uncovered = true;
    std::vector<bool> hubKinds;  ///< per HubPoints::kinds index

    bool operator==(const LayerVisibility& o) const {
        return municipalities == o.municipalities && municipalBorders == o.municipalBorders &&
               prefectureBorders == o.prefectureBorders && hubs == o.hubs && catchments == o.catchments &&
               uncovered == o.uncovered && hubKinds == o.hubKinds;
    }
};

/// Counts of the last frame, for the status line and the benchmark.
struct RenderStats {
    std::size_t triangles = 0, segments = 0, symbols = 0;
    /// Framebuffer pixels of the map drawn afresh (the rest came from the last picture).
    std::size_t pixelsDrawn = 0;
    /// With profiling on: process CPU time of each layer (glFinish after each), ms.
    double fillMs = 0, prefectureBordersMs = 0, overlayMs = 0, catchmentsMs = 0, hubsMs = 0;
    /// Wall time of rendering the catchments' distance field, when this frame did (a radius
    /// or kind change), ms; else 0.
    double catchmentFieldMs = 0;
    double catchmentFieldCpuMs = 0;  ///< the same in process CPU time (all threads)
    /// Disks drawn into that field, of the candidates (the rest lie on cells deep inside).
    std::size_t catchmentDisks = 0, catchmentCandidates = 0;
    /// Fill triangles drawn with the program that reads the catchments' field (FieldSides).
    std::size_t fieldTriangles = 0;
};

class MapRenderer {
public:
    /// Uploads the hubs' symbol levels (buildHubLevels) and makes the colour table for
    /// `municipalities` features. Needs a current GL 3.3 context.
    MapRenderer(std::size_t municipalities, const HubPoints& hubs, const std::vector<HubLevel>& hubLevels);

    /// Replaces the hubs (after an import): their symbol levels and kinds' styles.
    void setHubs(const HubPoints& hubs, const std::vector<HubLevel>& hubLevels);

    /// Every fill triangle drawn with the program that does everything (borders, and the
    /// catchments' field when it is read), none with the cheaper ones FillOrder allows, in the
    /// same order: for tests (the same picture).
    void setOneFillProgram(bool one) { oneFillProgram_ = one; }

    /// Uploads one level of detail of the base map. Each frame draws the coarsest level
    /// whose tolerance is under a pixel, or the finest uploaded so far.
    void addLevel(const MapLevel& level);
    std::size_t levelCount() const { return levels_.size(); }

    /// Replaces the whole colour table (one colour per municipality index).
    void setColours(const std::vector<Rgba>& colours);
    /// Updates one municipality's colour (hover and selection changes).
    void setColour(std::size_t index, Rgba colour);

    /// Uploads a query's overlay (nullptr clears it).
    void setOverlay(const QueryOverlay* overlay);

    /// Catchments: a geodesic disk of `radiusKm` (0: none) around every hub of a kind set in
    /// `kinds` (per HubPoints::kinds) and shown in the layers. Drawn at any hub count from a
    /// distance field that is rendered again only when these (or the hubs) change.
    void setCatchments(double radiusKm, const std::vector<bool>& kinds);

    /// Draws the map into the map area of the bound framebuffer of size width × height.
    /// `selected` (a municipality index or -1) gets an outline. The map is drawn into a
    /// picture kept between frames, then copied: when only the centre moved since the last
    /// frame (a drag), the picture moves by whole pixels and only the uncovered strips are
    /// drawn; anything else (zoom, colours, layers, selection, overlay, size) redraws it all.
    /// `targetIsSea`: the caller cleared the whole target to palette::kSea, so a frame drawn
    /// straight to it skips its own clear (scissored, llvmpipe shades it pixel by pixel).
    void draw(const ViewTransform& view, const LayerVisibility& layers, int selected, int width, int height,
              bool targetIsSea = false);
    /// Clears the bound framebuffer to palette::kSea (within the scissor box when it is on).
    static void clearToSea();

    /// Page pixels per screen pixel (1 on screen; a print's dpi / 96): line widths, symbol
    /// sizes and hatching grow by it, and hubs are thinned as at the screen's zoom.
    void setPixelScale(double scale) { pixelScale_ = scale; }

    const RenderStats& stats() const { return stats_; }
    /// Counts changes of what the map shows besides the view and layers (colours, levels,
    /// overlay, catchments, hubs): a caller that drew the map knows when to draw it again.
    std::uint64_t contentVersion() const { return content_; }
    /// Times each layer (costs a pipeline flush per layer: for the benchmark only). Also
    /// redraws the whole map every frame.
    void setProfiling(bool on) { profiling_ = on; }
    /// Forgets the picture kept between frames, where a drag left it wrapped: the next
    /// frames draw as a new renderer's (a --script's next picture).
    void forgetPicture() {
        picture_.reset();
        lastKey_ = PictureKey{};
        pictureValid_ = false;
    }

private:
    struct LineBuffer {
        gl::VertexArray vao;
        gl::Buffer vertices;  // 4 per segment, each holding both ends
        std::size_t count = 0;
    };
    struct FillBuffer {
        gl::VertexArray vao;
        gl::Buffer positions, attributes;
        std::size_t vertexCount = 0;
    };
    /// One drawing pass: the view, the framebuffer size, a shift in whole pixels (to place
    /// the map in the wrapping picture) and the world bounds to draw (for culling).
    struct Pass {
        const ViewTransform* view = nullptr;
        int width = 0, height = 0;
        int shiftX = 0, shiftY = 0;
        WorldBounds visible;
    };
    /// Everything a frame depends on but the centre of the view.
    struct PictureKey {
        double pixelsPerMetre = 0;
        int width = 0, height = 0;
        PixelRect mapArea;
        LayerVisibility layers;
        int selected = -1;
        std::uint64_t content = 0;
        double pixelScale = 1;
        bool operator==(const PictureKey& o) const {
            return pixelsPerMetre == o.pixelsPerMetre && pixelScale == o.pixelScale && width == o.width &&
                   height == o.height && mapArea == o.mapArea && layers == o.layers && selected == o.selected &&
                   content == o.content;
        }
    };
    /// Draws every layer into the bound framebuffer, scissored by the caller.
    void drawLayers(const Pass& pass, const LayerVisibility& layers, int selected);
    /// Draws the screen rectangle of each piece of `view` where the piece says (the
    /// picture's pixels, or the screen's with no shift) in the bound framebuffer.
    void drawPieces(const ViewTransform& view, const std::vector<CanvasPiece>& pieces, int width, int height,
                    const LayerVisibility& layers, int selected, bool cleared = false);
    void ensurePicture(int width, int height);
    void uploadFill(FillBuffer& target, const FillMesh& mesh);
    void uploadLines(LineBuffer& target, const LineMesh& lines);
    /// Makes the shared quad index buffer (0 1 2 2 1 3, +4 per quad) hold at least `quads` quads.
    void ensureQuadIndices(std::size_t quads);
    void setCommonUniforms(const gl::Program& program, const Pass& pass);
    /// Draws the ranges of `fill` that intersect `visible`: vertex ranges, or with `indices`
    /// ranges of that index buffer.
    void drawFillRanges(const FillBuffer& fill, const std::vector<DrawRange>& ranges, const WorldBounds& visible,
                        const gl::Buffer* indices = nullptr);

    void drawLines(const LineBuffer& lines, const std::vector<DrawRange>* ranges, float width, Rgba colour,
                   const Pass& pass);

    struct LevelBuffers {
        double toleranceMetres = 0;
        FillBuffer fill;
        std::vector<DrawRange> fillChunks;
        // Each chunk's triangles without and with a border (MapLevel::fillChunkInterior).
        std::vector<DrawRange> interiorChunks, borderedChunks;
        // The same by the side of the field fieldOrderOf too (a fieldSerial_; 0: none): a
        // FillOrder's index buffer (bound to fill.vao to draw) and its ranges by group.
        gl::Buffer fieldIndices;
        std::array<std::vector<DrawRange>, FillOrder::kGroups> fieldChunks;
        std::uint64_t fieldOrderOf = 0;
        // How far from every edge the sides are (ground metres): they hold while the outline
        // reaches no further (infinite: where the field saturates, at any scale).
        double fieldSideMetres = 0;
        LineBuffer prefectureBorders;
        std::vector<DrawRange> prefectureBorderChunks;
    };
    const LevelBuffers* levelFor(const ViewTransform& view) const;
    /// The municipalities' fill of `level`, each group with the cheapest program that draws it
    /// exactly (`use` makes a program current with its uniforms); `field`: the catchments'
    /// field is read (its outline, the hatching from it).
    void drawFill(const LevelBuffers& level, const Pass& pass, bool field, bool fieldHatch,
                  const std::function<void(const gl::Program&)>& use);

    /// Renders the disks of `kindMask` into the distance field, if it does not hold them yet.
    void updateCatchmentField(int kindMask);
    void renderCatchmentField(int kindMask);
    /// fieldSides_ from the field rendered, and every level ordered by it.
    void summariseCatchmentField();
    void releaseFieldSidesOnceAllLevelsAreIn();
    /// Orders `level`'s fill by group (FillOrder) by its side of the field of fieldSides_:
    /// the triangles the field cannot change and those without a border are then drawn by
    /// cheaper programs.
    void orderLevel(LevelBuffers& level);
    bool catchmentsReady() const;
    /// The field's uniforms of `program` (the fill's or the catchment pass's names; no `fill`:
    /// the program draws no tint).
    void setCatchmentUniforms(const gl::Program& program, const Pass& pass, const char* lineReach, const char* fill,
                              const char* line);
    /// The catchments' scale in `pass`: ground metres a framebuffer pixel, at most the field's
    /// range, and how many pixels from an edge the outline reaches.
    struct CatchmentScale {
        double metresPerPixel = 1, lineReachPx = 0;
    };
    CatchmentScale catchmentScale(const Pass& pass) const;
    /// The catchments' outline: pixels from the edge to where its anti-aliased cover ends.
    double outlineReachPx() const;
    void drawCatchments(const Pass& pass);
    /// Whether the fill hatches the query's uncovered areas (of whole municipalities, and of the
    /// designated parts it draws as their own triangles) from the catchments' field: the field
    /// is the query's (its radius and every kind of it).
    bool fieldHatches(const LayerVisibility& layers) const;

    // The fill's variants (shaders/fill.*): municipalities plain, with the query's flagged
    // ones hatched (no field), with the catchments' field; each with borders and without
    // (fillProgram). And the hatching of the uncovered areas' geometry.
    enum class FillVariant { kPlain, kHatched, kCatchments };
    const gl::Program& fillProgram(FillVariant variant, bool bordered) const {
        return fillPrograms_[2 * static_cast<std::size_t>(variant) + (bordered ? 1 : 0)];
    }
    std::array<gl::Program, 6> fillPrograms_;
    gl::Program hatchProgram_;
    gl::Program lineProgram_, catchmentMaskProgram_, catchmentProgram_;
    /// The symbol program's variants, by SymbolShape.
    std::array<gl::Program, kSymbolShapes> symbolPrograms_;
    gl::Buffer quadIndices_;  // shared by every quad buffer (lines, symbols)
    std::size_t quadIndexCapacity_ = 0;
    std::vector<std::unique_ptr<LevelBuffers>> levels_;  // coarse to fine
    struct HubBuffer {
        double minZoom = 0;
        gl::VertexArray vao;
        gl::Buffer positions;  // 4 vertices per symbol
        std::size_t count = 0;
        std::vector<DrawRange> chunks;     // symbol ranges, for culling
        std::vector<HubKindGroup> groups;  // the kinds' runs of chunks, in drawing order
    };
    std::vector<HubBuffer> hubLevels_;  // by minZoom
    std::vector<HubStyle> hubStyles_;
    gl::Texture colourTable_;
    int colourTableWidth_ = 256;
    /// Rows of the per-feature tables (colours, hatched features), colourTableWidth_ texels each.
    int featureTableRows() const {
        return std::max(1, static_cast<int>((featureCount_ + colourTableWidth_ - 1) / colourTableWidth_));
    }
    std::size_t featureCount_ = 0;
    // Catchments: one instance per located hub (centre, frame, kind), and the distance field
    // of their union: ground km inside the nearest disk edge, per texel of a world rectangle.
    gl::VertexArray disks_;
    gl::Buffer diskCentres_, diskFrames_, diskKinds_;
    HubPoints diskHubs_;  // positions, frames and kinds: what a field is planned from
    double catchmentRadiusKm_ = 0;
    int catchmentKinds_ = 0;  // bit per kind (the query's)
    gl::Texture field_;
    gl::Framebuffer fieldFramebuffer_;
    WorldBounds fieldBounds_;
    bool fieldValid_ = false;
    double fieldRadiusKm_ = 0;
    double fieldRangeKm_ = 1;
    int fieldKinds_ = 0;
    std::uint64_t fieldSerial_ = 0;  // counts the fields rendered
    bool oneFillProgram_ = false;
    // Of the field rendered, while levels may still come to be ordered by it.
    std::unique_ptr<FieldSides> fieldSides_;
    struct OverlayBuffers {
        double toleranceMetres = 0;
        FillBuffer fill;
        std::vector<DrawRange> chunks;
        std::vector<DrawRange> partChunks;  // OverlayLevel::partChunks
        std::vector<std::uint32_t> partMunicipalities;
        std::vector<DrawRange> uncutPartChunks;  // those of uncutParts_: not hatched by the fill
    };
    std::vector<std::unique_ptr<OverlayBuffers>> uncovered_;  // coarse to fine
    // The features the fill hatches (1) outside the field's catchments, one texel per feature
    // as the colour table (updateHatchedFeatures).
    gl::Texture hatchedFeatures_;
    // The query's features the fill may hatch (QueryOverlay::wholeFeatures and partFeatures),
    // and the municipalities whose part some level could not cut out (MapLevel::uncutParts).
    std::vector<std::uint32_t> overlayWholeFeatures_, overlayPartFeatures_, uncutParts_;
    /// hatchedFeatures_ and each overlay level's uncutPartChunks from those.
    void updateHatchedFeatures();
    double overlayRadiusKm_ = 0;

    std::vector<std::string> hubKindNames_;
    RenderStats stats_;
    bool profiling_ = false;
    double pixelScale_ = 1;

    // The picture of the map kept between frames.
    gl::Texture pictureTexture_;
    gl::Framebuffer pictureFramebuffer_;
    std::unique_ptr<ScrollingCanvas> picture_;
    PictureKey lastKey_;         // the last frame's
    ViewTransform pictureView_;  // the view the picture shows, moved by whole pixels only
    bool pictureValid_ = false;  // drawn since the key last changed
    std::uint64_t content_ = 0;  // counts changes of colours, levels and overlay
};

}  // namespace hubmap::viewer
