#include "viewer/gl_resources.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "viewer/embedded_files.hpp"

namespace hubmap::viewer::gl {

namespace detail {
void deleteBuffer(GLuint id) { glDeleteBuffers(1, &id); }
void deleteVertexArray(GLuint id) { glDeleteVertexArrays(1, &id); }
void deleteTexture(GLuint id) { glDeleteTextures(1, &id); }
void deleteProgram(GLuint id) { glDeleteProgram(id); }
void deleteFramebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void deleteRenderbuffer(GLuint id) { glDeleteRenderbuffers(1, &id); }
void deleteSampler(GLuint id) { glDeleteSamplers(1, &id); }
}  // namespace detail

Buffer makeBuffer() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return Buffer(id);
}

VertexArray makeVertexArray() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return VertexArray(id);
}

Texture makeTexture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return Texture(id);
}

Sampler makeSampler() {
    GLuint id = 0;
    glGenSamplers(1, &id);
    return Sampler(id);
}

Framebuffer makeFramebuffer() {
    GLuint id = 0;
    glGenFramebuffers(1, &id);
    return Framebuffer(id);
}

Renderbuffer makeRenderbuffer() {
    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    return Renderbuffer(id);
}

namespace {

std::string_view shaderText(const std::string& path) {
    const auto text = embeddedFile(path);
    if (!text) throw Error(fmt::format("shader {} was not embedded in this build", path));
    return *text;
}

/// Compiles one stage; the shader object is freed before returning.
GLuint compileStage(GLenum stage, const std::string& path, const std::vector<std::string>& defines) {
    const std::string_view prelude = shaderText("shaders/prelude.glsl");
    const std::string_view body = shaderText(path);
    // The defines go after the prelude's #version line, which must come first.
    const std::size_t versionEnd = prelude.find('\n') + 1;
    std::string defineLines;
    for (const std::string& d : defines) defineLines += fmt::format("#define {} 1\n", d);
    // #line keeps the driver's line numbers pointing into the program's own file.
    const std::string source = fmt::format("{}{}{}\n#line 1\n{}", prelude.substr(0, versionEnd), defineLines,
                                           prelude.substr(versionEnd), body);
    const GLuint shader = glCreateShader(stage);
    const char* text = source.c_str();
    glShaderSource(shader, 1, &text, nullptr);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        GLint length = 0;
        glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
        glGetShaderInfoLog(shader, length, nullptr, log.data());
        glDeleteShader(shader);
        throw Error(ErrorContext{path, {}, -1, -1}, fmt::format("shader does not compile:\n{}", log.data()));
    }
    return shader;
}

}  // namespace

Program buildProgram(const std::string& name, const std::vector<std::string>& defines) {
    const GLuint vertex = compileStage(GL_VERTEX_SHADER, "shaders/" + name + ".vertex.glsl", defines);
    GLuint fragment = 0;
    try {
        fragment = compileStage(GL_FRAGMENT_SHADER, "shaders/" + name + ".fragment.glsl", defines);
    } catch (...) {
        glDeleteShader(vertex);
        throw;
    }
    Program program(glCreateProgram());
    glAttachShader(program.id(), vertex);
    glAttachShader(program.id(), fragment);
    glLinkProgram(program.id());
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    GLint ok = GL_FALSE;
    glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
    if (ok != GL_TRUE) {
        GLint length = 0;
        glGetProgramiv(program.id(), GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
        glGetProgramInfoLog(program.id(), length, nullptr, log.data());
        throw Error(fmt::format("shader program '{}' does not link:\n{}", name, log.data()));
    }
    return program;
}

GLint uniform(const Program& program, const char* name) { return glGetUniformLocation(program.id(), name); }

RenderTarget::RenderTarget(int width, int height)
    : width_(width),
      height_(height),
      framebuffer_(makeFramebuffer()),
      colour_(makeRenderbuffer()),
      depthStencil_(makeRenderbuffer()) {
    glBindRenderbuffer(GL_RENDERBUFFER, colour_.id());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindRenderbuffer(GL_RENDERBUFFER, depthStencil_.id());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.id());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_.id());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, depthStencil_.id());
    const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        throw Error(fmt::format("cannot create a {}x{} offscreen framebuffer (status 0x{:x})", width, height, status));
    }
}

void RenderTarget::bind() const { glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.id()); }

}  // namespace hubmap::viewer::gl
