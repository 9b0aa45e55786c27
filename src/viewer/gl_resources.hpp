#pragma once
// RAII over OpenGL 3.3 objects (through libepoxy) and the shader programs embedded
// from shaders/. Every object must be created and destroyed with its context current.

#include <epoxy/gl.h>

#include <string>
#include <utility>
#include <vector>

namespace hubmap::viewer::gl {

/// Owns one GL name; `Deleter(GLuint)` frees it.
template <void (*Deleter)(GLuint)>
class Handle {
public:
    Handle() = default;
    explicit Handle(GLuint id) : id_(id) {}
    ~Handle() { reset(); }
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    GLuint id() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_) Deleter(id_);
        id_ = 0;
    }

private:
    GLuint id_ = 0;
};

namespace detail {
void deleteBuffer(GLuint id);
void deleteVertexArray(GLuint id);
void deleteTexture(GLuint id);
void deleteProgram(GLuint id);
void deleteFramebuffer(GLuint id);
void deleteRenderbuffer(GLuint id);
void deleteSampler(GLuint id);
}  // namespace detail

using Buffer = Handle<detail::deleteBuffer>;
using VertexArray = Handle<detail::deleteVertexArray>;
using Texture = Handle<detail::deleteTexture>;
using Program = Handle<detail::deleteProgram>;
using Framebuffer = Handle<detail::deleteFramebuffer>;
using Renderbuffer = Handle<detail::deleteRenderbuffer>;
using Sampler = Handle<detail::deleteSampler>;

Buffer makeBuffer();
VertexArray makeVertexArray();
Texture makeTexture();
Framebuffer makeFramebuffer();
Renderbuffer makeRenderbuffer();
Sampler makeSampler();

/// Compiles and links shaders/<name>.vertex.glsl and .fragment.glsl, each prefixed with
/// shaders/prelude.glsl and `#define D 1` for each of `defines` (a variant of the program).
/// Throws Error with the program name and the GL info log.
Program buildProgram(const std::string& name, const std::vector<std::string>& defines = {});

/// Uniform location by name (-1 if the program does not use it).
GLint uniform(const Program& program, const char* name);

/// An offscreen colour + depth/stencil target, for screenshots of any size.
class RenderTarget {
public:
    RenderTarget(int width, int height);
    void bind() const;
    int width() const { return width_; }
    int height() const { return height_; }

private:
    int width_, height_;
    Framebuffer framebuffer_;
    Renderbuffer colour_, depthStencil_;
};

}  // namespace hubmap::viewer::gl
