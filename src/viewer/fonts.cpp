#include "viewer/fonts.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace hubmap::viewer {

namespace {

/// A whole file mapped read-only (RAII over open/mmap).
class MappedFile {
public:
    explicit MappedFile(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size <= 0) {
            if (fd >= 0) ::close(fd);
            throw Error(ErrorContext{path, {}, -1, -1},
                        "cannot read the font (install Debian's fonts-noto-cjk, or pass --font PATH)");
        }
        size_ = static_cast<std::size_t>(st.st_size);
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);  // the mapping keeps the file
        if (p == MAP_FAILED) throw Error(ErrorContext{path, {}, -1, -1}, "cannot map the font file into memory");
        data_ = static_cast<const unsigned char*>(p);
    }
    ~MappedFile() { ::munmap(const_cast<unsigned char*>(data_), size_); }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    const unsigned char* data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    const unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
};

// Characters the UI's own strings use beyond what the data brings.
constexpr const char* kUiCharacters =
    "©°²·–—…±×→≥≤（）：「」、。・〜"
    "おかさしてとなのみわをカセタデバモルンー一事交人作係値全典出分加動区口営国土地域報大定小川工府情成拠指"
    "政数村業活点率疎省県組織落行通運過道部都関集非有";
}  // namespace

UiFonts loadUiFonts(const std::string& fontPath, const std::vector<const std::string*>& texts, float scale,
                    const std::vector<const std::string*>& bodyOnlyTexts) {
    const std::vector<ImFont*> fonts = loadFontSizes(fontPath, texts, {16.0f * scale, 20.0f * scale}, bodyOnlyTexts, 1);
    return UiFonts{fonts[0], fonts[1]};
}

std::vector<ImFont*> loadFontSizes(const std::string& fontPath, const std::vector<const std::string*>& texts,
                                   const std::vector<float>& sizes, const std::vector<const std::string*>& extraTexts,
                                   std::size_t extraSizes) {
    // Map the collection (some 20 MB) rather than read it: FreeType touches only the tables
    // and glyphs the atlas needs. The atlas borrows it, for both sizes, until built.
    const MappedFile fontData(fontPath);
    ImGuiIO& io = ImGui::GetIO();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());  // Basic Latin + Latin-1
    // Kana in full: readings and typed search queries can use any of them.
    static const ImWchar kKana[] = {0x3000, 0x30FF, 0xFF01, 0xFF5E, 0};
    builder.AddRanges(kKana);
    builder.AddText(kUiCharacters);
    for (const std::string* t : texts) {
        if (t && !t->empty()) builder.AddText(t->c_str(), t->c_str() + t->size());
    }
    ImVector<ImWchar> ranges;  // borrowed by the atlas until Build()
    builder.BuildRanges(&ranges);
    for (const std::string* t : extraTexts) {
        if (t && !t->empty()) builder.AddText(t->c_str(), t->c_str() + t->size());
    }
    ImVector<ImWchar> extraRanges;  // likewise: the first `extraSizes` sizes take these
    builder.BuildRanges(&extraRanges);

    io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    io.Fonts->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    io.Fonts->TexDesiredWidth = 4096;
    ImFontConfig config;
    config.FontNo = 0;  // Noto Sans CJK JP in the collection
    config.OversampleH = config.OversampleV = 1;
    config.FontDataOwnedByAtlas = false;
    const int size = static_cast<int>(fontData.size());
    void* bytes = const_cast<unsigned char*>(fontData.data());  // ImGui's API is not const; it only reads
    std::vector<ImFont*> fonts;
    bool added = true;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const ImWchar* r = i < extraSizes ? extraRanges.Data : ranges.Data;
        fonts.push_back(io.Fonts->AddFontFromMemoryTTF(bytes, size, sizes[i], &config, r));
        added = added && fonts.back();
    }
    if (!added || !io.Fonts->Build()) {
        throw Error(ErrorContext{fontPath, {}, -1, -1}, "cannot build a font atlas from this font");
    }
    io.Fonts->ClearInputData();  // glyphs are baked; drop the borrowed font data and ranges
    return fonts;
}

}  // namespace hubmap::viewer
