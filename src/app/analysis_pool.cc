// RunInOrder's machinery: a few worker threads claim items in input order,
// at most a window of them ahead of the consumer, which takes each result
// on the calling thread as soon as it and every earlier one are done.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "app/app.h"

namespace taizhang {

unsigned PoolJobs(const PoolOptions& options) {
  if (options.jobs > 0) return options.jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

size_t PoolWindow(const PoolOptions& options) {
  if (options.window > 0) return options.window;
  return 2 * static_cast<size_t>(PoolJobs(options));
}

namespace app_internal {

namespace {

// What the workers and the consumer share, guarded by `mutex`.
class Schedule {
 public:
  Schedule(size_t count, size_t window) : count_(count), window_(window), done_(window, false), errors_(window) {}

  // The next item a worker should run, or false when there is none (all
  // claimed, or the run stopped). Waits while the window is full.
  bool Claim(size_t* item) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || next_ >= count_ || next_ < consumed_ + window_; });
    if (stop_ || next_ >= count_) return false;
    *item = next_++;
    return true;
  }

  void Finish(size_t item, std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_[item % window_] = true;
    errors_[item % window_] = std::move(error);
    changed_.notify_all();
  }

  // Waits for `item`, the next to consume; its work's exception, if any.
  std::exception_ptr Await(size_t item) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return done_[item % window_]; });
    return std::move(errors_[item % window_]);
  }

  // `item` consumed: its slot is free for item + window.
  void Release(size_t item) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_[item % window_] = false;
    consumed_ = item + 1;
    changed_.notify_all();
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    changed_.notify_all();
  }

 private:
  const size_t count_, window_;
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t next_ = 0;      // the next item to claim
  size_t consumed_ = 0;  // items consumed so far
  bool stop_ = false;
  std::vector<bool> done_;  // per slot: its item's work is done
  std::vector<std::exception_ptr> errors_;
};

}  // namespace

bool RunSlotsInOrder(size_t count, const PoolOptions& options, const std::function<void(size_t)>& work,
                     const std::function<bool(size_t)>& consume) {
  const size_t window = PoolWindow(options);
  const size_t jobs = std::min<size_t>({PoolJobs(options), window, count});
  if (jobs <= 1) {
    for (size_t i = 0; i < count; ++i) {
      work(i);
      if (!consume(i)) return false;
    }
    return true;
  }
  Schedule schedule(count, window);
  std::vector<std::thread> workers;
  workers.reserve(jobs);
  for (size_t t = 0; t < jobs; ++t) {
    workers.emplace_back([&] {
      size_t item = 0;
      while (schedule.Claim(&item)) {
        std::exception_ptr error;
        try {
          work(item);
        } catch (...) {
          error = std::current_exception();
        }
        schedule.Finish(item, std::move(error));
      }
    });
  }
  bool completed = true;
  std::exception_ptr error;
  for (size_t i = 0; i < count; ++i) {
    error = schedule.Await(i);
    if (!error) {
      try {
        completed = consume(i);
      } catch (...) {
        error = std::current_exception();
      }
    }
    if (error || !completed) break;
    schedule.Release(i);
  }
  schedule.Stop();
  for (std::thread& w : workers) w.join();
  if (error) std::rethrow_exception(error);
  return completed;
}

}  // namespace app_internal

bool AnalyzeInOrder(const std::vector<std::string>& paths, const AnalyzeOptions& options, const PoolOptions& pool,
                    const std::function<bool(size_t, AnalyzedFile&&)>& consume) {
  return RunInOrder<AnalyzedFile>(
      paths.size(), pool, [&](size_t k) { return AnalyzeFile(paths[k], options); },
      [&](size_t k, AnalyzedFile&& file) { return consume(k, std::move(file)); });
}

struct TaskPool::State {
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::function<void()>> waiting;
  size_t limit = 1;
  bool stop = false;
  std::vector<std::thread> threads;

  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || !waiting.empty(); });
        if (stop) return;
        task = std::move(waiting.front());
        waiting.pop_front();
      }
      task();
    }
  }
};

TaskPool::TaskPool(const PoolOptions& options) : state_(std::make_unique<State>()) {
  state_->limit = PoolWindow(options);
  unsigned threads = PoolJobs(options);
  for (unsigned i = 0; i < threads; ++i) state_->threads.emplace_back([s = state_.get()] { s->Work(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
    state_->waiting.clear();
    state_->changed.notify_all();
  }
  for (std::thread& t : state_->threads) t.join();
}

bool TaskPool::Post(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->stop || state_->waiting.size() >= state_->limit) return false;
  state_->waiting.push_back(std::move(task));
  state_->changed.notify_one();
  return true;
}

size_t TaskPool::waiting() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->waiting.size();
}

}  // namespace taizhang
