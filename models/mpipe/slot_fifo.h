// slot_fifo.h - a FIFO over a ring of slots that are reused, not freed: a
// slot is handed out again as its last use left it (with the capacity of its
// vectors), so a steady stream of frames through the mPIPE's queues
// allocates nothing. Move a slot's contents in and out with std::swap.
#ifndef DL_MPIPE_SLOT_FIFO_H
#define DL_MPIPE_SLOT_FIFO_H

#include <cstddef>
#include <utility>
#include <vector>

template <class T> class SlotFifo {
public:
    bool empty() const { return n_ == 0; }
    size_t size() const { return n_; }
    // Element i from the front (0: the front).
    T &operator[](size_t i) { return slots_[(head_ + i) % slots_.size()]; }
    T &front() { return slots_[head_]; }
    // The slot after the last, now part of the queue; the ring doubles when
    // full (references into the queue do not survive that).
    T &push_back()
    {
        if (n_ == slots_.size()) grow();
        n_++;
        return (*this)[n_ - 1];
    }
    void pop_front()
    {
        head_ = (head_ + 1) % slots_.size();
        n_--;
    }

private:
    void grow()
    {
        std::vector<T> s(slots_.empty() ? 4 : 2 * slots_.size());
        for (size_t i = 0; i < n_; i++) std::swap(s[i], (*this)[i]);
        slots_.swap(s);
        head_ = 0;
    }
    std::vector<T> slots_;
    size_t head_ = 0, n_ = 0;
};

#endif
