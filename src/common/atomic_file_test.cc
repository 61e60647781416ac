#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace taizhang {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("taizhang_atomic_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  size_t Entries() { return std::distance(fs::directory_iterator(dir_), fs::directory_iterator()); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAllOrNothingAndLeavesNoTemporary) {
  const std::string out = (dir_ / "结果.json").string();
  ASSERT_TRUE(WriteFileAtomically(out, "第一版").ok());
  EXPECT_EQ(Read(out), "第一版");
  ASSERT_TRUE(WriteFileAtomically(out, "第二版").ok());
  EXPECT_EQ(Read(out), "第二版");
  EXPECT_EQ(Entries(), 1u);
  {
    auto file = TemporaryFile::Create(out);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write("未完成").ok());
    EXPECT_EQ(Entries(), 2u);
  }  // not committed: removed, the destination untouched
  EXPECT_EQ(Read(out), "第二版");
  EXPECT_EQ(Entries(), 1u);
  Status missing = WriteFileAtomically((dir_ / "无此目录" / "x.txt").string(), "x");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("所在目录不存在"), std::string::npos);
}

TEST_F(AtomicFileTest, APlantedLinkIsNeverFollowed) {
  // Whatever name an attacker plants beside the output, the temporary file
  // is a new one: the link's target stays as it was.
  const fs::path victim = dir_ / "victim.txt";
  std::ofstream(victim) << "原样";
  const std::string out = (dir_ / "out.txt").string();
  fs::create_symlink(victim, out + ".tmp-taizhang");
  for (int i = 0; i < 10; ++i) fs::create_symlink(victim, dir_ / (".out.txt.taizhang-" + std::to_string(i)));
  ASSERT_TRUE(WriteFileAtomically(out, "新内容").ok());
  EXPECT_EQ(Read(victim), "原样");
  EXPECT_EQ(Read(out), "新内容");
}

TEST_F(AtomicFileTest, ASignalRemovesTheTemporaryFile) {
  const std::string out = (dir_ / "大文件.json").string();
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto file = TemporaryFile::Create(out);
    if (!file.ok() || !(*file)->Write("写了一半").ok()) _exit(3);
    char ready = 1;
    (void)!::write(pipe_fds[1], &ready, 1);
    ::pause();  // SIGTERM ends it here, mid-write
    _exit(4);
  }
  char ready = 0;
  ASSERT_EQ(::read(pipe_fds[0], &ready, 1), 1);
  EXPECT_EQ(Entries(), 1u);  // the temporary file exists
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_EQ(Entries(), 0u);  // removed by the handler, nothing written
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST_F(AtomicFileTest, SameFileSeesLinks) {
  const std::string a = (dir_ / "a.txt").string();
  std::ofstream(a) << "x";
  fs::create_hard_link(a, dir_ / "hard.txt");
  fs::create_symlink(a, dir_ / "soft.txt");
  EXPECT_TRUE(SameFile(a, (dir_ / "hard.txt").string()));
  EXPECT_TRUE(SameFile(a, (dir_ / "soft.txt").string()));
  EXPECT_TRUE(SameFile(a, (dir_ / "." / "a.txt").string()));
  EXPECT_FALSE(SameFile(a, (dir_ / "none.txt").string()));
}

}  // namespace
}  // namespace taizhang
