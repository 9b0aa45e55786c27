#pragma once
// Progress reporting and cancellation for long-running library calls.

#include <atomic>
#include <string>

namespace hubmap {

/// Receives progress from library functions. The default does nothing.
class Progress {
public:
    virtual ~Progress() = default;
    /// A new named step begins (e.g. "reading boundaries").
    virtual void step(const std::string& /*name*/) {}
    /// Fraction of the current step done, 0..1.
    virtual void fraction(double /*done*/) {}
    /// Free-form information line (counts, warnings).
    virtual void info(const std::string& /*line*/) {}
    /// Library functions call this between units of work; throws Cancelled when set.
    void checkCancelled() const;
    void cancel() { cancelled_ = true; }
    bool cancelled() const { return cancelled_; }

private:
    std::atomic<bool> cancelled_{false};
};

}  // namespace hubmap
