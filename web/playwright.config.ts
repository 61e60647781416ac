// Browser tests of the web application: Debian's Chromium (/usr/bin/chromium,
// no browser download), headless, at 1366×768, against `taizhang serve` on
// fresh databases that e2e/global-setup.ts makes and starts.
//   TAIZHANG_BIN        the taizhang program (default ../build/taizhang)
//   TAIZHANG_WEB_DIR    the built pages (default ../build/web, else dist)
//   TAIZHANG_E2E_OUT    screenshots (default ../build/web-screenshots)
//   CHROMIUM            the browser (default /usr/bin/chromium)
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One worker: the tests share the servers and count logins per address.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: process.env.TAIZHANG_E2E_RESULTS || '../build/web-test-results',
  reporter: [['list']],
  use: {
    headless: true,
    testIdAttribute: 'data-test',
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    },
  },
})
