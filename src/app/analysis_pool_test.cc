// RunInOrder: results come back in input order whatever order the threads
// finish in, no more than the window are held at once, and a stop or an
// exception ends the run cleanly.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"

namespace taizhang {
namespace {

// Item i takes longer the smaller i % 7 is, so later items finish first.
std::string SlowItem(size_t i) {
  std::this_thread::sleep_for(std::chrono::microseconds(200 * (7 - i % 7)));
  return "item " + std::to_string(i);
}

TEST(RunInOrder, HandsBackEveryResultInInputOrder) {
  for (unsigned jobs : {1u, 2u, 3u, 8u}) {
    PoolOptions pool;
    pool.jobs = jobs;
    std::vector<std::string> seen;
    std::thread::id caller = std::this_thread::get_id();
    bool on_caller = true;
    EXPECT_TRUE(RunInOrder<std::string>(100, pool, SlowItem, [&](size_t i, std::string&& s) {
      on_caller &= std::this_thread::get_id() == caller;
      EXPECT_EQ(s, "item " + std::to_string(i));
      seen.push_back(std::move(s));
      return true;
    }));
    ASSERT_EQ(seen.size(), 100u) << jobs;
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], "item " + std::to_string(i));
    EXPECT_TRUE(on_caller) << "consume runs on the calling thread";
  }
}

TEST(RunInOrder, HoldsNoMoreThanTheWindow) {
  PoolOptions pool;
  pool.jobs = 4;
  pool.window = 5;
  std::atomic<int> held{0}, most{0};
  RunInOrder<int>(
      60, pool,
      [&](size_t i) {
        int now = ++held;
        for (int m = most; now > m && !most.compare_exchange_weak(m, now);) {
        }
        SlowItem(i);
        return static_cast<int>(i);
      },
      [&](size_t, int&&) {
        std::this_thread::sleep_for(std::chrono::microseconds(300));  // a slow writer
        --held;
        return true;
      });
  EXPECT_LE(most.load(), 5);
  EXPECT_GE(most.load(), 2) << "the threads did run side by side";
}

TEST(RunInOrder, StopsWhenConsumeSaysSo) {
  PoolOptions pool;
  pool.jobs = 3;
  std::atomic<size_t> started{0};
  size_t consumed = 0;
  EXPECT_FALSE(RunInOrder<size_t>(
      1000, pool, [&](size_t i) { ++started; return i; },
      [&](size_t i, size_t&&) {
        ++consumed;
        return i < 9;
      }));
  EXPECT_EQ(consumed, 10u);
  EXPECT_LE(started.load(), 10u + PoolWindow(pool));
}

TEST(RunInOrder, AnExceptionOfAnItemReachesTheCaller) {
  for (unsigned jobs : {1u, 3u}) {
    PoolOptions pool;
    pool.jobs = jobs;
    size_t consumed = 0;
    EXPECT_THROW(RunInOrder<size_t>(
                     50, pool,
                     [](size_t i) {
                       if (i == 17) throw std::runtime_error("item 17");
                       return i;
                     },
                     [&](size_t, size_t&&) {
                       ++consumed;
                       return true;
                     }),
                 std::runtime_error);
    EXPECT_EQ(consumed, 17u) << "the items before it were consumed, none after";
  }
}

TEST(RunInOrder, NothingToDo) {
  EXPECT_TRUE(RunInOrder<int>(0, {}, [](size_t) { return 0; }, [](size_t, int&&) { return false; }));
  EXPECT_GE(PoolJobs({}), 1u);
  EXPECT_EQ(PoolWindow({}), 2 * static_cast<size_t>(PoolJobs({})));
}

// TaskPool: tasks run on the pool's threads, at most the window wait, and
// the destructor finishes the running task but drops the waiting ones.
TEST(TaskPool, RunsTasksAndRefusesBeyondTheWindow) {
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  std::atomic<int> started{0}, finished{0};
  {
    TaskPool pool(PoolOptions{1, 2});
    auto blocking = [&] {
      ++started;
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return release; });
      ++finished;
    };
    ASSERT_TRUE(pool.Post(blocking));
    // Wait until the one thread holds the first task.
    for (int i = 0; i < 1000 && started.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(started.load(), 1);
    EXPECT_TRUE(pool.Post(blocking));
    EXPECT_TRUE(pool.Post(blocking));
    EXPECT_EQ(pool.waiting(), 2u);
    EXPECT_FALSE(pool.Post(blocking));  // the window (2) is full
    {
      std::lock_guard<std::mutex> lock(mutex);
      release = true;
    }
    changed.notify_all();
    for (int i = 0; i < 2000 && finished.load() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(finished.load(), 3);
    EXPECT_TRUE(pool.Post([&] { ++finished; }));
    for (int i = 0; i < 2000 && finished.load() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(finished.load(), 4);
  }
}

}  // namespace
}  // namespace taizhang
